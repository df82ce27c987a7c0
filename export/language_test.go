package export

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/locale"
	"minsheng/storage"
)

// open reads a written workbook back.
func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// TestFilesInTheReadersLanguage writes every file for an English and a Traditional Chinese
// reader: sheet names, headers, labels, the counts and dates in their language, while the
// columns keep their keys and their order and the people's own words stay as written.
func TestFilesInTheReadersLanguage(t *testing.T) {
	tests := []struct {
		lang                               string
		sheets, ledgerSheets, evalSheets   []string
		header0, date, typeLabel, styles   string
		countsNote, untagged, ledgerHeader string
		periodRow, codesRow                []string
	}{
		{lang: locale.En,
			sheets: []string{"Opinions", "Counts"}, ledgerSheets: []string{"Specific problems (具体问题整改)",
				"Targeted campaigns (专项整治)", "Rules and systems (制度建设)"},
			evalSheets: []string{"Summary", "Comments and suggestions"},
			header0:    "No.", date: "2 Mar 2025", typeLabel: "Complaint",
			styles:       "Bureaucratism (官僚主义), Hedonism (享乐主义)",
			countsNote:   "Note: these counts cover the opinions on the “Opinions” sheet, that is, the opinions you may see under the filters you chose. Leaves out reports.",
			untagged:     "Not tagged",
			ledgerHeader: "Raised on",
			periodRow:    []string{"Period", "15 Apr 2026 to 20 Apr 2026"},
			codesRow:     []string{"Evaluation codes (评议码)", "10 printed, 8 used"}},
		{lang: locale.ZhHant,
			sheets: []string{"意見", "統計"}, ledgerSheets: []string{"具體問題整改", "專項整治", "制度建設"},
			evalSheets: []string{"匯總", "意見建議"},
			header0:    "編號", date: "2025-03-02", typeLabel: "投訴", styles: "官僚主義、享樂主義",
			countsNote:   "說明：本表統計的是“意見”頁中的各條意見，即按所選條件您可以查看的意見。Leaves out reports.",
			untagged:     "未標註",
			ledgerHeader: "提出日期",
			periodRow:    []string{"時間", "2026-04-15 至 2026-04-20"},
			codesRow:     []string{"評議碼", "已打印 10 份，已使用 8 份"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			files := In(locale.Get(tt.lang))
			header := files.Header()
			if len(header) != len(ColumnKeys) || header[0] != tt.header0 {
				t.Fatalf("header = %q, want %d columns starting with %q", header, len(ColumnKeys), tt.header0)
			}

			records := csvRecords(t, files, sample())
			if !slices.Equal(records[0], header) {
				t.Errorf("CSV header = %q, want %q", records[0], header)
			}
			first := records[1]
			if first[1] != tt.date || first[2] != tt.typeLabel || first[6] != tt.styles || first[8] != "'-3天了没人管" {
				t.Errorf("CSV row = %q, want the date %q, type %q and styles %q, the text as written", first, tt.date,
					tt.typeLabel, tt.styles)
			}

			var buf bytes.Buffer
			x, err := files.NewXLSX(&buf, "Leaves out reports.")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sample() {
				if err := x.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			f := open(t, buf.Bytes())
			if got := f.GetSheetList(); !slices.Equal(got, tt.sheets) {
				t.Fatalf("sheets = %q, want %q", got, tt.sheets)
			}
			rows, _ := f.GetRows(tt.sheets[0])
			if !slices.Equal(rows[0], header) || rows[1][1] != tt.date || rows[1][2] != tt.typeLabel {
				t.Errorf("sheet %s begins %q / %q, want the header, the date %q and the type %q", tt.sheets[0], rows[0],
					rows[1], tt.date, tt.typeLabel)
			}
			if typ, _ := f.GetCellType(tt.sheets[0], "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("the date is a %v, want a real date in every language", typ)
			}
			if note, _ := f.GetCellValue(tt.sheets[1], "A1"); note != tt.countsNote {
				t.Errorf("counts note = %q, want %q", note, tt.countsNote)
			}
			if head, _ := f.GetCellValue(tt.sheets[1], "F4"); head != tt.untagged {
				t.Errorf("counts F4 = %q, want %q", head, tt.untagged)
			}

			buf.Reset()
			rowsIn := []storage.LedgerRow{{Opinion: storage.Opinion{ID: "A1", CreatedOn: "2026-04-01", Content: "排队太久",
				Status: "rectifying"}, Rect: storage.Rectification{Ledger: "problem", Kind: "timed"}}}
			if err := files.WriteLedgers(&buf, rowsIn); err != nil {
				t.Fatal(err)
			}
			f = open(t, buf.Bytes())
			if got := f.GetSheetList(); !slices.Equal(got, tt.ledgerSheets) {
				t.Fatalf("ledger sheets = %q, want %q", got, tt.ledgerSheets)
			}
			if got, _ := f.GetCellValue(tt.ledgerSheets[0], "B1"); got != tt.ledgerHeader {
				t.Errorf("ledger B1 = %q, want %q", got, tt.ledgerHeader)
			}

			buf.Reset()
			if err := files.WriteEvaluation(&buf, summaryOf(8)); err != nil {
				t.Fatal(err)
			}
			f = open(t, buf.Bytes())
			if got := f.GetSheetList(); !slices.Equal(got, tt.evalSheets) {
				t.Fatalf("evaluation sheets = %q, want %q", got, tt.evalSheets)
			}
			for _, want := range [][]string{tt.periodRow, tt.codesRow} {
				if got := find(t, f, tt.evalSheets[0], want[0]); got[1] != want[1] {
					t.Errorf("row %q = %q, want %q", want[0], got, want[1])
				}
			}
		})
	}
}

// TestSheetName: a translation never makes a sheet name Excel refuses.
func TestSheetName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"kept", "Opinions", "Opinions"},
		{"forbidden characters", "A/B: [c]?*\\", "A-B- -c----"},
		{"too long", "Specific problems put right in the year (具体问题整改)", "Specific problems put right in "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SheetName(tt.in); got != tt.want {
				t.Errorf("SheetName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
