package handlers_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// TestFiguresAgree is issue #12's agreement test: on one seeded store, the XLSX export's counts
// sheet, the figures of /gongshi, the satisfaction page and stats.Compute give the same number
// for each figure and unit, the pages read through the full router. Each source is compared
// with Compute's query for what it shows: the export with the month as its reviewer sees it,
// the satisfaction page with the year, /gongshi with the year for the public. /gongshi prints
// a small count as "<5" and withholds one more as "*": such a cell agrees when Compute's count
// is under 5, or 5 and over.
func TestFiguresAgree(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today 2026-04-15
	b, u := h.staff(t)
	ctx := context.Background()
	seed := func(n int, unit, typ string, styles []string, ratings ...string) {
		t.Helper()
		for i := 0; i < n; i++ {
			id, _ := h.seed(t, storage.NewOpinion{UnitCode: unit, Type: typ})
			if len(styles) > 0 {
				if err := h.store.SetStyles(ctx, u.ID, id, styles); err != nil {
					t.Fatal(err)
				}
			}
			if i < len(ratings) {
				h.walkTo(t, u.ID, id, lifecycle.Satisfaction)
				if err := h.store.Rate(ctx, id, ratings[i], ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	seed(3, "county-hospital", "complaint", []string{"hedonism"}, "satisfied", "satisfied", "dissatisfied")
	seed(2, "county-hospital", "complaint", []string{"hedonism", "formalism"}, "basically", "satisfied")
	seed(2, "county-hospital", "suggestion", nil)
	seed(6, "tcm-hospital", "complaint", []string{"bureaucratism"}, "satisfied", "satisfied", "dissatisfied", "dissatisfied", "dissatisfied")
	seed(1, "tcm-hospital", "praise", nil)
	seed(2, "bureau", "complaint", nil)
	seed(1, "bureau", "report", []string{"extravagance"}, "dissatisfied") // 举报: in none of the three

	compute := func(p string, public bool) *stats.Figures {
		t.Helper()
		span, err := period.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := stats.Compute(ctx, h.store, stats.Query{Period: span, Viewer: access.Viewer{Role: access.Reviewer},
			Public: public, Today: h.store.Today()})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	month, year, public := compute("2026-04", false), compute("2026", false), compute("2026", true)

	sheet := readCountsSheet(t, b.get(t, "/admin/export?month=2026-04&format=xlsx").Body)
	board := h.browser().get(t, "/gongshi").Body
	satisfaction := b.get(t, "/admin/satisfaction").Body

	unit := func(f *stats.Figures, code string) stats.UnitFigures {
		for _, u := range f.ByUnit {
			if u.Code == code {
				return u
			}
		}
		return stats.UnitFigures{}
	}
	rated := func(f *stats.Figures, code string) stats.UnitSatisfaction {
		for _, u := range f.Satisfaction.ByUnit {
			if u.Code == code {
				return u
			}
		}
		return stats.UnitSatisfaction{}
	}
	style := func(counts []stats.Count, code string) int {
		for _, c := range counts {
			if c.Code == code {
				return c.N
			}
		}
		return 0
	}
	tests := []struct {
		name  string
		stat  func(*stats.Figures) int
		sheet [2]string // row and column of the counts sheet; "" when it does not show the figure
		board func() string
		page  [2]string // unit and column of the satisfaction page
	}{
		{"all opinions", func(f *stats.Figures) int { return f.Total }, [2]string{"合计", "合计"},
			func() string { return firstMatch(t, yearTotalRe, board) }, [2]string{}},
		{"opinions about 县人民医院", func(f *stats.Figures) int { return unit(f, "county-hospital").Total },
			[2]string{"县人民医院", "合计"}, func() string { return aprilCell(t, board, "县人民医院") }, [2]string{}},
		{"opinions about 县中医院", func(f *stats.Figures) int { return unit(f, "tcm-hospital").Total },
			[2]string{"县中医院", "合计"}, func() string { return aprilCell(t, board, "县中医院") }, [2]string{}},
		{"opinions about 局机关", func(f *stats.Figures) int { return unit(f, "bureau").Total },
			[2]string{"县卫生健康局机关", "合计"}, func() string { return aprilCell(t, board, "县卫生健康局机关") }, [2]string{}},
		{"享乐主义 in all", func(f *stats.Figures) int { return style(f.ByStyle, "hedonism") }, [2]string{"合计", "享乐主义"},
			func() string {
				return firstMatch(t, regexp.MustCompile(`<th scope="row">享乐主义</th><td>([^<]*)</td>`), board)
			}, [2]string{}},
		{"官僚主义 in all", func(f *stats.Figures) int { return style(f.ByStyle, "bureaucratism") }, [2]string{"合计", "官僚主义"},
			func() string {
				return firstMatch(t, regexp.MustCompile(`<th scope="row">官僚主义</th><td>([^<]*)</td>`), board)
			}, [2]string{}},
		{"享乐主义 at 县人民医院", func(f *stats.Figures) int { return style(unit(f, "county-hospital").ByStyle, "hedonism") },
			[2]string{"县人民医院", "享乐主义"}, nil, [2]string{}},
		{"形式主义 at 县人民医院", func(f *stats.Figures) int { return style(unit(f, "county-hospital").ByStyle, "formalism") },
			[2]string{"县人民医院", "形式主义"}, nil, [2]string{}},
		{"no style at 局机关", func(f *stats.Figures) int { return unit(f, "bureau").Untagged },
			[2]string{"县卫生健康局机关", "未标注"}, nil, [2]string{}},
		{"满意度回访 in all", func(f *stats.Figures) int { return style(f.ByStatus, lifecycle.Satisfaction) },
			[2]string{"满意度回访", ""}, nil, [2]string{}},
		{"ratings of 县人民医院", func(f *stats.Figures) int { return rated(f, "county-hospital").Rated() },
			[2]string{}, nil, [2]string{"县人民医院", "rated"}},
		{"满意 at 县人民医院", func(f *stats.Figures) int { return rated(f, "county-hospital").Satisfied },
			[2]string{}, nil, [2]string{"县人民医院", "satisfied"}},
		{"基本满意 at 县人民医院", func(f *stats.Figures) int { return rated(f, "county-hospital").Basically },
			[2]string{}, nil, [2]string{"县人民医院", "basically"}},
		{"不满意 at 县中医院", func(f *stats.Figures) int { return rated(f, "tcm-hospital").Dissatisfied },
			[2]string{}, nil, [2]string{"县中医院", "dissatisfied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compared := 0
			if tt.sheet[0] != "" {
				compared++
				if got, want := sheet.count(t, tt.sheet[0], tt.sheet[1]), tt.stat(month); got != want {
					t.Errorf("export's counts sheet: %d, stats.Compute (the month, the reviewer): %d", got, want)
				}
			}
			if tt.board != nil {
				compared++
				if got, want := tt.board(), tt.stat(public); !shownAgrees(got, want) {
					t.Errorf("/gongshi: %q, stats.Compute (the year, public): %d", got, want)
				}
			}
			if tt.page[0] != "" {
				compared++
				if got, want := satisfactionCell(t, satisfaction, tt.page[0], tt.page[1]), tt.stat(year); got != want {
					t.Errorf("satisfaction page: %d, stats.Compute (the year, the reviewer): %d", got, want)
				}
			}
			if compared == 0 || tt.stat(month)+tt.stat(year) == 0 {
				t.Fatal("the case compares nothing, or only zeros")
			}
		})
	}
}

// TestQueueCountsAgree: the queue's sidebar (storage.StatusCounts) stays an index-only count in
// storage, apart from package stats, because it counts whatever the queue's filter selects on
// every view; for the month and scope of a report it must give the report's figures.
func TestQueueCountsAgree(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today 2026-04-15
	_, u := h.staff(t)
	ctx := context.Background()
	for i, to := range []string{lifecycle.Received, lifecycle.Triaged, lifecycle.Assigned, lifecycle.Rectifying,
		lifecycle.Satisfaction, lifecycle.Received} {
		id, _ := h.seed(t, storage.NewOpinion{UnitCode: []string{"county-hospital", "tcm-hospital"}[i%2]})
		if to != lifecycle.Received {
			h.walkTo(t, u.ID, id, to)
		}
		if to == lifecycle.Assigned || to == lifecycle.Rectifying {
			h.setDeadline(t, id, "2026-04-10") // open work past its deadline
		}
	}
	h.seed(t, storage.NewOpinion{UnitCode: "bureau", Type: "report"}) // 举报: the reviewer counts it in neither
	span, err := period.Parse("2026-04")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []access.Viewer{{Role: access.Reviewer}, {Role: access.Discipline},
		{Role: access.Liaison, Unit: "county-hospital"}} {
		t.Run(v.Role, func(t *testing.T) {
			v.Today = h.store.Today()
			f, err := stats.Compute(ctx, h.store, stats.Query{Period: span, Viewer: v, Today: v.Today})
			if err != nil {
				t.Fatal(err)
			}
			sidebar, err := h.store.StatusCounts(ctx, storage.OpinionFilter{Month: "2026-04", Scope: &v})
			if err != nil {
				t.Fatal(err)
			}
			if sidebar.Total != f.Total || f.Total == 0 {
				t.Errorf("total: sidebar %d, stats %d", sidebar.Total, f.Total)
			}
			for _, c := range f.ByStatus {
				if sidebar.ByStatus[c.Code] != c.N {
					t.Errorf("%s: sidebar %d, stats %d", c.Code, sidebar.ByStatus[c.Code], c.N)
				}
			}
			if sidebar.Overdue != f.Rectification.OverdueCount || v.Role == access.Reviewer && f.Rectification.OverdueCount == 0 {
				t.Errorf("overdue: sidebar %d, stats %d", sidebar.Overdue, f.Rectification.OverdueCount)
			}
		})
	}
}

// countsSheet is sheet "统计" of an export: the rows of its "四风 × 单位" block by unit (and
// 合计), by column head; and the one-number rows of the blocks below by label.
type countsSheet struct {
	units  map[string]map[string]int
	single map[string]int
}

func readCountsSheet(t *testing.T, xlsx string) countsSheet {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	s := countsSheet{units: map[string]map[string]int{}, single: map[string]int{}}
	var head []string
	for _, r := range rows {
		switch {
		case len(r) > 2 && r[0] == "单位":
			head = r
		case head != nil && len(r) == len(head):
			s.units[r[0]] = map[string]int{}
			for i, v := range r[1:] {
				s.units[r[0]][head[i+1]], _ = strconv.Atoi(v)
			}
			if r[0] == "合计" {
				head = nil
			}
		case len(r) == 2:
			s.single[r[0]], _ = strconv.Atoi(r[1])
		}
	}
	return s
}

func (s countsSheet) count(t *testing.T, row, col string) int {
	t.Helper()
	if col == "" {
		n, ok := s.single[row]
		if !ok {
			t.Fatalf("no row %q on the counts sheet", row)
		}
		return n
	}
	n, ok := s.units[row][col]
	if !ok {
		t.Fatalf("no %s × %s on the counts sheet (%v)", row, col, s.units)
	}
	return n
}

// aprilCell is what /gongshi's unit × month table shows for unit in April, the last month.
func aprilCell(t *testing.T, page, unit string) string {
	t.Helper()
	table := unitMonthRe.FindStringSubmatch(page)
	if table == nil {
		t.Fatal("no unit × month table on the board")
	}
	for _, row := range rowRe.FindAllStringSubmatch(table[1], -1) {
		cells := cellRe.FindAllStringSubmatch(row[1], -1)
		if len(cells) > 1 && cells[0][1] == unit {
			return cells[len(cells)-1][1]
		}
	}
	t.Fatalf("no row of %s in the board's table", unit)
	return ""
}

// shownAgrees says whether a count as /gongshi prints it can be n.
func shownAgrees(shown string, n int) bool {
	switch shown = html.UnescapeString(strings.TrimSpace(shown)); shown {
	case stats.Small:
		return n < 5
	case stats.Withheld:
		return n >= 5
	}
	got, err := strconv.Atoi(shown)
	return err == nil && got == n
}

// satisfactionCell is a count of the satisfaction page's row of unit.
func satisfactionCell(t *testing.T, page, unit, col string) int {
	t.Helper()
	m := regexp.MustCompile(`<td>` + regexp.QuoteMeta(unit) + `</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>`).
		FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no row of %s on the satisfaction page", unit)
	}
	i := map[string]int{"rated": 1, "satisfied": 2, "basically": 3, "dissatisfied": 4}[col]
	n, _ := strconv.Atoi(m[i])
	return n
}

func firstMatch(t *testing.T, re *regexp.Regexp, s string) string {
	t.Helper()
	m := re.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in the page", re)
	}
	return m[1]
}
