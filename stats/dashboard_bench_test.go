package stats

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/storage"
)

// benchCopy opens a copy of the cached database of n made-up opinions that storage's
// benchmarks build (storage.benchDB: MINSHENG_BENCH_DIR, else the user cache folder), or skips
// when there is none. A copy, so that nothing this branch's store does on opening (a migration
// the cache does not have yet) changes the file the other benchmarks share.
func benchCopy(b *testing.B, n int) *storage.Store {
	b.Helper()
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			b.Skip("no cache folder")
		}
		dir = filepath.Join(cache, "minsheng-bench")
	}
	src, err := os.Open(filepath.Join(dir, fmt.Sprintf("opinions-%d.v2.db", n)))
	if err != nil {
		b.Skipf("no cached database of %d opinions (go test -run '^$' -bench QueueFirstPage ./storage builds it): %v", n, err)
	}
	defer src.Close()
	path := filepath.Join(b.TempDir(), "bench.db")
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := storage.Open(context.Background(), path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkDashboard measures one unit's dashboard (county-hospital: a sixth of the opinions,
// about 7 000 a month over its twelve months) at 10k and 1M opinions, as a reviewer sees it.
// Two baselines in the same run: the twelve-month trend alone read from the index
// (MonthCounts, the cheapest figure there is), and streaming the same opinions through the
// report's EachFact without counting anything (what the dashboard would cost on the report's
// stream instead of its own).
//
//	go test -run '^$' -bench Dashboard -benchtime 5x ./stats
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	reviewer := access.Viewer{Role: access.Reviewer}
	for _, n := range []int{10_000, 1_000_000} {
		st := benchCopy(b, n)
		q := DashboardQuery{Unit: "county-hospital", Month: "2026-11", Viewer: reviewer, Today: "2026-11-30"}
		f := storage.FactFilter{From: "2025-12-01", To: "2026-12-01", Unit: "county-hospital", Viewer: &reviewer}
		b.Run(fmt.Sprintf("rows=%d/baseline-month-counts", n), withCPU(func(b *testing.B) {
			if _, err := st.MonthCounts(ctx, f); err != nil {
				b.Fatal(err)
			}
		}))
		b.Run(fmt.Sprintf("rows=%d/reference-each-fact", n), withCPU(func(b *testing.B) {
			seen := 0
			if err := st.EachFact(ctx, f, func(*storage.Fact) error { seen++; return nil }); err != nil || seen == 0 {
				b.Fatalf("%d facts: %v", seen, err)
			}
		}))
		b.Run(fmt.Sprintf("rows=%d/dashboard", n), withCPU(func(b *testing.B) {
			d, err := BuildDashboard(ctx, st, q)
			if err != nil || d.Total == 0 {
				b.Fatalf("dashboard of %d opinions: %v", d.Total, err)
			}
		}))
	}
}

// withCPU is a benchmark that runs op b.N times and reports, besides the time, the CPU time
// per op: on a machine shared with other work the wall time swells with the waiting, the CPU
// time much less.
func withCPU(op func(*testing.B)) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			op(b)
		}
		b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
