package handlers

import (
	"errors"
	"net/url"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// openSitePoster handles GET /q/{code}, the short address printed on a site's poster and held
// by its QR code: on to the form with the site (?site=CODE), or to the plain form when the code
// is unknown or the site retired. Never an error page: whoever scanned a poster may still
// write. The code may be typed in any case, with O for 0 and I or L for 1. The language stays:
// /en/q/CODE opens /en/submit?site=CODE.
func (s *Server) openSitePoster(c echo.Context) error {
	st, err := s.store.ActiveSite(c.Request().Context(), storage.NormalSiteCode(c.Param("code")))
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			s.log.Error("look up poster site", "err", err)
		}
		return s.seeOther(c, "/submit")
	}
	return s.seeOther(c, "/submit?site="+url.QueryEscape(st.Code))
}
