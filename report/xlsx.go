package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"minsheng/export"
	"minsheng/locale"
)

// writeXLSX writes the data behind the report: a first sheet with the title, the lines under
// it and the narrative, then one sheet per table, the charts' numbers included. Counts are
// written as numbers, so that the office can sum and chart them again.
func writeXLSX(w io.Writer, r *Report, p *locale.Printer) error {
	f := excelize.NewFile()
	defer f.Close()
	first := export.SheetName(p.T("report.sheet.report"))
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	info := [][]string{{p.T("report.col.field"), p.T("report.col.value")}, {p.T("report.field.title"), r.Title}}
	for _, line := range r.MetaLines(p) {
		info = append(info, []string{"", line})
	}
	for _, part := range r.Narrative.Parts() {
		info = append(info, []string{p.T(part.Key), part.Text})
	}
	if err := writeRows(f, first, info, head); err != nil {
		return err
	}
	if err := f.SetColWidth(first, "A", "A", 24); err != nil {
		return err
	}
	if err := f.SetColWidth(first, "B", "B", 100); err != nil {
		return err
	}
	if err := f.SetCellStyle(first, "B2", fmt.Sprintf("B%d", len(info)), wrap); err != nil {
		return err
	}
	used := map[string]bool{strings.ToLower(first): true}
	for _, s := range r.Sections(p) {
		var tables []Table
		for _, c := range s.Charts {
			tables = append(tables, c.Table)
		}
		for _, t := range append(tables, s.Tables...) {
			name := uniqueSheet(used, t.Title)
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
			rows := t.AllRows()
			if t.Note != "" {
				rows = append(rows, []string{}, []string{t.Note})
			}
			if err := writeRows(f, name, rows, head); err != nil {
				return err
			}
			if err := f.SetColWidth(name, "A", "A", 28); err != nil {
				return err
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// writeRows writes rows from A1, the first as a header; cells that are whole counts (1,234 or
// +12) become numbers.
func writeRows(f *excelize.File, sheet string, rows [][]string, head int) error {
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, s := range row {
			vals[j] = s
			if n, ok := count(s); ok && i > 0 {
				vals[j] = n
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, ref, &vals); err != nil {
			return err
		}
	}
	if len(rows) > 0 && len(rows[0]) > 0 {
		last, err := excelize.CoordinatesToCellName(len(rows[0]), 1)
		if err != nil {
			return err
		}
		return f.SetCellStyle(sheet, "A1", last, head)
	}
	return nil
}

// count reads a cell written by locale.Printer.Number (or signed): digits and commas only.
func count(s string) (int, bool) {
	t := strings.ReplaceAll(s, ",", "")
	if t == "" || strings.HasPrefix(t, "+") || strings.HasPrefix(t, "-") {
		return 0, false
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// uniqueSheet is title as a sheet name not yet used: Excel refuses names over 31 characters,
// the characters : \ / ? * [ ], and two sheets of one name (case-insensitively).
func uniqueSheet(used map[string]bool, title string) string {
	base := export.SheetName(title)
	name := base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		r := []rune(base)
		if len(r)+len([]rune(suffix)) > 31 {
			r = r[:31-len([]rune(suffix))]
		}
		name = string(r) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}
