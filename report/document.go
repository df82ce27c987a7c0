package report

import (
	"strings"

	"minsheng/locale"
)

// The parts every writer shows, in order: the title, the lines under it (period, scope, issue),
// the narrative, then the sections. Writers lay them out; they never choose what to show.

// MetaLines are the lines under the title: a campaign report's campaign, the period with its days, the scope, and either
// "draft" or the number, day, issuer, the report it replaces and the SHA-256.
func (r *Report) MetaLines(p *locale.Printer) []string {
	scope := r.Unit.Name
	if r.Unit.Code == "" {
		scope = p.T("report.scope.system")
	} else if scope == "" {
		scope = r.Unit.Code
	}
	lines := []string{
		p.T("report.meta.period", PeriodIn(p, r.Period), p.Day(r.Period.From), p.Day(r.Period.Last())),
		p.T("report.meta.unit", scope),
	}
	if r.Campaign != nil {
		lines = append([]string{p.T("report.meta.campaign", campaignLabel(r, p))}, lines...)
	}
	if line := r.ConsultationLine(p); line != "" {
		lines = append(lines, line)
	}
	if !r.Issued() {
		return append(lines, p.T("report.meta.draft"))
	}
	lines = append(lines, p.T("report.meta.issued", r.Number, p.Day(r.IssuedOn), r.IssuedBy))
	if r.Replaces != "" {
		lines = append(lines, p.T("report.meta.replaces", r.Replaces))
	}
	if r.SHA256 != "" {
		lines = append(lines, p.T("report.meta.sha256", r.SHA256))
	}
	return lines
}

// Paragraphs splits a part's text into its paragraphs (separated by blank lines; single line
// breaks stay inside a paragraph).
func Paragraphs(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if s := strings.TrimSpace(para); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AllRows is the table with its header first, as the .docx and .xlsx write it.
func (t Table) AllRows() [][]string {
	return append([][]string{t.Header}, t.Rows...)
}
