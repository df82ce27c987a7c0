package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// testTags is a small taxonomy: two manifestations of bureaucratism, one of hedonism, one
// retired manifestation of formalism, two families in use and one retired.
var testTags = []storage.Tag{
	{Code: "formalism-old", Kind: storage.TagManifestation, Style: "formalism", Label: "旧表现", LabelEn: "Old manifestation", RetiredOn: "2026-01-01"},
	{Code: "bureaucratism-hard", Kind: storage.TagManifestation, Style: "bureaucratism", Label: "门难进、脸难看、事难办", LabelEn: "Hard to get in"},
	{Code: "bureaucratism-buckpassing", Kind: storage.TagManifestation, Style: "bureaucratism", Label: "推诿扯皮、久拖不办", LabelEn: "Passing the buck"},
	{Code: "hedonism-absent", Kind: storage.TagManifestation, Style: "hedonism", Label: "迟到早退、上班干私事", LabelEn: "Arriving late"},
	{Code: "service_attitude", Kind: storage.TagFamily, Label: "服务态度", LabelEn: "Attitude towards patients (服务态度)"},
	{Code: "praise", Kind: storage.TagFamily, Label: "表扬", LabelEn: "Praise (表扬)"},
	{Code: "old_family", Kind: storage.TagFamily, Label: "=旧类别", LabelEn: "=Old family", RetiredOn: "2026-01-01"},
	{Code: "unused_retired", Kind: storage.TagFamily, Label: "没人用的旧类别", LabelEn: "Unused", RetiredOn: "2026-01-01"},
}

// testLabel words a test tag as the handlers do: its English for an English reader.
func testLabel(lang string) func(string) string {
	return func(code string) string {
		for _, g := range testTags {
			if g.Code == code {
				if lang == locale.En {
					return g.LabelEn
				}
				return g.Label
			}
		}
		return code
	}
}

// taggedSample is sample() with tags and flags: the first opinion with a manifestation of
// each of its styles and a family, the second with a retired manifestation and a retired
// family, the last with none.
func taggedSample() []storage.ExportRow {
	rows := sample()
	rows[0].Tags = []string{"bureaucratism-hard", "bureaucratism-buckpassing", "hedonism-absent", "service_attitude"}
	rows[0].Nature, rows[0].Reach = storage.NatureConduct, storage.ReachCommon
	rows[1].Tags = []string{"formalism-old", "old_family"}
	rows[1].Nature, rows[1].Reach = storage.NatureWork, storage.ReachIndividual
	rows[2].Tags = []string{"bureaucratism-hard", "service_attitude"}
	rows[2].Nature = storage.NatureConduct
	return rows
}

// TestTagColumnsAndCounts writes the monthly CSV and XLSX for a zh-CN and an English reader
// told the taxonomy: four columns at the end name the manifestations, the families and the
// two flags in the reader's words, and sheet "统计" gains blocks by manifestation under its
// style, by family (a retired tag counted and marked retired, one that counts nothing left
// out) and by flag, after the older blocks.
func TestTagColumnsAndCounts(t *testing.T) {
	tests := []struct {
		lang    string
		sheets  []string
		headers []string // the four new columns
		first   []string // their cells for the first opinion
		second  []string // and for the second
		blocks  [][]string
	}{
		{lang: locale.Default, sheets: []string{"意见", "统计"},
			headers: []string{"具体表现", "问题类别", "问题性质", "共性/个性"},
			first:   []string{"门难进、脸难看、事难办、推诿扯皮、久拖不办、迟到早退、上班干私事", "服务态度", "作风问题", "共性"},
			second:  []string{"旧表现", "'=旧类别", "工作问题", "个性"},
			blocks: [][]string{
				nil,
				{"具体表现"},
				{"形式主义", "旧表现（已停用）", "1"},
				{"官僚主义", "门难进、脸难看、事难办", "2"},
				{"官僚主义", "推诿扯皮、久拖不办", "1"},
				{"享乐主义", "迟到早退、上班干私事", "1"},
				nil,
				{"问题类别"},
				{"服务态度", "2"}, {"表扬", "0"}, {"'=旧类别（已停用）", "1"},
				nil,
				{"问题性质"},
				{"作风问题", "2"}, {"工作问题", "1"}, {"未标注", "1"},
				nil,
				{"共性/个性"},
				{"共性", "1"}, {"个性", "1"}, {"未标注", "2"},
			}},
		{lang: locale.En, sheets: []string{"Opinions", "Counts"},
			headers: []string{"Manifestations (具体表现)", "Problem families (问题类别)",
				"Conduct or work problem (作风问题/工作问题)", "Common or individual (共性/个性)"},
			first:  []string{"Hard to get in, Passing the buck, Arriving late", "Attitude towards patients (服务态度)", "Conduct problem (作风问题)", "Common to many (共性)"},
			second: []string{"Old manifestation", "'=Old family", "Work problem (工作问题)", "Individual case (个性)"},
			blocks: [][]string{
				nil,
				{"Manifestations (具体表现)"},
				{"Formalism (形式主义)", "Old manifestation (retired)", "1"},
				{"Bureaucratism (官僚主义)", "Hard to get in", "2"},
				{"Bureaucratism (官僚主义)", "Passing the buck", "1"},
				{"Hedonism (享乐主义)", "Arriving late", "1"},
				nil,
				{"Problem families (问题类别)"},
				{"Attitude towards patients (服务态度)", "2"}, {"Praise (表扬)", "0"}, {"'=Old family (retired)", "1"},
				nil,
				{"Conduct or work problem (作风问题/工作问题)"},
				{"Conduct problem (作风问题)", "2"}, {"Work problem (工作问题)", "1"}, {"Not tagged", "1"},
				nil,
				{"Common or individual (共性/个性)"},
				{"Common to many (共性)", "1"}, {"Individual case (个性)", "1"}, {"Not tagged", "2"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			files := In(locale.Get(tt.lang)).WithTags(testTags, testLabel(tt.lang))
			// The taxonomy's four columns, which the problem's (#11) now follows.
			n := slices.Index(ColumnKeys, "column.reach") + 1
			if got := ColumnKeys[n-4 : n]; !slices.Equal(got, []string{"column.manifestations", "column.families",
				"column.nature", "column.reach"}) {
				t.Fatalf("last column keys = %q, want the taxonomy's at the end", got)
			}
			if got := files.Header()[n-4 : n]; !slices.Equal(got, tt.headers) {
				t.Errorf("new headers = %q, want %q", got, tt.headers)
			}

			records := csvRecords(t, files, taggedSample())
			for i, want := range [][]string{tt.headers, tt.first, tt.second, nil, {"", "", "", ""}} {
				if want == nil {
					continue
				}
				if got := records[i][n-4 : n]; !slices.Equal(got, want) {
					t.Errorf("CSV row %d ends %q, want %q", i, got, want)
				}
			}

			var buf bytes.Buffer
			x, err := files.NewXLSX(&buf, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range taggedSample() {
				if err := x.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			f := open(t, buf.Bytes())
			rows, err := f.GetRows(tt.sheets[0])
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range [][]string{tt.headers, tt.first, tt.second} {
				if got := rows[i][n-4 : n]; !slices.Equal(got, want) {
					t.Errorf("sheet %s row %d ends %q, want %q", tt.sheets[0], i+1, got, want)
				}
			}
			if got := len(rows[4]); got > n-4 {
				t.Errorf("the untagged opinion has %d cells, want none in the taxonomy's columns", got)
			}

			stats, err := f.GetRows(tt.sheets[1])
			if err != nil {
				t.Fatal(err)
			}
			channels := slices.IndexFunc(stats, func(r []string) bool {
				return len(r) == 1 && r[0] == locale.Get(tt.lang).T("column.channel")
			})
			if channels < 0 {
				t.Fatalf("no channel block in %q", stats)
			}
			// After the channels (and an empty row), the taxonomy's blocks; then the problems'
			// four rows (#11, problem_test.go).
			got := stats[channels+len(vocab.Channels)+1 : len(stats)-4]
			if len(got) != len(tt.blocks) {
				t.Fatalf("the taxonomy's blocks are %d rows, want %d:\n%q", len(got), len(tt.blocks), got)
			}
			for i, want := range tt.blocks {
				if g, w := strings.Join(got[i], "|"), strings.Join(want, "|"); g != w {
					t.Errorf("%s row %d = %q, want %q", tt.sheets[1], channels+13+i, g, w)
				}
			}
		})
	}
}

// TestNoTagCountsWithoutTheTaxonomy: files not told the taxonomy write the tags' codes and
// add no blocks to sheet "统计" (the older tests' sheet stays as it was).
func TestNoTagCountsWithoutTheTaxonomy(t *testing.T) {
	rows := taggedSample()
	cells := zh.cells(rows[0])
	n := slices.Index(ColumnKeys, "column.reach") + 1 // the problem's column follows
	if got, want := cells[n-4:n], []string{"", "bureaucratism-hard、bureaucratism-buckpassing、hedonism-absent、service_attitude",
		"作风问题", "共性"}; !slices.Equal(got, want) {
		t.Errorf("cells end %q, want %q", got, want)
	}
	if got := zh.tagRows(map[string]int{"service_attitude": 1}, newTagTally()); got != nil {
		t.Errorf("tag rows without the taxonomy = %q, want none", got)
	}
}

// TestLedgerTags: the ledger workbook names each problem's styles and tags, after the older
// columns.
func TestLedgerTags(t *testing.T) {
	tests := []struct {
		lang         string
		heads, cells []string
		sheet        string
	}{
		{locale.Default, []string{"四风", "具体表现", "问题类别"}, []string{"官僚主义、享乐主义", "门难进、脸难看、事难办、迟到早退、上班干私事", "服务态度"},
			"具体问题整改"},
		{locale.En, []string{"Four styles (四风)", "Manifestations (具体表现)", "Problem families (问题类别)"},
			[]string{"Bureaucratism (官僚主义), Hedonism (享乐主义)", "Hard to get in, Arriving late", "Attitude towards patients (服务态度)"},
			"Specific problems (具体问题整改)"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			files := In(locale.Get(tt.lang)).WithTags(testTags, testLabel(tt.lang))
			rows := []storage.LedgerRow{{Opinion: storage.Opinion{ID: "A1", CreatedOn: "2026-04-01", Content: "排队太久",
				Status: "rectifying", Styles: []string{"bureaucratism", "hedonism"},
				Tags: []string{"bureaucratism-hard", "hedonism-absent", "service_attitude"}},
				Rect: storage.Rectification{Ledger: "problem", Kind: "timed"}}}
			var buf bytes.Buffer
			if err := files.WriteLedgers(&buf, rows); err != nil {
				t.Fatal(err)
			}
			f := open(t, buf.Bytes())
			got, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || len(got[0]) != 14 {
				t.Fatalf("ledger rows %q, want a header of 14 columns and one row", got)
			}
			if h := got[0][11:]; !slices.Equal(h, tt.heads) {
				t.Errorf("last headers = %q, want %q", h, tt.heads)
			}
			if c := got[1][11:]; !slices.Equal(c, tt.cells) {
				t.Errorf("last cells = %q, want %q", c, tt.cells)
			}
		})
	}
}
