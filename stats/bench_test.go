package stats

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/period"
	"minsheng/seeddata"
	"minsheng/storage"
)

// BenchmarkMonthlyReport measures issue #12's target: the monthly report (Compare: the month,
// the month before and the same month a year earlier, with the 12-month trend) of a month of
// 100 000 opinions in a database of a million, under 2 s, with peak memory at most 1.5 × that
// of a month of 1 000, both measured in the same run on the same database.
//
// The database is a copy of storage's cached benchmark database of 1 000 000 made-up opinions
// (storage.BenchmarkQueueFirstPage builds it; this benchmark never writes to it), to which the
// copy adds 56 728 opinions in October 2026 (which then holds exactly 100 000) and 1 000 in each
// of June 2024, May 2024 and June 2023 (a month of 1 000 whose 环比 and 同比 months are as
// small). The copy is made in a temporary folder and removed afterwards.
//
// Peak memory is the Go heap's peak during one report: runtime/metrics'
// /memory/classes/heap/objects:bytes (live and not yet collected objects) sampled every 100 µs,
// less what was live before the report began. SQLite's page cache is outside the Go heap and
// bounded by its cache size per connection, whatever the month.
//
//	go test -run '^$' -bench MonthlyReport -benchtime 3x ./stats
func BenchmarkMonthlyReport(b *testing.B) {
	st := reportBenchDB(b)
	ctx := context.Background()
	viewer := access.Viewer{Role: access.Reviewer}
	var small, smallLive float64 // the 1 000-month's peak heap, and its peak live heap
	for _, m := range []struct{ name, month string }{
		{"month=1000", "2024-06"}, {"month=42000", "2026-09"}, {"month=100000", "2026-10"},
	} {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			q := Query{Period: mustParseB(b, m.month), Viewer: viewer, Today: "2026-12-01"}
			var peak, above uint64
			var total int
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				abs, base, err := peakHeap(func() error {
					c, err := Compare(ctx, st, q)
					if err == nil {
						total = c.Current.Total
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				peak, above = max(peak, abs), max(above, abs-min(abs, base))
			}
			// The process's CPU time (user and system, every thread, SQLite's included): on a
			// shared machine the wall time says more about the neighbours than about the report.
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(total), "opinions")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(above)/(1<<20), "above-start-MiB")
			// What the report needs, rather than what the collector lets pile up: the same
			// report with the collector running almost all the time (GOGC=1), so that the heap
			// holds little more than what is live. Not timed.
			b.StopTimer()
			old := debug.SetGCPercent(1)
			live, _, err := peakHeap(func() error { _, err := Compare(ctx, st, q); return err })
			debug.SetGCPercent(old)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
			if m.name == "month=1000" {
				small, smallLive = float64(peak), float64(live)
			} else {
				b.ReportMetric(float64(peak)/small, "peak-ratio-to-1000")
				b.ReportMetric(float64(live)/smallLive, "live-ratio-to-1000")
			}
		})
	}
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap runs fn and returns the most the Go heap held meanwhile (objects live or not yet
// collected, as the export benchmark measures it) and what it held when fn began, just after a
// collection.
func peakHeap(fn func() error) (peak, base uint64, err error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base = read()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	err = fn()
	close(stop)
	wg.Wait()
	return max(peak, read()), base, err
}

func mustParseB(b *testing.B, s string) period.Period {
	b.Helper()
	p, err := period.Parse(s)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// reportBenchDB copies the cached million-opinion database and adds the months the benchmark
// reads; it skips when the cache has not been built.
func reportBenchDB(b *testing.B) *storage.Store {
	b.Helper()
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "minsheng-bench")
	}
	src := filepath.Join(dir, "opinions-1000000.v2.db")
	if _, err := os.Stat(src); err != nil {
		b.Skipf("no %s: build it with go test -run '^$' -bench QueueFirstPage ./storage", src)
	}
	// MINSHENG_REPORT_DB names a copy made earlier to use instead (the months it lacks are
	// added), so that a second run need not copy again.
	copyPath := os.Getenv("MINSHENG_REPORT_DB")
	if copyPath == "" {
		copyPath = filepath.Join(b.TempDir(), "report.db")
		if err := copyFile(src, copyPath); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	st, err := storage.Open(ctx, copyPath, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	units, err := st.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, add := range []struct {
		last string // the month's last day
		n    int
	}{{"2026-10-31", 100_000}, {"2024-06-30", 1000}, {"2024-05-31", 1000}, {"2023-06-30", 1000}} {
		day, _ := time.Parse("2006-01-02", add.last)
		have, err := st.MonthCounts(ctx, storage.FactFilter{From: add.last[:8] + "01", To: day.AddDate(0, 0, 1).Format("2006-01-02")})
		if err != nil {
			b.Fatal(err)
		}
		done := 0
		if len(have) == 1 {
			done = have[0].N
		}
		// 30 days back from the last: within the month for 30- and 31-day months.
		gen := seeddata.New(uint64(day.Unix()), units, day, 1)
		for done < add.n {
			batch := make([]storage.SeedOpinion, 0, min(20_000, add.n-done))
			for len(batch) < cap(batch) {
				batch = append(batch, gen.Next())
			}
			if err := st.InsertSeed(ctx, batch); err != nil {
				b.Fatal(err)
			}
			done += len(batch)
		}
	}
	return st
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}
