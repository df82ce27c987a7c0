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

// planTaskForm is one task of the table as typed (the 三明确一承诺).
type planTaskForm struct {
	Seq         string `form:"seq"` // "" for a new task
	What        string `form:"what"`
	Goal        string `form:"goal"`
	Measures    string `form:"measures"`
	LeaderPost  string `form:"leader_post"`
	LeaderName  string `form:"leader_name"`
	PublishName string `form:"publish_name"` // "1": the name may be shown to the readers
	Unit        string `form:"unit"`
	Commitment  string `form:"commitment"`
	Acceptance  string `form:"acceptance"`
	Deadline    string `form:"deadline"`
	Opinion     string `form:"opinion"`
	Problem     string `form:"problem"`
}

func taskFormOf(t plan.Task) planTaskForm {
	f := planTaskForm{Seq: strconv.Itoa(t.Seq), What: t.What, Goal: t.Goal, Measures: t.Measures, LeaderPost: t.LeaderPost,
		LeaderName: t.LeaderName, Unit: t.Unit, Commitment: t.Commitment, Acceptance: t.Acceptance, Deadline: t.Deadline,
		Opinion: t.OpinionID, Problem: t.ProblemID}
	if t.PublishName {
		f.PublishName = "1"
	}
	return f
}

// task is the form as a plan.Task, normalized.
func (f planTaskForm) task() plan.Task {
	seq, _ := strconv.Atoi(strings.TrimSpace(f.Seq))
	t := plan.Task{Seq: seq, What: f.What, Goal: f.Goal, Measures: f.Measures, LeaderPost: f.LeaderPost,
		LeaderName: f.LeaderName, PublishName: f.PublishName == "1", Unit: f.Unit, Commitment: f.Commitment,
		Acceptance: f.Acceptance, Deadline: f.Deadline, OpinionID: f.Opinion, ProblemID: f.Problem}
	t.Normalize()
	return t
}

// Validate returns a message per wrong field; the unit must be one of units.
func (f planTaskForm) Validate(units []storage.Unit) locale.Fields {
	t := f.task()
	errs := t.Problems()
	if t.Unit != "" && !unitListed(units, t.Unit) {
		errs["unit"] = locale.M("submit.choose_unit")
	}
	return errs
}

// savePlanTask handles POST /admin/plans/:id/tasks: a new task, or task seq changed, by the
// 活动办 while the plan is a draft or returned.
func (s *Server) savePlanTask(c echo.Context) error {
	pl, err := s.staffPlan(c)
	if err != nil {
		return err
	}
	v := viewer(c)
	if !plan.RoleMay(plan.Submit, v.Role) {
		return echo.ErrForbidden
	}
	var f planTaskForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ctx, p := c.Request().Context(), s.printer(c)
	page := planPage{Text: planTextForm{Kind: pl.Kind, Title: pl.Title, Body: pl.Body}, Task: f}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	if errs := f.Validate(units); len(errs) > 0 {
		page.TaskErrors = p.Fields(errs)
		return s.renderPlan(c, http.StatusUnprocessableEntity, pl, page)
	}
	u, _ := staffUser(c)
	_, err = s.store.SavePlanTask(ctx, u.ID, v.Role, pl.ID, f.task())
	switch {
	case errors.Is(err, storage.ErrConflict):
		page.Message = p.T("plans.conflict")
		return s.renderPlan(c, http.StatusConflict, pl, page)
	case errors.Is(err, storage.ErrInvalid): // an opinion or problem that is not there
		page.TaskErrors = p.Fields(locale.Fields{"link": locale.M("plans.task_link_unknown")})
		return s.renderPlan(c, http.StatusUnprocessableEntity, pl, page)
	case err != nil:
		return err
	}
	return s.seeOther(c, "/admin/plans/"+strconv.FormatInt(pl.ID, 10)+"#tasks")
}

// removePlanTask handles POST /admin/plans/:id/tasks/:seq/delete.
func (s *Server) removePlanTask(c echo.Context) error {
	pl, err := s.staffPlan(c)
	if err != nil {
		return err
	}
	v := viewer(c)
	if !plan.RoleMay(plan.Submit, v.Role) {
		return echo.ErrForbidden
	}
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil {
		return echo.ErrNotFound
	}
	u, _ := staffUser(c)
	err = s.store.RemovePlanTask(c.Request().Context(), u.ID, v.Role, pl.ID, seq)
	if errors.Is(err, storage.ErrConflict) {
		return s.renderPlan(c, http.StatusConflict, pl, planPage{Message: s.printer(c).T("plans.conflict"),
			Text: planTextForm{Kind: pl.Kind, Title: pl.Title, Body: pl.Body}})
	}
	if err != nil {
		return err
	}
	return s.seeOther(c, "/admin/plans/"+strconv.FormatInt(pl.ID, 10)+"#tasks")
}

// renderPlan fills page from the plan and shows it; the forms already in page are kept.
func (s *Server) renderPlan(c echo.Context, status int, pl storage.Plan, page planPage) error {
	ctx, p, v := c.Request().Context(), s.printer(c), viewer(c)
	view, err := s.viewPlan(ctx, p, pl, true)
	if err != nil {
		return err
	}
	page.Plan, page.Kinds = view, plan.KindTerms
	for _, t := range pl.Tasks {
		page.Linked = page.Linked || t.OpinionID != "" || t.ProblemID != ""
	}
	page.Editable = plan.Editable(pl.Status, v.Role)
	for _, a := range plan.Allowed(pl.Status, v.Role) {
		page.Actions = append(page.Actions, planAction{Code: a, Words: p.T(planDo[a])})
	}
	page.MayComment = plan.OpenForComment(pl.Status, pl.CommentFrom, pl.CommentTo, s.store.Today()) &&
		campaign.CanRead(pl.CommentScope, s.campaignReader(c))
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	comments, err := s.store.PlanComments(ctx, pl.ID, v)
	if err != nil {
		return err
	}
	for _, o := range comments {
		page.Comments = append(page.Comments, o.SeenBy(v))
	}
	page.Hidden = pl.Comments - len(comments)
	history, err := s.store.PlanHistory(ctx, pl.ID)
	if err != nil {
		return err
	}
	for _, h := range history {
		page.History = append(page.History, planHistoryLine{PlanHistoryEntry: h,
			ActionWords: p.T(planDid[h.Action]), ToWords: vocab.LabelIn(p, plan.StatusTerms, h.To)})
	}
	switch {
	case plan.Released(pl.Status) && pl.Scope == campaign.ScopePublic:
		page.PublicPath = "/gongshi/plan/" + strconv.FormatInt(pl.ID, 10)
	case page.MayComment && pl.CommentScope == campaign.ScopePublic:
		page.PublicPath = "/yijian/" + strconv.FormatInt(pl.ID, 10)
	}
	if page.Step.Scope == "" {
		page.Step.Scope = campaign.ScopePublic
	}
	if page.Step.From == "" && page.StepAction == "" {
		page.Step.From = s.store.Today()
	}
	return s.render(c, status, "plan", page)
}

// planAction is a step the viewer may take, with its button's words.
type planAction struct{ Code, Words string }

// planDo are the buttons of the steps; planDid the history's words for them.
var (
	planDo = map[string]string{
		plan.OpenComment: "plans.do.open_comment", plan.CloseComment: "plans.do.close_comment", plan.Submit: "plans.do.submit",
		plan.Approve: "plans.do.approve", plan.Return: "plans.do.return", plan.Publish: "plans.do.publish", plan.Finish: "plans.do.finish",
	}
	planDid = map[string]string{
		"create": "plans.did.create", plan.OpenComment: "plans.did.open_comment", plan.CloseComment: "plans.did.close_comment",
		plan.Submit: "plans.did.submit", plan.Approve: "plans.did.approve", plan.Return: "plans.did.return",
		plan.Publish: "plans.did.publish", plan.Finish: "plans.did.finish",
	}
)
