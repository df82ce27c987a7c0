package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// switchDiagnosticFamily handles POST /admin/taxonomy-family: family=diagnostic with on=1 turns
// the optional diagnostic family of feature 28 (五查五看, 四面镜子, 为民/务实/清廉,
// 不方便/不放心/不满意) on, on=0 off (its tags stay on the opinions that carry them). Audited.
func (s *Server) switchDiagnosticFamily(c echo.Context) error {
	on := c.FormValue("on")
	if c.FormValue("family") != storage.DiagnosticFamily || (on != "0" && on != "1") {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	err := s.store.SetOptionalFamily(c.Request().Context(), u.ID, storage.DiagnosticFamily, on == "1")
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/taxonomy#family-diagnostic")
}
