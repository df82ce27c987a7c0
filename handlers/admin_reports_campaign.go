package handlers

// Campaign reports (#14): the report form offers each campaign and each of its phases in place
// of a period; the draft counts it through report.DraftCampaign.

import (
	"errors"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/stats"
	"minsheng/storage"
)

// reportCampaign is one option of the form's campaign list: a campaign, or one of its phases.
type reportCampaign struct {
	Value, Name string
	Phase       bool
}

// campaignValue is the form's value of campaign id, phase (0: the whole campaign).
func campaignValue(id int64, phase int) string {
	v := strconv.FormatInt(id, 10)
	if phase != 0 {
		v += "." + strconv.Itoa(phase)
	}
	return v
}

// reportCampaigns lists every campaign (most recently started first), each followed by its phases.
func (s *Server) reportCampaigns(c echo.Context, p *locale.Printer) ([]reportCampaign, error) {
	all, err := s.store.Campaigns(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var out []reportCampaign
	for _, cp := range all {
		out = append(out, reportCampaign{Value: campaignValue(cp.ID, 0), Name: cp.Name})
		for _, ph := range cp.Phases {
			out = append(out, reportCampaign{Value: campaignValue(cp.ID, ph.Seq), Phase: true,
				Name: p.T("report.campaign.with_phase", cp.Name, report.PhaseName(p, ph))})
		}
	}
	return out, nil
}

// draftOf counts the draft f names: a campaign's (or phase's) when f chose one, else period p's.
// A campaign or phase that does not exist is a 404.
func (s *Server) draftOf(c echo.Context, f reportForm, p period.Period) (*report.Report, error) {
	ctx, pr, v := c.Request().Context(), s.printer(c), viewer(c)
	if f.Campaign == "" {
		q := stats.Query{Period: p, Unit: f.Unit, Viewer: v, Today: s.store.Today(), Printer: pr}
		return report.Draft(ctx, s.store, q, f.Kind, pr)
	}
	id, phase, _ := f.campaignChoice()
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	r, err := report.DraftCampaign(ctx, s.store, report.CampaignQuery{All: all, ID: id, Phase: phase, Unit: f.Unit, Viewer: v, Printer: pr}, f.Kind)
	if errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrInvalid) {
		return nil, echo.ErrNotFound
	}
	return r, err
}
