package handlers_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/export"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// tagsWorld is a portal with this month's opinions tagged by a reviewer: one assigned to the
// problem ledger with a manifestation and a family, marked 作风问题 and 共性; one with a family
// retired since and marked 工作问题 and 个性; one untagged. Staff read in Simplified Chinese
// and in English.
type tagsWorld struct {
	h                     *harness
	zh, en                *browser
	assigned, retired, no string // the opinions' ids
}

func newTagsWorld(t *testing.T) *tagsWorld {
	t.Helper()
	h := newHarness(t) // today: 2026-04-15
	ctx := context.Background()
	w := &tagsWorld{h: h}
	var office storage.User
	w.zh, office = h.staffIn(t, "reviewer-zh", access.Reviewer, "")
	w.en, _ = h.staffIn(t, "reviewer-en", access.Reviewer, locale.En)
	tag := func(content string, styles, tags []string, nature, reach string) string {
		t.Helper()
		id, _ := h.seed(t, storage.NewOpinion{Content: content})
		if err := h.store.SetStylesAndTags(ctx, office.ID, id, styles, tags); err != nil {
			t.Fatal(err)
		}
		if err := h.store.SetAttributes(ctx, office.ID, id, nature, reach); err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.assigned = tag("挂号处的人说不归他们管，让我去找门诊部，门诊部又让我回挂号处。", []string{"bureaucratism"},
		[]string{"bureaucratism-buckpassing", "service_attitude"}, storage.NatureConduct, storage.ReachCommon)
	h.walkTo(t, office.ID, w.assigned, lifecycle.Assigned) // to the problem ledger
	w.retired = tag("上午九点半了医生还没到，护士说他每天都这样。", []string{"hedonism"},
		[]string{"hedonism-absent", "labour_discipline"}, storage.NatureWork, storage.ReachIndividual)
	if err := h.store.SetTagRetired(ctx, 0, "labour_discipline", true); err != nil {
		t.Fatal(err)
	}
	w.no, _ = h.seed(t, storage.NewOpinion{Content: "候诊区的电视声音太大了，能不能调小一点。"})
	return w
}

// Ensure the monthly export names each opinion's manifestations, families and flags in the
// reader's words in the four columns at the end, in XLSX and CSV, and its counts sheet counts
// them by manifestation under its style and by family, a retired family still counted and
// marked retired.
func TestExportTags(t *testing.T) {
	t.Parallel()
	w := newTagsWorld(t)
	tests := []struct {
		name               string
		b                  *browser
		lang               string
		sheets             []string
		assigned, retired  []string // the last four cells of the opinions' rows
		countRows          [][]string
		manifestationBlock string
	}{
		{"zh-CN", w.zh, locale.Default, []string{"意见", "统计"},
			[]string{"推诿扯皮、久拖不办", "服务态度", "作风问题", "共性"},
			[]string{"迟到早退、上班干私事", "劳动纪律", "工作问题", "个性"},
			[][]string{{"官僚主义", "推诿扯皮、久拖不办", "1"}, {"官僚主义", "门难进、脸难看、事难办", "0"},
				{"享乐主义", "迟到早退、上班干私事", "1"}, {"服务态度", "1"}, {"劳动纪律（已停用）", "1"}, {"表扬", "0"},
				{"作风问题", "1"}, {"共性", "1"}, {"个性", "1"}},
			"具体表现"},
		{"English", w.en, locale.En, []string{"Opinions", "Counts"},
			[]string{"Passing the buck, letting matters drag on", "Attitude towards patients (服务态度)",
				"Conduct problem (作风问题)", "Common to many (共性)"},
			[]string{"Arriving late, leaving early, private business at work", "Work discipline (劳动纪律)",
				"Work problem (工作问题)", "Individual case (个性)"},
			[][]string{{"Bureaucratism (官僚主义)", "Passing the buck, letting matters drag on", "1"},
				{"Hedonism (享乐主义)", "Arriving late, leaving early, private business at work", "1"},
				{"Attitude towards patients (服务态度)", "1"}, {"Work discipline (劳动纪律) (retired)", "1"},
				{"Praise (表扬)", "0"}, {"Conduct problem (作风问题)", "1"}, {"Individual case (个性)", "1"}},
			"Manifestations (具体表现)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := export.In(locale.Get(tt.lang)).Header()
			n := slices.Index(export.ColumnKeys, "column.reach") + 1 // the taxonomy's end; the problem's column (#11) follows
			f := workbook(t, tt.b.get(t, "/admin/export?month=2026-04&format=xlsx"))
			rows, err := f.GetRows(tt.sheets[0])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows[0], header) {
				t.Fatalf("header = %q, want %q", rows[0], header)
			}
			byID := map[string][]string{}
			for _, r := range rows[1:] {
				byID[r[0]] = append(r, make([]string, len(header)-len(r))...) // GetRows drops empty cells at the end
			}
			for id, want := range map[string][]string{w.assigned: tt.assigned, w.retired: tt.retired, w.no: {"", "", "", ""}} {
				if got := byID[id][n-4 : n]; !slices.Equal(got, want) {
					t.Errorf("XLSX row %s ends %q, want %q", id, got, want)
				}
			}
			stats, err := f.GetRows(tt.sheets[1])
			if err != nil {
				t.Fatal(err)
			}
			block := slices.IndexFunc(stats, func(r []string) bool { return len(r) == 1 && r[0] == tt.manifestationBlock })
			if block < 0 {
				t.Fatalf("no %q block in %q", tt.manifestationBlock, stats)
			}
			for _, want := range tt.countRows {
				if !slices.ContainsFunc(stats[block:], func(r []string) bool { return slices.Equal(r, want) }) {
					t.Errorf("no counts row %q after %q in %q", want, tt.manifestationBlock, stats[block:])
				}
			}

			r := tt.b.get(t, "/admin/export?month=2026-04&format=csv")
			wantStatus(t, r, http.StatusOK)
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(records[0], header) {
				t.Errorf("CSV header = %q, want %q", records[0], header)
			}
			for _, rec := range records[1:] {
				want := map[string][]string{w.assigned: tt.assigned, w.retired: tt.retired, w.no: {"", "", "", ""}}[rec[0]]
				if got := rec[n-4 : n]; !slices.Equal(got, want) {
					t.Errorf("CSV row %s ends %q, want %q", rec[0], got, want)
				}
			}
		})
	}
}

// Ensure the ledgers page shows each item's tags after its styles in the reader's words, and
// the ledger workbook has them in its last columns.
func TestLedgersShowTags(t *testing.T) {
	t.Parallel()
	w := newTagsWorld(t)
	tests := []struct {
		name, sheet string
		b           *browser
		chips       string
		cells       []string
	}{
		{"zh-CN", "具体问题整改", w.zh,
			`<span class="ledger-tags"><span class="tag">官僚主义</span> <span class="tag">推诿扯皮、久拖不办</span> <span class="tag">服务态度</span> </span>`,
			[]string{"官僚主义", "推诿扯皮、久拖不办", "服务态度"}},
		{"English", "Specific problems (具体问题整改)", w.en,
			`<span class="ledger-tags"><span class="tag">Bureaucratism (官僚主义)</span> <span class="tag">Passing the buck, letting matters drag on</span> <span class="tag">Attitude towards patients (服务态度)</span> </span>`,
			[]string{"Bureaucratism (官僚主义)", "Passing the buck, letting matters drag on", "Attitude towards patients (服务态度)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.get(t, "/admin/ledgers?ledger=problem")
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.chips)

			f := workbook(t, tt.b.get(t, "/admin/ledgers/export"))
			rows, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[1][0] != w.assigned {
				t.Fatalf("ledger %q, want the header and %s", rows, w.assigned)
			}
			if got := rows[1][len(rows[1])-3:]; !slices.Equal(got, tt.cells) {
				t.Errorf("ledger row ends %q, want %q", got, tt.cells)
			}
		})
	}
}

// Ensure the notice board counts the year's opinions by family in the reader's language, a
// count under five as "<5" (zero included), and never shows the families of discipline
// matters (红包回扣, 八项规定) nor the manifestations, which are the staff's words.
func TestGongshiFamilies(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	_, u := h.staff(t)
	give := func(n int, styles, tags []string) {
		t.Helper()
		for i := 0; i < n; i++ {
			id, _ := h.seed(t, storage.NewOpinion{Content: "医生态度很差，问两句就不耐烦。"})
			if err := h.store.SetStylesAndTags(ctx, u.ID, id, styles, tags); err != nil {
				t.Fatal(err)
			}
		}
	}
	give(6, []string{"bureaucratism"}, []string{"bureaucratism-cold", "service_attitude"})
	give(1, nil, []string{"praise"})
	give(2, []string{"extravagance"}, []string{"kickbacks", "eightrules"})

	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"zh-CN", "/gongshi",
			[]string{`<table class="figures" id="families"><caption>反映的问题类别</caption>`,
				`<tr><th scope="row">服务态度</th><td>6</td></tr>`, `<tr><th scope="row">表扬</th><td>&lt;5</td></tr>`,
				`<tr><th scope="row">劳动纪律</th><td>&lt;5</td></tr>`, "不足 5 条（包括没有）的显示为“&lt;5”"},
			[]string{"红包回扣</th>", "八项规定</th>", "对患者冷漠"}},
		{"English", "/en/gongshi",
			[]string{`<caption>Kinds of problem raised</caption>`,
				`<tr><th scope="row">Attitude towards patients (服务态度)</th><td>6</td></tr>`,
				`<tr><th scope="row">Praise (表扬)</th><td>&lt;5</td></tr>`, "Counts below 5 (zero included)"},
			[]string{"kickbacks (", "eight-point rules (", "Cold or harsh"}},
		{"Traditional Chinese", "/zh-Hant/gongshi",
			[]string{`<tr><th scope="row">服務態度</th><td>6</td></tr>`, `<tr><th scope="row">表揚</th><td>&lt;5</td></tr>`},
			[]string{"紅包回扣</th>"}},
	}
	b := h.browser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.get(t, tt.path)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.want...)
			wantNotContains(t, r.Body, tt.not...)
		})
	}
}
