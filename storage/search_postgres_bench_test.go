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
	"minsheng/seeddata"
	"minsheng/storage"
)

// BenchmarkQueuePostgres measures, on PostgreSQL, the review queue's first page (the #15
// target: at 1M ÷ at 10k ≤ 1.5) and the queue's search views through the full-text index
// (migration 0059), at each size of MINSHENG_BENCH_ROWS, in one run. The databases are named by
// MINSHENG_BENCH_PG, a URL with %d for the number of opinions, e.g.
//
//	MINSHENG_BENCH_PG='postgres://postgres@/opinions_%d?host=/tmp/i15-pgsearch/pg&port=54359' \
//	MINSHENG_BENCH_ROWS=10000,100000 go test -run '^$' -bench QueuePostgres -benchtime 20x ./storage
//
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
		view := func(f storage.OpinionFilter, pageOnly bool) func(b *testing.B) {
			return func(b *testing.B) {
				if statErr == nil {
					if _, err := conn.Exec(ctx, `SELECT pg_stat_statements_reset()`); err != nil {
						b.Fatal(err)
					}
				}
				for i := 0; i < b.N; i++ {
					storage.ForgetSearches(s)
					if _, err := s.ListOpinions(ctx, f, storage.Cursor{}, 50); err != nil {
						b.Fatal(err)
					}
					if !pageOnly {
						if _, err := s.StatusCounts(ctx, f); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.StopTimer()
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
		b.Run(fmt.Sprintf("rows=%d/queue-first-page", n), view(storage.OpinionFilter{}, true))
		b.Run(fmt.Sprintf("rows=%d/queue-view", n), view(storage.OpinionFilter{}, false))
		for _, v := range views {
			b.Run(fmt.Sprintf("rows=%d/index/%s", n, v.name), view(v.f, false))
			b.Run(fmt.Sprintf("rows=%d/index-page/%s", n, v.name), view(v.f, true))
		}
		conn.Close(ctx)
	}
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
