package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"minsheng/internal/testkit"
	"minsheng/storage"
)

// TestIndexNightly: the serve job waits until a few minutes after midnight, then indexes the day
// that ended; before that, nothing of today is indexed.
func TestIndexNightly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cst := time.FixedZone("CST", 8*3600)
	clock := testkit.NewClock(time.Date(2026, 5, 1, 22, 0, 0, 0, cst))
	store := storeWithOneOpinion(ctx, t, filepath.Join(t.TempDir(), "test.db"), clock)
	waits, fire, after := steppedAfter()
	go indexNightly(ctx, store, after, jobLease{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if d := <-waits; d != 2*time.Hour+5*time.Minute {
		t.Errorf("at 22:00 the job waits %v, want 2h5m", d)
	}
	if through, _ := store.SearchIndexedThrough(ctx); through != "" {
		t.Fatalf("indexed through %q before midnight", through)
	}
	clock.Set(time.Date(2026, 5, 2, 0, 5, 0, 0, cst))
	fire <- clock.Now()
	if d := <-waits; d != 24*time.Hour { // the run is done: the next waits for the next night
		t.Errorf("after the run the job waits %v, want 24h", d)
	}
	if through, _ := store.SearchIndexedThrough(ctx); through != "2026-05-01" {
		t.Errorf("indexed through %q after the nightly run, want 2026-05-01", through)
	}
}

// storeWithOneOpinion opens dsn with clock and stores one opinion of its day; closed at the end.
func storeWithOneOpinion(ctx context.Context, t *testing.T, dsn string, clock *testkit.Clock) *storage.Store {
	t.Helper()
	store, err := storage.Open(ctx, dsn, storage.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	if _, err := store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Submitter: "patient", Content: "夜里急诊没人"}, hash); err != nil {
		t.Fatal(err)
	}
	return store
}

// steppedAfter stands in for time.After in a nightly job: each wait is sent on waits, and the
// job goes on when the test sends on fire.
func steppedAfter() (waits chan time.Duration, fire chan time.Time, after func(time.Duration) <-chan time.Time) {
	waits, fire = make(chan time.Duration), make(chan time.Time)
	return waits, fire, func(d time.Duration) <-chan time.Time {
		waits <- d
		return fire
	}
}
