package export

import (
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// ledgerColumns are the catalog keys of the header of every ledger sheet: 编号, 提出日期,
// 问题（摘要）, 问题单位, 牵头单位, 责任人, 整改措施, 整改方式, 整改时限, 状态, 销号日期, and then,
// at the end so that the older columns keep their places, the problem's 四风 and its tags
// (具体表现, 问题类别).
var ledgerColumns = []string{"column.id", "export.ledger_raised_on", "export.ledger_problem", "export.ledger_unit",
	"column.lead_unit", "column.responsible", "column.measures", "column.kind", "column.deadline", "column.status",
	"column.closed_date", "column.sifeng", "column.manifestations", "column.families"}

// ledgerExcerpt is how much of an opinion a ledger row quotes: a ledger lists problems, the
// full text is on the item page.
const ledgerExcerpt = 80

// WriteLedgers writes the three rectification ledgers (整改台账) as one workbook, a sheet per
// ledger in lifecycle.Ledgers order, named as the ledger in the files' language, rows as given
// (soonest deadline first). Ledgers hold only assigned work, so they are small enough to build
// in memory.
func (files Files) WriteLedgers(w io.Writer, rows []storage.LedgerRow) error {
	f := excelize.NewFile()
	defer f.Close()
	header := make([]any, len(ledgerColumns))
	for j, key := range ledgerColumns {
		header[j] = files.p.T(key)
	}
	for i, l := range lifecycle.Ledgers {
		sheet := SheetName(l.In(files.p))
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
			return err
		}
		n := 1
		for _, r := range rows {
			if r.Rect.Ledger != l.Code {
				continue
			}
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n)
			vals := files.ledgerCells(r)
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(sheet, "C", "C", 40); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, "G", "G", 40); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, "L", "N", 20); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func (files Files) ledgerCells(r storage.LedgerRow) []any {
	excerpt := r.Content
	if utf8.RuneCountInString(excerpt) > ledgerExcerpt {
		excerpt = string([]rune(excerpt)[:ledgerExcerpt]) + "…"
	}
	p := files.p
	cells := []string{r.ID, files.day(r.CreatedOn), excerpt, r.UnitName, r.Rect.LeadUnitName, r.Rect.Responsible,
		r.Rect.Measures, files.termLabel(lifecycle.Kinds, r.Rect.Kind), files.day(r.Rect.Deadline),
		lifecycle.LabelIn(p, r.Status), files.day(r.Rect.ClosedOn), files.styleLabels(r.Styles),
		files.tagLabels(r.Tags, storage.TagManifestation), files.tagLabels(r.Tags, storage.TagFamily)}
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = Neutralise(c)
	}
	return out
}
