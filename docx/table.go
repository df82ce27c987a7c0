package docx

import (
	"fmt"
	"strings"
	"unicode"
)

// Table adds a table with single borders around every cell, spanning the text width, each
// column as wide as its longest cell asks (in proportion, a column of figures never narrower
// than four characters). With header set, the first row is bold and shaded and repeats at
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
	widths := columnWidths(rows, cols)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
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
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, widths[c])
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

// columnWidths shares the text width among the columns in proportion to their longest cell
// (a Chinese character counting two Latin ones): each column asks for at least four Chinese
// characters' room and at most twenty, so one long cell cannot starve the others.
func columnWidths(rows [][]string, cols int) []int {
	want := make([]float64, cols)
	for _, r := range rows {
		for c, cell := range r {
			n := 0.0
			for _, ch := range cell {
				if ch > 0x2E80 {
					n += 2
				} else {
					n++
				}
			}
			want[c] = max(want[c], n)
		}
	}
	sum := 0.0
	for c := range want {
		want[c] = max(want[c], 8)
		if cols > 1 {
			want[c] = min(want[c], 40)
		}
		sum += want[c]
	}
	ws := make([]int, cols)
	left := textWidthTwips
	for c := range want {
		ws[c] = int(float64(textWidthTwips) * want[c] / sum)
		left -= ws[c]
	}
	ws[0] += left // the rounding's remainder
	return ws
}
