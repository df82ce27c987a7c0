package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showHome handles GET /: what the portal is, what happens to an opinion, the anonymity promise.
func (s *Server) showHome(c echo.Context) error {
	return s.render(c, http.StatusOK, "home", nil)
}

// health handles GET /healthz: 200 when the database answers, 503 when it does not.
func (s *Server) health(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "unavailable")
	}
	return c.String(http.StatusOK, "ok")
}
