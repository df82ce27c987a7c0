package handlers

import (
	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/campaign"
)

// campaignReader returns the campaign.Reader of the request: the public without a staff
// session, else the signed-in user's unit and role. It reads only the session that
// requireStaff has already loaded (staff pages under /admin); it never reads the cookie
// itself, so a public page neither needs nor creates a session, and reads as the public.
func (s *Server) campaignReader(c echo.Context) campaign.Reader {
	u, ok := staffUser(c)
	if !ok {
		return campaign.Reader{}
	}
	switch u.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Discipline:
		return campaign.Reader{Staff: true, Unit: u.Unit, Bureau: true}
	}
	return campaign.Reader{Staff: true, Unit: u.Unit}
}
