package storage

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// refusedWith reports whether err is a Refusal for reason (and so ErrInvalid).
func refusedWith(err error, reason string) bool {
	r := RefusalOf(err)
	return r != nil && r.Reason == reason && errors.Is(err, ErrInvalid)
}

// auditTrail lists the audit actions of an opinion, in order.
func auditTrail(t *testing.T, s *Store, id string) []string {
	t.Helper()
	hist, err := s.AuditOf(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range hist {
		out = append(out, e.Action+":"+e.Detail)
	}
	return out
}

// Ensure a problem gathers opinions: its count, members, title, audit, and that members follow
// the carrier (status duplicate, merged into it).
func TestProblemJoinLeaveRetitle(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, eng backend) {
		t.Parallel()
		s := eng.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "reviewer1", RoleReviewer)
		carrier := opinionIn(t, s, lifecycle.Assigned)
		a := mustCreateOpinion(t, s, NewOpinion{Content: "门诊挂号窗口只开一个"})
		b := opinionIn(t, s, lifecycle.Triaged)

		pid, err := s.NewProblem(ctx, u.ID, carrier, "  门诊  挂号排长队 ")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{a, b} {
			if err := s.Join(ctx, u.ID, id, pid); err != nil {
				t.Fatalf("Join(%s): %v", id, err)
			}
		}
		p, err := s.Problem(ctx, pid, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "门诊 挂号排长队" || p.Count != 3 || p.Carrier != carrier || p.Status != lifecycle.Assigned ||
			p.Deadline != "2030-01-01" || p.LeadUnit != "county-hospital" || p.LeadUnitName == "" {
			t.Errorf("problem = %+v", p)
		}
		if !reflect.DeepEqual(p.Months, []string{"2026-04"}) || len(p.Units) != 1 {
			t.Errorf("units %q, months %q", p.Units, p.Months)
		}
		members, err := s.Members(ctx, pid, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 3 || members[0].ID != carrier {
			t.Fatalf("members = %v, want 3 with the carrier first", members)
		}
		for _, m := range members[1:] {
			if m.Status != lifecycle.Duplicate || m.MergedInto != carrier {
				t.Errorf("member %s: status %s merged into %q", m.ID, m.Status, m.MergedInto)
			}
		}
		for _, id := range []string{carrier, a, b} {
			if got, err := s.ProblemOf(ctx, id, nil); err != nil || got.ID != pid {
				t.Errorf("ProblemOf(%s) = %s, %v", id, got.ID, err)
			}
		}
		if got := auditTrail(t, s, a); !reflect.DeepEqual(got, []string{"status:received→duplicate", "problem_join:" + pid}) {
			t.Errorf("audit of the joiner: %q", got)
		}

		// The title: rewritten, and refused empty or past 60 characters.
		if err := s.Retitle(ctx, u.ID, pid, "挂号窗口少"); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{" ", strings.Repeat("长", MaxProblemTitle+1)} {
			if err := s.Retitle(ctx, u.ID, pid, bad); !refusedWith(err, RefusedTitle) {
				t.Errorf("Retitle(%q) = %v, want a title refusal", bad, err)
			}
		}
		if err := s.Retitle(ctx, u.ID, "NOSUCHPROB", "标题"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Retitle of no problem = %v", err)
		}
		if p, _ := s.Problem(ctx, pid, nil); p.Title != "挂号窗口少" {
			t.Errorf("title after Retitle = %q", p.Title)
		}
		// ProblemsOf names the problem of each opinion in one query; an unknown id is absent.
		refs, err := s.ProblemsOf(ctx, []string{carrier, a, "NOSUCHOPIN"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]ProblemRef{carrier: {pid, "挂号窗口少"}, a: {pid, "挂号窗口少"}}
		if !reflect.DeepEqual(refs, want) {
			t.Errorf("ProblemsOf = %v, want %v", refs, want)
		}

		// 移出问题: the carrier may not leave while others remain; a member goes back to 已分类.
		if err := s.Leave(ctx, u.ID, carrier); !refusedWith(err, RefusedCarrierLeaves) {
			t.Errorf("carrier leaving = %v", err)
		}
		if err := s.Leave(ctx, u.ID, a); err != nil {
			t.Fatal(err)
		}
		if o, _ := s.Opinion(ctx, a); o.Status != lifecycle.Triaged || o.MergedInto != "" {
			t.Errorf("after leaving: %s merged into %q", o.Status, o.MergedInto)
		}
		if _, err := s.ProblemOf(ctx, a, nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("ProblemOf after leaving = %v", err)
		}
		if err := s.Leave(ctx, u.ID, a); !refusedWith(err, RefusedNotInProblem) {
			t.Errorf("leaving twice = %v", err)
		}
		// The last member leaves: the problem stays with its carrier alone, until the carrier leaves.
		if err := s.Leave(ctx, u.ID, b); err != nil {
			t.Fatal(err)
		}
		if p, err := s.Problem(ctx, pid, nil); err != nil || p.Count != 1 {
			t.Errorf("after the last member left: %+v, %v", p, err)
		}
		if err := s.Leave(ctx, u.ID, carrier); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Problem(ctx, pid, nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("a problem whose carrier left = %v, want ErrNotFound", err)
		}
		if got := auditTrail(t, s, carrier); !reflect.DeepEqual(got[len(got)-3:],
			[]string{"problem_new:" + pid, "problem_title:挂号窗口少", "problem_dissolve:" + pid}) {
			t.Errorf("audit of the carrier ends %q", got)
		}
	})
}

// Ensure what may not be grouped is refused with a reason, and nothing is written.
func TestProblemRefusals(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier := mustCreateOpinion(t, s, NewOpinion{})
		pid, err := s.NewProblem(ctx, 0, carrier, "挂号难")
		if err != nil {
			t.Fatal(err)
		}
		member := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Join(ctx, 0, member, pid); err != nil {
			t.Fatal(err)
		}
		other := mustCreateOpinion(t, s, NewOpinion{})
		otherProblem, err := s.NewProblem(ctx, 0, other, "停车难")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Join(ctx, 0, mustCreateOpinion(t, s, NewOpinion{}), otherProblem); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, id, problem, reason string
		}{
			{"the carrier into its own problem", carrier, pid, RefusedSelf},
			{"a member again", member, pid, RefusedSame},
			{"a member of another problem", member, otherProblem, RefusedMember},
			{"assigned work cannot become 重复", opinionIn(t, s, lifecycle.Assigned), pid, RefusedStatus},
			{"closed work neither", opinionIn(t, s, lifecycle.Closed), pid, RefusedStatus},
			{"a carrier of others", other, pid, RefusedCarries},
			{"a 举报 with ordinary opinions", mustCreateOpinion(t, s, NewOpinion{Type: "report"}), pid, RefusedReport},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, _ := s.Opinion(ctx, tt.id)
				if err := s.Join(ctx, 0, tt.id, tt.problem); !refusedWith(err, tt.reason) {
					t.Fatalf("Join = %v, want refusal %q", err, tt.reason)
				}
				if after, _ := s.Opinion(ctx, tt.id); after.Status != before.Status || after.MergedInto != before.MergedInto {
					t.Errorf("a refused join changed %s: %s → %s", tt.id, before.Status, after.Status)
				}
			})
		}
		if err := s.Join(ctx, 0, member, "NOSUCHPROB"); !errors.Is(err, ErrNotFound) {
			t.Errorf("join of no problem = %v", err)
		}
		if _, err := s.NewProblem(ctx, 0, member, "再来一个"); !refusedWith(err, RefusedHasProblem) {
			t.Errorf("NewProblem for a member = %v", err)
		}
		if _, err := s.NewProblem(ctx, 0, carrier, "再来一个"); !refusedWith(err, RefusedHasProblem) {
			t.Errorf("NewProblem for a carrier = %v", err)
		}
		if _, err := s.NewProblem(ctx, 0, mustCreateOpinion(t, s, NewOpinion{}), ""); !refusedWith(err, RefusedTitle) {
			t.Errorf("NewProblem without a title = %v", err)
		}
		// A report may group with reports.
		r1, r2 := mustCreateOpinion(t, s, NewOpinion{Type: "report"}), mustCreateOpinion(t, s, NewOpinion{Type: "report"})
		if _, err := s.Group(ctx, 0, r1, r2, "收红包"); err != nil {
			t.Errorf("two 举报: %v", err)
		}
	})
}

// Ensure 归入同一问题 from the similar-opinions panel picks the right problem and carrier.
func TestProblemGroup(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrierOf := func(t *testing.T, pid string) string {
			t.Helper()
			p, err := s.Problem(ctx, pid, nil)
			if err != nil {
				t.Fatal(err)
			}
			return p.Carrier
		}

		t.Run("neither in a problem: the one further along carries", func(t *testing.T) {
			received, triaged := mustCreateOpinion(t, s, NewOpinion{}), opinionIn(t, s, lifecycle.Triaged)
			pid, err := s.Group(ctx, 0, received, triaged, "挂号难")
			if err != nil {
				t.Fatal(err)
			}
			if c := carrierOf(t, pid); c != triaged {
				t.Errorf("carrier %s, want the triaged one %s", c, triaged)
			}
		})
		t.Run("neither: one that cannot become 重复 carries", func(t *testing.T) {
			assigned, received := opinionIn(t, s, lifecycle.Assigned), mustCreateOpinion(t, s, NewOpinion{})
			pid, err := s.Group(ctx, 0, received, assigned, "挂号难")
			if err != nil {
				t.Fatal(err)
			}
			if c := carrierOf(t, pid); c != assigned {
				t.Errorf("carrier %s, want the assigned one %s", c, assigned)
			}
		})
		t.Run("neither: the same stage, the earlier carries", func(t *testing.T) {
			x, y := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			earlier := min(x, y) // the same day: then by id
			pid, err := s.Group(ctx, 0, x, y, "挂号难")
			if err != nil {
				t.Fatal(err)
			}
			if c := carrierOf(t, pid); c != earlier {
				t.Errorf("carrier %s, want %s", c, earlier)
			}
		})
		t.Run("neither, no title", func(t *testing.T) {
			x, y := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			if _, err := s.Group(ctx, 0, x, y, " "); !refusedWith(err, RefusedTitle) {
				t.Errorf("Group without a title = %v", err)
			}
			if _, err := s.ProblemOf(ctx, x, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("a refused group left a problem: %v", err)
			}
		})
		t.Run("neither can become 重复", func(t *testing.T) {
			x, y := opinionIn(t, s, lifecycle.Assigned), opinionIn(t, s, lifecycle.Closed)
			if _, err := s.Group(ctx, 0, x, y, "挂号难"); !refusedWith(err, RefusedStatus) {
				t.Errorf("Group of two in work = %v", err)
			}
			if _, err := s.ProblemOf(ctx, x, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("a refused group left a problem: %v", err)
			}
		})
		t.Run("the other is in a problem: this one joins it", func(t *testing.T) {
			c, m := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			pid, _ := s.Group(ctx, 0, c, m, "挂号难")
			x := mustCreateOpinion(t, s, NewOpinion{})
			got, err := s.Group(ctx, 0, x, m, "")
			if err != nil || got != pid {
				t.Fatalf("Group = %s, %v; want %s", got, err, pid)
			}
			if p, _ := s.Problem(ctx, pid, nil); p.Count != 3 {
				t.Errorf("count %d, want 3", p.Count)
			}
		})
		t.Run("this one carries: the other joins", func(t *testing.T) {
			c := opinionIn(t, s, lifecycle.Assigned)
			pid, _ := s.NewProblem(ctx, 0, c, "挂号难")
			y := mustCreateOpinion(t, s, NewOpinion{})
			if got, err := s.Group(ctx, 0, c, y, ""); err != nil || got != pid {
				t.Fatalf("Group = %s, %v; want %s", got, err, pid)
			}
		})
		t.Run("both carry others: refused", func(t *testing.T) {
			c1, c2 := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			if _, err := s.Group(ctx, 0, c1, mustCreateOpinion(t, s, NewOpinion{}), "一"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Group(ctx, 0, c2, mustCreateOpinion(t, s, NewOpinion{}), "二"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Group(ctx, 0, c1, c2, ""); !refusedWith(err, RefusedBothCarry) {
				t.Errorf("Group of two problems = %v", err)
			}
		})
		t.Run("this one carries alone: it joins the other's, its own dissolved", func(t *testing.T) {
			solo := mustCreateOpinion(t, s, NewOpinion{})
			own, _ := s.NewProblem(ctx, 0, solo, "单独")
			c, m := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			pid, _ := s.Group(ctx, 0, c, m, "大家")
			if got, err := s.Group(ctx, 0, solo, m, ""); err != nil || got != pid {
				t.Fatalf("Group = %s, %v; want %s", got, err, pid)
			}
			if _, err := s.Problem(ctx, own, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("the solo problem was kept: %v", err)
			}
		})
		t.Run("the same problem already", func(t *testing.T) {
			c, m := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
			_, _ = s.Group(ctx, 0, c, m, "同")
			if _, err := s.Group(ctx, 0, m, c, ""); !refusedWith(err, RefusedSame) {
				t.Errorf("Group again = %v", err)
			}
		})
	})
}

// Ensure the 重复 step typed by id joins the target's problem, made with a title from the
// target's masked text when it has none; and 重复 → 已分类 leaves it, audited.
func TestDuplicateStepJoinsAProblem(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		target := mustCreateOpinion(t, s, NewOpinion{Content: "我的电话13912345678，门诊挂号窗口太少，每天早上排队两个多小时，老人站不住"})
		dup := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, 0, dup, fullStep(lifecycle.Duplicate, target)); err != nil {
			t.Fatal(err)
		}
		p, err := s.ProblemOf(ctx, dup, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Carrier != target || p.Count != 2 {
			t.Errorf("problem %+v", p)
		}
		if strings.Contains(p.Title, "13912345678") || !strings.HasPrefix(p.Title, "我的电话") ||
			len([]rune(p.Title)) > backfillTitleLength+1 {
			t.Errorf("backfilled title %q: want the start of the masked text", p.Title)
		}
		if err := s.Transition(ctx, 0, dup, lifecycle.Step{To: lifecycle.Triaged}); err != nil {
			t.Fatal(err)
		}
		if got := auditTrail(t, s, dup); !reflect.DeepEqual(got, []string{"status:received→duplicate", "problem_join:" + p.ID,
			"status:duplicate→triaged", "problem_leave:" + p.ID}) {
			t.Errorf("audit %q", got)
		}
	})
}

// Ensure a staff member sees of a problem only the members they may open, and the problems list
// only problems with such a member, most people first, page by page.
func TestProblemScopeAndList(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		// A big problem whose carrier is handed to county-hospital; a small one nobody handed on.
		big := opinionIn(t, s, lifecycle.Assigned)
		bigID, _ := s.NewProblem(ctx, 0, big, "大问题")
		for range 3 {
			if err := s.Join(ctx, 0, mustCreateOpinion(t, s, NewOpinion{UnitCode: "bureau"}), bigID); err != nil {
				t.Fatal(err)
			}
		}
		small := mustCreateOpinion(t, s, NewOpinion{})
		smallID, _ := s.Group(ctx, 0, small, mustCreateOpinion(t, s, NewOpinion{}), "小问题")
		solo := mustCreateOpinion(t, s, NewOpinion{})
		soloID, _ := s.NewProblem(ctx, 0, solo, "一个人")

		liaison := &access.Viewer{Role: access.Liaison, Unit: "county-hospital"}
		members, err := s.Members(ctx, bigID, liaison)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].ID != big {
			t.Errorf("the liaison's members: %d, want the carrier alone", len(members))
		}
		p, _ := s.Problem(ctx, bigID, liaison)
		if p.Count != 4 || len(p.Units) != 1 {
			t.Errorf("as the liaison: count %d (all), units %q (theirs)", p.Count, p.Units)
		}
		if all, _ := s.Problem(ctx, bigID, nil); len(all.Units) != 2 {
			t.Errorf("units of everyone: %q", all.Units)
		}

		page, err := s.ListProblems(ctx, ProblemFilter{Scope: liaison}, ProblemCursor{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Problems) != 1 || page.Problems[0].ID != bigID {
			t.Errorf("the liaison lists %v", page.Problems)
		}
		reviewer := &access.Viewer{Role: access.Reviewer}
		var ids []string
		var counts []int
		after := ProblemCursor{}
		for {
			page, err := s.ListProblems(ctx, ProblemFilter{Scope: reviewer}, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Problems {
				ids, counts = append(ids, p.ID), append(counts, p.Count)
			}
			if page.Next.ID == "" {
				break
			}
			after = ParseProblemCursor(page.Next.String())
		}
		if !reflect.DeepEqual(ids, []string{bigID, smallID, soloID}) || !reflect.DeepEqual(counts, []int{4, 2, 1}) {
			t.Errorf("the reviewer lists %q with counts %v", ids, counts)
		}
		discipline := &access.Viewer{Role: access.Discipline}
		if page, _ := s.ListProblems(ctx, ProblemFilter{Scope: discipline}, ProblemCursor{}, 10); len(page.Problems) != 0 {
			t.Errorf("discipline lists %d problems of ordinary opinions", len(page.Problems))
		}
		// The queue filtered by a problem.
		q, err := s.ListOpinions(ctx, OpinionFilter{Problem: bigID, Scope: reviewer}, Cursor{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Opinions) != 4 {
			t.Errorf("the queue of the big problem holds %d", len(q.Opinions))
		}
	})
}

// Ensure merges made before problems become problems when the store opens: every carrier of
// duplicates one problem, titled from its masked text, the day the latest of its opinions.
// SQLite only: an upgrade from a schema before PostgreSQL's (its 0001 folds these migrations; TestFoldedPostgresMigrationsAreEmpty).
func TestMigrationMakesProblemsOfMerges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0023_search_index.sql") // the schema just before problems
	for _, stmt := range []string{
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, created_on)
		 VALUES ('CARRIER001', x'01', 'complaint', 'bureau', 'patient', '电话13912345678 夜里急诊没有医生，等了一个小时也没人来，护士说医生在睡觉', 'assigned', '2026-03-01')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, merged_into, created_on)
		 VALUES ('MEMBER0001', x'02', 'complaint', 'bureau', 'family', '急诊晚上找不到医生', 'duplicate', 'CARRIER001', '2026-03-04')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, merged_into, created_on)
		 VALUES ('MEMBER0002', x'03', 'complaint', 'bureau', 'family', '半夜急诊没医生', 'duplicate', 'CARRIER001', '2026-03-02')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, created_on)
		 VALUES ('ALONE00001', x'04', 'complaint', 'bureau', 'patient', '停车难', 'received', '2026-03-05')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()
	s := openAt(t, path, fixedClock)
	page, err := s.ListProblems(ctx, ProblemFilter{}, ProblemCursor{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Problems) != 1 {
		t.Fatalf("%d problems after the upgrade, want 1", len(page.Problems))
	}
	p := page.Problems[0]
	if p.Carrier != "CARRIER001" || p.Count != 3 || p.CreatedOn != "2026-03-04" || len(p.ID) != 10 {
		t.Errorf("migrated problem %+v", p)
	}
	if strings.Contains(p.Title, "13912345678") || !strings.Contains(p.Title, "夜里急诊") || !strings.HasSuffix(p.Title, "…") {
		t.Errorf("backfilled title %q", p.Title)
	}
	if _, err := s.ProblemOf(ctx, "ALONE00001", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("an opinion merged with nothing got a problem: %v", err)
	}
	// The merged opinions keep following their carrier, now as a problem's members.
	if err := s.Leave(ctx, 0, "MEMBER0002"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Problem(ctx, p.ID, nil); p.Count != 2 {
		t.Errorf("count after one left: %d", p.Count)
	}
}

// Ensure the export reads each opinion's problem (id and title), for carrier and member alike,
// and the problems view can leave out work that is finished.
func TestProblemInExportRows(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier, member, alone := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
		pid, err := s.Group(ctx, 0, member, carrier, "挂号难")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		if err := s.EachExportRow(ctx, OpinionFilter{}, func(r ExportRow) error {
			got[r.ID] = r.ProblemID + " " + r.ProblemTitle
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{carrier: pid + " 挂号难", member: pid + " 挂号难", alone: " "}; !reflect.DeepEqual(got, want) {
			t.Errorf("export rows' problems = %q, want %q", got, want)
		}
	})
}

func TestProblemsOpenFilter(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier, member := mustCreateOpinion(t, s, NewOpinion{}), mustCreateOpinion(t, s, NewOpinion{})
		pid, err := s.Group(ctx, 0, member, carrier, "挂号难")
		if err != nil {
			t.Fatal(err)
		}
		closed := opinionIn(t, s, lifecycle.Closed)
		done, err := s.NewProblem(ctx, 0, closed, "已办结的")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			open bool
			want []string
		}{
			{"all", false, []string{pid, done}},
			{"open only", true, []string{pid}},
		} {
			page, err := s.ListProblems(ctx, ProblemFilter{Open: tt.open}, ProblemCursor{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range page.Problems {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%s: %q, want %q", tt.name, ids, tt.want)
			}
		}
	})
}
