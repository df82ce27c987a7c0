package report

import (
	"bytes"
	"fmt"
	"io"

	"minsheng/docx"
	"minsheng/locale"
)

// pngWidth is the width in pixels of the charts' images in the .docx: sharp when printed on
// the 15.6 cm of an A4 page's text width.
const pngWidth = 1600

func writeDOCX(w io.Writer, r *Report, p *locale.Printer) error {
	d := docx.New()
	d.Title = r.Title
	d.Heading(0, r.Title)
	for _, line := range r.MetaLines(p) {
		d.Para(docx.Para{Runs: []docx.Run{{Text: line}}, Align: docx.Center, NoIndent: true})
	}
	for _, part := range r.Narrative.Parts() {
		d.Heading(1, p.T(part.Key))
		for _, para := range Paragraphs(part.Text) {
			d.Paragraph(para)
		}
	}
	if c := r.Consultation; c != nil && c.Changes != "" {
		d.Heading(1, p.T("reportcomment.changes_heading"))
		for _, para := range Paragraphs(c.Changes) {
			d.Paragraph(para)
		}
	}
	d.PageBreak()
	d.Heading(1, p.T("report.appendix"))
	for _, s := range r.Sections(p) {
		d.Heading(2, s.Title)
		if s.Text != "" {
			d.Paragraph(s.Text)
		}
		for _, c := range s.Charts {
			var img bytes.Buffer
			if err := c.Draw().PNG(&img, pngWidth); err != nil {
				return fmt.Errorf("report: chart %s: %w", c.Key, err)
			}
			d.Caption(c.Title)
			if err := d.ImageWithAlt(img.Bytes(), 0, c.Title); err != nil {
				return fmt.Errorf("report: chart %s: %w", c.Key, err)
			}
			d.Table(c.Table.AllRows(), true) // the image has no text: its numbers follow it
		}
		for _, t := range s.Tables {
			d.Caption(t.Title)
			if len(t.Rows) == 0 {
				d.Para(docx.Para{Runs: []docx.Run{{Text: p.T("report.empty_table")}}, Align: docx.Center, NoIndent: true})
				continue
			}
			d.Table(t.AllRows(), true)
			if t.Note != "" {
				d.Para(docx.Para{Runs: []docx.Run{{Text: t.Note}}, NoIndent: true})
			}
		}
	}
	_, err := d.WriteTo(w)
	return err
}
