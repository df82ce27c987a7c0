package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// publishOpinion handles POST /admin/opinions/{id}/publish: put a rectification on the public
// notice board, with a title, a text and a result written by staff.
func (s *Server) publishOpinion(c echo.Context) error {
	title, body, result := c.FormValue("pub_title"), c.FormValue("pub_body"), c.FormValue("pub_result")
	errs := map[string]string{}
	if msg := checkStaffText(title); msg != "" {
		errs["pub_title"] = "标题" + msg
	}
	if msg := checkStaffText(body); msg != "" {
		errs["pub_body"] = "公示内容" + msg
	}
	if msg := checkText(result, 0, maxStaffText); msg != "" {
		errs["pub_result"] = "整改结果" + msg
	}
	page := itemPage{Errors: errs, Publication: storage.Publication{Title: title, Body: body, Result: result}}
	if len(errs) > 0 {
		return s.renderItem(c, http.StatusUnprocessableEntity, page)
	}
	u, _ := staffUser(c)
	err := s.store.Publish(c.Request().Context(), u.ID, c.Param("id"), title, body, result)
	if errors.Is(err, storage.ErrInvalid) {
		page.Errors = map[string]string{"pub_title": "只有已交办的整改可以公示，举报不公示。"}
		return s.renderItem(c, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}

// unpublishOpinion handles POST /admin/opinions/{id}/unpublish: take it off the board.
func (s *Server) unpublishOpinion(c echo.Context) error {
	u, _ := staffUser(c)
	if err := s.store.Unpublish(c.Request().Context(), u.ID, c.Param("id")); err != nil {
		return err
	}
	return backToItem(c)
}
