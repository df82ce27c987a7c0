// Package report builds the summary reports the office sends upward (issue #12): a Report holds
// a period's figures beside those of the period before and of the same period a year earlier
// (stats.Comparison), a narrative in the seeds' four parts drafted from those figures and edited
// by staff, and the typical cases staff chose. Issuing freezes it: its canonical JSON and that
// JSON's SHA-256 are archived by storage, and an issued report is read back from those bytes,
// never counted again, so that re-tagging an opinion later changes nothing in it.
//
// Every writer (the HTML page of the handlers, WriteDOCX, WriteXLSX, the report command) renders
// the same Sections: a writer never counts and never chooses what to show.
package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// Kinds of report: the monthly (quarterly, half-year, yearly, campaign) summary, and the named
// templates of the seeds.
const (
	Summary    = "summary"    // 月度/季度/半年/年度 工作情况汇总
	Opinions   = "opinions"   // 征求意见情况报告: intake and what was done with it
	Frugality  = "frugality"  // 八项规定 extract: 享乐主义 and 奢靡之风 and their tags only
	Evaluation = "evaluation" // 群众评议报告: satisfaction first
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []string{Summary, Opinions, Frugality, Evaluation}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Unit is the unit a report is about; Code "" is the whole system.
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Narrative is the text of a report in the seeds' four parts. Draft writes it from the figures;
// staff edit every part before issuing. Plain text; paragraphs are separated by blank lines.
type Narrative struct {
	Basics   string `json:"basics"`   // 基本情况
	Problems string `json:"problems"` // 存在的主要问题
	Causes   string `json:"causes"`   // 原因分析
	Measures string `json:"measures"` // 改进措施
}

// Parts lists the narrative's parts as (catalog key of the heading, text), in order.
func (n Narrative) Parts() []Part {
	return []Part{
		{Key: "report.part.basics", Text: n.Basics},
		{Key: "report.part.problems", Text: n.Problems},
		{Key: "report.part.causes", Text: n.Causes},
		{Key: "report.part.measures", Text: n.Measures},
	}
}

// Part is one part of the narrative: Key names its heading in the catalog (area report).
type Part struct {
	Key  string
	Text string
}

// Case is a typical case staff chose for the report: the opinion's ID and a summary staff wrote.
// It never holds the submitter's own words unless staff copied them into Summary themselves.
type Case struct {
	OpinionID string `json:"opinion_id"`
	Summary   string `json:"summary"`
}

// Report is one summary report, a draft or issued. Its JSON (Canonical) is what issuing
// freezes: every field but SHA256, in declaration order.
type Report struct {
	Kind   string        `json:"kind"`
	Period period.Period `json:"period"`
	Unit   Unit          `json:"unit"`
	// Campaign is the campaign (and phase) of a campaign report, nil for a period's report;
	// omitted when nil, so that a period report's frozen JSON is as it always was.
	Campaign *CampaignRef `json:"campaign,omitempty"`
	// Discipline marks 纪检's version: the only one whose figures hold 举报 (Figures.Current.Reports).
	Discipline bool   `json:"discipline,omitempty"`
	Title      string `json:"title"`
	// Figures are the counts, with the previous period and the same period last year.
	Figures   *stats.Comparison `json:"figures"`
	Narrative Narrative         `json:"narrative"`
	Cases     []Case            `json:"cases"`
	// UnitNames and TagNames are the names of the units and tags the figures name by code, as
	// they were when drafted (in the drafting language): an issued report keeps them even if a
	// unit is renamed later.
	UnitNames map[string]string `json:"unit_names"`
	TagNames  map[string]string `json:"tag_names"`
	// Lang is the language it was drafted in; issuing writes its sections in that language.
	Lang string `json:"lang"`
	// Frozen are the sections as issued (headings, tables, chart data), written when the report
	// is issued, so that an issued report reads the same even after the catalog's words change;
	// nil for a draft, whose sections are written afresh at every view.
	Frozen []Section `json:"sections,omitempty"`

	// Set when issued (签发).
	Number   string `json:"number,omitempty"`    // e.g. 2026-007: sequential per year of issue
	IssuedOn string `json:"issued_on,omitempty"` // YYYY-MM-DD, the day only
	IssuedBy string `json:"issued_by,omitempty"` // username
	Replaces string `json:"replaces,omitempty"`  // number of the issued report this one corrects
	// Consultation: the draft's comment period, its count of comments and what changed after
	// them (consultation.go); nil, and absent from the JSON, if it was never opened for comment.
	Consultation *Consultation `json:"consultation,omitempty"`

	// SHA256 is the hex SHA-256 of the frozen canonical JSON; not part of that JSON.
	SHA256 string `json:"-"`
}

// Issued reports whether r has been issued (it then never changes).
func (r *Report) Issued() bool { return r.Number != "" }

// Canonical is the JSON issuing freezes: encoding/json writes struct fields in declaration order
// and map keys sorted, so the same report always gives the same bytes.
func (r *Report) Canonical() ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("report: canonical json: %w", err)
	}
	return b, nil
}

// Sum is the hex SHA-256 of b, the frozen JSON.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ErrTampered is returned when an archived report's bytes do not match their stored SHA-256.
var ErrTampered = errors.New("report: archived report does not match its SHA-256")

// Draft builds the draft report of q: the figures through stats.Compare, a title, and the
// narrative drafted from the figures in p's language by the catalog's templates (area report).
// It has no cases yet: staff choose them. A query whose Viewer is 纪检 drafts the discipline
// version: the office's figures (everything but 举报) with the 举报 figures added.
func Draft(ctx context.Context, st *storage.Store, q stats.Query, kind string, p *locale.Printer) (*Report, error) {
	return draft(ctx, st, q, kind, p)
}

// Issue freezes r (a draft with staff's narrative and cases) as issued by userID: storage gives
// the next number of the year and the day, r records them, and its canonical JSON and SHA-256 are
// archived in the same transaction. replaces names the issued report it corrects, or "".
func Issue(ctx context.Context, st *storage.Store, userID int64, r *Report, replaces string) (*Report, error) {
	return issue(ctx, st, userID, r, replaces)
}

// Load reads issued report number from the archive: the stored JSON, unmarshalled after its
// SHA-256 is checked (ErrTampered otherwise). Nothing is counted again.
func Load(ctx context.Context, st *storage.Store, number string) (*Report, error) {
	return load(ctx, st, number)
}

// SaveDraft keeps staff's edits of a draft (the narrative and the chosen cases) under its kind,
// period, unit and version, audited as userID, so that staff can come back to it.
func SaveDraft(ctx context.Context, st *storage.Store, userID int64, r *Report) error {
	return saveDraft(ctx, st, userID, r)
}

// ApplySaved replaces r's drafted narrative and cases by those staff saved for the same kind,
// period, unit and version, if any; saved reports whether there were.
func ApplySaved(ctx context.Context, st *storage.Store, r *Report) (saved bool, err error) {
	return applySaved(ctx, st, r)
}

// MayIssue is who may issue (签发) which report:
//   - admin and reviewer (活动办): any report but 纪检's version, for the system or any unit;
//   - liaison: only the report of their own unit (for that unit's 活动办), never 纪检's version;
//   - discipline (纪检): only its own version, the one with 举报;
//   - supervisor (督导组): the 群众评议报告 (Evaluation), which it compiles, for any scope;
//   - leader: none (leaders read reports).
//
// Handlers check it before Issue; storage does not know roles.
func MayIssue(v access.Viewer, kind, unit string, discipline bool) bool {
	if discipline {
		return v.Role == access.Discipline
	}
	if v.Branch != "" { // a branch administrator (#15): the reports of the branch's units only
		return unit != "" && v.InBranch(unit)
	}
	switch v.Role {
	case access.Admin, access.Reviewer:
		return true
	case access.Liaison, access.UnitHead: // the unit's own report; a unit head signs it as 第一责任人
		return v.Unit != "" && unit == v.Unit
	case access.Supervisor:
		return kind == Evaluation
	}
	return false
}

// Table is one table of a report, every cell already written as text in the reader's language:
// the HTML page, the .docx and the .xlsx show exactly these.
type Table struct {
	Key    string // stable name (also the .xlsx sheet's), e.g. "intake-channel"
	Title  string
	Header []string
	Rows   [][]string
	Note   string // e.g. what the reader's scope leaves out, or the small-count rule
}

// Chart is one chart of a report: the data and its numbers table. The SVG and PNG drawings are
// made by package chart from Labels and Series.
type Chart struct {
	Key    string // "trend", "styles", "units", "rectification"
	Title  string
	Kind   string // ChartLine, ChartBars or ChartProgress
	Labels []string
	Series []Series
	Table  Table // the same numbers, for screen readers and print
}

// Kinds of chart.
const (
	ChartLine     = "line"
	ChartBars     = "bars"
	ChartProgress = "progress"
)

// Series is one row of values of a chart (e.g. this period and the same period last year).
type Series struct {
	Name   string
	Values []int
}

// Section is one heading of the report, in order: its tables and charts.
type Section struct {
	Key    string // e.g. "intake", "styles", "units", "problems", "rectification", "satisfaction", "reports", "cases"
	Title  string
	Text   string // a sentence under the heading, "" for none
	Tables []Table
	Charts []Chart
}

// Sections lists what the report shows, in order, in p's language. The narrative is not among
// them (Narrative.Parts); the figures, the charts and the cases are. Which sections appear
// depends on the kind and the version (举报 only in 纪检's).
// An issued report gives its frozen sections, whatever p.
func (r *Report) Sections(p *locale.Printer) []Section {
	if r.Frozen != nil {
		return r.Frozen
	}
	return sections(r, p)
}

// WriteDOCX writes r as a .docx that Word and WPS open: the title, the narrative's four parts,
// every section's tables, and its charts as PNG images each followed by its numbers table.
func WriteDOCX(w io.Writer, r *Report, p *locale.Printer) error { return writeDOCX(w, r, p) }

// WriteXLSX writes the data behind r: one sheet per table (charts' numbers tables included).
func WriteXLSX(w io.Writer, r *Report, p *locale.Printer) error { return writeXLSX(w, r, p) }

// WriteHTML writes r as one self-contained HTML page (the report command's -format html): the
// same sections as the staff page, with the charts inline as SVG and no script.
func WriteHTML(w io.Writer, r *Report, p *locale.Printer) error { return writeHTML(w, r, p) }
