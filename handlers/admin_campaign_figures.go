package handlers

// A campaign's figures (#14): per phase and for the whole campaign, beside the previous
// campaign's (the one started before it), counted by stats.Compute over the campaign's
// opinions in the reader's scope, as the reports count (举报 only for 纪检).

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/storage"
)

// campaignFiguresPage is the data of templates/pages/campaign_figures.html: the rows
// stats.CampaignTable counts (the campaign report counts the same).
type campaignFiguresPage struct {
	stats.CampaignFigures
	Styles  []sifeng.Style
	Omitted string // what this reader's scope leaves out (access.Viewer.OmittedIn)
	Target  float64
	Redo    float64
}

// mayReadCampaignFigures: the roles that read reports across units, each in their scope.
func mayReadCampaignFigures(v access.Viewer) bool {
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Leader, access.Discipline:
		return true
	}
	return false
}

// showCampaignFigures handles GET /admin/campaigns/:id/figures.
func (s *Server) showCampaignFigures(c echo.Context) error {
	v := viewer(c)
	if !mayReadCampaignFigures(v) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	all, err := s.store.Campaigns(ctx) // most recently started first
	if err != nil {
		return err
	}
	p := s.printer(c)
	figs, err := stats.CampaignTable(ctx, s.store, all, id, v, p)
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	data := campaignFiguresPage{CampaignFigures: *figs, Styles: sifeng.Styles, Omitted: v.OmittedIn(p),
		Target: stats.TargetRate, Redo: stats.RedoRate}
	return s.render(c, http.StatusOK, "campaign_figures", data)
}
