package export

import (
	"bytes"
	"slices"
	"testing"
)

// TestProblemColumnAndCounts: each opinion's problem (问题) is written after the taxonomy's
// columns as its id and title; sheet "统计" ends with how many
// problems the rows belong to (each once) and how many rows are in one.
func TestProblemColumnAndCounts(t *testing.T) {
	rows := sample()
	rows[0].ProblemID, rows[0].ProblemTitle = "PQ7R2M9XDA", "挂号窗口太少"
	rows[1].ProblemID, rows[1].ProblemTitle = "PQ7R2M9XDA", "挂号窗口太少"
	rows[2].ProblemID, rows[2].ProblemTitle = "ZZ7R2M9XDA", "=收费"
	col := slices.Index(ColumnKeys, "problem.export_column")
	if col != len(ColumnKeys)-6 || ColumnKeys[col+1] != "conversation.export_column" {
		t.Fatalf("the problem's column is at %d of %d, want the one before the conversation's", col, len(ColumnKeys))
	}
	if got := Columns[col]; got != "所属问题" {
		t.Errorf("header %q", got)
	}

	records := csvRecords(t, zh, rows)
	for i, want := range []string{"PQ7R2M9XDA 挂号窗口太少", "PQ7R2M9XDA 挂号窗口太少", "ZZ7R2M9XDA =收费", ""} {
		if got := records[1+i][col]; got != want {
			t.Errorf("CSV row %d problem = %q, want %q", i+1, got, want)
		}
	}

	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := x.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	stats, err := open(t, buf.Bytes()).GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	tail := stats[len(stats)-3:]
	if want := [][]string{{"所属问题"}, {"问题数", "2"}, {"归入问题的意见数", "3"}}; !slices.EqualFunc(tail, want, slices.Equal) {
		t.Errorf("统计 ends %q, want %q", tail, want)
	}
}
