package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// showHome handles GET /: what the portal is, what happens to an opinion, the anonymity promise.
func (s *Server) showHome(c echo.Context) error {
	open, err := s.openPlans(c)
	if err != nil { // the home page stays up without its links to the drafts
		s.logFor(c).Warn("drafts open for comment", "err", err)
	}
	reports, err := s.openReportDrafts(c)
	if err != nil {
		s.logFor(c).Warn("report drafts open for comment", "err", err)
	}
	return s.render(c, http.StatusOK, "home", homePage{OpenPlans: open, OpenReports: reports})
}

// homePage is the data of templates/pages/home.html.
type homePage struct {
	// OpenPlans are the drafts open for comment to the public today (public_plans.go).
	OpenPlans []storage.PlanListed
	// OpenReports are the report drafts open for comment to the public today (report_comment.go).
	OpenReports []storage.ReportConsultation
}
