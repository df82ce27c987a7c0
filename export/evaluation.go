package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
)

// WriteEvaluation writes the summary of a democratic evaluation (民主评议表) as a workbook for
// the supervision group: sheet "汇总" with the ratings and the problems per style, sheet
// "意见建议" with the other problems and the suggestions, both named and written in the files'
// language. Under storage.EvaluationMinAnswers answers it holds counts only, as the page does.
// Every text cell is neutralised.
func (files Files) WriteEvaluation(w io.Writer, sum storage.EvaluationSummary) error {
	f := excelize.NewFile()
	defer f.Close()
	summarySheet := SheetName(files.p.T("export.evaluation_sheet_summary"))
	textSheet := SheetName(files.p.T("export.evaluation_sheet_text"))
	if err := f.SetSheetName("Sheet1", summarySheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(textSheet); err != nil {
		return err
	}
	if err := writeRows(f, summarySheet, files.evaluationSummaryRows(sum)); err != nil {
		return err
	}
	if err := writeRows(f, textSheet, files.evaluationTextRows(sum)); err != nil {
		return err
	}
	for sheet, width := range map[string]float64{summarySheet: 36, textSheet: 80} {
		if err := f.SetColWidth(sheet, "A", "B", width); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// evaluationSummaryRows are the rows of sheet "汇总".
func (files Files) evaluationSummaryRows(sum storage.EvaluationSummary) [][]any {
	ev, p := sum.Evaluation, files.p
	share := func(sh storage.Share) any {
		if !sum.Enough() {
			return "<5"
		}
		return fmt.Sprintf("%.1f%%", sh.Percent())
	}
	rows := [][]any{
		{p.T("export.evaluation_title"), Neutralise(ev.Title)},
		{p.T("export.evaluation_meeting"), Neutralise(ev.Meeting)},
		{p.T("export.evaluation_unit"), Neutralise(p.T("export.evaluation_leadership", ev.UnitName))},
		{p.T("export.evaluation_period"), p.T("export.evaluation_from_to", files.day(ev.OpensOn), files.day(ev.ClosesOn))},
		{p.T("export.evaluation_codes"), p.T("export.evaluation_codes_used", ev.Issued, ev.Used)},
		{p.T("export.evaluation_answers"), sum.Answers},
		{},
		{p.T("export.evaluation_overall"), p.T("export.evaluation_count"), p.T("export.evaluation_share")},
	}
	for _, r := range sum.Ratings {
		rows = append(rows, []any{r.In(p), r.Count, share(r.Share)})
	}
	rows = append(rows, []any{p.T("export.evaluation_favourable"), sum.Favourable().Count, share(sum.Favourable())}, []any{},
		[]any{p.T("export.evaluation_sifeng"), p.T("export.evaluation_count"), p.T("export.evaluation_share")})
	for _, st := range sum.Styles {
		rows = append(rows, []any{p.T("export.evaluation_style_ticked", st.Style.In(p)), st.Answers.Count, share(st.Answers)})
		for _, pc := range st.Problems {
			// Indented under its style by an ideographic space, as the paper form lists them.
			rows = append(rows, []any{"\u3000" + pc.In(p), pc.Count, share(pc.Share)})
		}
	}
	return rows
}

// evaluationTextRows are the rows of sheet "意见建议": what was written, by kind, never by time.
func (files Files) evaluationTextRows(sum storage.EvaluationSummary) [][]any {
	p := files.p
	rows := [][]any{{p.T("export.evaluation_kind"), p.T("column.content")}}
	for _, st := range sum.Styles {
		for _, text := range st.Others {
			rows = append(rows, []any{p.T("export.evaluation_other_problems", st.Style.In(p)), Neutralise(text)})
		}
	}
	for _, text := range sum.Suggestions {
		rows = append(rows, []any{p.T("export.evaluation_suggestions"), Neutralise(text)})
	}
	return rows
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return nil
}
