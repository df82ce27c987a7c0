package storage

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"minsheng/access"
)

// seedDashboard stores a few opinions about county-hospital and one elsewhere, and returns the
// id of each by its 科室 (each 科室 is used once).
func seedDashboard(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	op := func(dept, day, typ, unit, status string, styles []string, r *Rectification) SeedOpinion {
		return SeedOpinion{NewOpinion: NewOpinion{Type: typ, UnitCode: unit, Dept: dept, Submitter: "patient",
			Content: "测试意见内容，请认真处理这件事情。"}, CreatedOn: day, Status: status, Styles: styles, Rectification: r}
	}
	batch := []SeedOpinion{
		op("内科", "2026-03-05", "complaint", "county-hospital", "assigned", []string{"bureaucratism", "formalism"},
			&Rectification{LeadUnit: "county-hospital", Deadline: "2026-03-20", Ledger: "problem", Kind: "timed"}),
		op("外科", "2026-02-10", "praise", "county-hospital", "closed", nil, nil),
		op("儿科", "2026-01-31", "complaint", "county-hospital", "received", nil, nil), // before the span
		op("药房", "2026-03-01", "report", "county-hospital", "received", nil, nil),    // 举报
		op("骨科", "2026-03-02", "complaint", "tcm-hospital", "received", nil, nil),    // another unit
	}
	if err := s.InsertSeed(ctx, batch); err != nil {
		t.Fatalf("InsertSeed: %v", err)
	}
	ids := map[string]string{}
	rows, err := s.read.QueryContext(ctx, `SELECT dept, id FROM opinions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, id string
		if err := rows.Scan(&dept, &id); err != nil {
			t.Fatal(err)
		}
		ids[dept] = id
	}
	// A manifestation tag and a family tag: the dashboard counts the first only.
	for _, tag := range []string{"bureaucratism-slow", "arbitrary_fees"} {
		if _, err := s.write.ExecContext(ctx, `INSERT INTO opinion_tags (opinion_id, tag) VALUES (?, ?)`, ids["内科"], tag); err != nil {
			t.Fatalf("tag: %v", err)
		}
	}
	for dept, day := range map[string]string{"外科": "2026-03-10", "内科": "2026-01-15"} {
		if _, err := s.write.ExecContext(ctx, `INSERT INTO ratings (opinion_id, round, rating, rated_on) VALUES (?, 1, 'satisfied', ?)`,
			ids[dept], day); err != nil {
			t.Fatalf("rate: %v", err)
		}
	}
	return ids
}

func TestEachDashboardItemKeepsToUnitSpanAndScope(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		seedDashboard(t, s)
		f := DashboardFilter{Unit: "county-hospital", From: "2026-02-01", To: "2026-04-01"}
		tests := []struct {
			name   string
			viewer access.Viewer
			dept   string
			want   []string // 科室 streamed
		}{
			{"reviewer: no 举报", access.Viewer{Role: access.Reviewer}, "", []string{"内科", "外科"}},
			{"discipline: 举报 only", access.Viewer{Role: access.Discipline}, "", []string{"药房"}},
			{"leader of the unit", access.Viewer{Role: access.Leader, Linked: []string{"county-hospital"}}, "", []string{"内科", "外科"}},
			{"leader of another unit", access.Viewer{Role: access.Leader, Linked: []string{"tcm-hospital"}}, "", nil},
			{"liaison: the work handed to the unit", access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-04-01"}, "", []string{"内科"}},
			{"one 科室", access.Viewer{Role: access.Reviewer}, "外科", []string{"外科"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f.Viewer, f.Dept = tt.viewer, tt.dept
				var got []string
				err := s.EachDashboardItem(context.Background(), f, func(it *DashboardItem) error {
					got = append(got, it.Dept)
					if it.Dept == "内科" {
						styles := slices.Clone(it.Styles)
						sort.Strings(styles)
						if strings.Join(styles, " ") != "bureaucratism formalism" || strings.Join(it.Manifestations, " ") != "bureaucratism-slow" ||
							it.Deadline != "2026-03-20" || it.Status != "assigned" || it.CreatedOn != "2026-03-05" || it.Type != "complaint" {
							t.Errorf("内科 item: %+v", *it)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				sort.Strings(got)
				want := slices.Clone(tt.want)
				sort.Strings(want)
				if !slices.Equal(got, want) {
					t.Errorf("streamed %v, want %v", got, want)
				}
			})
		}
	})
}

func TestEachDashboardRatingByTheDayGiven(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		seedDashboard(t, s)
		f := DashboardFilter{Unit: "county-hospital", From: "2026-02-01", To: "2026-04-01", Viewer: access.Viewer{Role: access.Reviewer}}
		var got []DashboardRating
		if err := s.EachDashboardRating(context.Background(), f, func(g DashboardRating) error {
			got = append(got, g)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// 内科 was rated in January, before the span: left out.
		want := []DashboardRating{{Dept: "外科", RatedOn: "2026-03-10", Rating: "satisfied"}}
		if !slices.Equal(got, want) {
			t.Errorf("ratings %v, want %v", got, want)
		}
	})
}

// TestDashboardReadsTheUnitIndex: the dashboard's items are one range of opinions_by_unit, read
// from the index alone (migration 0027), never a scan (but of u, the range sorted by id); their
// styles, tags and deadlines are found by key; and rectifications are joined only for a
// liaison, whose scope needs them.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestDashboardReadsTheUnitIndex(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	for _, f := range []DashboardFilter{
		{Viewer: access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}},
		{Viewer: access.Viewer{Role: access.Reviewer}, Dept: "内科"},
		{Viewer: access.Viewer{Role: access.Discipline}},
		{Viewer: access.Viewer{Role: access.Leader, Linked: []string{"county-hospital"}}},
		{Viewer: access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-04-01"}},
	} {
		v := f.Viewer
		t.Run(v.Role+" "+f.Dept, func(t *testing.T) {
			cond, args := f.where([]any{"county-hospital", "2025-01-01", "2026-04-01"})
			plan := queryPlan(t, s, fmt.Sprintf(dashboardItemsSQL, cond), args...)
			if !strings.Contains(plan, "SEARCH o USING COVERING INDEX opinions_by_unit (unit_code=? AND created_on>? AND created_on<?)") {
				t.Errorf("the items do not read a range of opinions_by_unit alone:\n%s", plan)
			}
			for _, line := range strings.Split(plan, "\n") {
				if strings.HasPrefix(line, "SCAN ") && line != "SCAN u" {
					t.Errorf("a table is scanned: %q\n%s", line, plan)
				}
			}
			if joined := strings.Contains(plan, "SEARCH r "); joined != (v.Role == access.Liaison) {
				t.Errorf("rectifications joined: %v, want only for a liaison:\n%s", joined, plan)
			}
		})
	}
}
