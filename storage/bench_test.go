package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/seeddata"
	"minsheng/storage"
)

// benchDB returns a database holding n made-up opinions, its full-text index built. Large ones
// are kept between runs in the user cache folder (building a million rows and their index takes
// several minutes); set MINSHENG_BENCH_DIR to choose another folder. The file name carries a
// version: v2 databases were built with the index (migration 0023), and an older cache is
// left alone rather than opened by a schema it may not match.
func benchDB(b *testing.B, n int) *storage.Store {
	b.Helper()
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "minsheng-bench")
	}
	path := filepath.Join(dir, fmt.Sprintf("opinions-%d.v2.db", n))
	ctx := context.Background()
	_, statErr := os.Stat(path)
	s, err := storage.Open(ctx, path, storage.Options{Progress: os.Stderr})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if statErr == nil {
		if have, _ := s.CountOpinions(ctx); have == n {
			return s
		}
	}
	b.Logf("building %s with %d opinions…", path, n)
	units, _ := s.Units(ctx)
	gen := seeddata.New(1, units, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), 24)
	have, _ := s.CountOpinions(ctx)
	for have < n {
		batch := make([]storage.SeedOpinion, 0, 20000)
		for len(batch) < cap(batch) && have+len(batch) < n {
			batch = append(batch, gen.Next())
		}
		if err := s.InsertSeed(ctx, batch); err != nil {
			b.Fatal(err)
		}
		have += len(batch)
	}
	// Every made-up day has passed (the generator stops at 23 November 2026): all indexed.
	if err := s.IndexSearch(ctx, os.Stderr); err != nil {
		b.Fatal(err)
	}
	return s
}

// queueFilters are what reviewers use most: everything, one status, one style in a month; and
// everything as a reviewer who reads a mailbox sees it (the scope's SQL, mailbox letters included).
var queueFilters = []struct {
	name string
	f    storage.OpinionFilter
}{
	{"all", storage.OpinionFilter{}},
	{"all-as-reviewer", storage.OpinionFilter{Scope: &access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}}},
	{"status", storage.OpinionFilter{Status: "received"}},
	{"style+month", storage.OpinionFilter{Style: "bureaucratism", Month: "2026-10"}},
	{"unit+type", storage.OpinionFilter{UnitCode: "county-hospital", Type: "complaint"}},
}

// BenchmarkQueueFirstPage measures the queue's first page (50 rows) at 10k and 1M opinions.
// The baseline, measured in the same run, is reading one opinion by its key: the ratio says
// how many key look-ups a page view costs, and comparing the two sizes shows the page does not
// slow down as the table grows (keyset pagination: no OFFSET, no COUNT).
//
//	go test -run '^$' -bench QueueFirstPage ./storage
func BenchmarkQueueFirstPage(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		s := benchDB(b, n)
		ctx := context.Background()
		page, err := s.ListOpinions(ctx, storage.OpinionFilter{}, storage.Cursor{}, 1)
		if err != nil || len(page.Opinions) == 0 {
			b.Fatalf("no opinion to look up: %v", err)
		}
		id := page.Opinions[0].ID
		b.Run(fmt.Sprintf("rows=%d/baseline-by-key", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := s.Opinion(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, q := range queueFilters {
			b.Run(fmt.Sprintf("rows=%d/%s", n, q.name), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					p, err := s.ListOpinions(ctx, q.f, storage.Cursor{}, 50)
					if err != nil || len(p.Opinions) == 0 {
						b.Fatalf("page: %d rows, %v", len(p.Opinions), err)
					}
				}
			})
		}
		// A deep page: the cursor of page 1 000 costs what page 1 costs.
		b.Run(fmt.Sprintf("rows=%d/all-deep-page", n), func(b *testing.B) {
			cursor := storage.Cursor{}
			for p := 0; p < min(n/50-1, 1000); p += 100 {
				page, _ := s.ListOpinions(ctx, storage.OpinionFilter{}, cursor, 100*50)
				cursor = page.Next
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.ListOpinions(ctx, storage.OpinionFilter{}, cursor, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
