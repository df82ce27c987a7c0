package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"minsheng/lifecycle"
)

// Ensure that after a 不满意 the work goes round again: 不满意 → 整改中 → 已整改待核验 → 回头看 →
// 满意度回访, and 销号 is refused until someone answers in this new round (the submitter who
// was not satisfied, or another whose opinion was merged into it), both by the lifecycle and
// here, whatever the caller claims in step.Visit.
func TestCloseAfterReworkWaitsForNewVisit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		carrier := opinionIn(t, s, lifecycle.Satisfaction)
		dup := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, 0, dup, fullStep(lifecycle.Duplicate, carrier)); err != nil {
			t.Fatal(err)
		}
		if err := s.Rate(ctx, carrier, lifecycle.RatingDissatisfied, "还是排长队"); err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{lifecycle.Reported, lifecycle.LookBack, lifecycle.Satisfaction} {
			if err := s.Transition(ctx, 0, carrier, fullStep(st, "")); err != nil {
				t.Fatalf("step to %s: %v", st, err)
			}
		}
		r, err := s.Rectification(ctx, carrier)
		if err != nil || r.VisitRound != 2 || r.Checked != lifecycle.CheckPassed {
			t.Fatalf("after the rework: round %d, checked %q, %v; want round 2, passed", r.VisitRound, r.Checked, err)
		}
		if v, err := s.Visit(ctx, carrier); err != nil || !v.Waiting() {
			t.Fatalf("Visit = %+v, %v; want waiting for an answer", v, err)
		}
		claimed := fullStep(lifecycle.Closed, "")
		claimed.Visit = lifecycle.Visit{Reworked: true, Answered: true} // storage reads it for itself
		if err := s.Transition(ctx, 0, carrier, claimed); !errors.Is(err, ErrInvalid) {
			t.Fatalf("销号 before the new round is answered: err = %v, want ErrInvalid", err)
		}
		if got, _ := s.RatingOf(ctx, carrier); got.Rating != lifecycle.RatingDissatisfied || got.Current || got.Round != 1 {
			t.Fatalf("RatingOf before the new answer = %+v, want round 1's 不满意, not current", got)
		}
		// The merged submitter answers this round; then the one who was not satisfied answers too,
		// once.
		if err := s.Rate(ctx, dup, "basically", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Rate(ctx, carrier, "satisfied", "这次好了"); err != nil {
			t.Fatalf("the dissatisfied submitter answers the new round: %v", err)
		}
		if err := s.Rate(ctx, carrier, "satisfied", ""); !errors.Is(err, ErrConflict) {
			t.Fatalf("second answer in one round: err = %v, want ErrConflict", err)
		}
		if got, _ := s.RatingOf(ctx, carrier); got.Rating != "satisfied" || !got.Current || got.Round != 2 {
			t.Fatalf("RatingOf after the new answer = %+v", got)
		}
		if err := s.Transition(ctx, 0, carrier, fullStep(lifecycle.Closed, "")); err != nil {
			t.Fatalf("销号 once the new round is answered: %v", err)
		}
		// A first round nobody answered may still be closed, as before: nobody said 不满意.
		quiet := opinionIn(t, s, lifecycle.Satisfaction)
		if err := s.Transition(ctx, 0, quiet, fullStep(lifecycle.Closed, "")); err != nil {
			t.Fatalf("销号 after an unanswered first round: %v", err)
		}
	})
}

// Ensure each check of reported work records its result, failures included.
func TestChecksRecorded(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := opinionIn(t, s, lifecycle.Reported)
		steps := []struct{ to, want string }{
			{lifecycle.Rectifying, lifecycle.CheckUnverified},
			{lifecycle.Reported, lifecycle.CheckUnverified},
			{lifecycle.LookBack, lifecycle.CheckVerified},
			{lifecycle.Rectifying, lifecycle.CheckFailed},
			{lifecycle.Reported, lifecycle.CheckFailed},
			{lifecycle.LookBack, lifecycle.CheckVerified},
			{lifecycle.Satisfaction, lifecycle.CheckPassed},
		}
		for _, st := range steps {
			if err := s.Transition(ctx, 0, id, fullStep(st.to, "")); err != nil {
				t.Fatalf("step to %s: %v", st.to, err)
			}
			if r, _ := s.Rectification(ctx, id); r.Checked != st.want {
				t.Fatalf("after the step to %s: checked %q, want %q", st.to, r.Checked, st.want)
			}
		}
	})
}

// Ensure the upgrade to rounds reads the rounds and the latest check from the audit log and
// puts older ratings in round 1, so an opinion already in its second round waits for a new
// answer.
// SQLite only: an upgrade from a schema before PostgreSQL's (its 0001 folds these migrations; TestFoldedPostgresMigrationsAreEmpty).
func TestUpgradeToVisitRounds(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0015_counts_index.sql")
	ctx := context.Background()
	if _, err := db.Exec(`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, created_on)
		VALUES ('R', x'01', 'complaint', 'bureau', 'patient', '第二轮回访中的意见', 'satisfaction', '2026-01-05')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO rectifications (opinion_id, lead_unit) VALUES ('R', 'bureau')`); err != nil {
		t.Fatal(err)
	}
	for _, move := range []string{"lookback→satisfaction", "satisfaction→rectifying", "rectifying→reported",
		"reported→lookback", "lookback→satisfaction"} {
		if _, err := db.Exec(`INSERT INTO audit_log (action, opinion_id, detail, created_at) VALUES ('status', 'R', ?, '2026-01-06T00:00:00Z')`,
			move); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO ratings (opinion_id, rating, words, rated_on) VALUES ('R', 'dissatisfied', '没改', '2026-01-06')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openAt(t, path, fixedClock)
	r, err := s.Rectification(ctx, "R")
	if err != nil || r.VisitRound != 2 || r.Checked != lifecycle.CheckPassed {
		t.Fatalf("after the upgrade: round %d, checked %q, %v; want 2, passed", r.VisitRound, r.Checked, err)
	}
	if got, _ := s.RatingOf(ctx, "R"); got.Rating != lifecycle.RatingDissatisfied || got.Round != 1 || got.Current || got.Words != "没改" {
		t.Fatalf("the old rating after the upgrade: %+v", got)
	}
	if err := s.Transition(ctx, 0, "R", fullStep(lifecycle.Closed, "")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("销号 after the upgrade, new round unanswered: err = %v, want ErrInvalid", err)
	}
	if err := s.Rate(ctx, "R", "satisfied", ""); err != nil {
		t.Fatalf("answering the new round after the upgrade: %v", err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}
