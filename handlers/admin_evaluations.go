package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/export"
	"minsheng/locale"
	"minsheng/storage"
)

// requireAnyAction lets a request through when the staff member's role may do at least one of
// actions.
func requireAnyAction(actions ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			v := viewer(c)
			for _, a := range actions {
				if v.Can(a) {
					return next(c)
				}
			}
			return echo.ErrForbidden
		}
	}
}

// evaluationBuildForm is the administrator's "new evaluation" form.
type evaluationBuildForm struct {
	Title    string `form:"title"`
	Meeting  string `form:"meeting"`
	Unit     string `form:"unit"`
	OpensOn  string `form:"opens_on"`
	ClosesOn string `form:"closes_on"`
	Campaign string `form:"campaign"` // the campaign's id, "" for none
}

func (f *evaluationBuildForm) normalise() {
	f.Title, f.Meeting, f.Unit = strings.TrimSpace(f.Title), strings.TrimSpace(f.Meeting), strings.TrimSpace(f.Unit)
	f.OpensOn, f.ClosesOn = strings.TrimSpace(f.OpensOn), strings.TrimSpace(f.ClosesOn)
}

// Validate returns a message per wrong field; units are those that may be evaluated.
func (f evaluationBuildForm) Validate(units []storage.Unit) locale.Fields {
	errs := locale.Fields{}
	if f.Title == "" {
		errs["title"] = locale.M("evaluation.need_title")
	} else if m := textProblem(f.Title, 1, storage.MaxEvaluationTitle); m.Key != "" {
		errs["title"] = locale.M("evaluation.title_problem", m)
	}
	if m := textProblem(f.Meeting, 0, storage.MaxEvaluationMeeting); m.Key != "" {
		errs["meeting"] = locale.M("evaluation.meeting_problem", m)
	}
	if !unitListed(units, f.Unit) {
		errs["unit"] = locale.M("evaluation.unit_not_listed")
	}
	opens, oerr := time.Parse("2006-01-02", f.OpensOn)
	closes, cerr := time.Parse("2006-01-02", f.ClosesOn)
	if oerr != nil {
		errs["opens_on"] = locale.M("evaluation.need_start")
	}
	if cerr != nil {
		errs["closes_on"] = locale.M("evaluation.need_end")
	} else if oerr == nil && closes.Before(opens) {
		errs["closes_on"] = locale.M("evaluation.end_before_start")
	}
	return errs
}

// evaluationRow is one evaluation in the list.
type evaluationRow struct {
	storage.Evaluation
	Status string
	Ended  bool
}

// evaluationsPage is the data of templates/pages/evaluations.html.
type evaluationsPage struct {
	Evaluations []evaluationRow
	CanBuild    bool // administrators: create, print codes, close
	CanSee      bool // the supervision group: open the summaries
	Units       []storage.Unit
	Form        evaluationBuildForm
	Campaigns   []campaignChoice // the choices of the campaign select
	Errors      map[string]string
	Message     string
	MaxCodes    int
	Address     printedAddress // printed on the slips: administrators are warned when it will not do
}

// showEvaluations handles GET /admin/evaluations: the evaluations with their code counts; for
// an administrator the forms to create one, print codes and close; for the supervision group
// the links to the summaries.
func (s *Server) showEvaluations(c echo.Context) error {
	today := s.store.Today()
	_, running, err := s.campaignChoices(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderEvaluations(c, http.StatusOK, evaluationsPage{Form: evaluationBuildForm{OpensOn: today, ClosesOn: today,
		Campaign: running}})
}

// createEvaluation handles POST /admin/evaluations (administrators): 422 with the form as
// typed, or 303 back to the list.
func (s *Server) createEvaluation(c echo.Context) error {
	var f evaluationBuildForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	v := viewer(c)
	if f.Unit != "" && !v.OwnsInBranch(f.Unit) {
		return errOutsideBranch // a unit of another branch
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	errs := f.Validate(unitsInBranch(v, units))
	campaignID, err := s.chosenCampaign(c.Request().Context(), f.Campaign, errs)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p := s.printer(c)
		return s.renderEvaluations(c, http.StatusUnprocessableEntity, evaluationsPage{Form: f, Errors: p.Fields(errs),
			Message: p.T("evaluation.fix_marked")})
	}
	u, _ := staffUser(c)
	_, err = s.store.CreateEvaluation(c.Request().Context(), u.ID, storage.NewEvaluation{Title: f.Title, Meeting: f.Meeting,
		UnitCode: f.Unit, OpensOn: f.OpensOn, ClosesOn: f.ClosesOn, CampaignID: campaignID, Branch: v.Branch})
	if errors.Is(err, storage.ErrInvalid) { // the unit was retired meanwhile
		return s.renderEvaluations(c, http.StatusUnprocessableEntity, evaluationsPage{Form: f,
			Errors: map[string]string{"unit": s.printer(c).T("evaluation.unit_retired")}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/evaluations")
}

// evaluationSlipsPage is the data of templates/pages/evaluation_slips.html.
type evaluationSlipsPage struct {
	Evaluation storage.Evaluation
	Codes      []string
	Address    string
}

// issueEvaluationCodes handles POST /admin/evaluations/{id}/codes (administrators): prints N
// fresh one-time codes as cut-out slips, in this response and never again (only their hashes
// are kept). The page is not cached (securityHeaders sets no-store).
func (s *Server) issueEvaluationCodes(c echo.Context) error {
	ev, err := s.evaluationByParam(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("count")))
	if err != nil || n < 1 || n > storage.MaxEvaluationCodes {
		return s.renderEvaluations(c, http.StatusUnprocessableEntity, evaluationsPage{
			Message: p.T("evaluation.codes_count_range", storage.MaxEvaluationCodes)})
	}
	// Codes are shown once: none are issued for slips that would send people to an address
	// they cannot open.
	if a := s.printedAddressFor(c, ""); a.Problem != "" {
		return s.renderEvaluations(c, http.StatusConflict, evaluationsPage{
			Message: p.T("evaluation.codes_unprintable", a.Base, a.Problem)})
	}
	u, _ := staffUser(c)
	codes, err := s.store.IssueCodes(c.Request().Context(), u.ID, ev.ID, n, s.receipts)
	if errors.Is(err, storage.ErrEvaluationClosed) {
		return s.renderEvaluations(c, http.StatusUnprocessableEntity, evaluationsPage{
			Message: p.T("evaluation.closed_no_codes", ev.Title)})
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "evaluation_slips", evaluationSlipsPage{Evaluation: ev, Codes: codes,
		Address: s.publicBase(c) + "/pingyi"})
}

// closeEvaluation handles POST /admin/evaluations/{id}/close (administrators): no more answers
// from now on, whatever the closing date; 303 back to the list.
func (s *Server) closeEvaluation(c echo.Context) error {
	ev, err := s.evaluationByParam(c)
	if err != nil {
		return err
	}
	// Closing cannot be undone and the pages run no script to ask "are you sure?": the form
	// carries a box to tick instead.
	if c.FormValue("confirm") != "1" {
		return s.renderEvaluations(c, http.StatusUnprocessableEntity, evaluationsPage{
			Message: s.printer(c).T("evaluation.confirm_close", ev.Title)})
	}
	u, _ := staffUser(c)
	if err := s.store.CloseEvaluation(c.Request().Context(), u.ID, ev.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/evaluations")
}

// showEvaluationSummary handles GET /admin/evaluations/{id} (the supervision group only): the
// overall ratings, the problems ticked under each style, and the suggestions.
func (s *Server) showEvaluationSummary(c echo.Context) error {
	ev, err := s.evaluationByParam(c)
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	sum, err := s.store.OpenEvaluationSummary(c.Request().Context(), u.ID, ev.ID) // audited
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "evaluation_summary", sum.SeenBy(viewer(c)))
}

// exportEvaluation handles GET /admin/evaluations/{id}/export (the supervision group only): the
// summary as XLSX, recorded in the audit log.
func (s *Server) exportEvaluation(c echo.Context) error {
	ev, err := s.evaluationByParam(c)
	if err != nil {
		return err
	}
	sum, err := s.store.EvaluationSummary(c.Request().Context(), ev.ID)
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	if err := s.store.Record(c.Request().Context(), u.ID, "export", "evaluation "+strconv.FormatInt(ev.ID, 10)); err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	res.Header().Set("Content-Disposition", `attachment; filename="minsheng-pingyi-`+strconv.FormatInt(ev.ID, 10)+"-"+s.store.Today()+`.xlsx"`)
	return export.In(s.printer(c)).WriteEvaluation(res, sum.SeenBy(viewer(c)))
}

// evaluationByParam loads the evaluation named by the path; a malformed id is a plain 404.
func (s *Server) evaluationByParam(c echo.Context) (storage.Evaluation, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return storage.Evaluation{}, echo.ErrNotFound
	}
	ev, err := s.store.Evaluation(c.Request().Context(), id)
	if err == nil && !ownsSurvey(viewer(c), ev.Branch) {
		return ev, errOutsideBranch // the whole portal's or another branch's, to a branch administrator
	}
	return ev, err
}

// renderEvaluations lists the evaluations around what page already holds.
func (s *Server) renderEvaluations(c echo.Context, status int, page evaluationsPage) error {
	ctx := c.Request().Context()
	evs, err := s.store.Evaluations(ctx)
	if err != nil {
		return err
	}
	today, p, v := s.store.Today(), s.printer(c), viewer(c)
	for _, ev := range evs {
		if !ownsSurvey(v, ev.Branch) {
			continue // the whole portal's, or another branch's
		}
		row := evaluationRow{Evaluation: ev, Status: p.T("evaluation.status_open"), Ended: ev.Ended(today)}
		switch {
		case ev.Closed:
			row.Status = p.T("evaluation.status_closed_early")
		case today < ev.OpensOn:
			row.Status = p.T("evaluation.status_not_started")
		case today > ev.ClosesOn:
			row.Status = p.T("evaluation.status_ended")
		}
		page.Evaluations = append(page.Evaluations, row)
	}
	page.CanBuild, page.CanSee, page.MaxCodes = v.Can(access.AdministerBranch), v.Can(access.SeeEvaluations), storage.MaxEvaluationCodes
	page.Address = s.printedAddressFor(c, p.T("evaluation.slips_unprintable"))
	if page.Campaigns, _, err = s.campaignChoices(ctx); err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	page.Units = unitsInBranch(v, page.Units)
	return s.render(c, status, "evaluations", page)
}
