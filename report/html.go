package report

import (
	"fmt"
	"html/template"
	"io"

	"minsheng"
	"minsheng/locale"
)

// standalone is the page of the report command's -format html (templates/report/standalone.html).
var standalone = template.Must(template.ParseFS(minsheng.TemplatesFS, "templates/report/standalone.html"))

// The page's view: every word already written in the reader's language.
type htmlPage struct {
	Lang, Dir, Title, Appendix string
	Meta                       []string
	Parts                      []htmlPart
	Sections                   []htmlSection
}

type htmlPart struct {
	Heading    string
	Paragraphs []string
}

type htmlSection struct {
	Title, Text string
	Charts      []htmlChart
	Tables      []htmlTable
}

type htmlChart struct {
	SVG   template.HTML
	Table htmlTable
}

type htmlTable struct {
	Table
	Empty string // said in a table with no rows
}

func writeHTML(w io.Writer, r *Report, p *locale.Printer) error {
	page := htmlPage{Lang: p.Lang(), Dir: p.Dir(), Title: r.Title, Appendix: p.T("report.appendix"), Meta: r.MetaLines(p)}
	for _, part := range r.Narrative.Parts() {
		page.Parts = append(page.Parts, htmlPart{Heading: p.T(part.Key), Paragraphs: Paragraphs(part.Text)})
	}
	if c := r.Consultation; c != nil && c.Changes != "" {
		page.Parts = append(page.Parts, htmlPart{Heading: p.T("reportcomment.changes_heading"), Paragraphs: Paragraphs(c.Changes)})
	}
	empty := p.T("report.empty_table")
	for _, s := range r.Sections(p) {
		hs := htmlSection{Title: s.Title, Text: s.Text}
		for _, c := range s.Charts {
			svg, err := c.Draw().HTML()
			if err != nil {
				return fmt.Errorf("report: chart %s: %w", c.Key, err)
			}
			hs.Charts = append(hs.Charts, htmlChart{SVG: svg, Table: htmlTable{c.Table, empty}})
		}
		for _, t := range s.Tables {
			hs.Tables = append(hs.Tables, htmlTable{t, empty})
		}
		page.Sections = append(page.Sections, hs)
	}
	return standalone.Execute(w, page)
}
