package export

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/locale"
	"minsheng/storage"
)

// TestSegmentAndTargetColumns: the staff member's segment and the person named (#16) are the
// last two columns of both files, in the file's language, empty for an opinion without them.
func TestSegmentAndTargetColumns(t *testing.T) {
	rows := sample()
	rows[0].Opinion.Submitter, rows[0].Opinion.Segment = "staff", "young_doctor"
	rows[0].Opinion.Target = storage.Target{Kind: "staff", Post: "收费窗口", Badge: "A0123"}
	rows[1].Opinion.Target = storage.Target{Kind: "leadership", Post: "院长"}
	rows[2].Opinion.Channel = "inspection"
	seg, target := slices.Index(ColumnKeys, "form16.segment"), slices.Index(ColumnKeys, "form16.target")
	if seg != len(ColumnKeys)-2 || target != len(ColumnKeys)-1 {
		t.Fatalf("columns at %d and %d of %d, want the last two", seg, target, len(ColumnKeys))
	}
	want := [][3]string{
		{"青年医师", "某位工作人员（岗位：收费窗口、工号：A0123）", ""},
		{"", "领导班子成员（岗位：院长）", ""},
		{"", "", "暗访/督导检查"},
	}
	channel := slices.Index(ColumnKeys, "column.channel")
	t.Run("CSV", func(t *testing.T) {
		records := csvRecords(t, zh, rows)
		if records[0][seg] != "所在群体" || records[0][target] != "反映对象" {
			t.Errorf("header %q %q", records[0][seg], records[0][target])
		}
		for i, w := range want {
			r := records[i+1]
			if r[seg] != w[0] || r[target] != w[1] || (w[2] != "" && r[channel] != w[2]) {
				t.Errorf("row %d: %q %q %q, want %q", i, r[seg], r[target], r[channel], w)
			}
		}
	})
	t.Run("CSV en", func(t *testing.T) {
		records := csvRecords(t, In(locale.Get(locale.En)), rows)
		if got := records[1][seg]; got != "Young doctor (青年医师)" {
			t.Errorf("segment %q", got)
		}
		if got := records[1][target]; got != "A staff member (工作人员) (post: 收费窗口, badge: A0123)" {
			t.Errorf("target %q", got)
		}
	})
	t.Run("XLSX", func(t *testing.T) {
		var buf bytes.Buffer
		x, err := zh.NewXLSX(&buf, "")
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
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := f.GetRows("意见")
		if err != nil {
			t.Fatal(err)
		}
		if row := got[1]; len(row) <= target || row[seg] != want[0][0] || row[target] != want[0][1] {
			t.Errorf("row 1 = %q, want %q and %q at the end", row, want[0][0], want[0][1])
		}
	})
}
