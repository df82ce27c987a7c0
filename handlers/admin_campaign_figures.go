package handlers

// A campaign's figures (#14): per phase and for the whole campaign, beside the previous
// campaign's (the one started before it), counted by stats.Compute over the campaign's
// opinions in the reader's scope, as the reports count (举报 only for 纪检).

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/sifeng"
	"minsheng/stats"
)

// campaignFiguresPage is the data of templates/pages/campaign_figures.html.
type campaignFiguresPage struct {
	Campaign campaign.Campaign
	Phases   []figuresRow // one per phase, in order
	Whole    figuresRow
	Previous *campaign.Campaign
	Before   figuresRow // the previous campaign's whole figures, when there is one
	Styles   []sifeng.Style
	Omitted  string // what this reader's scope leaves out (access.Viewer.OmittedIn)
	Target   float64
	Redo     float64
}

// figuresRow is one line: a phase, a campaign.
type figuresRow struct {
	Phase    campaign.Phase // zero for a whole campaign
	Total    int            // opinions received
	ByStyle  []stats.Count  // sifeng order
	Untagged int
	Done     int // rectified: reported done or further
	Overdue  int // open past the deadline today
	Rated    int
	Rate     string // the satisfaction rate in percent, "" under stats.MinRatings ratings
	Below    bool   // under stats.TargetRate
	Redo     bool   // under stats.RedoRate (补课)
}

// mayReadCampaignFigures: the roles that read reports across units, each in their scope.
func mayReadCampaignFigures(v access.Viewer) bool {
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Leader, access.Discipline:
		return true
	}
	return false
}

// campaignQuery is the stats query of campaign c (phase 0: the whole of it) for v on today: the
// campaign's or the phase's opinions (storage's campaign filter bounds them by their days), and
// the ratings given from the phase's first day to today (or the campaign's end, if later).
func campaignQuery(c campaign.Campaign, phase int, v access.Viewer, today string) (stats.Query, error) {
	from := c.StartsOn
	for _, ph := range c.Phases {
		if ph.Seq == phase {
			from = ph.StartsOn
		}
	}
	last := max(c.EndsOn, today)
	span, err := period.Parse(from + ".." + last)
	if err != nil {
		return stats.Query{}, err
	}
	return stats.Query{Period: span, Campaign: c.ID, Phase: phase, Viewer: v, Today: today}, nil
}

// figuresOf computes one row.
func (s *Server) figuresOf(ctx context.Context, p *locale.Printer, c campaign.Campaign, phase int, v access.Viewer) (figuresRow, error) {
	q, err := campaignQuery(c, phase, v, s.store.Today())
	if err != nil {
		return figuresRow{}, err
	}
	q.Printer = p
	f, err := stats.Compute(ctx, s.store, q)
	if err != nil {
		return figuresRow{}, err
	}
	row := figuresRow{Total: f.Total, ByStyle: f.ByStyle, Untagged: f.Untagged, Done: f.Rectification.Done,
		Overdue: f.Rectification.OverdueCount, Rated: f.Satisfaction.Rated}
	if rate, ok := f.Satisfaction.Rate(); ok {
		row.Rate = strconv.FormatFloat(rate, 'f', 1, 64)
		row.Below, row.Redo = rate < stats.TargetRate, rate < stats.RedoRate
	}
	return row, nil
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
	data := campaignFiguresPage{Styles: sifeng.Styles, Omitted: v.OmittedIn(p), Target: stats.TargetRate, Redo: stats.RedoRate}
	found := false
	for i, cp := range all {
		if cp.ID != id {
			continue
		}
		found, data.Campaign = true, cp
		if i+1 < len(all) {
			data.Previous = &all[i+1]
		}
	}
	if !found {
		return echo.ErrNotFound
	}
	for _, ph := range data.Campaign.Phases {
		row, err := s.figuresOf(ctx, p, data.Campaign, ph.Seq, v)
		if err != nil {
			return err
		}
		row.Phase = ph
		data.Phases = append(data.Phases, row)
	}
	if data.Whole, err = s.figuresOf(ctx, p, data.Campaign, 0, v); err != nil {
		return err
	}
	if data.Previous != nil {
		if data.Before, err = s.figuresOf(ctx, p, *data.Previous, 0, v); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "campaign_figures", data)
}
