package storage_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"minsheng/access"
	"minsheng/internal/testkit"
	"minsheng/seeddata"
	"minsheng/storage"
)

// BenchmarkQueuePostgres measures, on PostgreSQL, the review queue's first page (the #15
// target: at 1M ÷ at 10k ≤ 1.5) and the queue's search views through the full-text index
// (migration 0059), at each size of MINSHENG_BENCH_ROWS, in one run. The databases are named by
// MINSHENG_BENCH_PG, a URL with %d for the number of opinions, e.g.
//
//	loadgen/pgbench-db.sh /tmp/i15-pgqueue        # once: moves the SQLite benchmark files in
//	MINSHENG_BENCH_PG='postgres://postgres@/opinions_%d?host=/tmp/i15-pgqueue/pg&port=54361' \
//	MINSHENG_BENCH_ROWS=10000,1000000 go test -run '^$' -bench QueuePostgres -benchtime 20x -count 5 ./storage
//
// -count repeats each view (Go runs a sub-benchmark's rounds one after the other): take medians.
// A database holding fewer opinions is filled with the made-up opinions of BenchmarkQueueSearch's
// SQLite databases (seeddata, the same seed) and indexed; one moved from SQLite (minsheng
// migrate) is used as it is. Beside the wall time, buffers/op is how many shared buffers
// (8 KiB pages, hit or read) the server touched per view, from pg_stat_statements when the
// server loads it (shared_preload_libraries): a count that does not depend on the machine's
// load. Without it, buffers/op is not reported.
func BenchmarkQueuePostgres(b *testing.B) {
	pattern := os.Getenv("MINSHENG_BENCH_PG")
	if pattern == "" {
		b.Skip("MINSHENG_BENCH_PG is not set: a postgres:// URL with a verb for the number of opinions, as in the comment")
	}
	liaison := &access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-11-23"}
	views := []struct {
		name string
		f    storage.OpinionFilter
	}{
		{"no-match", storage.OpinionFilter{Text: "门难进"}},
		{"common-word", storage.OpinionFilter{Text: "玩手机"}},
		{"single-character", storage.OpinionFilter{Text: "贵"}},
		{"month+word", storage.OpinionFilter{Month: "2026-10", Text: "公款"}},
		{"liaison+common-word", storage.OpinionFilter{Scope: liaison, Text: "玩手机"}},
	}
	for _, n := range benchSizes() {
		ctx := context.Background()
		url := fmt.Sprintf(pattern, n)
		s := benchPostgres(b, url, n)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		_, statErr := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
		if statErr == nil {
			_, statErr = conn.Exec(ctx, `SELECT pg_stat_statements_reset()`)
		}
		for _, v := range views { // warm, as a queue in use is
			if _, err := s.ListOpinions(ctx, v.f, storage.Cursor{}, 50); err != nil {
				b.Fatal(err)
			}
			if _, err := s.StatusCounts(ctx, v.f); err != nil {
				b.Fatal(err)
			}
		}
		// run measures fn per iteration: wall time, the CPU time of this process (cpu-ns/op)
		// and of the server's processes serving this database (server-cpu-ns/op; 10 ms ticks,
		// so over many iterations), which the machine's load stretches far less than wall time,
		// and buffers/op, the server's shared buffers touched by every statement (the count
		// EXPLAIN (ANALYZE, BUFFERS) shows as shared hit + read).
		run := func(fn func() error) func(b *testing.B) {
			return func(b *testing.B) {
				if statErr == nil {
					if _, err := conn.Exec(ctx, `SELECT pg_stat_statements_reset()`); err != nil {
						b.Fatal(err)
					}
				}
				cpu0, server0 := processCPU(), serverCPU(ctx, b, conn)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					storage.ForgetSearches(s)
					if err := fn(); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(serverCPU(ctx, b, conn)-server0)/float64(b.N), "server-cpu-ns/op")
				if statErr == nil {
					var bufs int64
					// The server's statements other than this one (pg_stat_statements' own).
					if err := conn.QueryRow(ctx, `SELECT COALESCE(sum(shared_blks_hit + shared_blks_read), 0)::bigint
						FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
						AND query NOT LIKE '%pg_stat_statements%'`).Scan(&bufs); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(bufs)/float64(b.N), "buffers/op")
				}
			}
		}
		view := func(f storage.OpinionFilter, after storage.Cursor, pageOnly bool) func(b *testing.B) {
			return run(func() error {
				p, err := s.ListOpinions(ctx, f, after, 50)
				if err == nil && f.Text == "" && len(p.Opinions) == 0 {
					err = fmt.Errorf("an empty page")
				}
				if err == nil && !pageOnly {
					_, err = s.StatusCounts(ctx, f)
				}
				return err
			})
		}
		first, err := s.ListOpinions(ctx, storage.OpinionFilter{}, storage.Cursor{}, 1)
		if err != nil || len(first.Opinions) == 0 {
			b.Fatalf("no opinion to look up: %v", err)
		}
		b.Run(fmt.Sprintf("rows=%d/baseline-by-key", n), run(func() error {
			_, err := s.Opinion(ctx, first.Opinions[0].ID)
			return err
		}))
		// The queue without a search (BenchmarkQueueFirstPage's filters on SQLite).
		for _, q := range queueFilters {
			b.Run(fmt.Sprintf("rows=%d/queue-page/%s", n, q.name), view(q.f, storage.Cursor{}, true))
		}
		b.Run(fmt.Sprintf("rows=%d/queue-page/deep", n), view(storage.OpinionFilter{}, deepCursor(b, s, n), true))
		b.Run(fmt.Sprintf("rows=%d/queue-view/all", n), view(storage.OpinionFilter{}, storage.Cursor{}, false))
		b.Run(fmt.Sprintf("rows=%d/queue-view/status", n), view(storage.OpinionFilter{Status: "received"}, storage.Cursor{}, false))
		for _, v := range views {
			b.Run(fmt.Sprintf("rows=%d/index/%s", n, v.name), view(v.f, storage.Cursor{}, false))
			b.Run(fmt.Sprintf("rows=%d/index-page/%s", n, v.name), view(v.f, storage.Cursor{}, true))
		}
		conn.Close(ctx)
	}
}

// serverCPU is the CPU time (user and system, ns) the server processes connected to conn's
// database have used, read from /proc (Linux; 0 elsewhere): the store's pool and conn itself.
func serverCPU(ctx context.Context, b *testing.B, conn *pgx.Conn) int64 {
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		b.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for _, pid := range pids {
		if used, ok := testkit.ProcessCPU(int(pid)); ok {
			total += used
		}
	}
	return total.Nanoseconds()
}

// deepCursor is where page 1 000 of the whole queue starts (or the last page of a smaller one).
func deepCursor(b *testing.B, s *storage.Store, n int) storage.Cursor {
	cursor := storage.Cursor{}
	for p := 0; p < min(n/50-1, 1000); p += 100 {
		page, err := s.ListOpinions(context.Background(), storage.OpinionFilter{}, cursor, 100*50)
		if err != nil {
			b.Fatal(err)
		}
		cursor = page.Next
	}
	return cursor
}

// benchPostgres opens the PostgreSQL database at url, filling it to n made-up opinions (as
// benchDB does a SQLite file) when it holds fewer.
func benchPostgres(b *testing.B, url string, n int) *storage.Store {
	b.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, url, storage.Options{Progress: os.Stderr})
	if err != nil {
		if strings.Contains(err.Error(), "does not exist") {
			b.Fatalf("%v: create it first (createdb --locale=C --encoding=UTF8 --template=template0)", err)
		}
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	have, err := s.CountOpinions(ctx)
	if err != nil || have >= n {
		return s
	}
	b.Logf("filling %s to %d opinions…", url, n)
	units, _ := s.Units(ctx)
	gen := seeddata.New(1, units, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), 24)
	for have < n {
		batch := make([]storage.SeedOpinion, 0, 20000)
		for len(batch) < cap(batch) && have+len(batch) < n {
			batch = append(batch, gen.Next())
		}
		if err := s.InsertSeed(ctx, batch); err != nil {
			b.Fatal(err)
		}
		have += len(batch)
		b.Logf("%d opinions", have)
	}
	if err := s.RebuildSearchIndex(ctx); err != nil {
		b.Fatal(err)
	}
	if err := s.IndexSearch(ctx, os.Stderr); err != nil {
		b.Fatal(err)
	}
	return s
}
