package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/locale"
	"minsheng/storage"
)

func TestWriteTaskList(t *testing.T) {
	rows := []storage.TaskRow{
		{Task: "=门诊排队", LeadUnit: "县人民医院", Post: "分管副院长", Kind: "immediate", Deadline: "2026-04-20", Status: "rectifying"},
		{Task: "夜间急诊", LeadUnit: "县中医院", Post: "科主任", Name: "李四", Deadline: "2026-05-01", Status: "assigned"},
		{Task: "收费窗口", LeadUnit: "县人民医院", Name: "王五", Kind: "planned", Deadline: "2026-06-01", Status: "closed"},
	}
	tests := []struct {
		name, lang, sheet string
		want              [][]string
	}{
		// The title, like every text, is neutralised: "+活动" would be a formula.
		{"zh-CN", locale.Default, "整改任务表", [][]string{
			{"'+活动"},
			{"序号", "整改任务", "牵头单位", "责任岗位", "整改类别", "完成时限", "进展情况"},
			{"1", "'=门诊排队", "县人民医院", "分管副院长", "立行立改", "2026-04-20", "正在整改"},
			{"2", "夜间急诊", "县中医院", "科主任（李四）", "待确定", "2026-05-01", "已交给负责单位"},
			{"3", "收费窗口", "县人民医院", "王五", "列入计划、逐步解决", "2026-06-01", "已办结"},
		}},
		{"en", locale.En, "Rectification tasks", [][]string{
			{"'+活动"},
			{"No.", "Task", "Lead unit", "Responsible post", "Class", "Deadline", "Progress"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := In(locale.Get(tt.lang)).WriteTaskList(&buf, "+活动", rows); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatalf("sheet %q: %v (sheets %v)", tt.sheet, err, f.GetSheetList())
			}
			if len(got) != len(rows)+2 {
				t.Fatalf("%d rows, want %d", len(got), len(rows)+2)
			}
			for i, want := range tt.want {
				if strings.Join(got[i], "|") != strings.Join(want, "|") {
					t.Errorf("row %d = %q, want %q", i+1, got[i], want)
				}
			}
		})
	}
}
