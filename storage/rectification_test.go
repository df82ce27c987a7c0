package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"minsheng/lifecycle"
)

// Ensure each step refuses to go without what it needs, and stores nothing then.
func TestTransitionNeedsItsFields(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		tests := []struct {
			name, from, to string
			step           func(lifecycle.Step) lifecycle.Step
		}{
			{"assign without lead unit", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.LeadUnit = ""; return st }},
			{"assign without responsible", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.Responsible = " "; return st }},
			{"assign without measures", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.Measures = ""; return st }},
			{"assign with unknown ledger", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.Ledger = "misc"; return st }},
			{"assign with a past deadline", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.Deadline = "2026-03-01"; return st }},
			{"assign with a malformed deadline", "triaged", "assigned", func(st lifecycle.Step) lifecycle.Step { st.Deadline = "下周五"; return st }},
			{"rectify without kind", "assigned", "rectifying", func(st lifecycle.Step) lifecycle.Step { st.Kind = ""; return st }},
			{"planned without public explanation", "assigned", "rectifying", func(st lifecycle.Step) lifecycle.Step { st.Kind = "planned"; st.Explanation = ""; return st }},
			{"referred without where to", "assigned", "rectifying", func(st lifecycle.Step) lifecycle.Step { st.Kind = "referred"; st.Note = ""; return st }},
			{"report without account", "rectifying", "reported", func(st lifecycle.Step) lifecycle.Step { st.Report = ""; return st }},
			{"failed look-back without reason", "lookback", "rectifying", func(st lifecycle.Step) lifecycle.Step { st.Note = ""; return st }},
			{"reject without reason", "received", "rejected", func(st lifecycle.Step) lifecycle.Step { st.Reason = ""; return st }},
			{"forward without reason", "received", "forwarded", func(st lifecycle.Step) lifecycle.Step { st.Reason = ""; return st }},
			{"close untouched without reason", "triaged", "closed", func(st lifecycle.Step) lifecycle.Step { st.Note = ""; return st }},
			{"reason with a NUL byte", "received", "rejected", func(st lifecycle.Step) lifecycle.Step { st.Reason = "原因\x00"; return st }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := opinionIn(t, s, tt.from)
				before := countRows(t, s, "audit_log", "opinion_id = ?", id)
				err := s.Transition(ctx, 0, id, tt.step(fullStep(tt.to, "")))
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				if o, _ := s.Opinion(ctx, id); o.Status != tt.from {
					t.Errorf("status = %s, want it unchanged at %s", o.Status, tt.from)
				}
				if after := countRows(t, s, "audit_log", "opinion_id = ?", id); after != before {
					t.Errorf("a refused step was audited")
				}
			})
		}
	})
}

// Ensure the whole loop keeps what each step brought: assignment, kind, report, closing date,
// and that the opinion carries the assignment into lists.
func TestRectificationLoop(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Classify(ctx, 0, id, "department", true); err != nil {
			t.Fatal(err)
		}
		o, _ := s.Opinion(ctx, id)
		if o.Status != lifecycle.Triaged || !o.AboutLeadership || o.Level != "department" {
			t.Fatalf("after Classify: %+v", o)
		}
		wantLastAudit(t, s, "classify", "level=department about_leadership")
		if err := s.Classify(ctx, 0, id, "bosses", false); !errors.Is(err, ErrInvalid) {
			t.Fatalf("unknown level: err = %v", err)
		}
		walk := []lifecycle.Step{
			{To: "assigned", LeadUnit: "tcm-hospital", Responsible: " 院办主任 ", Measures: "增设导诊台", Ledger: "special", Deadline: "2026-04-20"},
			{To: "rectifying", Kind: "planned", Explanation: "需要明年预算，先增派志愿者"},
			{To: "reported", Report: "已增设导诊台两处"},
			{To: "lookback"},
			{To: "satisfaction"},
			{To: "closed"},
		}
		for _, st := range walk {
			if err := s.Transition(ctx, 0, id, st); err != nil {
				t.Fatalf("step to %s: %v", st.To, err)
			}
		}
		r, err := s.Rectification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := Rectification{Level: "department", LeadUnit: "tcm-hospital", LeadUnitName: "县中医院", Responsible: "院办主任",
			Measures: "增设导诊台", Ledger: "special", Deadline: "2026-04-20", Kind: "planned",
			Explanation: "需要明年预算，先增派志愿者", Report: "已增设导诊台两处", Checked: "passed", VisitRound: 1,
			ClosedOn: "2026-04-01"}
		if r != want {
			t.Errorf("Rectification =\n%+v\nwant\n%+v", r, want)
		}
		o, _ = s.Opinion(ctx, id)
		if o.LeadUnit != "tcm-hospital" || o.Deadline != "2026-04-20" || o.Status != "closed" {
			t.Errorf("opinion does not carry the assignment: %+v", o)
		}
		if r, _ := s.Rectification(ctx, mustCreateOpinion(t, s, NewOpinion{})); r != (Rectification{}) {
			t.Errorf("a new opinion has rectification details: %+v", r)
		}
	})
}

// Ensure duplicates point straight at an opinion that carries the work.
func TestDuplicateRules(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier := mustCreateOpinion(t, s, NewOpinion{})
		dup := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, 0, dup, fullStep("duplicate", carrier)); err != nil {
			t.Fatal(err)
		}
		if o, _ := s.Opinion(ctx, dup); o.MergedInto != carrier || o.Status != "duplicate" {
			t.Fatalf("after merge: %+v", o)
		}
		tests := []struct{ name, id, into string }{
			{"into itself", mustCreateOpinion(t, s, NewOpinion{}), ""},
			{"into a missing opinion", mustCreateOpinion(t, s, NewOpinion{}), "NOSUCHID00"},
			{"a carrier of duplicates", carrier, mustCreateOpinion(t, s, NewOpinion{})},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				into := tt.into
				if into == "" {
					into = tt.id
				}
				if err := s.Transition(ctx, 0, tt.id, fullStep("duplicate", into)); !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
			})
		}
		// Merging into a duplicate was refused before problems (#11); the 重复 step is now joining
		// the typed opinion's problem, so it joins the problem of the duplicate's carrier.
		third := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, 0, third, fullStep("duplicate", dup)); err != nil {
			t.Fatalf("into a duplicate: %v", err)
		}
		if o, _ := s.Opinion(ctx, third); o.MergedInto != carrier {
			t.Fatalf("into a duplicate: merged into %q, want the carrier %s", o.MergedInto, carrier)
		}
		// Unmerging clears the link.
		if err := s.Transition(ctx, 0, dup, lifecycle.Step{To: "triaged"}); err != nil {
			t.Fatal(err)
		}
		if o, _ := s.Opinion(ctx, dup); o.MergedInto != "" || o.Status != "triaged" {
			t.Fatalf("after unmerge: %+v", o)
		}
	})
}

// Ensure ratings are taken only at 满意度回访, once per receipt, merged submitters rate the
// carrier, and 不满意 sends the work back with the submitter's words.
func TestRate(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier := opinionIn(t, s, "satisfaction")
		dup := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, 0, dup, fullStep("duplicate", carrier)); err != nil {
			t.Fatal(err)
		}
		early := opinionIn(t, s, "rectifying")
		if err := s.Rate(ctx, early, "satisfied", ""); !errors.Is(err, ErrConflict) {
			t.Fatalf("rating before 满意度回访: err = %v, want ErrConflict", err)
		}
		if err := s.Rate(ctx, carrier, "excellent", ""); !errors.Is(err, ErrInvalid) {
			t.Fatalf("unknown rating: err = %v, want ErrInvalid", err)
		}
		if err := s.Rate(ctx, carrier, "basically", "还行"); err != nil {
			t.Fatal(err)
		}
		if err := s.Rate(ctx, carrier, "satisfied", ""); !errors.Is(err, ErrConflict) {
			t.Fatalf("second rating with one receipt: err = %v, want ErrConflict", err)
		}
		if got, _ := s.RatingOf(ctx, carrier); got.Rating != "basically" || got.Words != "还行" {
			t.Fatalf("RatingOf = %+v", got)
		}
		if err := s.Rate(ctx, dup, "dissatisfied", " 窗口还是只开一个 "); err != nil {
			t.Fatal(err)
		}
		o, _ := s.Opinion(ctx, carrier)
		r, _ := s.Rectification(ctx, carrier)
		if o.Status != "rectifying" || r.Note != DissatisfiedNote+"\n窗口还是只开一个" {
			t.Fatalf("after 不满意: status %s, note %q", o.Status, r.Note)
		}
		if o.Dissatisfied != true {
			t.Error("the carrier does not show that a merged submitter was dissatisfied")
		}
		if o, _ := s.Opinion(ctx, early); o.Dissatisfied {
			t.Error("an unrated opinion shows as dissatisfied")
		}
		if got := countRows(t, s, "public_events", "opinion_id = ? AND action = 'rate'", carrier); got != 2 {
			t.Errorf("rate events = %d, want 2", got)
		}
	})
}

// Ensure upgrading a database from before the lifecycle keeps every opinion and maps the old
// statuses: being worked on without an owner goes back to 已分类, replies are kept.
// SQLite only: an upgrade from a schema before PostgreSQL's (its 0001 folds these migrations; TestFoldedPostgresMigrationsAreEmpty).
func TestUpgradeToRectificationKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0004_queue_indexes_descending.sql")
	ctx := context.Background()
	old := map[string]string{"A": "received", "B": "processing", "C": "replied", "D": "closed", "E": "rejected"}
	for id, status := range old {
		if _, err := db.Exec(`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, reply, created_on)
			VALUES (?, ?, 'complaint', 'bureau', 'patient', '旧数据', ?, '旧答复', '2026-01-05')`, id, []byte("hash-"+id), status); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO opinion_styles (opinion_id, style) VALUES ('B', 'hedonism')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO users (username, password_hash, role, created_at) VALUES ('old', 'x', 'reviewer', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openAt(t, path, fixedClock)
	want := map[string]string{"A": "received", "B": "triaged", "C": "triaged", "D": "closed", "E": "rejected"}
	for id, status := range want {
		o, err := s.Opinion(ctx, id)
		if err != nil || o.Status != status || o.Reply != "旧答复" {
			t.Errorf("opinion %s after upgrade: %+v, %v; want status %s and the reply kept", id, o, err, status)
		}
	}
	if o, _ := s.Opinion(ctx, "B"); len(o.Styles) != 1 {
		t.Errorf("styles lost in the upgrade: %+v", o.Styles)
	}
	if n := countRows(t, s, "users", "username = 'old'"); n != 1 {
		t.Errorf("staff lost in the upgrade")
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("database after upgrade: %v", err)
	}
	var fk int
	s.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if fk != 1 {
		t.Fatalf("foreign keys left off after the rebuild")
	}
}
