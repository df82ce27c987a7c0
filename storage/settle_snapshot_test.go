package storage

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"
)

// TestSettleWaitsForOlderSnapshotsOnPostgres: a session of the same database that holds a
// snapshot older than the settle's transaction (a long read, an autovacuum ANALYZE) would make
// CLUSTER keep every old row version, each with the transaction number of the act that wrote
// it: the settle waits for it to end before it rewrites, and leaves no old version behind.
func TestSettleWaitsForOlderSnapshotsOnPostgres(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 4, 15, 1, 0, 0, 0, time.UTC) // 09:00 in China
	clock := newClock(day)
	dsn := postgresDatabase(t)
	s := openAt(t, dsn, clock.Now)
	ctx := context.Background()
	arriveOneDay(t, s, clock, day)
	if _, err := s.write.Exec(`CREATE EXTENSION pageinspect`); err != nil {
		t.Fatalf("pageinspect (postgresql-contrib): %v", err)
	}
	other, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	reader, err := other.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var one int
	if err := reader.QueryRow(`SELECT 1`).Scan(&one); err != nil { // its snapshot, held until Rollback
		t.Fatal(err)
	}

	clock.Set(time.Date(2026, 4, 15, 16, 5, 0, 0, time.UTC)) // 00:05 on the 16th in China
	type result struct {
		rep SettleReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := s.SettleDays(ctx)
		done <- result{rep, err}
	}()
	// The settle's rewrite commits; the CLUSTERs would follow at once, under the old snapshot.
	for {
		if through, err := s.SettledThrough(ctx); err != nil {
			t.Fatal(err)
		} else if through == "2026-04-15" {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("the settle ended before its rewrite was seen committed: %+v, %v", r.rep, r.err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case r := <-done:
		t.Fatalf("the settle ended while a snapshot older than it was held: %+v, %v", r.rep, r.err)
	case <-time.After(time.Second):
	}
	if err := reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, table := range publicTables {
		if !slices.Contains(r.rep.Clustered, table) {
			t.Errorf("%s was not rewritten (clustered %v)", table, r.rep.Clustered)
		}
		if n := oldVersions(t, s, table); n != 0 {
			t.Errorf("%s after the settle: %d old row versions left in its pages", table, n)
		}
	}
}
