package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// flagOpinion handles POST /admin/opinions/{id}/flags: 追责, 查无实据 and 举报属实.
func (s *Server) flagOpinion(c echo.Context) error {
	f := storage.Flags{
		Accountability: c.FormValue("accountability") != "",
		Unfounded:      c.FormValue("unfounded") != "",
		Substantiated:  c.FormValue("substantiated") != "",
	}
	u, _ := staffUser(c)
	err := s.store.SetFlags(c.Request().Context(), u.ID, c.Param("id"), f)
	if errors.Is(err, storage.ErrInvalid) {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{
			"flags": s.printer(c).T("item.flags_conflict")}})
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}
