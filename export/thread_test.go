package export

import (
	"slices"
	"testing"

	"minsheng/locale"
	"minsheng/storage"
)

// Ensure the conversation comes after the problem, before the campaign's columns, a message a line in the order given, with its
// day, kind and side. Each cell begins with a day, so words a submitter starts with "=" never
// begin a cell (Neutralise still passes over it).
func TestConversationColumn(t *testing.T) {
	rows := sample()
	rows[0].Thread = []storage.Message{
		{Side: storage.SideStaff, Kind: storage.MessageQuestion, Author: "reviewer1", Body: "是哪一天？", Day: "2025-03-03", Seq: 1},
		{Side: storage.SideSubmitter, Kind: storage.MessageAnswer, Body: "三号", Day: "2025-03-04"},
	}
	rows[1].Thread = []storage.Message{{Side: storage.SideSubmitter, Kind: storage.MessageAddition, Body: "=HYPERLINK(1)", Day: "2025-03-05"}}
	col := slices.Index(ColumnKeys, "conversation.export_column")
	if col != len(ColumnKeys)-5 || ColumnKeys[col+1] != "campaign.export_column" {
		t.Fatalf("the conversation's column is at %d of %d, want the one before the campaign's", col, len(ColumnKeys))
	}
	for _, tc := range []struct {
		name  string
		files Files
		want  []string // the cells of rows 0, 1, 2
	}{
		{"zh-CN", zh, []string{"2025-03-03 提问（办理人员）：是哪一天？\n2025-03-04 回答（留言人）：三号", "2025-03-05 补充（留言人）：=HYPERLINK(1)", ""}},
		{"en", In(locale.Get(locale.En)), []string{"3 Mar 2025 A question (Staff): 是哪一天？\n4 Mar 2025 Answer (Submitter): 三号",
			"5 Mar 2025 Addition (Submitter): =HYPERLINK(1)", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			records := csvRecords(t, tc.files, rows)
			for i, want := range tc.want {
				if got := records[i+1][col]; got != want {
					t.Errorf("row %d: %q, want %q", i, got, want)
				}
			}
		})
	}
}
