package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// taskListColumns are the catalog keys of the header of the 整改任务书和时间表 sheet, with
// their widths: 序号, 整改任务, 牵头单位, 责任岗位, 整改类别, 完成时限, 进展情况.
var taskListColumns = []struct {
	key   string
	width float64
}{{"notice.col_no", 6}, {"notice.col_task", 40}, {"notice.col_lead_unit", 20}, {"notice.col_responsible", 20},
	{"notice.col_kind", 12}, {"notice.col_deadline", 12}, {"notice.col_progress", 16}}

// WriteTaskList writes the 整改任务书和时间表 as a workbook: the title on the first row, the
// header on the second, one row per task (rows as given). The responsible column names the
// post, and the person only where storage filled Name (staff chose to publish it); the
// progress is in the notice board's words. Every text cell is neutralised.
func (files Files) WriteTaskList(w io.Writer, title string, rows []storage.TaskRow) error {
	f := excelize.NewFile()
	defer f.Close()
	p := files.p
	sheet := SheetName(p.T("notice.tasklist_sheet"))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, "A1", Neutralise(title)); err != nil {
		return err
	}
	header := make([]any, len(taskListColumns))
	for j, col := range taskListColumns {
		header[j] = p.T(col.key)
		name, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sheet, "A2", &header); err != nil {
		return err
	}
	for i, r := range rows {
		responsible := r.Post
		switch {
		case r.Post != "" && r.Name != "":
			responsible = p.T("notice.post_and_name", r.Post, r.Name)
		case r.Post == "":
			responsible = r.Name
		}
		kind := p.T("notice.kind_pending")
		if r.Kind != "" {
			kind = files.termLabel(lifecycle.Kinds, r.Kind)
		}
		vals := []any{i + 1}
		for _, s := range []string{r.Task, r.LeadUnit, responsible, kind, files.day(r.Deadline), lifecycle.BoardIn(p, r.Status)} {
			vals = append(vals, Neutralise(s))
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	return f.Write(w)
}
