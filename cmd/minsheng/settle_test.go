package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/internal/testkit"
	"minsheng/storage"
)

// TestSettleDailyOnPostgres: started in the evening of a day after a day nobody settled, the job
// settles at once (through yesterday), then waits until a few minutes after midnight and settles
// the day that ended.
func TestSettleDailyOnPostgres(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cst := time.FixedZone("CST", 8*3600)
	clock := testkit.NewClock(time.Date(2026, 5, 1, 22, 0, 0, 0, cst))
	store := storeWithOneOpinion(ctx, t, pgtest.Shared(t).NewDatabase(t), clock)
	waits, fire, after := steppedAfter()
	done := make(chan struct{})
	go func() {
		settleDaily(ctx, store, after, jobLease{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	if d := <-waits; d != 0 {
		t.Errorf("at start-up the job waits %v, want 0", d)
	}
	fire <- clock.Now()
	if d := <-waits; d != 2*time.Hour+5*time.Minute {
		t.Errorf("after the start-up settle the job waits %v, want 2h5m", d)
	}
	if through, _ := store.SettledThrough(ctx); through != "2026-04-30" {
		t.Errorf("settled through %q at start-up, want 2026-04-30 (today's opinion waits)", through)
	}
	clock.Set(time.Date(2026, 5, 2, 0, 5, 0, 0, cst))
	fire <- clock.Now()
	if d := <-waits; d != 24*time.Hour {
		t.Errorf("after the nightly settle the job waits %v, want 24h", d)
	}
	if through, _ := store.SettledThrough(ctx); through != "2026-05-01" {
		t.Errorf("settled through %q after the night, want 2026-05-01", through)
	}
	cancel()
	<-done
}

// TestSettleDailyOnSQLite: nothing to settle, so the job ends at once and never waits.
func TestSettleDailyOnSQLite(t *testing.T) {
	store, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	settleDaily(context.Background(), store, func(time.Duration) <-chan time.Time {
		t.Fatal("the job waited on SQLite")
		return nil
	}, jobLease{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}
