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

// planPage is the data of templates/pages/plan.html: a plan's text, its tasks (the 三明确一承诺),
// its state with the steps the viewer may take, the comments received beside the draft, and
// its history.
type planPage struct {
	Plan     planView
	Actions  []planAction // the steps the viewer may take now (plan.Allowed)
	Editable bool         // the viewer may change the text and tasks now
	Linked   bool         // a task answers an opinion's rectification or a problem (listed with links)
	// MayComment: the draft takes comments from this viewer today (on the comment page).
	MayComment bool
	// The comments the viewer may open (their unit, and 举报 rules, as everywhere), and how many
	// others there are (counted, never shown).
	Comments []storage.Opinion
	Hidden   int
	History  []planHistoryLine
	// The forms, as typed when one was refused: which step's form (StepAction) and its errors.
	Text       planTextForm
	TextErrors map[string]string
	Task       planTaskForm
	TaskErrors map[string]string
	Step       planStepForm
	StepAction string
	StepErrors map[string]string
	Message    string
	Units      []storage.Unit
	Kinds      []vocab.Term
	// PublicPath is where the public reads it, when they may: the comment page or the notice.
	PublicPath string
}

// planHistoryLine is one line of a plan's history in the reader's words.
type planHistoryLine struct {
	storage.PlanHistoryEntry
	ActionWords, ToWords string
}

// planStepForm is a step as posted from one of the plan page's step forms.
type planStepForm struct {
	Action    string `form:"action"`
	Note      string `form:"note"`
	Scope     string `form:"scope"`      // public, staff or unit
	ScopeUnit string `form:"scope_unit"` // the unit of a unit scope
	From      string `form:"from"`
	To        string `form:"to"`
	Changes   string `form:"changes"`
}

// scope is the campaign scope the form names ("" when none).
func (f planStepForm) scope() string {
	switch f.Scope {
	case campaign.ScopePublic, campaign.ScopeStaff:
		return f.Scope
	case "unit":
		if u := strings.TrimSpace(f.ScopeUnit); u != "" {
			return campaign.ScopeUnit(u)
		}
	}
	return ""
}

// step is the form as a storage.PlanStep.
func (f planStepForm) step() storage.PlanStep {
	return storage.PlanStep{Action: f.Action, Note: strings.TrimSpace(f.Note),
		Opening:     plan.Opening{Scope: f.scope(), From: strings.TrimSpace(f.From), To: strings.TrimSpace(f.To)},
		Publication: plan.Publication{Scope: f.scope(), Changes: strings.TrimSpace(f.Changes)}}
}

// Validate returns a message per wrong field of the step on day today: scope, from, to, changes,
// note. A unit scope must name one of units.
func (f planStepForm) Validate(today string, units []storage.Unit) locale.Fields {
	st := f.step()
	errs := plan.NoteProblems(f.Action, st.Note)
	var more locale.Fields
	switch f.Action {
	case plan.OpenComment:
		more = st.Opening.Problems(today)
	case plan.Publish:
		more = st.Publication.Problems()
	}
	for k, m := range more {
		errs[k] = m
	}
	if code := campaign.ScopeUnitCode(f.scope()); code != "" && !unitListed(units, code) && errs["scope"].Key == "" {
		errs["scope"] = locale.M("plan.need_scope")
	}
	return errs
}

// staffPlan loads the route's plan if the viewer may open it (plan.Visible), else 404.
func (s *Server) staffPlan(c echo.Context) (storage.Plan, error) {
	id, err := planParam(c)
	if err != nil {
		return storage.Plan{}, err
	}
	pl, err := s.store.Plan(c.Request().Context(), id)
	if err != nil {
		return storage.Plan{}, err
	}
	if !plan.Visible(pl.Status, pl.CommentScope, pl.Scope, viewer(c).Role, s.campaignReader(c)) {
		return storage.Plan{}, echo.ErrNotFound
	}
	return pl, nil
}

// showPlan handles GET /admin/plans/:id (?task=N fills the task form with task N to edit it).
func (s *Server) showPlan(c echo.Context) error {
	pl, err := s.staffPlan(c)
	if err != nil {
		return err
	}
	page := planPage{Text: planTextForm{Kind: pl.Kind, Title: pl.Title, Body: pl.Body}}
	if seq, err := strconv.Atoi(c.QueryParam("task")); err == nil {
		for _, t := range pl.Tasks {
			if t.Seq == seq {
				page.Task = taskFormOf(t)
			}
		}
	}
	return s.renderPlan(c, http.StatusOK, pl, page)
}

// editPlan handles POST /admin/plans/:id: the text of a draft, by the 活动办.
func (s *Server) editPlan(c echo.Context) error {
	pl, err := s.staffPlan(c)
	if err != nil {
		return err
	}
	v := viewer(c)
	if !plan.RoleMay(plan.Submit, v.Role) {
		return echo.ErrForbidden
	}
	var f planTextForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Campaign = strconv.FormatInt(pl.CampaignID, 10)
	page := planPage{Text: f}
	if errs := f.Validate(); len(errs) > 0 {
		page.TextErrors = s.printer(c).Fields(errs)
		return s.renderPlan(c, http.StatusUnprocessableEntity, pl, page)
	}
	u, _ := staffUser(c)
	err = s.store.EditPlan(c.Request().Context(), u.ID, v.Role, pl.ID, f.text())
	if errors.Is(err, storage.ErrConflict) {
		page.Message = s.printer(c).T("plans.conflict")
		return s.renderPlan(c, http.StatusConflict, pl, page)
	}
	if err != nil {
		return err
	}
	return s.seeOther(c, "/admin/plans/"+strconv.FormatInt(pl.ID, 10))
}

// stepPlan handles POST /admin/plans/:id/step: a step of the plan's life (package plan's
// actions). A step the role may never take is 403; one it may not take now, 409.
func (s *Server) stepPlan(c echo.Context) error {
	pl, err := s.staffPlan(c)
	if err != nil {
		return err
	}
	v := viewer(c)
	var f planStepForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if !plan.RoleMay(f.Action, v.Role) {
		return echo.ErrForbidden
	}
	ctx, p := c.Request().Context(), s.printer(c)
	page := planPage{Text: planTextForm{Kind: pl.Kind, Title: pl.Title, Body: pl.Body}, Step: f, StepAction: f.Action}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	if errs := f.Validate(s.store.Today(), units); len(errs) > 0 {
		page.StepErrors = p.Fields(errs)
		return s.renderPlan(c, http.StatusUnprocessableEntity, pl, page)
	}
	u, _ := staffUser(c)
	err = s.store.StepPlan(ctx, u.ID, v.Role, pl.ID, f.step())
	if errors.Is(err, storage.ErrConflict) {
		page.Message = p.T("plans.conflict")
		return s.renderPlan(c, http.StatusConflict, pl, page)
	}
	if err != nil {
		return err
	}
	return s.seeOther(c, "/admin/plans/"+strconv.FormatInt(pl.ID, 10))
}

// showStaffPlanComment handles GET /admin/plans/:id/comment: the comment form of a draft open
// for comment to the viewer (a staff- or unit-scoped one, or a public one), on a staff page.
func (s *Server) showStaffPlanComment(c echo.Context) error {
	pl, err := s.staffCommentPlan(c)
	if err != nil {
		return err
	}
	return s.renderPlanComment(c, http.StatusOK, pl, true, submitForm{}, nil, "")
}

// staffCommentOnPlan handles POST /admin/plans/:id/comment: a staff member's comment, through
// the same pipeline as the public's, and as anonymous (nothing records who wrote it).
func (s *Server) staffCommentOnPlan(c echo.Context) error {
	// Not staffPlan: once the period ends a liaison no longer opens the draft, and a comment
	// sent just after must still come back with its words.
	reader := s.campaignReader(c)
	return s.receiveComment(c, true, func(pl storage.Plan) bool {
		return pl.CommentScope != "" && campaign.CanRead(pl.CommentScope, reader)
	})
}

// staffCommentPlan loads the route's plan if it takes comments from the viewer today, else 404.
func (s *Server) staffCommentPlan(c echo.Context) (storage.Plan, error) {
	pl, err := s.staffPlan(c)
	if err != nil {
		return storage.Plan{}, err
	}
	if !plan.OpenForComment(pl.Status, pl.CommentFrom, pl.CommentTo, s.store.Today()) ||
		!campaign.CanRead(pl.CommentScope, s.campaignReader(c)) {
		return storage.Plan{}, echo.ErrNotFound
	}
	return pl, nil
}
