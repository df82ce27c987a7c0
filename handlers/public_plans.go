package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/plan"
	"minsheng/storage"
	"minsheng/vocab"
)

// Drafts open for comment (feature 63) and published plans, on public pages and, for drafts
// open to staff only, on a staff page. A comment IS an opinion: it goes through acceptOpinion,
// the pipeline of /submit (captcha, personal-data warning, receipt code shown only after the
// commit, no device data, the day alone), with the plan's link written in the opinion's own
// transaction (storage.NewOpinion.PlanID). Comments typed on the staff page stay anonymous as
// well: nothing records who wrote them (no user id on the opinion, no audit row).

// commentType is the type every comment on a draft takes: a 建议.
const commentType = "suggestion"

// planCommentPage is the data of templates/pages/plan_public.html: a plan's text and tasks,
// and, while it takes comments, the comment form.
type planCommentPage struct {
	Plan planView
	// Open: the draft takes comments now from this reader; Action is the form's address.
	Open   bool
	Action string
	Staff  bool // the staff page's version (the form under /admin)
	// The comment form, as the opinion form has it.
	Form        submitForm
	Errors      map[string]string
	Message     string
	CaptchaID   string
	CaptchaNote string
	Submitters  []vocab.Term
	AskPersonal bool
}

// planParam reads the route's plan id; 404 when it is not a number.
func planParam(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// publicCommentPlan loads the plan of the route open for comment to the public today; any
// other plan is 404 here, as if there were none.
func (s *Server) publicCommentPlan(c echo.Context) (storage.Plan, error) {
	id, err := planParam(c)
	if err != nil {
		return storage.Plan{}, err
	}
	pl, err := s.store.Plan(c.Request().Context(), id)
	if err != nil {
		return storage.Plan{}, err
	}
	if !plan.OpenForComment(pl.Status, pl.CommentFrom, pl.CommentTo, s.store.Today()) || pl.CommentScope != campaign.ScopePublic {
		return storage.Plan{}, echo.ErrNotFound
	}
	return pl, nil
}

// showPlanForComment handles GET /yijian/:id: a draft open for comment to the public.
func (s *Server) showPlanForComment(c echo.Context) error {
	pl, err := s.publicCommentPlan(c)
	if err != nil {
		return err
	}
	return s.renderPlanComment(c, http.StatusOK, pl, false, submitForm{}, nil, "")
}

// commentOnPlan handles POST /yijian/:id: a comment from the public, through the opinion
// pipeline. Should the period have ended while the person wrote, the form comes back with
// their words and says so (422).
func (s *Server) commentOnPlan(c echo.Context) error {
	return s.receiveComment(c, false, func(pl storage.Plan) bool { return pl.CommentScope == campaign.ScopePublic })
}

// receiveComment loads the route's plan and, if reads(pl), takes a comment on it (staff: from
// a staff page); one sent after the period comes back with the person's words (422).
func (s *Server) receiveComment(c echo.Context, staff bool, reads func(storage.Plan) bool) error {
	id, err := planParam(c)
	if err != nil {
		return err
	}
	pl, err := s.store.Plan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !reads(pl) {
		return echo.ErrNotFound
	}
	if !plan.OpenForComment(pl.Status, pl.CommentFrom, pl.CommentTo, s.store.Today()) {
		return s.commentClosed(c, pl, staff) // the period ended while they wrote: their words back
	}
	return s.acceptComment(c, pl, staff)
}

// commentClosed gives a comment sent after the period back with the person's words (422).
func (s *Server) commentClosed(c echo.Context, pl storage.Plan, staff bool) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	return s.renderPlanComment(c, http.StatusUnprocessableEntity, pl, staff, f, nil, s.printer(c).T("plans.comment_closed"))
}

// acceptComment binds the comment form and hands it to acceptOpinion as a 建议 about the unit
// the draft concerns (commentUnit), linked to the plan.
func (s *Server) acceptComment(c echo.Context, pl storage.Plan, staff bool) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	unit, err := s.commentUnit(c.Request().Context(), pl.CommentScope)
	if err != nil {
		return err
	}
	f.Type, f.Unit, f.Dept, f.Leadership, f.Site, f.Mailbox = commentType, unit, "", "", "", ""
	return s.acceptOpinion(c, f, intake{
		plan:   pl.ID,
		origin: func(*submitForm) (origin, locale.Fields, error) { return origin{}, nil, nil },
		form: func(status int, f submitForm, errs map[string]string, msg string) error {
			return s.renderPlanComment(c, status, pl, staff, f, errs, msg)
		},
		receipt: func(code string, f submitForm, o origin) error {
			return s.holdReceipt(c, s.heldFor(c, code, f, o))
		},
	})
}

// commentUnit is the unit a comment on a draft (a plan or a report) open to scope is filed under:
// the unit of a unit scope, else the top of the unit tree (the bureau itself), whose reviewers
// read it.
func (s *Server) commentUnit(ctx context.Context, scope string) (string, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return "", err
	}
	want := campaign.ScopeUnitCode(scope)
	for _, u := range units {
		if (want != "" && u.Code == want) || (want == "" && u.ParentCode == "") {
			return u.Code, nil
		}
	}
	if len(units) == 0 {
		return "", storage.ErrNotFound
	}
	return units[0].Code, nil
}

// renderPlanComment shows a draft and its comment form (what was typed kept, a fresh captcha).
func (s *Server) renderPlanComment(c echo.Context, status int, pl storage.Plan, staff bool, f submitForm, errs map[string]string, msg string) error {
	p := s.printer(c)
	view, err := s.viewPlan(c.Request().Context(), p, pl, staff)
	if err != nil {
		return err
	}
	form, err := s.formPage(c, status, f, errs, msg)
	if err != nil {
		return err
	}
	page := planCommentPage{Plan: view, Open: true, Staff: staff, Form: form.Form, Errors: errs, Message: msg,
		CaptchaID: form.CaptchaID, CaptchaNote: form.CaptchaNote, Submitters: vocab.Submitters, AskPersonal: form.AskPersonal}
	page.Action = "/yijian/" + strconv.FormatInt(pl.ID, 10) // through link, in the reader's language
	if staff {
		page.Action = "/admin/plans/" + strconv.FormatInt(pl.ID, 10) + "/comment"
	}
	return s.render(c, status, "plan_public", page)
}

// showPublishedPlan handles GET /gongshi/plan/:id: a plan published to the public (已公示 or
// 已完成), with how many comments its draft received and what changed; others are 404.
func (s *Server) showPublishedPlan(c echo.Context) error {
	id, err := planParam(c)
	if err != nil {
		return err
	}
	pl, err := s.store.Plan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !plan.Released(pl.Status) || !campaign.CanRead(pl.Scope, campaign.Reader{}) {
		return echo.ErrNotFound
	}
	view, err := s.viewPlan(c.Request().Context(), s.printer(c), pl, false)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "plan_public", planCommentPage{Plan: view})
}

// planCommentFormBack shows a refused comment's form again (refusals.go), on the public page
// or the staff page it came from.
func (s *Server) planCommentFormBack(c echo.Context, status int, msg string) error {
	id, err := planParam(c)
	if err != nil {
		return err
	}
	pl, err := s.store.Plan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	_, staff := staffUser(c)
	return s.renderPlanComment(c, status, pl, staff, f, nil, msg)
}

// openPlans lists the drafts open for comment to the public today, for the links on the home
// page and /gongshi.
func (s *Server) openPlans(c echo.Context) ([]storage.PlanListed, error) {
	return s.store.PlansOpenForComment(c.Request().Context(), s.store.Today(), campaign.Reader{})
}
