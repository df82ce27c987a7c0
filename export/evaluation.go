package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
)

const (
	evaluationSheet     = "汇总"
	evaluationTextSheet = "意见建议"
)

// WriteEvaluation writes the summary of a democratic evaluation (民主评议表) as a workbook for
// the supervision group: sheet "汇总" with the ratings and the problems per style, sheet
// "意见建议" with the other problems and the suggestions. Under storage.EvaluationMinAnswers
// answers it holds counts only, as the page does. Every text cell is neutralised.
func WriteEvaluation(w io.Writer, sum storage.EvaluationSummary) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", evaluationSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(evaluationTextSheet); err != nil {
		return err
	}
	if err := writeRows(f, evaluationSheet, evaluationSummaryRows(sum)); err != nil {
		return err
	}
	if err := writeRows(f, evaluationTextSheet, evaluationTextRows(sum)); err != nil {
		return err
	}
	for sheet, width := range map[string]float64{evaluationSheet: 36, evaluationTextSheet: 80} {
		if err := f.SetColWidth(sheet, "A", "B", width); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// evaluationSummaryRows are the rows of sheet "汇总".
func evaluationSummaryRows(sum storage.EvaluationSummary) [][]any {
	ev := sum.Evaluation
	share := func(sh storage.Share) any {
		if !sum.Enough() {
			return "<5"
		}
		return fmt.Sprintf("%.1f%%", sh.Percent())
	}
	rows := [][]any{
		{"标题", Neutralise(ev.Title)},
		{"会议", Neutralise(ev.Meeting)},
		{"评议对象", Neutralise(ev.UnitName + "领导班子")},
		{"时间", ev.OpensOn + " 至 " + ev.ClosesOn},
		{"评议码", fmt.Sprintf("已打印 %d 份，已使用 %d 份", ev.Issued, ev.Used)},
		{"收到评议表（份）", sum.Answers},
		{},
		{"总体评价", "份数", "比例"},
	}
	for _, r := range sum.Ratings {
		rows = append(rows, []any{r.Label, r.Count, share(r.Share)})
	}
	rows = append(rows, []any{"好评率（好 + 较好）", sum.Favourable().Count, share(sum.Favourable())}, []any{},
		[]any{"“四风”问题", "份数", "比例"})
	for _, st := range sum.Styles {
		rows = append(rows, []any{st.Style.Label + "（勾选了这方面问题的评议表）", st.Answers.Count, share(st.Answers)})
		for _, p := range st.Problems {
			rows = append(rows, []any{"　" + p.Label, p.Count, share(p.Share)})
		}
	}
	return rows
}

// evaluationTextRows are the rows of sheet "意见建议": what was written, by kind, never by time.
func evaluationTextRows(sum storage.EvaluationSummary) [][]any {
	rows := [][]any{{"类别", "内容"}}
	for _, st := range sum.Styles {
		for _, text := range st.Others {
			rows = append(rows, []any{"其他" + st.Style.Label + "问题", Neutralise(text)})
		}
	}
	for _, text := range sum.Suggestions {
		rows = append(rows, []any{"意见和建议", Neutralise(text)})
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
