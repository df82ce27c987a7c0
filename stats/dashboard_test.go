package stats

import (
	"context"
	"fmt"
	"minsheng/internal/storetest"
	"slices"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/storage"
)

// dashboardStore holds county-hospital's opinions of December 2025 to March 2026, made so that
// bureaucratism is a hot spot in March for the whole unit and for 内科, and nothing else is.
func dashboardStore(t *testing.T, e storetest.Engine) *storage.Store {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 31, 4, 0, 0, 0, time.UTC) // 12:00 on 31 March in China
	st, err := storage.Open(ctx, storetest.DSN(t, e), storage.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var batch []storage.SeedOpinion
	add := func(n int, dept, day, typ, status string, styles []string, deadline string) {
		for i := 0; i < n; i++ {
			o := storage.SeedOpinion{NewOpinion: storage.NewOpinion{Type: typ, UnitCode: "county-hospital", Dept: dept,
				Submitter: "patient", Content: "测试意见内容，请认真处理这件事情。"}, CreatedOn: day, Status: status, Styles: styles}
			if deadline != "" {
				o.Rectification = &storage.Rectification{LeadUnit: "county-hospital", Deadline: deadline, Ledger: "problem", Kind: "timed"}
			}
			batch = append(batch, o)
		}
	}
	b := []string{"bureaucratism"}
	add(6, "内科", "2026-03-05", "complaint", "received", b, "")
	add(2, "外科", "2026-03-03", "complaint", "received", b, "")
	add(4, "儿科", "2026-03-04", "complaint", "received", []string{"formalism"}, "")
	add(5, "外科", "2026-03-06", "praise", "satisfaction", nil, "2026-03-25")
	add(1, "内科", "2026-03-07", "suggestion", "rectifying", nil, "2026-03-10") // open and overdue
	add(1, "内科", "2026-03-08", "suggestion", "assigned", nil, "2026-04-30")   // open
	add(1, "内科", "2026-03-09", "report", "received", b, "")                   // 举报: 纪检 only
	for _, month := range []string{"2026-02", "2026-01"} {
		add(1, "内科", month+"-10", "complaint", "received", b, "")
		add(1, "外科", month+"-11", "complaint", "received", b, "")
	}
	add(1, "外科", "2025-12-11", "complaint", "received", b, "")
	add(1, "外科", "2025-03-31", "complaint", "received", b, "") // before the twelve months
	add(1, "外科", "2026-04-01", "complaint", "received", b, "") // after them
	if err := st.InsertSeed(ctx, batch); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListOpinions(ctx, storage.OpinionFilter{Status: "satisfaction"}, storage.Cursor{}, 100)
	if err != nil || len(page.Opinions) != 5 {
		t.Fatalf("the opinions to rate: %d, %v", len(page.Opinions), err)
	}
	for _, o := range page.Opinions {
		if err := st.Rate(ctx, o.ID, "satisfied", ""); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestBuildDashboard(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		st := dashboardStore(t, e)
		q := DashboardQuery{Unit: "county-hospital", Month: "2026-03", Viewer: access.Viewer{Role: access.Reviewer}, Today: "2026-03-31"}
		d, err := BuildDashboard(context.Background(), st, q)
		if err != nil {
			t.Fatal(err)
		}
		if d.Span.From != "2025-04-01" || d.Span.To != "2026-04-01" || len(d.Trend) != 12 {
			t.Errorf("span %v with %d months, want 2025-04-01..2026-03-31 in 12", d.Span, len(d.Trend))
		}
		trend := map[string]int{}
		for _, c := range d.Trend {
			trend[c.Code] = c.N
		}
		if d.Total != 24 || trend["2026-03"] != 19 || trend["2026-02"] != 2 || trend["2025-12"] != 1 || trend["2025-04"] != 0 {
			t.Errorf("total %d, trend %v; want 24 with 19 in March, 2 in February, 1 in December", d.Total, trend)
		}
		if d.Open != 2 || d.Overdue != 1 {
			t.Errorf("open %d, overdue %d; want 2 and 1", d.Open, d.Overdue)
		}
		if d.Satisfaction.Satisfied != 5 || d.Satisfaction.Rated() != 5 {
			t.Errorf("satisfaction %+v, want 5 satisfied", d.Satisfaction)
		}
		if got := fmt.Sprint(d.ByStyle); got != "[{formalism 4} {bureaucratism 13} {hedonism 0} {extravagance 0}]" {
			t.Errorf("by style %s", got)
		}
		var depts []string
		for _, l := range d.Depts {
			depts = append(depts, fmt.Sprintf("%s %d/%d open %d overdue %d rated %d", l.Dept, l.Month, l.Total, l.Open, l.Overdue, l.Satisfaction.Rated()))
		}
		want := []string{"内科 8/10 open 2 overdue 1 rated 0", "外科 7/10 open 0 overdue 0 rated 5", "儿科 4/4 open 0 overdue 0 rated 0"}
		if !slices.Equal(depts, want) {
			t.Errorf("科室 lines\n%q\nwant\n%q", depts, want)
		}
		var warnings []string
		for _, w := range d.Warnings {
			warnings = append(warnings, fmt.Sprintf("%v %s %s:%s %d after %v over %.2f", w.WholeUnit, w.Dept, w.Kind, w.Code, w.N, w.History, w.Limit))
		}
		want = []string{"true  style:bureaucratism 8 after [1 2 2] over 2.61", "false 内科 style:bureaucratism 6 after [0 1 1] over 1.61"}
		if !slices.Equal(warnings, want) {
			t.Errorf("warnings\n%q\nwant\n%q", warnings, want)
		}
		var ranking []string
		for _, r := range d.Ranking {
			rate, _ := r.Satisfaction.Rate()
			ranking = append(ranking, fmt.Sprintf("%d %s %.0f%% praise %d complaints %d", r.Rank, r.Dept, rate, r.Praise, r.Complaints))
		}
		want = []string{"1 外科 100% praise 5 complaints 2", "2 儿科 0% praise 0 complaints 4", "3 内科 0% praise 0 complaints 6"}
		if !slices.Equal(ranking, want) {
			t.Errorf("ranking\n%q\nwant\n%q", ranking, want)
		}
	})
}

// TestDashboardScope: each reader's dashboard counts what they may open, 举报 only for 纪检.
func TestDashboardScope(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		st := dashboardStore(t, e)
		tests := []struct {
			name   string
			viewer access.Viewer
			total  int
		}{
			{"discipline: the 举报 alone", access.Viewer{Role: access.Discipline}, 1},
			{"liaison: work handed to the unit", access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, 7},
			{"leader of the unit", access.Viewer{Role: access.Leader, Linked: []string{"county-hospital"}}, 24},
			{"leader of another unit", access.Viewer{Role: access.Leader, Linked: []string{"tcm-hospital"}}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				d, err := BuildDashboard(context.Background(), st, DashboardQuery{Unit: "county-hospital", Month: "2026-03",
					Viewer: tt.viewer, Today: "2026-03-31"})
				if err != nil {
					t.Fatal(err)
				}
				if d.Total != tt.total {
					t.Errorf("total %d, want %d", d.Total, tt.total)
				}
			})
		}
	})
}

func TestBuildDashboardWantsAMonth(t *testing.T) {
	for _, month := range []string{"", "2026", "2026-Q1", "2026-13"} {
		if _, err := BuildDashboard(context.Background(), nil, DashboardQuery{Unit: "county-hospital", Month: month}); err != ErrNotMonth {
			t.Errorf("month %q: error %v, want ErrNotMonth", month, err)
		}
	}
}

// TestDashboardOfOneDept: a 科室's dashboard counts its own opinions and ratings, warns of it
// once (not again as the whole unit) and ranks nothing.
func TestDashboardOfOneDept(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		st := dashboardStore(t, e)
		d, err := BuildDashboard(context.Background(), st, DashboardQuery{Unit: "county-hospital", Dept: "内科", Month: "2026-03",
			Viewer: access.Viewer{Role: access.Reviewer}, Today: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Total != 10 || d.Open != 2 || d.Overdue != 1 || len(d.Depts) != 1 || d.Depts[0].Dept != "内科" {
			t.Errorf("total %d, open %d, overdue %d, 科室 %v; want 10, 2, 1 and 内科 alone", d.Total, d.Open, d.Overdue, d.Depts)
		}
		if len(d.Warnings) != 1 || d.Warnings[0].WholeUnit || d.Warnings[0].Dept != "内科" || d.Warnings[0].N != 6 {
			t.Errorf("warnings %+v, want 内科's bureaucratism alone", d.Warnings)
		}
		if len(d.Ranking) != 0 || d.Satisfaction.Rated() != 0 {
			t.Errorf("ranking %v, satisfaction %+v; want none (外科 was rated, not 内科)", d.Ranking, d.Satisfaction)
		}
	})
}
