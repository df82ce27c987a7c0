package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"minsheng/lifecycle"
)

// actions returns the audit trail of an opinion as "action by username" strings.
func actions(t *testing.T, s *Store, id string) []string {
	t.Helper()
	entries, err := s.AuditOf(context.Background(), id)
	if err != nil {
		t.Fatalf("AuditOf(%s): %v", id, err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action+" by "+e.Username)
	}
	return out
}

func TestSetStyles(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "reviewer1", RoleReviewer)
		id := mustCreateOpinion(t, s, NewOpinion{})
		tests := []struct {
			name string
			in   []string
			want []string
		}{
			{"one", []string{"hedonism"}, []string{"hedonism"}},
			{"reverse order comes back in sifeng order", []string{"extravagance", "hedonism", "bureaucratism", "formalism"},
				[]string{"formalism", "bureaucratism", "hedonism", "extravagance"}},
			{"replaces, does not add", []string{"bureaucratism"}, []string{"bureaucratism"}},
			{"shuffled pair", []string{"extravagance", "formalism"}, []string{"formalism", "extravagance"}},
			{"duplicates collapse", []string{"hedonism", "hedonism"}, []string{"hedonism"}},
			{"empty clears", []string{}, nil},
			{"nil clears", nil, nil},
		}
		var wantTrail []string
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := s.SetStyles(ctx, u.ID, id, tt.in); err != nil {
					t.Fatalf("SetStyles(%v): %v", tt.in, err)
				}
				o, err := s.Opinion(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(o.Styles, tt.want) {
					t.Errorf("Styles after SetStyles(%v) = %v, want %v", tt.in, o.Styles, tt.want)
				}
				wantTrail = append(wantTrail, "tag by reviewer1")
				if got := actions(t, s, id); !reflect.DeepEqual(got, wantTrail) {
					t.Errorf("audit = %v, want %v", got, wantTrail)
				}
			})
		}
	})
}

func TestSetStylesInvalidChangesNothing(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.SetStyles(ctx, 0, id, []string{"hedonism"}); err != nil {
			t.Fatal(err)
		}
		// The valid style comes first, so only a rolled-back transaction keeps the old set.
		err := s.SetStyles(ctx, 0, id, []string{"formalism", "laziness"})
		if !isCheckFailure(err) {
			t.Fatalf("SetStyles with an unknown style: err = %v, want a CHECK failure", err)
		}
		o, _ := s.Opinion(ctx, id)
		if want := []string{"hedonism"}; !reflect.DeepEqual(o.Styles, want) {
			t.Errorf("Styles after failed SetStyles = %v, want %v", o.Styles, want)
		}
		if got := countRows(t, s, "audit_log", "opinion_id = ?", id); got != 1 {
			t.Errorf("audit rows = %d, want 1 (the failed change writes none)", got)
		}
	})
}

// opinionIn creates an opinion and walks it to status.
func opinionIn(t *testing.T, s *Store, status string) string {
	t.Helper()
	id := mustCreateOpinion(t, s, NewOpinion{})
	walkTo(t, s, id, status)
	return id
}

func TestTransition(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "reviewer1", RoleReviewer)
		tests := []struct {
			name, from, to string
			ok             bool
		}{
			{"received→triaged", "received", "triaged", true},
			{"received→rejected", "received", "rejected", true},
			{"triaged→assigned", "triaged", "assigned", true},
			{"lookback fails back to rectifying", "lookback", "rectifying", true},
			{"closed→rectifying reopens", "closed", "rectifying", true},
			{"received→received", "received", "received", false},
			{"received→assigned skips triage", "received", "assigned", false},
			{"closed→received", "closed", "received", false},
			{"rejected→closed", "rejected", "closed", false},
			{"unknown status", "received", "archived", false},
			{"empty status", "received", "", false},
		}
		// Every pair of statuses, so the store agrees with the lifecycle package everywhere.
		for _, from := range lifecycle.Statuses {
			for _, to := range lifecycle.Statuses {
				tests = append(tests, struct {
					name, from, to string
					ok             bool
				}{"matrix/" + from.Code + "→" + to.Code, from.Code, to.Code, lifecycle.CanMove(from.Code, to.Code)})
			}
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := opinionIn(t, s, tt.from)
				// The status rows: a step into or out of 重复 also writes its problem's own row
				// (problem_join, problem_leave: problem_test.go).
				before := countRows(t, s, "audit_log", "opinion_id = ? AND action = 'status'", id)
				target := ""
				if tt.to == lifecycle.Duplicate {
					target = mustCreateOpinion(t, s, NewOpinion{})
				}
				err := s.Transition(ctx, u.ID, id, fullStep(tt.to, target))
				wantStatus, wantAudit := tt.from, before
				if tt.ok {
					if err != nil {
						t.Fatalf("Transition(%s → %s): %v", tt.from, tt.to, err)
					}
					wantStatus, wantAudit = tt.to, before+1
				} else if !errors.Is(err, ErrConflict) {
					t.Fatalf("Transition(%s → %s): err = %v, want ErrConflict", tt.from, tt.to, err)
				}
				o, err := s.Opinion(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if o.Status != wantStatus {
					t.Errorf("status = %q, want %q", o.Status, wantStatus)
				}
				if got := countRows(t, s, "audit_log", "opinion_id = ? AND action = 'status'", id); got != wantAudit {
					t.Errorf("audit rows = %d, want %d", got, wantAudit)
				}
			})
		}
	})
}

func TestSetReply(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", RoleReviewer)
		id := mustCreateOpinion(t, s, NewOpinion{})

		if err := s.SetReply(ctx, u.ID, id, "已协调增设挂号窗口。<b>谢谢</b>"); err != nil {
			t.Fatalf("SetReply: %v", err)
		}
		o, _ := s.Opinion(ctx, id)
		if o.Reply != "已协调增设挂号窗口。<b>谢谢</b>" || o.RepliedOn != "2026-04-01" {
			t.Errorf("after SetReply: Reply %q RepliedOn %q, want the text and 2026-04-01", o.Reply, o.RepliedOn)
		}
		if o.Status != "received" {
			t.Errorf("SetReply changed status to %q; it must leave status alone", o.Status)
		}

		clock.Advance(3 * 24 * time.Hour)
		if err := s.SetReply(ctx, u.ID, id, "补充答复"); err != nil {
			t.Fatal(err)
		}
		o, _ = s.Opinion(ctx, id)
		if o.Reply != "补充答复" || o.RepliedOn != "2026-04-04" {
			t.Errorf("after second SetReply: Reply %q RepliedOn %q, want 补充答复 and 2026-04-04", o.Reply, o.RepliedOn)
		}
		if o.CreatedOn != "2026-04-01" {
			t.Errorf("CreatedOn moved to %q", o.CreatedOn)
		}
		if got, want := actions(t, s, id), []string{"reply by office", "reply by office"}; !reflect.DeepEqual(got, want) {
			t.Errorf("audit = %v, want %v", got, want)
		}
	})
}

func TestAddNoteAndNotes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		alice := mustCreateUser(t, s, "alice", RoleReviewer)
		bob := mustCreateUser(t, s, "bob", RoleAdmin)
		id := mustCreateOpinion(t, s, NewOpinion{})
		other := mustCreateOpinion(t, s, NewOpinion{})

		if notes, err := s.Notes(ctx, id); err != nil || len(notes) != 0 {
			t.Fatalf("Notes before any = %v, %v; want none", notes, err)
		}
		for _, n := range []struct {
			user User
			body string
		}{{alice, "已电话联系科室主任"}, {bob, "=SUM(A1) <script>x</script>"}, {alice, "第三条"}} {
			if err := s.AddNote(ctx, n.user.ID, id, n.body); err != nil {
				t.Fatalf("AddNote(%s): %v", n.body, err)
			}
		}
		notes, err := s.Notes(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		type nb struct{ Author, Body string }
		var got []nb
		for _, n := range notes {
			got = append(got, nb{n.Author, n.Body})
			if !n.CreatedAt.Equal(fixedTime) {
				t.Errorf("note %q CreatedAt = %v, want %v", n.Body, n.CreatedAt, fixedTime)
			}
		}
		want := []nb{{"alice", "已电话联系科室主任"}, {"bob", "=SUM(A1) <script>x</script>"}, {"alice", "第三条"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Notes = %v, want %v", got, want)
		}
		if notes, _ := s.Notes(ctx, other); len(notes) != 0 {
			t.Errorf("Notes of another opinion = %v, want none", notes)
		}
		if got, want := actions(t, s, id), []string{"note by alice", "note by bob", "note by alice"}; !reflect.DeepEqual(got, want) {
			t.Errorf("audit = %v, want %v", got, want)
		}

		// A note needs an author: the command line (user 0) cannot leave one, and nothing is written.
		if err := s.AddNote(ctx, 0, other, "无名"); err == nil {
			t.Error("AddNote by user 0: err = nil, want a foreign key failure")
		}
		if got := countRows(t, s, "audit_log", "opinion_id = ?", other); got != 0 {
			t.Errorf("audit rows after failed AddNote = %d, want 0", got)
		}
	})
}

func TestReviewUnknownOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "reviewer1", RoleReviewer)
		mustCreateOpinion(t, s, NewOpinion{})
		const missing = "0000000000"
		tests := []struct {
			name string
			op   func() error
		}{
			{"SetStyles", func() error { return s.SetStyles(ctx, u.ID, missing, []string{"formalism"}) }},
			{"SetStyles empty", func() error { return s.SetStyles(ctx, u.ID, missing, nil) }},
			{"Transition", func() error { return s.Transition(ctx, u.ID, missing, lifecycle.Step{To: "triaged"}) }},
			{"Classify", func() error { return s.Classify(ctx, u.ID, missing, "department", false) }},
			{"SetReply", func() error { return s.SetReply(ctx, u.ID, missing, "答复") }},
			{"AddNote", func() error { return s.AddNote(ctx, u.ID, missing, "备注") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countRows(t, s, "audit_log", "")
				if err := tt.op(); !errors.Is(err, ErrNotFound) {
					t.Errorf("%s on unknown opinion: err = %v, want ErrNotFound", tt.name, err)
				}
				if got := countRows(t, s, "audit_log", ""); got != before {
					t.Errorf("audit rows %d → %d, want no new row", before, got)
				}
			})
		}
		if n := countRows(t, s, "opinion_styles", "") + countRows(t, s, "opinion_notes", ""); n != 0 {
			t.Errorf("%d style/note rows written for an unknown opinion", n)
		}
	})
}

func TestAuditTrailOfOneOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "李审核", RoleReviewer)
		id := mustCreateOpinion(t, s, NewOpinion{})
		steps := []struct {
			name string
			op   func() error
			ok   bool
		}{
			{"tag", func() error { return s.SetStyles(ctx, u.ID, id, []string{"hedonism", "formalism"}) }, true},
			{"status", func() error { return s.Transition(ctx, u.ID, id, lifecycle.Step{To: "triaged"}) }, true},
			{"bad status", func() error { return s.Transition(ctx, u.ID, id, lifecycle.Step{To: "received"}) }, false},
			{"reply", func() error { return s.SetReply(ctx, u.ID, id, "已处理") }, true},
			{"note", func() error { return s.AddNote(ctx, u.ID, id, "内部") }, true},
			{"assigned", func() error { return s.Transition(ctx, u.ID, id, fullStep("assigned", "")) }, true},
			{"rectifying without a kind", func() error {
				step := fullStep("rectifying", "")
				step.Kind = ""
				return s.Transition(ctx, u.ID, id, step)
			}, false},
		}
		for _, st := range steps {
			if err := st.op(); (err == nil) != st.ok {
				t.Fatalf("step %s: err = %v, want success %v", st.name, err, st.ok)
			}
		}
		entries, err := s.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ Action, Username, Detail string }
		var got []row
		for _, e := range entries {
			got = append(got, row{e.Action, e.Username, e.Detail})
			if !e.At.Equal(fixedTime) {
				t.Errorf("%s At = %v, want %v", e.Action, e.At, fixedTime)
			}
		}
		want := []row{
			{"tag", "李审核", "hedonism,formalism"},
			{"status", "李审核", "received→triaged"},
			{"reply", "李审核", ""},
			{"note", "李审核", ""},
			{"status", "李审核", "triaged→assigned"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("AuditOf = %v\nwant %v", got, want)
		}
		if other, _ := s.AuditOf(ctx, "0000000000"); len(other) != 0 {
			t.Errorf("AuditOf(unknown) = %v, want none", other)
		}
	})
}

func TestAddStyle(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.SetStyles(ctx, 0, id, []string{"formalism"}); err != nil {
			t.Fatal(err)
		}
		added, err := s.AddStyle(ctx, 0, id, "hedonism")
		if err != nil || !added {
			t.Fatalf("AddStyle = %v, %v", added, err)
		}
		if added, _ := s.AddStyle(ctx, 0, id, "hedonism"); added {
			t.Fatal("adding a tag already there reported a change")
		}
		o, _ := s.Opinion(ctx, id)
		if want := []string{"formalism", "hedonism"}; !reflect.DeepEqual(o.Styles, want) {
			t.Fatalf("Styles = %v, want %v", o.Styles, want)
		}
		if _, err := s.AddStyle(ctx, 0, id, "laziness"); err == nil {
			t.Fatal("an unknown style was added")
		}
		if _, err := s.AddStyle(ctx, 0, "NOSUCHID00", "hedonism"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown opinion: %v", err)
		}
		if n := countRows(t, s, "audit_log", "opinion_id = ? AND action = 'tag'", id); n != 2 {
			t.Fatalf("tag audit rows = %d, want 2 (set, then one add)", n)
		}
	})
}
