package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/plan"
	"minsheng/report"
	"minsheng/storage"
	"minsheng/vocab"
)

// A report's draft open for comment, as its readers see it: the public at /yijian/baogao/:id
// (beside the plans' /yijian/:id), staff of the scope at /admin/reports/consultation/:id. A
// comment IS an opinion and goes through acceptOpinion as a comment on a plan does (the same
// form, the same unit rule, anonymous also on the staff page); its link is written in the
// opinion's own transaction (storage.NewOpinion.Consultation).

// reportCommentPage is the data of templates/pages/report_comment.html. The comment form's
// fields are named as planCommentPage's, so that both pages use the partial "draftcomment".
type reportCommentPage struct {
	C          storage.ReportConsultation
	KindName   string
	Period     string // the report's period in words
	ScopeWords string
	Parts      []narrativePart
	// Open: the draft takes comments now from this reader; Action is the form's address.
	Open        bool
	Action      string
	Staff       bool
	Form        submitForm
	Errors      map[string]string
	Message     string
	CaptchaID   string
	CaptchaNote string
	Submitters  []vocab.Term
	AskPersonal bool
}

// routeConsultation loads the route's consultation; 404 when there is none.
func (s *Server) routeConsultation(c echo.Context) (storage.ReportConsultation, error) {
	id, err := planParam(c)
	if err != nil {
		return storage.ReportConsultation{}, err
	}
	return s.store.ReportConsultation(c.Request().Context(), id)
}

// showReportForComment handles GET /yijian/baogao/:id: a report's draft open for comment to the
// public today; any other is 404, as if there were none.
func (s *Server) showReportForComment(c echo.Context) error {
	cons, err := s.routeConsultation(c)
	if err != nil {
		return err
	}
	if cons.Scope != campaign.ScopePublic || !cons.TakesComments(s.store.Today()) {
		return echo.ErrNotFound
	}
	return s.renderReportComment(c, http.StatusOK, cons, false, submitForm{}, nil, "")
}

// commentOnReport handles POST /yijian/baogao/:id: a comment from the public. Should the period
// have ended while the person wrote, the form comes back with their words and says so (422).
func (s *Server) commentOnReport(c echo.Context) error {
	cons, err := s.routeConsultation(c)
	if err != nil {
		return err
	}
	if cons.Scope != campaign.ScopePublic {
		return echo.ErrNotFound
	}
	return s.acceptReportComment(c, cons, false)
}

// showStaffReportComment handles GET /admin/reports/consultation/:id: the draft as its staff
// readers see it, with the comment form while it takes comments from the viewer. The 活动办
// reads it whatever its state; others only while it is open to a scope they read.
func (s *Server) showStaffReportComment(c echo.Context) error {
	cons, err := s.routeConsultation(c)
	if err != nil {
		return err
	}
	takes := cons.TakesComments(s.store.Today()) && campaign.CanRead(cons.Scope, s.campaignReader(c))
	if !takes && !plan.RoleMay(plan.OpenComment, viewer(c).Role) {
		return echo.ErrNotFound
	}
	return s.renderReportComment(c, http.StatusOK, cons, true, submitForm{}, nil, "")
}

// staffCommentOnReport handles POST /admin/reports/consultation/:id: a staff member's comment,
// through the same pipeline as the public's, and as anonymous (nothing records who wrote it).
func (s *Server) staffCommentOnReport(c echo.Context) error {
	cons, err := s.routeConsultation(c)
	if err != nil {
		return err
	}
	if !campaign.CanRead(cons.Scope, s.campaignReader(c)) {
		return echo.ErrNotFound
	}
	return s.acceptReportComment(c, cons, true)
}

// acceptReportComment binds the comment form and hands it to acceptOpinion as a 建议 (filed as a
// plan's comment is: commentUnit), linked to the consultation; after the period, the words
// come back with the reason (422).
func (s *Server) acceptReportComment(c echo.Context, cons storage.ReportConsultation, staff bool) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	if !cons.TakesComments(s.store.Today()) {
		return s.renderReportComment(c, http.StatusUnprocessableEntity, cons, staff, f, nil, s.printer(c).T("reportcomment.closed"))
	}
	unit, err := s.commentUnit(c.Request().Context(), cons.Scope)
	if err != nil {
		return err
	}
	f.Type, f.Unit, f.Dept, f.Leadership, f.Site, f.Mailbox = commentType, unit, "", "", "", ""
	return s.acceptOpinion(c, f, intake{
		consultation: cons.ID,
		closed:       "reportcomment.closed",
		origin:       func(*submitForm) (origin, locale.Fields, error) { return origin{}, nil, nil },
		form: func(status int, f submitForm, errs map[string]string, msg string) error {
			return s.renderReportComment(c, status, cons, staff, f, errs, msg)
		},
		receipt: func(code string, f submitForm, o origin) error {
			return s.holdReceipt(c, s.heldFor(c, code, f, o))
		},
	})
}

// renderReportComment shows a report's draft as opened for comment and, while it takes
// comments, its comment form (what was typed kept, a fresh captcha).
func (s *Server) renderReportComment(c echo.Context, status int, cons storage.ReportConsultation, staff bool, f submitForm, errs map[string]string, msg string) error {
	p := s.printer(c)
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	page := reportCommentPage{C: cons, KindName: kindName(p, cons.Kind), Period: cons.Period,
		ScopeWords: scopeWords(p, cons.Scope, units), Staff: staff, Errors: errs, Message: msg}
	// A report's key may name more than its days after them (a campaign's report: "…@campaign:3:1").
	if days, _, _ := strings.Cut(cons.Period, "@"); days != "" {
		if pd, err := period.Parse(days); err == nil {
			page.Period = report.PeriodIn(p, pd)
		}
	}
	n := report.Narrative{Basics: cons.Basics, Problems: cons.Problems, Causes: cons.Causes, Measures: cons.Measures}
	for i, part := range n.Parts() {
		page.Parts = append(page.Parts, narrativePart{Field: narrativeFields[i], Key: part.Key, Text: part.Text,
			Paragraphs: report.Paragraphs(part.Text)})
	}
	reader := campaign.Reader{}
	if staff {
		reader = s.campaignReader(c)
	}
	page.Open = cons.TakesComments(s.store.Today()) && campaign.CanRead(cons.Scope, reader)
	if page.Open || status == http.StatusUnprocessableEntity {
		form, err := s.formPage(c, status, f, errs, msg)
		if err != nil {
			return err
		}
		page.Open = true // a refused comment's form comes back, whatever the period
		page.Form, page.CaptchaID, page.CaptchaNote = form.Form, form.CaptchaID, form.CaptchaNote
		page.Submitters, page.AskPersonal = vocab.Submitters, form.AskPersonal
	}
	page.Action = "/yijian/baogao/" + strconv.FormatInt(cons.ID, 10)
	if staff {
		page.Action = "/admin/reports/consultation/" + strconv.FormatInt(cons.ID, 10)
	}
	return s.render(c, status, "report_comment", page)
}

// reportCommentFormBack shows a refused comment's form again (refusals.go), on the public page
// or the staff page it came from.
func (s *Server) reportCommentFormBack(c echo.Context, status int, msg string) error {
	cons, err := s.routeConsultation(c)
	if err != nil {
		return err
	}
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	_, staff := staffUser(c)
	return s.renderReportComment(c, status, cons, staff, f, nil, msg)
}

// openReportDrafts lists the report drafts open for comment to the public today, for the links
// on the home page and /gongshi.
func (s *Server) openReportDrafts(c echo.Context) ([]storage.ReportConsultation, error) {
	return s.store.ReportConsultationsOpen(c.Request().Context(), s.store.Today(), campaign.Reader{})
}
