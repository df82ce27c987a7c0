package export_test

import (
	"context"
	"fmt"
	"io"
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

// peakHeap samples the live heap while fn runs and returns the highest value seen.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
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
	return peak
}

func seededStore(b *testing.B, n int) *storage.Store {
	b.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, filepath.Join(b.TempDir(), "export.db"), storage.Options{})
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
	return s
}

type writer interface {
	Write(storage.ExportRow) error
	Close() error
}

// BenchmarkExport streams every opinion of a database through the CSV and the XLSX writer and
// reports the peak heap. The baseline is the same export of 10k rows in the same run: a
// streamed export's peak heap at 100k rows should be about the same ("peak-heap-MB" flat),
// while the time grows with the rows.
//
//	go test -run '^$' -bench Export -benchtime 1x ./export
func BenchmarkExport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		s := seededStore(b, n)
		for _, format := range []string{"csv", "xlsx"} {
			b.Run(fmt.Sprintf("%s/rows=%d", format, n), func(b *testing.B) {
				var peak uint64
				start := time.Now()
				for i := 0; i < b.N; i++ {
					p := peakHeap(func() {
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
					peak = max(peak, p)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
			})
		}
	}
}
