package docx

import (
	"fmt"
	"strings"
	"unicode"
)

// Table adds a table with single borders around every cell, spanning the text width with
// columns of equal width. With header set, the first row is bold and shaded and repeats at
// the top of every page the table runs onto. Rows shorter than the longest are padded with
// empty cells; cells holding a figure ("12", "3.5%", "<5", "–") are right-aligned so their
// digits line up. A table with no rows adds nothing.
func (d *Document) Table(rows [][]string, header bool) {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	b := &d.body
	if d.lastTable {
		// Two tables in a row would merge into one in Word: keep an empty paragraph between.
		b.WriteString(`<w:p/>`)
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	colW := textWidthTwips / cols
	for range cols {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, colW)
	}
	b.WriteString(`</w:tblGrid>`)
	for i, r := range rows {
		head := header && i == 0
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if head {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		for c := range cols {
			cell := ""
			if c < len(r) {
				cell = r[c]
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, colW)
			if head {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>`)
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`)
			switch {
			case head:
				b.WriteString(`<w:jc w:val="center"/>`)
			case c > 0 && figure(cell):
				b.WriteString(`<w:jc w:val="right"/>`)
			}
			b.WriteString(`</w:pPr>`)
			if cell != "" {
				writeRun(b, Run{Text: cell, Bold: head})
			}
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	d.lastTable = true
}

// figure reports whether a cell holds a number as the reports write them: digits with
// separators, signs, a percent or per-mille sign, "<5", or a dash for "no figure".
func figure(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	digits := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits = true
		case strings.ContainsRune("+-−.,%‰<>≤≥ –—", r):
		default:
			return false
		}
	}
	return digits || s == "–" || s == "—" || s == "-"
}
