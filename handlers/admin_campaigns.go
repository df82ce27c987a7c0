package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// emptyPhaseRows is how many blank phase rows the form offers beyond those filled in.
const emptyPhaseRows = 3

// campaignForm is the administrator's campaign form. Phases come as parallel lists, one entry
// a row (blank rows are dropped); numbers stay text so a wrong entry comes back as typed.
type campaignForm struct {
	Name          string   `form:"name"`
	Units         []string `form:"units"`
	PhaseKinds    []string `form:"phase_kind"`
	PhaseNames    []string `form:"phase_name"`
	PhaseStarts   []string `form:"phase_start"`
	PhaseEnds     []string `form:"phase_end"`
	Questions     string   `form:"questions"` // one question a line
	ImmediateDays string   `form:"immediate_days"`
	LimitedDays   string   `form:"limited_days"`
}

// at returns list[i], "" past its end.
func at(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// campaign turns the form into a normalized campaign (id 0), dropping blank phase rows.
func (f campaignForm) campaign() campaign.Campaign {
	c := campaign.Campaign{Name: f.Name, Units: f.Units,
		Questions: strings.Split(strings.ReplaceAll(f.Questions, "\r\n", "\n"), "\n")}
	c.ImmediateDays, _ = strconv.Atoi(strings.TrimSpace(f.ImmediateDays))
	c.LimitedDays, _ = strconv.Atoi(strings.TrimSpace(f.LimitedDays))
	for i := range f.PhaseKinds {
		p := campaign.Phase{Kind: at(f.PhaseKinds, i), Name: at(f.PhaseNames, i),
			StartsOn: at(f.PhaseStarts, i), EndsOn: at(f.PhaseEnds, i)}
		if p.Kind == "" && p.Name == "" && p.StartsOn == "" && p.EndsOn == "" {
			continue
		}
		c.Phases = append(c.Phases, p)
	}
	c.Normalize()
	return c
}

// campaignFormOf is the form showing c.
func campaignFormOf(c campaign.Campaign) campaignForm {
	f := campaignForm{Name: c.Name, Units: c.Units, Questions: strings.Join(c.Questions, "\n"),
		ImmediateDays: strconv.Itoa(c.ImmediateDays), LimitedDays: strconv.Itoa(c.LimitedDays)}
	for _, p := range c.Phases {
		f.PhaseKinds = append(f.PhaseKinds, p.Kind)
		f.PhaseNames = append(f.PhaseNames, p.Name)
		f.PhaseStarts = append(f.PhaseStarts, p.StartsOn)
		f.PhaseEnds = append(f.PhaseEnds, p.EndsOn)
	}
	return f
}

// Chose reports whether the unit with code is ticked (for the template).
func (f campaignForm) Chose(code string) bool {
	for _, u := range f.Units {
		if u == code {
			return true
		}
	}
	return false
}

// phaseRow is one row of the phase table as the template shows it.
type phaseRow struct {
	N                      int // 1, 2, …: the row's number
	Kind, Name, Start, End string
	Error                  string
}

// campaignPage is the data of templates/pages/campaign.html.
type campaignPage struct {
	ID      int64 // 0 for a new campaign
	Form    campaignForm
	Phases  []phaseRow
	Kinds   []vocab.Term
	Units   []storage.Unit
	Errors  map[string]string
	Message string
}

// campaignRow is one campaign in the list, with what it is doing today.
type campaignRow struct {
	campaign.Campaign
	Today string // the phase today ("" when the campaign is not running)
	Dates string
	Units string // the units it covers, "" for all
}

// showCampaigns handles GET /admin/campaigns: every campaign, the latest first, with its
// phase today.
func (s *Server) showCampaigns(c echo.Context) error {
	ctx := c.Request().Context()
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	p, today := s.printer(c), s.store.Today()
	rows := make([]campaignRow, 0, len(all))
	for _, cp := range all {
		row := campaignRow{Campaign: cp, Dates: daySpan(p, cp.StartsOn, cp.EndsOn)}
		if ph, ok := cp.PhaseOn(today); ok {
			row.Today = phaseName(p, ph)
		}
		var names []string
		for _, code := range cp.Units {
			names = append(names, unitName(units, code))
		}
		row.Units = strings.Join(names, p.T("submit.list_separator"))
		rows = append(rows, row)
	}
	return s.render(c, http.StatusOK, "campaigns", rows)
}

// showNewCampaign handles GET /admin/campaigns/new: an empty form with the usual default
// deadlines (5 and 30 working days).
func (s *Server) showNewCampaign(c echo.Context) error {
	return s.renderCampaign(c, http.StatusOK, campaignPage{Form: campaignForm{ImmediateDays: "5", LimitedDays: "30",
		PhaseKinds: []string{campaign.Listen}}})
}

// showCampaign handles GET /admin/campaigns/:id: the campaign's form.
func (s *Server) showCampaign(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	cp, err := s.store.Campaign(c.Request().Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.renderCampaign(c, http.StatusOK, campaignPage{ID: id, Form: campaignFormOf(cp)})
}

// createCampaign handles POST /admin/campaigns; updateCampaign POST /admin/campaigns/:id.
func (s *Server) createCampaign(c echo.Context) error { return s.saveCampaign(c, 0) }

func (s *Server) updateCampaign(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	return s.saveCampaign(c, id)
}

// saveCampaign binds the form, checks it (422 with the words kept and a message by each wrong
// field), saves and goes back to the list (303).
func (s *Server) saveCampaign(c echo.Context, id int64) error {
	var f campaignForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Name = strings.TrimSpace(f.Name)
	ctx, p := c.Request().Context(), s.printer(c)
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	cp := f.campaign()
	cp.ID = id
	errs := cp.Problems()
	for _, code := range cp.Units {
		if !unitListed(units, code) {
			errs["units"] = locale.M("campaign.unit_not_listed")
		}
	}
	if len(errs) == 0 {
		u, _ := staffUser(c)
		_, err = s.store.SaveCampaign(ctx, u.ID, cp)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			return echo.ErrNotFound
		case errors.Is(err, storage.ErrInvalid): // a unit retired meanwhile
			errs["units"] = locale.M("campaign.unit_not_listed")
		case err != nil:
			return err
		default:
			return c.Redirect(http.StatusSeeOther, "/admin/campaigns")
		}
	}
	// The rows as typed, blank ones dropped, so that the row numbers match the messages.
	shown := campaignFormOf(cp)
	f.PhaseKinds, f.PhaseNames, f.PhaseStarts, f.PhaseEnds = shown.PhaseKinds, shown.PhaseNames, shown.PhaseStarts, shown.PhaseEnds
	return s.renderCampaign(c, http.StatusUnprocessableEntity, campaignPage{ID: id, Form: f, Errors: p.Fields(errs),
		Message: p.T("campaign.fix_marked")})
}

// renderCampaign shows the form with its phase rows and a few blank ones to add more.
func (s *Server) renderCampaign(c echo.Context, status int, page campaignPage) error {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	page.Units, page.Kinds = units, campaign.Kinds
	f := page.Form
	n := len(f.PhaseKinds)
	for i := 0; i < n+emptyPhaseRows && i < campaign.MaxPhases; i++ {
		r := phaseRow{N: i + 1, Kind: at(f.PhaseKinds, i), Name: at(f.PhaseNames, i), Start: at(f.PhaseStarts, i),
			End: at(f.PhaseEnds, i)}
		r.Error = page.Errors["phase_"+strconv.Itoa(i+1)]
		page.Phases = append(page.Phases, r)
	}
	return s.render(c, status, "campaign", page)
}

// unitName is the name of the unit with code, the code itself if it is not listed.
func unitName(units []storage.Unit, code string) string {
	for _, u := range units {
		if u.Code == code {
			return u.Name
		}
	}
	return code
}

// campaignAuditTerms word the audited campaign changes (storage.SaveCampaign).
var campaignAuditTerms = vocab.List("audit.campaign_create", "audit.campaign_update")
