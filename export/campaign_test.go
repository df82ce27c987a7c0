package export

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/locale"
	"minsheng/storage"
)

// Ensure the campaign an opinion arrived in and the answers to its questions are the last two
// columns of both files, an answer a line after its question, a formula-like answer neutralised.
func TestCampaignColumns(t *testing.T) {
	rows := sample()
	rows[0].CampaignName = "2026年春季征求意见活动"
	rows[0].Answers = []storage.CampaignAnswer{{No: 1, Question: "门诊？", Answer: "多开窗口"}, {No: 2, Question: "住院？", Answer: "太吵"}}
	rows[1].CampaignName = "=活动"
	rows[1].Answers = []storage.CampaignAnswer{{No: 1, Question: "=问", Answer: "答"}}
	name, answers := slices.Index(ColumnKeys, "campaign.export_column"), slices.Index(ColumnKeys, "campaign.export_answers_column")
	if name != len(ColumnKeys)-4 || answers != len(ColumnKeys)-3 {
		t.Fatalf("campaign columns at %d and %d of %d, want the two before the segment and target (#16)", name, answers, len(ColumnKeys))
	}
	want := [][2]string{
		{"2026年春季征求意见活动", "门诊？：多开窗口\n住院？：太吵"},
		{Neutralise("=活动"), Neutralise("=问：答")},
		{"", ""},
	}
	t.Run("CSV zh-CN", func(t *testing.T) {
		records := csvRecords(t, zh, rows)
		if records[0][name] != "所属活动" || records[0][answers] != "活动问题的回答" {
			t.Errorf("headers %q, %q", records[0][name], records[0][answers])
		}
		for i, w := range want {
			if got := [2]string{records[i+1][name], records[i+1][answers]}; got != w {
				t.Errorf("row %d: %q, want %q", i, got, w)
			}
		}
	})
	t.Run("CSV en", func(t *testing.T) {
		records := csvRecords(t, In(locale.Get(locale.En)), rows)
		if records[0][name] != "Campaign" || records[1][answers] != "门诊？: 多开窗口\n住院？: 太吵" {
			t.Errorf("header %q, answers %q", records[0][name], records[1][answers])
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
		for i, w := range want {
			if row := got[i+1]; len(row) > answers && [2]string{row[name], row[answers]} != w {
				t.Errorf("row %d: %q %q, want %q", i, row[name], row[answers], w)
			} else if len(row) <= answers && w != [2]string{} {
				t.Errorf("row %d has %d cells, want the campaign's", i, len(row))
			}
		}
	})
}
