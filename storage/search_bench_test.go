package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minsheng/storage"
)

// BenchmarkQueueSearch measures the queue with a text search against the same queue without
// one, in the same run, at 10k and 1M opinions. A queue view is what showQueue asks the store
// for: the first page and the sidebar's counts. instr has no index: the page reads rows newest
// first until 50 match, the counts read every row the other filters leave, so a search costs
// about one pass over search_text of those rows however few match.
//
//	go test -run '^$' -bench QueueSearch -benchtime 20x ./storage
func BenchmarkQueueSearch(b *testing.B) {
	views := []struct {
		name string
		f    storage.OpinionFilter
	}{
		{"baseline-no-search", storage.OpinionFilter{}},
		{"common-word", storage.OpinionFilter{Text: "玩手机"}},                                // one scene in ten
		{"common-word-traditional", storage.OpinionFilter{Text: "玩手機"}},                    // the same, folded
		{"no-match", storage.OpinionFilter{Text: "门难进"}},                                   // reads every row
		{"month-baseline", storage.OpinionFilter{Month: "2026-10"}},                        // one month of 24
		{"month+word", storage.OpinionFilter{Month: "2026-10", Text: "公款"}},                // a month narrows the scan
		{"unit+no-match", storage.OpinionFilter{UnitCode: "county-hospital", Text: "门难进"}}, // a unit narrows it too
	}
	for _, n := range []int{10_000, 1_000_000} {
		ctx := context.Background()
		start := time.Now()
		built := benchDB(b, n)
		// A benchmark database cached from before migration 0014 has no search_text: this Open
		// fills it once (instant when it is already filled).
		s, err := storage.Open(ctx, built.Path(), storage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		b.Logf("rows=%d: opened in %v (the first open after migration 0014 fills search_text)", n, time.Since(start))
		if p, err := s.ListOpinions(ctx, storage.OpinionFilter{Text: "玩手机"}, storage.Cursor{}, 1); err != nil || len(p.Opinions) == 0 {
			b.Fatalf("search finds nothing in the benchmark database: %v", err)
		}
		for _, v := range views {
			b.Run(fmt.Sprintf("rows=%d/%s", n, v.name), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.ListOpinions(ctx, v.f, storage.Cursor{}, 50); err != nil {
						b.Fatal(err)
					}
					if _, err := s.StatusCounts(ctx, v.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
