package storage_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// BenchmarkQueueSearch measures the queue with a text search through the full-text index
// against the same search by instr() over every row (the way before the index, kept callable
// for this comparison: storage.ScanSearch) and against the queue without a search, in the same
// run, at 10k and 1M opinions. A queue view is what showQueue asks the store for: the first
// page and the sidebar's counts; "page" is the first page alone.
//
// The index's figure should hardly move from 10k to 1M: a word matching nothing costs one look
// into the index; a page reads the matches newest first, a chunk at a time, as far as it needs
// (search_stream.go), and the sidebar counts the first SearchCap matches. instr reads every row
// the other filters leave. A database built before migration 0037 is upgraded on its first
// open (the newest-first index is copied across, with progress on stderr).
//
//	go test -run '^$' -bench QueueSearch -benchtime 10x ./storage
//
// MINSHENG_BENCH_ROWS=10000 measures the small database alone (no million-row build).
func BenchmarkQueueSearch(b *testing.B) {
	liaison := &access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-11-23"}
	deptHead := &access.Viewer{Role: access.DeptHead, Unit: "county-hospital", Dept: "门诊收费处", Today: "2026-11-23"}
	unitHead := &access.Viewer{Role: access.UnitHead, Unit: "county-hospital", Today: "2026-11-23"}
	branchAdmin := &access.Viewer{Role: access.Admin, Branch: "county-hospital"} // BranchUnits as a session loads them
	views := []struct {
		name string
		f    storage.OpinionFilter
	}{
		{"no-match", storage.OpinionFilter{Text: "门难进"}},                                   // no opinion says it
		{"common-word", storage.OpinionFilter{Text: "玩手机"}},                                // one scene in ten
		{"common-word-traditional", storage.OpinionFilter{Text: "玩手機"}},                    // the same, folded
		{"single-character", storage.OpinionFilter{Text: "贵"}},                             // a prefix query
		{"month+word", storage.OpinionFilter{Month: "2026-10", Text: "公款"}},                // a month narrows the scan
		{"unit+no-match", storage.OpinionFilter{UnitCode: "county-hospital", Text: "门难进"}}, // a unit narrows it too
		{"liaison+common-word", storage.OpinionFilter{Scope: liaison, Text: "玩手机"}},        // a narrow scope
		// The roles and filters migration 0056 puts on the documents (the tag is on the
		// benchmark database only if it was given one: see docs/benchmarks.md).
		{"dept-head+common-word", storage.OpinionFilter{Scope: deptHead, Text: "玩手机"}},
		{"unit-head+common-word", storage.OpinionFilter{Scope: unitHead, Text: "玩手机"}},
		{"branch-admin+common-word", storage.OpinionFilter{Scope: branchAdmin, Text: "玩手机"}},
		{"style+common-word", storage.OpinionFilter{Style: "formalism", Text: "玩手机"}},
		{"tag+common-word", storage.OpinionFilter{Tag: "formalism-unsolid", Text: "玩手机"}},
	}
	for _, n := range benchSizes() {
		ctx := context.Background()
		s := benchDB(b, n)
		units, err := s.Subtree(ctx, branchAdmin.Branch)
		if err != nil {
			b.Fatal(err)
		}
		branchAdmin.BranchUnits = units
		if p, err := s.ListOpinions(ctx, storage.OpinionFilter{Text: "玩手机"}, storage.Cursor{}, 1); err != nil || len(p.Opinions) == 0 {
			b.Fatalf("search finds nothing in the benchmark database: %v", err)
		}
		// Warm: every view once, so that the first measured one does not pay for reading the
		// file into the page cache (a queue in use is warm).
		for _, v := range views {
			if _, err := s.ListOpinions(ctx, v.f, storage.Cursor{}, 50); err != nil {
				b.Fatal(err)
			}
			if _, err := s.StatusCounts(ctx, v.f); err != nil {
				b.Fatal(err)
			}
		}
		view := func(f storage.OpinionFilter, pageOnly bool) func(b *testing.B) {
			return func(b *testing.B) {
				cpu := processCPU()
				defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
				for i := 0; i < b.N; i++ {
					storage.ForgetSearches(s) // each view plans its search afresh
					if _, err := s.ListOpinions(ctx, f, storage.Cursor{}, 50); err != nil {
						b.Fatal(err)
					}
					if pageOnly {
						continue
					}
					if _, err := s.StatusCounts(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.Run(fmt.Sprintf("rows=%d/baseline-no-search", n), view(storage.OpinionFilter{}, false))
		for _, v := range views {
			b.Run(fmt.Sprintf("rows=%d/index/%s", n, v.name), view(v.f, false))
			b.Run(fmt.Sprintf("rows=%d/index-page/%s", n, v.name), view(v.f, true))
			b.Run(fmt.Sprintf("rows=%d/instr/%s", n, v.name), view(storage.ScanSearch(v.f), false))
		}
	}
}

// processCPU is the CPU time this process has used (user and system), in nanoseconds: on a
// machine shared with other work, the wall time of a view counts the time it waited for a core
// as well, its CPU time hardly does (cpu-ns/op beside ns/op).
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// benchSizes are the database sizes to measure: MINSHENG_BENCH_ROWS (comma-separated), or 10k
// and 1M.
func benchSizes() []int {
	env := os.Getenv("MINSHENG_BENCH_ROWS")
	if env == "" {
		return []int{10_000, 1_000_000}
	}
	var out []int
	for _, f := range strings.Split(env, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}
