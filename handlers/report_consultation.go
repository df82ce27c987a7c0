package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/plan"
	"minsheng/report"
	"minsheng/storage"
	"minsheng/vocab"
)

// A summary report's draft opened for comment (feature 63): the 活动办 opens the draft's text as
// it stands (title and narrative, a snapshot) to a scope for a period, as a plan's draft is
// opened (the same form, planStepForm, and the same checks, plan.Opening); comments come in
// through the opinion pipeline (report_comment.go) and are listed on the draft's page; issuing
// the report closes the period and the issued report says how many comments came and what
// changed (report.Consultation).

// maxConsultationChanges is the most characters of "what changed": the draft's form, which
// carries it, stays under the body limit with every part full (admin_reports_form.go).
const maxConsultationChanges = 300

// consultationView is the 征求意见 section of a draft's page.
type consultationView struct {
	storage.ReportConsultation        // ID 0: never opened for comment
	MayOpen                    bool   // the viewer is the 活动办: opens and closes
	TakesNow                   bool   // comments are taken today
	ScopeWords                 string // to whom it is open
	Link                       string // where its readers read and comment on it
	Comments                   []storage.Opinion
	Hidden                     int          // comments the viewer may not open: counted, never shown
	Step                       planStepForm // the opening form as typed when refused
	Errors                     map[string]string
	Units                      []storage.Unit
}

// consultationPath is where readers of consultation c read and comment on it: the public page
// for a public one, else the staff page (the staff cookie stays under /admin).
func consultationPath(c storage.ReportConsultation) string {
	if c.Scope == campaign.ScopePublic {
		return "/yijian/baogao/" + strconv.FormatInt(c.ID, 10)
	}
	return "/admin/reports/consultation/" + strconv.FormatInt(c.ID, 10)
}

// attachConsultation gives draft r what its consultation says so far (none if its draft was
// never opened for comment): its period, its count and what the office wrote changed.
func (s *Server) attachConsultation(c echo.Context, r *report.Report) (storage.ReportConsultation, error) {
	cons, err := s.store.ReportConsultationFor(c.Request().Context(), report.KeyOf(r))
	if errors.Is(err, storage.ErrNotFound) {
		return cons, nil
	}
	if err != nil {
		return cons, err
	}
	r.Consultation = &report.Consultation{From: cons.From, To: cons.To, Comments: cons.Comments, Changes: cons.Changes}
	return cons, nil
}

// consultationSection is the 征求意见 section of draft r's page for the viewer.
func (s *Server) consultationSection(c echo.Context, r *report.Report) (*consultationView, error) {
	v := viewer(c)
	mayOpen := plan.RoleMay(plan.OpenComment, v.Role) && !r.Discipline
	ctx := c.Request().Context()
	cons, err := s.store.ReportConsultationFor(ctx, report.KeyOf(r))
	if errors.Is(err, storage.ErrNotFound) {
		err = nil // never opened for comment
	}
	if err != nil || (cons.ID == 0 && !mayOpen) {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	view := &consultationView{ReportConsultation: cons, MayOpen: mayOpen, Units: units,
		Step: planStepForm{Scope: campaign.ScopePublic, From: s.store.Today()}}
	if cons.ID == 0 {
		return view, nil
	}
	view.TakesNow = cons.TakesComments(s.store.Today())
	view.ScopeWords = scopeWords(s.printer(c), cons.Scope, units)
	view.Link = consultationPath(cons)
	if view.Comments, err = s.store.ReportConsultationComments(ctx, cons.ID, v); err != nil {
		return nil, err
	}
	view.Hidden = cons.Comments - len(view.Comments)
	return view, nil
}

// changesForm is the "what changed" field of the draft's form (it sits in the consultation's
// section, form="draft-form").
type changesForm struct {
	Changes string `form:"changes"`
}

// postedChanges puts what the office wrote changed into posted draft r, with a message in errs
// when it is too long.
func postedChanges(c echo.Context, r *report.Report, errs locale.Fields) {
	var f changesForm
	if r.Consultation == nil || c.Bind(&f) != nil {
		return
	}
	r.Consultation.Changes = strings.TrimSpace(strings.ReplaceAll(f.Changes, "\r\n", "\n"))
	if utf8.RuneCountInString(r.Consultation.Changes) > maxConsultationChanges {
		errs["changes"] = locale.M("plan.too_long", maxConsultationChanges)
	}
}

// keepChanges stores what the office wrote changed with draft r's consultation, if it has one.
func (s *Server) keepChanges(c echo.Context, r *report.Report) error {
	if r.Consultation == nil {
		return nil
	}
	cons, err := s.store.ReportConsultationFor(c.Request().Context(), report.KeyOf(r))
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	return s.store.SaveConsultationChanges(c.Request().Context(), u.ID, cons.ID, r.Consultation.Changes)
}

// settleConsultation, just before r is issued: its comment period closes (no comment arrives
// after the count), what the office wrote changed is kept, and r takes the final count.
func (s *Server) settleConsultation(c echo.Context, r *report.Report) error {
	if r.Consultation == nil {
		return nil
	}
	ctx := c.Request().Context()
	cons, err := s.store.ReportConsultationFor(ctx, report.KeyOf(r))
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	if cons.Open {
		if err := s.store.CloseReportConsultation(ctx, u.ID, cons.ID); err != nil {
			return err
		}
	}
	if err := s.store.SaveConsultationChanges(ctx, u.ID, cons.ID, r.Consultation.Changes); err != nil {
		return err
	}
	if cons, err = s.store.ReportConsultation(ctx, cons.ID); err != nil {
		return err
	}
	r.Consultation = &report.Consultation{From: cons.From, To: cons.To, Comments: cons.Comments, Changes: cons.Changes}
	return nil
}

// openReportComment handles POST /admin/reports/consultation (a button of the draft's form): the
// 活动办 keeps the draft as typed, as Save does, and opens its text for comment to a scope for a
// period (planStepForm's fields, checked as a plan's opening); refused, the draft's page comes
// back with everything as typed (422); done, back to the draft (303).
func (s *Server) openReportComment(c echo.Context) error {
	if !plan.RoleMay(plan.OpenComment, viewer(c).Role) {
		return echo.ErrForbidden
	}
	f, r, errs, err := s.postedDraft(c)
	if err != nil || r == nil {
		return s.draftFailed(c, f, r, errs, err)
	}
	if r.Discipline {
		return echo.ErrForbidden
	}
	var st planStepForm
	if err := c.Bind(&st); err != nil {
		return echo.ErrBadRequest
	}
	st.Action = plan.OpenComment
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	if opening := st.Validate(s.store.Today(), units); len(errs) > 0 || len(opening) > 0 {
		p := s.printer(c)
		page := s.draftPage(c, r, f)
		if page.Consult, err = s.consultationSection(c, r); err != nil {
			return err
		}
		page.Consult.Step, page.Consult.Errors = st, p.Fields(opening)
		page.Errors, page.Message = p.Fields(errs), p.T("reportcomment.not_opened")
		page.Cases = padCases(r.Cases, len(f.CaseIDs))
		return s.render(c, http.StatusUnprocessableEntity, "report", page)
	}
	u, _ := staffUser(c)
	if err := report.SaveDraft(ctx, s.store, u.ID, r); err != nil {
		return err
	}
	n := r.Narrative
	if _, err := s.store.OpenReportConsultation(ctx, u.ID, report.KeyOf(r), storage.ConsultationText{Title: r.Title,
		Basics: n.Basics, Problems: n.Problems, Causes: n.Causes, Measures: n.Measures}, st.step().Opening); err != nil {
		return err
	}
	if err := s.keepChanges(c, r); err != nil { // opened again: what changed so far is kept too
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/reports/draft?"+draftQuery(f, r).Encode()+"#consultation")
}

// closeReportComment handles POST /admin/reports/consultation/:id/close (a button of the draft's
// form): the 活动办 keeps the draft as typed and ends the comment period today, then back to the
// draft (303). A consultation of another report than the form's is 404.
func (s *Server) closeReportComment(c echo.Context) error {
	id, err := planParam(c)
	if err != nil {
		return err
	}
	if !plan.RoleMay(plan.CloseComment, viewer(c).Role) {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	cons, err := s.store.ReportConsultation(ctx, id)
	if err != nil {
		return err
	}
	f, r, errs, err := s.postedDraft(c)
	if err != nil || len(errs) > 0 {
		return s.draftFailed(c, f, r, errs, err)
	}
	if report.KeyOf(r) != cons.ReportKey {
		return echo.ErrNotFound
	}
	u, _ := staffUser(c)
	if err := report.SaveDraft(ctx, s.store, u.ID, r); err != nil {
		return err
	}
	if err := s.keepChanges(c, r); err != nil {
		return err
	}
	if err := s.store.CloseReportConsultation(ctx, u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/reports/draft?"+draftQuery(f, r).Encode()+"#consultation")
}

// reportCommentAuditTerms word the consultations' actions in the audit log
// (storage/report_consultation.go).
var reportCommentAuditTerms = []vocab.Term{
	auditTerm("report_open_comment", "reportcomment.audit_open"),
	auditTerm("report_close_comment", "reportcomment.audit_close"),
	auditTerm("report_comment_changes", "reportcomment.audit_changes"),
}
