package handlers

import (
	"github.com/labstack/echo/v4"
)

// The files staff send the submitter with a message (#13). /track lists them under the message;
// each is downloaded by a POST that carries the receipt code in its body (a hidden field of the
// page the code opened), never in an address, so that no link, history or log holds it. The
// code is checked as every /track form checks it, a miss drawing on the shared budget.

// fileRequest is the form of a download from /track.
type fileRequest struct {
	Code string `form:"code"`
	File string `form:"file"`
}

// serveStaffFile handles POST /track/file: one file staff sent with a message of the
// conversation of the opinion the code opens. Any other file is 404.
func (s *Server) serveStaffFile(c echo.Context) error {
	var f fileRequest
	if err := c.Bind(&f); err != nil {
		return err
	}
	o, _, ok, err := s.findByCode(c)
	if !ok || err != nil {
		return err
	}
	a, data, err := s.store.StaffFileForSubmitter(c.Request().Context(), o.ID, truncate(f.File, 40))
	if err != nil {
		return err
	}
	return sendFile(c, a, data)
}
