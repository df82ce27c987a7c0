package handlers_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/export"
	"minsheng/storage"
)

const bom = "\xEF\xBB\xBF"

const hyperlink = `=HYPERLINK("http://evil.example","点这里查看详情")`

// exportFixture holds three April opinions and two from March.
type exportFixture struct {
	h        *harness
	b        *browser
	user     storage.User
	april    []string
	march    []string
	formula  string // id of the April opinion whose content is a formula
	hedonism string // id of the April opinion tagged hedonism
}

func newExportFixture(t *testing.T) *exportFixture {
	t.Helper()
	h := newHarness(t)
	b, u := h.staff(t)
	f := &exportFixture{h: h, b: b, user: u}
	f.formula = h.seedOn(t, "2026-04-02", storage.NewOpinion{Content: hyperlink})
	f.hedonism = h.seedOn(t, "2026-04-20", storage.NewOpinion{Type: "complaint", UnitCode: "bureau", Content: "局里工作日中午聚餐饮酒。"})
	plain := h.seedOn(t, "2026-04-30", storage.NewOpinion{Type: "praise", Content: "护士小王很耐心，谢谢她。"})
	f.april = []string{f.formula, f.hedonism, plain}
	f.march = []string{
		h.seedOn(t, "2026-03-31", storage.NewOpinion{Content: "三月的意见，不应导出到四月。"}),
		h.seedOn(t, "2026-03-01", storage.NewOpinion{Content: "三月初的意见，也不应导出。"}),
	}
	if err := h.store.SetStyles(context.Background(), u.ID, f.hedonism, []string{"hedonism"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// wantExportAudit checks that the newest audit row is an export by the reviewer.
func (f *exportFixture) wantExportAudit(t *testing.T, format, month string) {
	t.Helper()
	a, err := f.h.store.RecentAudit(context.Background(), 1)
	if err != nil || len(a) != 1 {
		t.Fatalf("RecentAudit got %+v, %v", a, err)
	}
	if a[0].Action != "export" || a[0].Username != f.user.Username ||
		!strings.Contains(a[0].Detail, format) || !strings.Contains(a[0].Detail, month) {
		t.Errorf("last audit row got %+v, want export %s %s by %s", a[0], format, month, f.user.Username)
	}
}

// csvRows checks the CSV framing and returns the data rows.
func csvRows(t *testing.T, r *response) [][]string {
	t.Helper()
	if !strings.HasPrefix(r.Body, bom) {
		t.Fatalf("CSV does not start with the UTF-8 BOM: %q", r.Body[:min(10, len(r.Body))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, bom))).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], export.Columns) {
		t.Fatalf("CSV header got %v, want %v", rows[:min(1, len(rows))], export.Columns)
	}
	return rows[1:]
}

func firstColumn(rows [][]string) []string {
	var ids []string
	for _, r := range rows {
		if len(r) > 0 {
			ids = append(ids, r[0])
		}
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	f := newExportFixture(t)
	r := f.b.get(t, "/admin/export?month=2026-04&format=csv")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type got %q, want text/csv", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="minsheng-2026-04.csv"` {
		t.Errorf("Content-Disposition got %q", cd)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control got %q, want no-store", cc)
	}
	rows := csvRows(t, r)
	if got, want := firstColumn(rows), sorted(f.april); !slices.Equal(got, want) {
		t.Errorf("exported ids got %v, want April's %v", got, want)
	}
	for _, row := range rows {
		if len(row) != len(export.Columns) {
			t.Errorf("row %v has %d cells, want %d", row, len(row), len(export.Columns))
			continue
		}
		if row[0] == f.formula && row[8] != "'"+hyperlink {
			t.Errorf("formula content exported as %q, want %q", row[8], "'"+hyperlink)
		}
		if row[0] == f.hedonism && (row[6] != "享乐主义" || row[3] != "县卫生健康局机关" || row[2] != "投诉") {
			t.Errorf("hedonism row got %v", row)
		}
	}
	f.wantExportAudit(t, "csv", "2026-04")

	t.Run("queue filters apply", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string
		}{
			{"month=2026-04&format=csv&style=hedonism", []string{f.hedonism}},
			{"month=2026-04&format=csv&style=none", []string{f.formula, f.april[2]}},
			{"month=2026-04&format=csv&type=praise", []string{f.april[2]}},
			{"month=2026-04&format=csv&unit=bureau", []string{f.hedonism}},
			{"month=2026-03&format=csv", f.march},
			{"month=2026-05&format=csv", nil},
		}
		for _, tc := range tests {
			t.Run(tc.query, func(t *testing.T) {
				r := f.b.get(t, "/admin/export?"+tc.query)
				wantStatus(t, r, http.StatusOK)
				if got, want := firstColumn(csvRows(t, r)), sorted(tc.want); !slices.Equal(got, want) {
					t.Errorf("exported ids got %v, want %v", got, want)
				}
			})
		}
	})
}

func TestExportXLSX(t *testing.T) {
	t.Parallel()
	f := newExportFixture(t)
	r := f.b.get(t, "/admin/export?month=2026-04&format=xlsx")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type got %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="minsheng-2026-04.xlsx"` {
		t.Errorf("Content-Disposition got %q", cd)
	}
	x, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("excelize.OpenReader: %v", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if !slices.Contains(sheets, "意见") || !slices.Contains(sheets, "统计") {
		t.Fatalf("sheets got %v, want 意见 and 统计", sheets)
	}
	rows, err := x.GetRows("意见")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], export.Columns) {
		t.Fatalf("header got %v", rows[:min(1, len(rows))])
	}
	if got, want := firstColumn(rows[1:]), sorted(f.april); !slices.Equal(got, want) {
		t.Errorf("exported ids got %v, want %v", got, want)
	}
	for _, row := range rows[1:] {
		if row[0] == f.formula && row[8] != "'"+hyperlink {
			t.Errorf("formula content exported as %q", row[8])
		}
	}
	formulas := 0
	for ri, row := range rows[1:] {
		for i := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, ri+2)
			if fm, _ := x.GetCellFormula("意见", cell); fm != "" {
				formulas++
			}
		}
	}
	if formulas != 0 {
		t.Errorf("%d cells hold formulas, want none", formulas)
	}
	stats, err := x.GetRows("统计")
	if err != nil || len(stats) == 0 {
		t.Fatalf("统计 rows got %v, %v", stats, err)
	}
	var total string
	for _, row := range stats {
		if len(row) > 0 && row[0] == "合计" {
			total = row[len(row)-1]
		}
	}
	if total != "3" {
		t.Errorf("统计 合计 got %q, want 3", total)
	}
	f.wantExportAudit(t, "xlsx", "2026-04")

	t.Run("filtered", func(t *testing.T) {
		r := f.b.get(t, "/admin/export?month=2026-04&format=xlsx&style=hedonism")
		wantStatus(t, r, http.StatusOK)
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows("意见")
		if got := firstColumn(rows[1:]); !slices.Equal(got, []string{f.hedonism}) {
			t.Errorf("exported ids got %v, want [%s]", got, f.hedonism)
		}
	})
}

func TestExportRefused(t *testing.T) {
	t.Parallel()
	f := newExportFixture(t)
	count := func() int {
		a, _ := f.h.store.RecentAudit(context.Background(), 1000)
		n := 0
		for _, e := range a {
			if e.Action == "export" {
				n++
			}
		}
		return n
	}
	tests := []struct{ name, query string }{
		{"no month", "format=csv"},
		{"bad month", "month=2026-13&format=csv"},
		{"words for month", "month=april&format=csv"},
		{"day not month", "month=2026-04-01&format=xlsx"},
		{"no format", "month=2026-04"},
		{"unknown format", "month=2026-04&format=pdf"},
		{"upper-case format", "month=2026-04&format=CSV"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.b.get(t, "/admin/export?"+tc.query)
			wantStatus(t, r, http.StatusBadRequest)
			wantContains(t, r.Body, "无法导出")
			if cd := r.Header.Get("Content-Disposition"); cd != "" {
				t.Errorf("Content-Disposition got %q on a refused export", cd)
			}
		})
	}
	if n := count(); n != 0 {
		t.Errorf("export audit rows after refused exports: got %d, want 0", n)
	}

	t.Run("without session", func(t *testing.T) {
		r := f.h.browser().get(t, "/admin/export?month=2026-04&format=csv")
		wantStatus(t, r, http.StatusSeeOther)
		want := "/admin/login?next=" + url.QueryEscape("/admin/export?month=2026-04&format=csv")
		if got := r.location(); got != want {
			t.Errorf("Location got %q, want %q", got, want)
		}
		wantNotContains(t, r.Body, "HYPERLINK")
		if n := count(); n != 0 {
			t.Errorf("export audit rows: got %d, want 0", n)
		}
	})
}

var exportLinkRe = regexp.MustCompile(`<a href="([^"]*)" id="export-(csv|xlsx)">`)

// TestQueueExportLinks follows the export links the queue shows once a month is chosen.
func TestQueueExportLinks(t *testing.T) {
	t.Parallel()
	f := newExportFixture(t)
	q := f.b.get(t, "/admin/queue?month=2026-04&style=hedonism")
	wantStatus(t, q, http.StatusOK)
	links := exportLinkRe.FindAllStringSubmatch(q.Body, -1)
	if len(links) != 2 {
		t.Fatalf("export links got %d, want 2", len(links))
	}
	for _, m := range links {
		t.Run(m[2], func(t *testing.T) {
			target := html.UnescapeString(m[1])
			u, err := url.Parse(target)
			if err != nil {
				t.Fatalf("export link %q: %v", target, err)
			}
			want := url.Values{"month": {"2026-04"}, "style": {"hedonism"}, "format": {m[2]}}
			if got := u.Query(); got.Encode() != want.Encode() {
				t.Fatalf("export link %q has query %v, want %v", m[1], got, want)
			}
			r := f.b.get(t, target)
			wantStatus(t, r, http.StatusOK)
		})
	}
}
