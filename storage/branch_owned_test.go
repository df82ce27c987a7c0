package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"minsheng/access"
)

// branchAuditLines returns "action detail" of every entry an administrator limited to east-county
// reads (AuditFilter.Branch), the accounts of the branch given as actors.
func branchAuditLines(t *testing.T, s *Store, actors ...int64) []string {
	t.Helper()
	units, err := s.Subtree(context.Background(), "east-county")
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := s.AuditPage(context.Background(), AuditFilter{Branch: true, BranchUnits: units, BranchActors: actors})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Action+" "+r.Detail)
	}
	return out
}

// TestAuditOfABranch: a branch administrator's audit log holds the entries about the opinions,
// units, accounts, mailboxes, sites and surveys of their branch and what the branch's accounts
// did; never another county's, the whole portal's settings or what the province's people did
// about no unit. Both engines.
func TestAuditOfABranch(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		twoCounties(t, s)
		root := mustCreateScoped(t, s, NewUser{Username: "省管理员", Role: access.Admin})
		east := mustCreateScoped(t, s, NewUser{Username: "东县管理员", Role: access.Admin, Branch: "east-county"})
		eastLiaison := mustCreateScoped(t, s, NewUser{Username: "东县联络员", Role: access.Liaison, Unit: "east-hospital"})
		westLiaison := mustCreateScoped(t, s, NewUser{Username: "西县联络员", Role: access.Liaison, Unit: "west-hospital"})
		mustSession(t, s, eastLiaison)
		mustSession(t, s, westLiaison)
		eastOp := mustCreateOpinion(t, s, NewOpinion{UnitCode: "east-hospital"})
		westOp := mustCreateOpinion(t, s, NewOpinion{UnitCode: "west-hospital"})
		for _, id := range []string{eastOp, westOp} {
			if err := s.AddNote(ctx, root.ID, id, "请核实"); err != nil {
				t.Fatal(err)
			}
		}
		for _, unit := range []string{"east-hospital", "west-hospital"} {
			if _, err := s.CreateMailbox(ctx, root.ID, MailboxEdit{Name: unit + "院长信箱", UnitCode: unit,
				ReaderRoles: []string{access.Admin}}); err != nil {
				t.Fatal(err)
			}
			mustCreateSite(t, s, root.ID, NewSite{Name: unit + "门诊大厅", UnitCode: unit})
		}
		if _, err := s.CreateMailbox(ctx, root.ID, MailboxEdit{Name: "省局意见箱", ReaderRoles: []string{access.Admin}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSurvey(ctx, east.ID, NewSurvey{Title: "东县测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30",
			Scale: ScaleThree, Units: []string{"east-hospital"}, Items: []string{"服务态度"}, Branch: "east-county"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSurvey(ctx, root.ID, NewSurvey{Title: "全省测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30",
			Scale: ScaleThree, Units: []string{"east-hospital", "west-hospital"}, Items: []string{"服务态度"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(ctx, east.ID, "export", "csv 2026-04"); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(ctx, root.ID, "export", "csv whole"); err != nil {
			t.Fatal(err)
		}
		got := branchAuditLines(t, s, east.ID, eastLiaison.ID)
		for _, want := range []string{
			"user_add 东县管理员 (admin, east-county)", "user_add 东县联络员 (liaison)", "login ", "note ",
			"site_add", "mailbox_add", "survey_add", "export csv 2026-04", "unit_add east-hospital",
		} {
			if !slices.ContainsFunc(got, func(l string) bool { return len(l) >= len(want) && l[:len(want)] == want }) {
				t.Errorf("east's audit log lacks %q: %q", want, got)
			}
		}
		for _, line := range got {
			for _, never := range []string{"西县", "west", "省局意见箱", "全省测评", "csv whole", "省管理员"} {
				if strings.Contains(line, never) {
					t.Errorf("east's audit log shows %q", line)
				}
			}
		}
		var notes int
		for _, l := range got {
			if l == "note " {
				notes++
			}
		}
		if logins := slices.Index(got, "login "); notes != 1 || logins < 0 {
			t.Errorf("east reads %d notes (want the one on %s) and logins at %d: %q", notes, eastOp, logins, got)
		}
		// With no unit in the branch nothing is read (a branch whose units could not be loaded).
		if rows, _, err := s.AuditPage(ctx, AuditFilter{Branch: true}); err != nil || len(rows) != 0 {
			t.Errorf("an empty branch reads %d entries, %v", len(rows), err)
		}
	})
}

// twoCounties is branchUnits with a hospital in the west county too, so that each branch has
// a unit of its own.
func twoCounties(t *testing.T, s *Store) {
	t.Helper()
	branchUnits(t, s)
	mustCreateUnit(t, s, NewUnit{Code: "west-hospital", Name: "西县人民医院", ParentCode: "west-county", Kind: "county"})
}

// TestSurveysAndEvaluationsOfABranch: a survey or an evaluation of a branch names units of
// that branch only (ErrOutsideBranch otherwise, nothing stored) and keeps its branch; the
// whole portal's have none. Both engines.
func TestSurveysAndEvaluationsOfABranch(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		twoCounties(t, s)
		survey := func(branch string, units ...string) (int64, error) {
			return s.CreateSurvey(ctx, 0, NewSurvey{Title: "测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30",
				Scale: ScaleThree, Units: units, Items: []string{"服务态度"}, Branch: branch})
		}
		if _, err := survey("east-county", "east-hospital", "west-hospital"); !errors.Is(err, ErrOutsideBranch) {
			t.Errorf("a survey of east naming a west unit: %v, want ErrOutsideBranch", err)
		}
		id, err := survey("east-county", "east-hospital")
		if err != nil {
			t.Fatal(err)
		}
		whole, err := survey("", "east-hospital", "west-hospital")
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.Surveys(ctx)
		if err != nil || len(all) != 2 {
			t.Fatalf("Surveys: %d, %v; want the two stored", len(all), err)
		}
		for _, sv := range all {
			if want := map[int64]string{id: "east-county", whole: ""}[sv.ID]; sv.Branch != want {
				t.Errorf("survey %d: branch %q, want %q", sv.ID, sv.Branch, want)
			}
		}
		if sv, err := s.Survey(ctx, id); err != nil || sv.Branch != "east-county" {
			t.Errorf("Survey: branch %q, %v", sv.Branch, err)
		}
		eval := func(branch, unit string) (int64, error) {
			return s.CreateEvaluation(ctx, 0, NewEvaluation{Title: "民主评议", UnitCode: unit, OpensOn: "2026-04-01",
				ClosesOn: "2026-04-30", Branch: branch})
		}
		if _, err := eval("east-county", "west-hospital"); !errors.Is(err, ErrOutsideBranch) {
			t.Errorf("an evaluation of east about a west unit: %v, want ErrOutsideBranch", err)
		}
		eid, err := eval("east-county", "east-hospital")
		if err != nil {
			t.Fatal(err)
		}
		if ev, err := s.Evaluation(ctx, eid); err != nil || ev.Branch != "east-county" {
			t.Errorf("Evaluation: branch %q, %v", ev.Branch, err)
		}
		evs, err := s.Evaluations(ctx)
		if err != nil || len(evs) != 1 {
			t.Errorf("Evaluations: %d, %v; want the one stored", len(evs), err)
		}
	})
}

// TestSetUserBranch: an administrator's branch is set, narrowed and cleared, audited and
// attributed to the branch; their sessions end. Refused: someone not an administrator or an
// unknown unit (ErrInvalid), one's own and the last administrator of the whole tree
// (ErrConflict). Both engines.
func TestSetUserBranch(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		branchUnits(t, s)
		root := mustCreateScoped(t, s, NewUser{Username: "省管理员", Role: access.Admin})
		other := mustCreateScoped(t, s, NewUser{Username: "另一位管理员", Role: access.Admin})
		liaison := mustCreateScoped(t, s, NewUser{Username: "东县联络员", Role: access.Liaison, Unit: "east-hospital"})
		cookie := mustSession(t, s, other)
		if err := s.SetUserBranch(ctx, root.ID, other.ID, "east-county"); err != nil {
			t.Fatal(err)
		}
		wantLastAudit(t, s, "user_branch", "另一位管理员:  → east-county")
		if _, err := s.SessionUser(ctx, cookie); err == nil {
			t.Error("the session outlived the change of branch")
		}
		got, err := s.SessionUser(ctx, mustSession(t, s, other))
		if err != nil || got.Viewer().Branch != "east-county" || len(got.Viewer().BranchUnits) != 3 {
			t.Errorf("after the change: %+v, %v", got.Viewer(), err)
		}
		if slices.Index(branchAuditLines(t, s), "user_branch 另一位管理员:  → east-county") < 0 {
			t.Error("the change is not in east's audit log")
		}
		if err := s.SetUserBranch(ctx, root.ID, other.ID, "east-hospital"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserBranch(ctx, root.ID, other.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantLastAudit(t, s, "user_branch", "另一位管理员: east-hospital → ")
		for _, tt := range []struct {
			name          string
			actor, target int64
			root          string
			want          error
		}{
			{"a liaison has no branch", root.ID, liaison.ID, "east-county", ErrInvalid},
			{"an unknown unit", root.ID, other.ID, "nowhere", ErrInvalid},
			{"one's own", root.ID, root.ID, "east-county", ErrConflict},
			{"an unknown account", root.ID, 9999, "east-county", ErrNotFound},
		} {
			if err := s.SetUserBranch(ctx, tt.actor, tt.target, tt.root); !errors.Is(err, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			}
		}
		// The last active administrator of the whole tree keeps it.
		if err := s.SetUserBranch(ctx, 0, other.ID, "east-county"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserBranch(ctx, 0, root.ID, "west-county"); !errors.Is(err, ErrConflict) {
			t.Errorf("limiting the last administrator of the whole tree: %v, want ErrConflict", err)
		}
	})
}
