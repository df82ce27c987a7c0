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
	go sweepNotifications(ctx, store, after, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
