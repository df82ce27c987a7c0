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
	p := s.printer(c)
	errs := map[string]string{}
	for _, f := range []struct {
		field, name, text string
		min               int
	}{
		{"pub_title", "item.pub_title", title, 1},
		{"pub_body", "item.pub_body", body, 1},
		{"pub_result", "item.pub_result", result, 0}, // written once the work is done
	} {
		if m := staffTextProblem(f.text, f.min); m.Key != "" {
			errs[f.field] = p.Msg(fieldProblem(f.name, m))
		}
	}
	page := itemPage{Errors: errs, Publication: storage.Publication{Title: title, Body: body, Result: result}}
	if len(errs) > 0 {
		return s.renderItem(c, http.StatusUnprocessableEntity, page)
	}
	u, _ := staffUser(c)
	err := s.store.Publish(c.Request().Context(), u.ID, c.Param("id"), title, body, result)
	if errors.Is(err, storage.ErrInvalid) {
		page.Errors = map[string]string{"pub_title": p.T("item.publish_refused")}
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
