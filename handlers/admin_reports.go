package handlers

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/storage"
)

// Summary reports (汇总报告, issue #12): the archive of issued reports, the draft of any period
// with its figures, charts and narrative, saving and issuing (签发), the frozen copy of an
// issued report and its .docx and .xlsx. A draft is counted afresh each time it is opened; an
// issued report is read back from its frozen JSON and never counted again.

// showReports handles GET /admin/reports: the archive, newest first, and the form that opens
// a draft.
func (s *Server) showReports(c echo.Context) error {
	return s.renderReports(c, http.StatusOK, reportForm{Kind: report.Summary, Period: s.lastMonth()}, nil)
}

// showReportDraft handles GET /admin/reports/draft?period=&unit=&kind=[&replaces=]: the draft
// with what staff saved of it. A period the form cannot read brings the archive page back with
// the message beside the field (422).
func (s *Server) showReportDraft(c echo.Context) error {
	r, f, err := s.openReportDraft(c)
	if r == nil || err != nil {
		return err
	}
	page := s.draftPage(c, r, f)
	if page.Consult, err = s.consultationSection(c, r); err != nil {
		return err
	}
	if c.QueryParam("saved") == "1" {
		page.Notice = s.printer(c).T("reportpage.saved")
	}
	return s.render(c, http.StatusOK, "report", page)
}

// saveReportDraft handles POST /admin/reports/draft: keeps the narrative, title and cases
// staff wrote (audited by storage), then back to the draft (303).
func (s *Server) saveReportDraft(c echo.Context) error {
	f, r, errs, err := s.postedDraft(c)
	if err != nil || len(errs) > 0 {
		return s.draftFailed(c, f, r, errs, err)
	}
	u, _ := staffUser(c)
	if err := report.SaveDraft(c.Request().Context(), s.store, u.ID, r); err != nil {
		return err
	}
	if err := s.keepChanges(c, r); err != nil { // what changed after the comments (report_consultation.go)
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/reports/draft?"+draftQuery(f, r).Encode()+"&saved=1")
}

// issueReport handles POST /admin/reports/issue: 签发. The draft is counted once more, given
// what staff wrote, frozen and archived with its number and SHA-256 (storage audits it); then
// on to the frozen copy (303).
func (s *Server) issueReport(c echo.Context) error {
	f, r, errs, err := s.postedDraft(c)
	if err != nil || len(errs) > 0 {
		return s.draftFailed(c, f, r, errs, err)
	}
	if err := s.settleConsultation(c, r); err != nil { // its comment period closes and is counted
		return err
	}
	u, _ := staffUser(c)
	issued, err := report.Issue(c.Request().Context(), s.store, u.ID, r, f.Replaces)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/reports/"+url.PathEscape(issued.Number))
}

// showIssuedReport handles GET /admin/reports/:file: the frozen copy of issued report NUMBER,
// or its files NUMBER.docx and NUMBER.xlsx. Whoever may not read it finds nothing (404).
func (s *Server) showIssuedReport(c echo.Context) error {
	file := c.Param("file")
	number, format := file, ""
	for _, ext := range []string{"docx", "xlsx"} {
		if n, ok := strings.CutSuffix(file, "."+ext); ok {
			number, format = n, ext
		}
	}
	ctx := c.Request().Context()
	r, err := report.Load(ctx, s.store, number)
	if err != nil {
		return err // ErrNotFound: 404; a copy whose bytes changed: 500, never shown as issued
	}
	v := viewer(c)
	if !mayReadReport(v, r.Unit.Code, r.Discipline) {
		return echo.ErrNotFound
	}
	if format != "" {
		return s.sendReport(c, r, format, "report-"+r.Number)
	}
	page := s.documentPage(c, r)
	if page.ReplacedBy, err = s.store.ReportCorrections(ctx, r.Number); err != nil {
		return err
	}
	page.MayCorrect = report.MayIssue(v, r.Kind, r.Unit.Code, r.Discipline)
	page.Correct = template.URL(correctionQuery(r).Encode())
	return s.render(c, http.StatusOK, "report", page)
}

// downloadReportDraft handles GET /admin/reports/draft.docx and draft.xlsx with the draft
// page's query: the draft as it stands (counted now, with what staff saved).
func (s *Server) downloadReportDraft(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, _, err := s.openReportDraft(c)
		if r == nil || err != nil {
			return err
		}
		name := "report-draft-" + strings.ReplaceAll(r.Period.String(), "..", "_")
		if r.Campaign != nil {
			name = "report-draft-campaign-" + strings.ReplaceAll(campaignValue(r.Campaign.ID, r.Campaign.Phase), ".", "-")
		}
		return s.sendReport(c, r, format, name)
	}
}

// sendReport writes r as a .docx or .xlsx download, audited as an export before a byte is
// sent. It is written in full first, so a failure is an error page rather than half a file.
func (s *Server) sendReport(c echo.Context, r *report.Report, format, name string) error {
	p := s.printer(c)
	var buf bytes.Buffer
	var err error
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == "docx" {
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		err = report.WriteDOCX(&buf, r, p)
	} else {
		err = report.WriteXLSX(&buf, r, p)
	}
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	what := "report " + r.Kind + " " + r.Period.String() + " " + r.Unit.Code
	if r.Campaign != nil {
		what += " campaign " + campaignValue(r.Campaign.ID, r.Campaign.Phase)
	}
	if r.Issued() {
		what = "report " + r.Number
	}
	if err := s.store.Record(c.Request().Context(), u.ID, "export", format+" "+what); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}

// bindReportForm reads the form (query or body) and checks which report it names; a liaison
// naming no unit gets their own, and a unit the person may not draft is refused (403).
func (s *Server) bindReportForm(c echo.Context) (reportForm, period.Period, locale.Fields, error) {
	var f reportForm
	if err := c.Bind(&f); err != nil {
		return f, period.Period{}, nil, echo.ErrBadRequest
	}
	f.normalise()
	v := viewer(c)
	if f.Unit == "" && v.Unit != "" && (v.Role == access.Liaison || v.Role == access.UnitHead) {
		f.Unit = v.Unit
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return f, period.Period{}, nil, err
	}
	p, errs := f.which(units)
	if errs["unit"].Key == "" && !mayDraftReport(v, f.Unit) {
		return f, p, nil, echo.ErrForbidden
	}
	if f.Replaces != "" {
		old, err := report.Load(c.Request().Context(), s.store, f.Replaces)
		if errors.Is(err, storage.ErrNotFound) || err == nil && !mayReadReport(v, old.Unit.Code, old.Discipline) {
			errs["replaces"] = locale.M("reportpage.replaces_bad", f.Replaces)
		} else if err != nil {
			return f, p, nil, err
		}
	}
	return f, p, errs, nil
}

// openReportDraft reads the draft's query and drafts it. When the query is refused it has
// already answered (the archive page with the message beside the field, 422) and returns no report.
func (s *Server) openReportDraft(c echo.Context) (*report.Report, reportForm, error) {
	f, p, errs, err := s.bindReportForm(c)
	if err != nil {
		return nil, f, err
	}
	if len(errs) > 0 {
		return nil, f, s.renderReports(c, http.StatusUnprocessableEntity, f, errs)
	}
	r, err := s.draftReport(c, f, p)
	return r, f, err
}

// draftReport counts the draft of f in the reader's scope and language, with what staff saved
// of it; a correction not yet saved starts from the text of the report it corrects.
func (s *Server) draftReport(c echo.Context, f reportForm, p period.Period) (*report.Report, error) {
	ctx := c.Request().Context()
	r, err := s.draftOf(c, f, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.attachConsultation(c, r); err != nil { // its comment period, if it had one
		return nil, err
	}
	saved, err := report.ApplySaved(ctx, s.store, r)
	if err != nil || saved || f.Replaces == "" {
		return r, err
	}
	old, err := report.Load(ctx, s.store, f.Replaces)
	if err != nil {
		return nil, err
	}
	r.Title, r.Narrative, r.Cases = old.Title, old.Narrative, old.Cases
	return r, nil
}

// postedDraft reads a posted draft: which report (refused with 403 when the person may not
// issue it), counted now, with what staff wrote in place of the drafted text.
func (s *Server) postedDraft(c echo.Context) (reportForm, *report.Report, locale.Fields, error) {
	f, p, errs, err := s.bindReportForm(c)
	if err != nil {
		return f, nil, nil, err
	}
	if len(errs) > 0 && (errs["period"].Key != "" || errs["campaign"].Key != "" || errs["kind"].Key != "" || errs["unit"].Key != "") {
		return f, nil, errs, nil // no report to show the rest against: the archive's form
	}
	v := viewer(c)
	r, err := s.draftReport(c, f, p)
	if err != nil {
		return f, nil, nil, err
	}
	if !report.MayIssue(v, r.Kind, r.Unit.Code, r.Discipline) {
		return f, nil, nil, echo.ErrForbidden
	}
	r.Title = f.Title
	r.Narrative = report.Narrative{Basics: f.Basics, Problems: f.Problems, Causes: f.Causes, Measures: f.Measures}
	r.Cases = f.written(c.Request().Context(), s, v, errs)
	postedChanges(c, r, errs)
	return f, r, errs, nil
}

// draftFailed answers a posted draft that cannot be kept: an error as it is; a report that
// could not be named, the archive's form (422); otherwise the draft page with what was typed
// and a message beside each field (422).
func (s *Server) draftFailed(c echo.Context, f reportForm, r *report.Report, errs locale.Fields, err error) error {
	if err != nil {
		return err
	}
	if r == nil {
		return s.renderReports(c, http.StatusUnprocessableEntity, f, errs)
	}
	page := s.draftPage(c, r, f)
	if page.Consult, err = s.consultationSection(c, r); err != nil {
		return err
	}
	page.Errors = s.printer(c).Fields(errs)
	page.Message = s.printer(c).T("reportpage.not_kept")
	page.Cases = padCases(r.Cases, len(f.CaseIDs))
	return s.render(c, http.StatusUnprocessableEntity, "report", page)
}

// lastMonth is the month before today's, the report the office writes most: the form's default.
func (s *Server) lastMonth() string {
	p, err := period.MonthOf(s.store.Today())
	if err != nil {
		return ""
	}
	return p.Previous().String()
}

// draftQuery is the address query of r's draft.
func draftQuery(f reportForm, r *report.Report) url.Values {
	q := url.Values{"period": {r.Period.String()}, "kind": {r.Kind}}
	if r.Campaign != nil {
		q.Del("period")
		q.Set("campaign", campaignValue(r.Campaign.ID, r.Campaign.Phase))
	}
	if r.Unit.Code != "" {
		q.Set("unit", r.Unit.Code)
	}
	if f.Replaces != "" {
		q.Set("replaces", f.Replaces)
	}
	return q
}

// correctionQuery opens the draft of the same report as a correction of r (更正).
func correctionQuery(r *report.Report) url.Values {
	return draftQuery(reportForm{Replaces: r.Number}, r)
}
