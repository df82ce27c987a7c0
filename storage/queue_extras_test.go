package storage

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// Ensure the sidebar's counts are exactly the list's rows grouped by status, for every scope
// and filter, whatever status the filter names.
func TestStatusCountsAgreeWithList(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		fixtures := []struct {
			typ, unit, status string
		}{
			{"complaint", "county-hospital", lifecycle.Received},
			{"complaint", "county-hospital", lifecycle.Triaged},
			{"complaint", "county-hospital", lifecycle.Assigned}, // lead unit county-hospital (fullStep)
			{"suggestion", "tcm-hospital", lifecycle.Rectifying},
			{"suggestion", "tcm-hospital", lifecycle.Closed},
			{"report", "county-hospital", lifecycle.Assigned},
			{"report", "bureau", lifecycle.Received},
			{"praise", "bureau", lifecycle.Rejected},
		}
		for _, f := range fixtures {
			id := mustCreateOpinion(t, s, NewOpinion{Type: f.typ, UnitCode: f.unit})
			walkTo(t, s, id, f.status)
		}
		// Letters in mailboxes: the counts read the index alone, so these check the scope there.
		for _, m := range []string{"director", "director", "discipline"} {
			id := mustCreateOpinion(t, s, NewOpinion{MailboxCode: m, Content: "写给信箱的信：门诊排队太久。"})
			walkTo(t, s, id, lifecycle.Assigned)
		}
		viewers := map[string]*access.Viewer{
			"no scope":           nil,
			"reviewer":           {Role: access.Reviewer},
			"admin reading":      {Role: access.Admin, Mailboxes: []string{"director"}},
			"supervisor":         {Role: access.Supervisor},
			"discipline reading": {Role: access.Discipline, Mailboxes: []string{"discipline"}},
			"discipline":         {Role: access.Discipline},
			"liaison county":     {Role: access.Liaison, Unit: "county-hospital"},
			"liaison none":       {Role: access.Liaison, Unit: "qingshan-thc"},
			"leader bureau":      {Role: access.Leader, Linked: []string{"bureau"}},
		}
		filters := map[string]OpinionFilter{
			"all":            {},
			"status ignored": {Status: lifecycle.Closed},
			"unit":           {UnitCode: "tcm-hospital"},
			"type":           {Type: "complaint"},
			"month":          {Month: "2026-04"},
			"other month":    {Month: "2026-03"},
			"style none":     {Style: StyleNone},
			"channel":        {Channel: "web"},
			"mailbox":        {Mailbox: "director"},
			"text":           {Text: "门诊排队"},
		}
		for vname, v := range viewers {
			for fname, f := range filters {
				t.Run(vname+"/"+fname, func(t *testing.T) {
					f.Scope = v
					got, err := s.StatusCounts(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					list := f
					list.Status = ""
					page, err := s.ListOpinions(ctx, list, Cursor{}, 1000)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]int{}
					for _, o := range page.Opinions {
						want[o.Status]++
					}
					if !maps.Equal(got.ByStatus, want) {
						t.Errorf("ByStatus got %v, want %v", got.ByStatus, want)
					}
					if got.Total != len(page.Opinions) {
						t.Errorf("Total got %d, want %d", got.Total, len(page.Opinions))
					}
				})
			}
		}
	})
}

// Ensure 逾期 counts open work past its deadline, and only that.
func TestStatusCountsOverdue(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t) // today is 2026-04-01
		ctx := context.Background()
		setDeadline := func(id, d string) {
			t.Helper()
			if _, err := s.write.ExecContext(ctx, `UPDATE rectifications SET deadline = ? WHERE opinion_id = ?`, d, id); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			status, deadline string
			late             bool
		}{
			{lifecycle.Assigned, "2026-03-31", true},
			{lifecycle.Rectifying, "2026-01-01", true},
			{lifecycle.LookBack, "2026-03-01", true},
			{lifecycle.Assigned, "2026-04-01", false}, // due today: not yet late
			{lifecycle.Rectifying, "2030-01-01", false},
			{lifecycle.Closed, "2026-01-01", false}, // done: a deadline no longer matters
			{lifecycle.Satisfaction, "2026-01-01", false},
			{lifecycle.Triaged, "", false},
		}
		want := 0
		for _, tc := range tests {
			id := mustCreateOpinion(t, s, NewOpinion{})
			walkTo(t, s, id, tc.status)
			if tc.deadline != "" {
				setDeadline(id, tc.deadline)
			}
			if tc.late {
				want++
			}
		}
		got, err := s.StatusCounts(ctx, OpinionFilter{Scope: &access.Viewer{Role: access.Reviewer}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Overdue != want {
			t.Errorf("Overdue got %d, want %d", got.Overdue, want)
		}
		got, err = s.StatusCounts(ctx, OpinionFilter{Scope: &access.Viewer{Role: access.Discipline}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Overdue != 0 || got.Total != 0 {
			t.Errorf("discipline sees no complaints: got %+v", got)
		}
	})
}

func TestSavedFilters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		wang := mustCreateUser(t, s, "wang", RoleReviewer)
		li := mustCreateUser(t, s, "li", RoleReviewer)

		a, err := s.SaveFilter(ctx, wang.ID, "本月待梳理", "month=2026-04&status=received")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveFilter(ctx, wang.ID, "县医院", "unit=county-hospital"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveFilter(ctx, li.ID, "本月待梳理", "status=received"); err != nil {
			t.Errorf("another person may use the same name: %v", err)
		}
		if _, err := s.SaveFilter(ctx, wang.ID, "本月待梳理", "status=triaged"); !errors.Is(err, ErrConflict) {
			t.Errorf("same name twice: err = %v, want ErrConflict", err)
		}
		if _, err := s.SaveFilter(ctx, wang.ID, "", "status=triaged"); err == nil {
			t.Error("empty name saved")
		}

		got, err := s.SavedFilters(ctx, wang.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Name != "县医院" || got[1].Name != "本月待梳理" || got[1].Query != "month=2026-04&status=received" {
			t.Errorf("SavedFilters(wang) = %+v", got)
		}
		if got[1].ID != a.ID || got[1].CreatedAt.IsZero() {
			t.Errorf("saved filter %+v, want id %d and a time", got[1], a.ID)
		}

		if err := s.DeleteSavedFilter(ctx, li.ID, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting someone else's filter: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteSavedFilter(ctx, wang.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSavedFilter(ctx, wang.ID, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting twice: err = %v, want ErrNotFound", err)
		}
		if n := countRows(t, s, "saved_filters", "user_id = ?", wang.ID); n != 1 {
			t.Errorf("wang keeps %d filters, want 1", n)
		}
		if n := countRows(t, s, "audit_log", "action IN ('filter_save', 'filter_delete') AND user_id = ?", wang.ID); n != 3 {
			t.Errorf("audit rows got %d, want 3 (two saves, one delete)", n)
		}
		if n := cascadingReferences(t, s, "saved_filters", "users"); n != 1 {
			t.Error("saved_filters.user_id must reference users ON DELETE CASCADE")
		}
	})
}

func TestSavedFiltersLimit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "wang", RoleReviewer)
		for i := range MaxSavedFilters {
			if _, err := s.SaveFilter(ctx, u.ID, "筛选"+strconv.Itoa(i), ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SaveFilter(ctx, u.ID, "再一个", ""); !errors.Is(err, ErrLimit) {
			t.Errorf("one too many: err = %v, want ErrLimit", err)
		}
	})
}
