package export_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"minsheng/export"
	"minsheng/seeddata"
	"minsheng/storage"
)

// peakHeap samples the heap every millisecond while fn runs and returns the highest value seen
// and the value just before fn began, after a collection: the difference is what fn itself
// held, apart from what the test (the open stores, the generator) keeps alive all along.
func peakHeap(fn func()) (peak, base uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base = sample[0].Value.Uint64()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return max(peak, base), base
}

// seededStore is a database of n generated opinions, and its file.
func seededStore(b *testing.B, n int) (*storage.Store, string) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "export.db")
	s, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	units, _ := s.Units(ctx)
	gen := seeddata.New(7, units, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), 1)
	for done := 0; done < n; done += 10_000 {
		batch := make([]storage.SeedOpinion, 0, 10_000)
		for len(batch) < cap(batch) && done+len(batch) < n {
			batch = append(batch, gen.Next())
		}
		if err := s.InsertSeed(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	return s, path
}

type writer interface {
	Write(storage.ExportRow) error
	Close() error
}

// BenchmarkExport streams every opinion of a database through the CSV and the XLSX writer and
// reports the peak heap (all of it, and the part above the heap before the export began,
// export-heap-MB) and the time. The baselines are in the same run: for memory, the same
// export of 10k rows (a streamed export's peak heap at 100k rows should be about the same); for
// time, the sqlite3 shell writing the same query's rows as CSV ("sqlite3-csv", skipped when
// sqlite3 is not installed). The ratios are logged at the end.
//
//	go test -run '^$' -bench Export -benchtime 1x -v ./export
func BenchmarkExport(b *testing.B) {
	peaks := map[string]float64{} // format/rows → the export's own peak heap in MB
	secs := map[string]float64{}  // format/rows → seconds per export
	for _, n := range []int{10_000, 100_000} {
		s, path := seededStore(b, n)
		for _, format := range []string{"csv", "xlsx"} {
			name := fmt.Sprintf("%s/rows=%d", format, n)
			b.Run(name, func(b *testing.B) {
				var peak, own uint64
				start := time.Now()
				for i := 0; i < b.N; i++ {
					p, base := peakHeap(func() {
						var w writer
						var err error
						if format == "csv" {
							w, err = export.NewCSV(io.Discard)
						} else {
							w, err = export.NewXLSX(io.Discard, "")
						}
						if err != nil {
							b.Fatal(err)
						}
						if err := s.EachExportRow(context.Background(), storage.OpinionFilter{}, w.Write); err != nil {
							b.Fatal(err)
						}
						if err := w.Close(); err != nil {
							b.Fatal(err)
						}
					})
					peak, own = max(peak, p), max(own, p-base)
				}
				elapsed := time.Since(start).Seconds()
				peaks[name], secs[name] = float64(own)/(1<<20), elapsed/float64(b.N)
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(peaks[name], "export-heap-MB")
				b.ReportMetric(float64(n*b.N)/elapsed, "rows/s")
			})
		}
		name := fmt.Sprintf("sqlite3-csv/rows=%d", n)
		b.Run(name, func(b *testing.B) {
			shell, err := exec.LookPath("sqlite3")
			if err != nil {
				b.Skip("no sqlite3 shell for the baseline")
			}
			query, args := storage.ExportRowsQuery(storage.OpinionFilter{})
			if len(args) != 0 {
				b.Fatalf("the unfiltered export query has arguments %v; the shell is given none", args)
			}
			// Straight into /dev/null: no pipe for Go to drain, so the baseline is the shell's own time.
			null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer null.Close()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				var stderr bytes.Buffer
				cmd := exec.Command(shell, "-readonly", "-csv", path, query)
				cmd.Stdout, cmd.Stderr = null, &stderr
				if err := cmd.Run(); err != nil {
					b.Fatalf("sqlite3: %v: %s", err, stderr.Bytes())
				}
			}
			elapsed := time.Since(start).Seconds()
			secs[name] = elapsed / float64(b.N)
			b.ReportMetric(float64(n*b.N)/elapsed, "rows/s")
		})
	}
	for _, format := range []string{"csv", "xlsx"} {
		small, large := fmt.Sprintf("%s/rows=10000", format), fmt.Sprintf("%s/rows=100000", format)
		if peaks[small] > 0 && peaks[large] > 0 {
			b.Logf("%s: export's own peak heap 100k ÷ 10k = %.2f", format, peaks[large]/peaks[small])
		}
		if shell := secs["sqlite3-csv/rows=100000"]; shell > 0 && secs[large] > 0 {
			b.Logf("%s: time of 100k rows ÷ sqlite3 -csv of the same rows = %.2f", format, secs[large]/shell)
		}
	}
}
