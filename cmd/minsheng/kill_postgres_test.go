package main

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/loadgen"
	"minsheng/storage"
)

// storedOn returns a counter of the opinions in the PostgreSQL database db, read through a
// Store of the test's own, opened at the first count (which migrates an empty database, as a
// portal would) and closed when the test ends.
func storedOn(t *testing.T, db string) func() int {
	t.Helper()
	var (
		once  sync.Once
		store *storage.Store
	)
	return func() int {
		t.Helper()
		once.Do(func() {
			var err error
			if store, err = storage.Open(context.Background(), db, storage.Options{}); err != nil {
				t.Fatalf("open %s to count: %v", db, err)
			}
			t.Cleanup(func() { _ = store.Close() })
		})
		n, err := store.CountOpinions(context.Background())
		if err != nil {
			t.Fatalf("count opinions: %v", err)
		}
		return n
	}
}

// Ensure nothing acknowledged is lost on PostgreSQL either when the portal is killed with
// SIGKILL under load (#15): acknowledged means committed, so every receipt shown is found after
// four kills, each stored once, and the database passes Store.Check.
func TestPostgresCrashUnderLoadLosesNothing(t *testing.T) {
	db := pgtest.Shared(t).NewDatabase(t)
	key := filepath.Join(t.TempDir(), "minsheng.key")
	acks := crashCycles(t, func() *child { return startChild(t, db, "-key-file", key) }, storedOn(t, db))
	verifyAll(t, db, key, acks)
}

// withoutServerErrors fails the test if res holds a 5xx other than 503 (busy, which the
// promise allows); what names the load in the message.
func withoutServerErrors(t *testing.T, what string, res loadgen.Result) {
	t.Helper()
	t.Logf("%s: %s", what, res.Summary())
	if n := res.Class(5) - res.Status[503]; n > 0 {
		t.Errorf("%s: %d server errors other than 503", what, n)
	}
}

// Ensure a kill -9 of one of two portal processes on one PostgreSQL database under load loses
// nothing acknowledged and the other keeps serving (#15's target): both take submissions; A is
// killed with SIGKILL in the middle; B's load runs on through the kill without a transport
// error or a server error, and a fresh load on B after A is gone is acknowledged too. Every
// submission either process acknowledged is then found, once.
func TestPostgresKillOneOfTwoProcessesUnderLoad(t *testing.T) {
	db := pgtest.Shared(t).NewDatabase(t)
	key := filepath.Join(t.TempDir(), "minsheng.key")
	a := startChild(t, db, "-key-file", key) // creates the key file the second reads
	b := startChild(t, db, "-key-file", key)
	t.Cleanup(func() { _ = b.cmd.Process.Signal(syscall.SIGTERM); _ = b.cmd.Wait() })
	stored := storedOn(t, db)

	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	doneA, doneB := make(chan loadgen.Result, 1), make(chan loadgen.Result, 1)
	go func() {
		doneA <- loadgen.Run(ctxA, loadgen.Config{BaseURL: a.base, Clients: 8, Duration: childPatience})
	}()
	go func() {
		doneB <- loadgen.Run(ctxB, loadgen.Config{BaseURL: b.base, Clients: 8, Duration: childPatience})
	}()
	// Killed once both are under way, however slowly a busy machine got them going.
	waitForStored(t, stored, 2)
	time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = a.cmd.Wait()
	killed := stored()
	time.Sleep(100 * time.Millisecond) // let A's in-flight requests fail
	stopA()
	resA := <-doneA
	// B's load runs on past the kill: the sessions A held are gone, their transactions undone.
	waitForStored(t, stored, killed+8)
	stopB()
	resB := <-doneB
	// And B answers a load that starts after A is gone.
	after := loadgen.Run(context.Background(), loadgen.Config{BaseURL: b.base, Clients: 4, Duration: 3 * time.Second})

	withoutServerErrors(t, "A, until killed", resA)
	withoutServerErrors(t, "B, through the kill", resB)
	withoutServerErrors(t, "B, after the kill", after)
	if resB.Errors > 0 || after.Errors > 0 {
		t.Errorf("B failed %d requests through the kill and %d after it: the other process stopped serving", resB.Errors, after.Errors)
	}
	if len(resA.Acks) == 0 || len(resB.Acks) == 0 || len(after.Acks) == 0 {
		t.Fatalf("acknowledged: A %d, B through the kill %d, B after %d; each must be some, or the test proved nothing",
			len(resA.Acks), len(resB.Acks), len(after.Acks))
	}
	acks := append(append(resA.Acks, resB.Acks...), after.Acks...)
	verifyAll(t, db, key, acks)
}
