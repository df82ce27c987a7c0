package handlers

import (
	"html/template"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/storage"
)

// reportsPage is the data of templates/pages/reports.html: the archive and the form that opens
// a draft, with the form's input and its problems when it could not be read.
type reportsPage struct {
	Form   reportForm
	Errors map[string]string
	Units  []storage.Unit // the units the person may choose
	System bool           // the whole system may be chosen (all but a liaison)
	Kinds  []kindChoice
	// Campaigns are the campaigns and their phases the form offers in place of a period.
	Campaigns []reportCampaign
	MayDraft  bool // leaders read the archive only
	Reports   []archiveRow
	// Consulting are the report drafts open for comment today to a scope the viewer reads
	// (report_comment.go): staff- and unit-scoped ones are read only here, under /admin.
	Consulting []storage.ReportConsultation
}

// kindChoice is a kind of report as the form offers it.
type kindChoice struct{ Code, Name string }

// archiveRow is one issued report as the archive lists it.
type archiveRow struct {
	storage.IssuedReport
	KindName, UnitName string
	PeriodName         string   // the period in words (2026年12月), or as spelled if it cannot be read
	Short              string   // the SHA-256's first 12 hex digits, as staff quote it
	ReplacedBy         []string // the numbers of the reports that correct this one
}

// reportKindKeys name each kind of report in the catalog.
var reportKindKeys = map[string]string{
	report.Summary:    "report.kind.summary",
	report.Opinions:   "report.kind.opinions",
	report.Frugality:  "report.kind.frugality",
	report.Evaluation: "report.kind.evaluation",
}

// kindName says kind in p's language.
func kindName(p *locale.Printer, kind string) string {
	if key, ok := reportKindKeys[kind]; ok {
		return p.T(key)
	}
	return kind
}

// renderReports renders the archive with the draft form as f left it, and errs beside it.
func (s *Server) renderReports(c echo.Context, status int, f reportForm, errs locale.Fields) error {
	ctx := c.Request().Context()
	p, v := s.printer(c), viewer(c)
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	rows, err := s.store.IssuedReports(ctx, storage.IssuedReportFilter{AllUnits: true, Discipline: v.Role == access.Discipline})
	if err != nil {
		return err
	}
	names := map[string]string{"": p.T("report.scope.system")}
	for _, u := range units {
		names[u.Code] = u.Name
	}
	page := reportsPage{Form: f, Errors: p.Fields(errs), Units: reportUnits(v, units), System: v.Role != access.Liaison && v.Role != access.UnitHead && v.Branch == "",
		MayDraft: v.Role != access.Leader}
	if page.Campaigns, err = s.reportCampaigns(c, p); err != nil {
		return err
	}
	for _, k := range report.Kinds {
		page.Kinds = append(page.Kinds, kindChoice{k, kindName(p, k)})
	}
	correctedBy := map[string][]string{}
	for _, r := range rows {
		if r.Replaces != "" {
			correctedBy[r.Replaces] = append(correctedBy[r.Replaces], r.Number)
		}
	}
	for _, r := range rows {
		if !mayReadReport(v, r.Unit, r.Discipline) {
			continue
		}
		row := archiveRow{IssuedReport: r, KindName: kindName(p, r.Kind), UnitName: names[r.Unit], PeriodName: r.Period,
			Short: r.SHA256[:12], ReplacedBy: correctedBy[r.Number]}
		spelled, _, _ := strings.Cut(r.Period, "@") // a campaign report's key names its campaign after @
		if pd, err := period.Parse(spelled); err == nil {
			row.PeriodName = report.PeriodIn(p, pd)
		}
		page.Reports = append(page.Reports, row)
	}
	if page.Consulting, err = s.store.ReportConsultationsOpen(ctx, s.store.Today(), s.campaignReader(c)); err != nil {
		return err
	}
	return s.render(c, status, "reports", page)
}

// reportPage is the data of templates/pages/report.html: a draft with its form, or an issued
// report's frozen copy. Everything shown of the report comes from R: its sections are written
// from its figures, which for an issued report are the frozen ones.
type reportPage struct {
	R        *report.Report
	Draft    bool
	KindName string
	UnitName string
	Period   string // the period in words, with its first and last days
	Sections []sectionView
	Parts    []narrativePart

	// A draft's form.
	Form     reportForm
	Query    template.URL // the draft's address query, for its downloads (encoded by url.Values)
	Cases    []report.Case
	MayIssue bool
	Errors   map[string]string
	Message  string
	Notice   string

	// An issued report.
	Short      string   // the SHA-256's first 12 hex digits
	ReplacedBy []string // the reports that correct it
	MayCorrect bool
	Correct    template.URL // the address query of its correction's draft (encoded by url.Values)

	// Consult is a draft's 征求意见 section (report_consultation.go), nil when it has none.
	Consult     *consultationView
	ConsultLine string // when its draft was open for comment and how many comments came, or ""
}

// narrativePart is one of the four parts: its form field, the catalog key of its heading, its
// text, and that text's paragraphs as the document shows them.
type narrativePart struct {
	Field, Key, Text string
	Paragraphs       []string
}

// narrativeFields are the form fields of Narrative.Parts, in its order.
var narrativeFields = []string{"basics", "problems", "causes", "measures"}

// sectionView is a section with its charts drawn.
type sectionView struct {
	report.Section
	Drawn []chartView
}

// chartView is a chart drawn as inline SVG, with the report's numbers table for it.
type chartView struct {
	report.Chart
	SVG template.HTML
}

// documentPage is what a draft and an issued report both show.
func (s *Server) documentPage(c echo.Context, r *report.Report) reportPage {
	p := s.printer(c)
	page := reportPage{R: r, KindName: kindName(p, r.Kind), UnitName: r.Unit.Name,
		Period: p.T("reportpage.period_span", report.PeriodIn(p, r.Period), p.Day(r.Period.From), p.Day(r.Period.Last()))}
	if r.Unit.Code == "" {
		page.UnitName = p.T("report.scope.system")
	}
	for i, part := range r.Narrative.Parts() {
		page.Parts = append(page.Parts, narrativePart{Field: narrativeFields[i], Key: part.Key, Text: part.Text,
			Paragraphs: report.Paragraphs(part.Text)})
	}
	for _, sec := range r.Sections(p) {
		v := sectionView{Section: sec}
		for _, ch := range sec.Charts {
			v.Drawn = append(v.Drawn, chartView{Chart: ch, SVG: s.chartSVG(ch)})
		}
		page.Sections = append(page.Sections, v)
	}
	page.ConsultLine = r.ConsultationLine(p)
	if r.Issued() && len(r.SHA256) >= 12 {
		page.Short = r.SHA256[:12]
	}
	return page
}

// draftPage is a draft's page with its form as f names it.
func (s *Server) draftPage(c echo.Context, r *report.Report, f reportForm) reportPage {
	page := s.documentPage(c, r)
	page.Draft = true
	page.Form = f
	page.Query = template.URL(draftQuery(f, r).Encode())
	page.Cases = padCases(r.Cases, 0)
	page.MayIssue = report.MayIssue(viewer(c), r.Kind, r.Unit.Code, r.Discipline)
	return page
}

// caseRow is one row of the draft's typical cases, numbered from 1, with its problem.
type caseRow struct {
	N                  int
	ID, Summary, Error string
}

// CaseRows are the draft's case rows as the form shows them.
func (p reportPage) CaseRows() []caseRow {
	rows := make([]caseRow, len(p.Cases))
	for i, c := range p.Cases {
		rows[i] = caseRow{N: i + 1, ID: c.OpinionID, Summary: c.Summary, Error: p.Errors[caseField(i)]}
	}
	return rows
}

// padCases is cases with empty rows after them for more, at least rows long, at most the limit.
func padCases(cases []report.Case, rows int) []report.Case {
	out := append([]report.Case{}, cases...)
	want := max(len(cases)+blankCaseRows, rows)
	for len(out) < min(want, maxReportCases) {
		out = append(out, report.Case{})
	}
	return out
}
