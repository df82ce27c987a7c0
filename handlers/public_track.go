package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/receipt"
	"minsheng/storage"
)

// maxCodeInput is how much of a typed receipt code is kept for showing it back.
const maxCodeInput = 80

// trackPage is the data of templates/pages/track.html.
type trackPage struct {
	Code    string
	Errors  map[string]string
	Message string
	Opinion *storage.Opinion
}

// showTrackForm handles GET /track. The code is never accepted in the URL.
func (s *Server) showTrackForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "track", trackPage{})
}

// trackOpinion handles POST /track: the status and reply of the opinion a receipt code belongs to.
func (s *Server) trackOpinion(c echo.Context) error {
	code := truncate(c.FormValue("code"), maxCodeInput)
	if !s.lookups.Allow() {
		c.Response().Header().Set("Retry-After", "60")
		return s.render(c, http.StatusTooManyRequests, "track", trackPage{Code: code,
			Message: "现在查询的人太多，请等一分钟再点“查询”。"})
	}
	normalised, err := receipt.Parse(code)
	if err != nil {
		return s.render(c, http.StatusUnprocessableEntity, "track", trackPage{Code: code,
			Errors: map[string]string{"code": "查询码应为 20 位字母和数字，请核对后再输入。"}})
	}
	o, err := s.store.OpinionByReceipt(c.Request().Context(), s.receipts.Hash(normalised))
	if errors.Is(err, storage.ErrNotFound) {
		return s.render(c, http.StatusNotFound, "track", trackPage{Code: code,
			Errors: map[string]string{"code": "没有找到这个查询码。请核对每一位后再试；如果仍然找不到，可以重新留言。"}})
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "track", trackPage{Opinion: &o})
}
