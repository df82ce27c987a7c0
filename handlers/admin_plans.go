package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/plan"
	"minsheng/storage"
	"minsheng/vocab"
)

// 两方案一计划 (#14) on the staff pages: the list of plans by campaign and state, and a new
// draft. The 活动办 (admin, reviewer) drafts; every staff member sees the plans their role and
// unit may open (plan.Visible): the 活动办 and the 督导组 all of them, the others drafts open
// for comment to them and plans published to them.

// plansPage is the data of templates/pages/plans.html.
type plansPage struct {
	Plans     []planLine
	Campaigns []campaign.Campaign
	Statuses  []vocab.Term
	Kinds     []vocab.Term
	Campaign  int64  // the filter's campaign, 0 for all
	Status    string // the filter's state, "" for all
	MayDraft  bool
	Form      planTextForm
	Errors    map[string]string
}

// planLine is one line of the list.
type planLine struct {
	storage.PlanListed
	CampaignName, KindWords, StatusWords string
}

// planTextForm is a plan's kind, title and text as typed (the new-draft form and the edit form).
type planTextForm struct {
	Campaign string `form:"campaign"`
	Kind     string `form:"kind"`
	Title    string `form:"title"`
	Body     string `form:"body"`
}

// text is the form as a plan.Text, normalized.
func (f planTextForm) text() plan.Text {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Campaign), 10, 64)
	t := plan.Text{CampaignID: id, Kind: strings.TrimSpace(f.Kind), Title: f.Title, Body: f.Body}
	t.Normalize()
	return t
}

// Validate returns a message per wrong field: campaign, kind, title, body.
func (f planTextForm) Validate() locale.Fields { return f.text().Problems() }

// showPlans handles GET /admin/plans: the plans the viewer may open, by campaign and state
// (?campaign=ID&status=CODE).
func (s *Server) showPlans(c echo.Context) error {
	return s.renderPlans(c, http.StatusOK, planTextForm{}, nil)
}

// createPlan handles POST /admin/plans: a new draft by the 活动办; 403 for other roles.
func (s *Server) createPlan(c echo.Context) error {
	v := viewer(c)
	if !plan.Editable(plan.Draft, v.Role) {
		return echo.ErrForbidden
	}
	var f planTextForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderPlans(c, http.StatusUnprocessableEntity, f, s.printer(c).Fields(errs))
	}
	u, _ := staffUser(c)
	id, err := s.store.CreatePlan(c.Request().Context(), u.ID, v.Role, f.text())
	if errors.Is(err, storage.ErrInvalid) { // the campaign is not there
		return s.renderPlans(c, http.StatusUnprocessableEntity, f, s.printer(c).Fields(locale.Fields{"campaign": locale.M("plan.need_campaign")}))
	}
	if err != nil {
		return err
	}
	return s.seeOther(c, "/admin/plans/"+strconv.FormatInt(id, 10))
}

// renderPlans shows the list with the new-draft form as typed.
func (s *Server) renderPlans(c echo.Context, status int, f planTextForm, errs map[string]string) error {
	ctx, p, v := c.Request().Context(), s.printer(c), viewer(c)
	page := plansPage{Statuses: plan.StatusTerms, Kinds: plan.KindTerms, Status: c.QueryParam("status"),
		MayDraft: plan.Editable(plan.Draft, v.Role), Form: f, Errors: errs}
	page.Campaign, _ = strconv.ParseInt(c.QueryParam("campaign"), 10, 64)
	if !plan.ValidStatus(page.Status) {
		page.Status = ""
	}
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	page.Campaigns = all
	names := map[int64]string{}
	for _, cp := range all {
		names[cp.ID] = cp.Name
	}
	plans, err := s.store.Plans(ctx, page.Campaign, page.Status)
	if err != nil {
		return err
	}
	r := s.campaignReader(c)
	for _, pl := range plans {
		if plan.Visible(pl.Status, pl.CommentScope, pl.Scope, v.Role, r) {
			page.Plans = append(page.Plans, planLine{PlanListed: pl, CampaignName: names[pl.CampaignID],
				KindWords: vocab.LabelIn(p, plan.KindTerms, pl.Kind), StatusWords: vocab.LabelIn(p, plan.StatusTerms, pl.Status)})
		}
	}
	return s.render(c, status, "plans", page)
}
