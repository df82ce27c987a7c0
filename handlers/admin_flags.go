package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/storage"
)

// complaintType is the opinion type of a complaint (投诉), which, like a 举报, can be marked
// 属实 once checked: the conduct record (医德医风档案) then counts it.
const complaintType = "complaint"

// mayBeSubstantiated reports whether an opinion of type typ can be marked 属实: a 举报 (marked
// by 纪检, who alone open them) or a complaint (by the office, 活动办, who open them: the
// route's access is the same Tag right and the reader's scope for both).
func mayBeSubstantiated(typ string) bool { return typ == access.ReportType || typ == complaintType }

// flagOpinion handles POST /admin/opinions/{id}/flags: 追责, 查无实据 and 属实 (举报属实, or a
// complaint found true).
func (s *Server) flagOpinion(c echo.Context) error {
	f := storage.Flags{
		Accountability: c.FormValue("accountability") != "",
		Unfounded:      c.FormValue("unfounded") != "",
		Substantiated:  c.FormValue("substantiated") != "",
	}
	ctx := c.Request().Context()
	o, err := s.store.Opinion(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if f.Substantiated && !mayBeSubstantiated(o.Type) {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{
			"flags": s.printer(c).T("item.flags_substantiated_type")}})
	}
	u, _ := staffUser(c)
	err = s.store.SetFlags(ctx, u.ID, o.ID, f)
	if errors.Is(err, storage.ErrInvalid) {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{
			"flags": s.printer(c).T("item.flags_conflict")}})
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}
