package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"minsheng/access"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
)

// TestSweepNotifications: serve's sweep queues a reminder at start and after each wait, each
// once: an overdue opinion tells the lead unit's liaison, and the next sweep adds nothing.
func TestSweepNotifications(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cst := time.FixedZone("CST", 8*3600)
	clock := testkit.NewClock(time.Date(2026, 5, 6, 7, 0, 0, 0, cst))
	store, err := storage.Open(ctx, filepath.Join(t.TempDir(), "test.db"), storage.Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	liaison, err := store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "联络员", Password: "correct horse battery", Role: access.Liaison, Unit: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	id, err := store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient", Content: "药费算错"}, hash)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := store.Transition(ctx, 0, id, lifecycle.Step{To: st, LeadUnit: "county-hospital", Responsible: "主任", Measures: "核对",
			Ledger: "problem", Deadline: "2026-05-07"}); err != nil {
			t.Fatal(err)
		}
	}
	waits := make(chan time.Duration)
	fire := make(chan time.Time)
	after := func(d time.Duration) <-chan time.Time {
		waits <- d
		return fire
	}
	go sweepNotifications(ctx, store, after, jobLease{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	<-waits // the sweep at start has run
	kinds := func() map[string]int {
		list, err := store.Inbox(ctx, liaison.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, n := range list {
			m[n.Kind]++
		}
		return m
	}
	if k := kinds(); k[storage.EventDeadlineSoon] != 1 {
		t.Fatalf("after the sweep at start the inbox holds %v, want one deadline_soon", k)
	}
	clock.Set(time.Date(2026, 5, 8, 9, 0, 0, 0, cst)) // the deadline has passed
	fire <- clock.Now()
	if d := <-waits; d != notifySweepEvery {
		t.Errorf("the sweep waits %v, want %v", d, notifySweepEvery)
	}
	fire <- clock.Now()
	<-waits
	if k := kinds(); k[storage.EventOverdue] != 1 || k[storage.EventDeadlineSoon] != 1 {
		t.Errorf("after two more sweeps the inbox holds %v, want one overdue and one deadline_soon", k)
	}
}

// TestSweepTellsHotSpots: serve's sweep tells of a hot spot (预警) once a day from the digest
// hour, counting up to yesterday: an opinion of today raises nothing yet; the reviewer is told
// once however often the sweep runs; the liaison, whose scope holds none of the unit's
// unassigned opinions, is told nothing.
func TestSweepTellsHotSpots(t *testing.T) {
	ctx := context.Background()
	cst := time.FixedZone("CST", 8*3600)
	clock := testkit.NewClock(time.Date(2026, 5, 2, 10, 0, 0, 0, cst))
	store, err := storage.Open(ctx, filepath.Join(t.TempDir(), "test.db"), storage.Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	reviewer, err := store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "活动办", Password: "correct horse battery", Role: access.Reviewer})
	if err != nil {
		t.Fatal(err)
	}
	liaison, err := store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "联络员", Password: "correct horse battery", Role: access.Liaison, Unit: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	style := sifeng.Styles[0].Code
	// Four opinions of one style on 2–5 May, the fifth on 6 May; none in the months before.
	for day := 2; day <= 6; day++ {
		clock.Set(time.Date(2026, 5, day, 10, 0, 0, 0, cst))
		hash := make([]byte, 32)
		_, _ = rand.Read(hash)
		id, err := store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient", Content: "挂号要排三次队"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.SetStyles(ctx, reviewer.ID, id, []string{style}); err != nil {
			t.Fatal(err)
		}
	}
	lines := func(user int64) []storage.Notice {
		t.Helper()
		list, err := store.Inbox(ctx, user, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []storage.Notice
		for _, n := range list {
			if n.Kind == storage.EventHotSpot {
				out = append(out, n)
			}
		}
		return out
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	steps := []struct {
		name  string
		at    time.Time
		lines int
	}{
		{"6 May before the digest hour: nothing", time.Date(2026, 5, 6, 7, 0, 0, 0, cst), 0},
		{"6 May from the digest hour: four up to yesterday, no warning", time.Date(2026, 5, 6, 8, 5, 0, 0, cst), 0},
		{"7 May: five up to yesterday, the reviewer is told", time.Date(2026, 5, 7, 8, 5, 0, 0, cst), 1},
		{"7 May again: not twice", time.Date(2026, 5, 7, 8, 10, 0, 0, cst), 1},
		{"8 May: the warning lasts, not told again", time.Date(2026, 5, 8, 9, 0, 0, 0, cst), 1},
	}
	for _, st := range steps {
		clock.Set(st.at)
		sweepOnce(ctx, store, logger)
		got := lines(reviewer.ID)
		if len(got) != st.lines {
			t.Fatalf("%s: the reviewer has %d hot-spot lines, want %d", st.name, len(got), st.lines)
		}
		if len(got) == 1 && (got[0].Unit != "county-hospital" || got[0].Deadline != "2026-05-06" || got[0].OpinionID != "") {
			t.Errorf("%s: the line is %+v, want the unit and the last day counted, no opinion", st.name, got[0])
		}
		if l := lines(liaison.ID); len(l) != 0 {
			t.Errorf("%s: the liaison, who may open none of these, was told %d times", st.name, len(l))
		}
	}
}
