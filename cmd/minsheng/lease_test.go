package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/storage"
)

// TestJobLeaseOneProcessAtATime: of two processes on one database, the one holding a job's
// lease runs its ticks; once it stops (releases at shutdown) the other takes the job at its
// next tick. The zero lease (a loop run alone in a test) is always held.
func TestJobLeaseOneProcessAtATime(t *testing.T) {
	jobLeaseOneProcessAtATime(t, filepath.Join(t.TempDir(), "m.db"))
}

// TestPostgresJobLeaseOneProcessAtATime: the same with both processes on one PostgreSQL database.
func TestPostgresJobLeaseOneProcessAtATime(t *testing.T) {
	jobLeaseOneProcessAtATime(t, pgtest.Shared(t).NewDatabase(t))
}

func jobLeaseOneProcessAtATime(t *testing.T, path string) {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var procs [2]leases
	for i := range procs {
		st, err := storage.Open(ctx, path, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		procs[i] = leases{store: st, holder: newHolder(), log: logger}
	}
	a, b := procs[0].lease(leaseSweep, time.Minute), procs[1].lease(leaseSweep, time.Minute)
	steps := []struct {
		name string
		l    jobLease
		want bool
	}{
		{"A's first tick", a, true},
		{"B's tick while A holds it", b, false},
		{"A's next tick", a, true},
		{"B again", b, false},
	}
	for _, s := range steps {
		if got := s.l.held(ctx); got != s.want {
			t.Fatalf("%s: held %v", s.name, got)
		}
	}
	a.release() // A shuts down
	if !b.held(ctx) {
		t.Fatal("B could not take the job A gave up")
	}
	if a.held(ctx) {
		t.Fatal("A took back the job B holds now")
	}
	if !(jobLease{}).held(ctx) {
		t.Fatal("the zero lease is not held")
	}
}
