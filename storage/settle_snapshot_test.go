package storage

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"
)

// TestSettleWaitsForOlderTransactionsOnPostgres: CLUSTER keeps every row version that a
// transaction older than the settle's may still need, each with the transaction number of the act
// that wrote it, so the settle waits for such transactions to end before it rewrites, and leaves
// no old version behind. Three kinds hold the rewrite back, each a case:
//   - a snapshot in the same database (a long read, an autovacuum ANALYZE);
//   - a write transaction of the same database between two statements: it holds no snapshot,
//     only its transaction number;
//   - a write transaction in another database of the same server: it does not hold back this
//     database's horizon itself, but every snapshot taken while it runs (the CLUSTER's own
//     included) starts below it (the flake CI met with parallel tests on one server).
func TestSettleWaitsForOlderTransactionsOnPostgres(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		hold func(t *testing.T, ctx context.Context, dsn string) *sql.Tx // begins the older transaction
	}{
		{"repeatable read in the same database", func(t *testing.T, ctx context.Context, dsn string) *sql.Tx {
			tx := beginOn(t, ctx, dsn, sql.LevelRepeatableRead)
			var one int
			if err := tx.QueryRow(`SELECT 1`).Scan(&one); err != nil { // its snapshot, held until Rollback
				t.Fatal(err)
			}
			return tx
		}},
		{"write between statements in the same database", func(t *testing.T, ctx context.Context, dsn string) *sql.Tx {
			tx := beginOn(t, ctx, dsn, sql.LevelReadCommitted)
			var xid string
			if err := tx.QueryRow(`SELECT pg_current_xact_id()::text`).Scan(&xid); err != nil { // a number, no snapshot kept
				t.Fatal(err)
			}
			return tx
		}},
		{"write in another database of the server", func(t *testing.T, ctx context.Context, _ string) *sql.Tx {
			tx := beginOn(t, ctx, postgresDatabase(t), sql.LevelReadCommitted)
			var xid string
			if err := tx.QueryRow(`SELECT pg_current_xact_id()::text`).Scan(&xid); err != nil {
				t.Fatal(err)
			}
			return tx
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
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
			older := c.hold(t, ctx, dsn)
			defer older.Rollback()

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
			// The settle's rewrite commits; the CLUSTERs would follow at once, under the older transaction.
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
				t.Fatalf("the settle ended while a transaction older than it was running: %+v, %v", r.rep, r.err)
			case <-time.After(time.Second):
			}
			if err := older.Rollback(); err != nil {
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
		})
	}
}

// beginOn opens a connection of its own to dsn and begins a transaction there, closed with the test.
func beginOn(t *testing.T, ctx context.Context, dsn string, level sql.IsolationLevel) *sql.Tx {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: level})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return tx
}
