package storage_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/seeddata"
	"minsheng/storage"
)

// BenchmarkWALPagesPerOpinion counts the WAL frames (pages) the writer appends per acknowledged
// opinion: the writer's serial work is mostly writing them (#11), and unlike a rate the count
// does not depend on how busy the machine is. Each op is one submission; they are committed in
// batches of a fixed size through the writer's own commitBatch (as the queue hands it what
// waited during the previous commit), with automatic checkpoints off so that the -wal file's
// growth ÷ (4096 + 24) is the frames written. It also reports the CPU µs per opinion (process
// CPU, the search text's folding included, no HTTP).
//
// Two databases:
//
//   - old-days: a database already holding many opinions of earlier days (100 000 by default,
//     built once into the cache folder as walbase-100000.db and copied; MINSHENG_WAL_ROWS
//     chooses another count), receiving today's: a portal in service. MINSHENG_WAL_DB names a
//     database file to use in place instead (say a copy of the 1M benchmark database; it is
//     written to).
//
//   - one-day: a new database that first receives 20 000 of today's submissions
//     (MINSHENG_WAL_TODAY chooses another count), then the measured ones: what
//     loadgen/wrk/run.sh measures, where every row is today's.
//
//     go test -run '^$' -bench WALPagesPerOpinion -benchtime 2000x ./storage
func BenchmarkWALPagesPerOpinion(b *testing.B) {
	// 11:00 in China on 7 December 2026; each batch size starts a new day (walBatches), so
	// that each measures a day of b.N submissions.
	// MINSHENG_WAL_DAY (YYYY-MM-DD) starts elsewhere: a second run on the same MINSHENG_WAL_DB.
	day := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	if d, err := time.Parse("2006-01-02", os.Getenv("MINSHENG_WAL_DAY")); err == nil {
		day = d.Add(3 * time.Hour)
	}
	clock := func() time.Time { return day }
	ctx := context.Background()

	b.Run("old-days", func(b *testing.B) {
		path := os.Getenv("MINSHENG_WAL_DB")
		if path == "" {
			rows := 100_000
			if v, err := strconv.Atoi(os.Getenv("MINSHENG_WAL_ROWS")); err == nil && v > 0 {
				rows = v
			}
			path = filepath.Join(b.TempDir(), "wal.db")
			copyFile(b, walBase(b, rows), path)
		}
		s, err := storage.Open(ctx, path, storage.Options{Now: clock})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		have, _ := s.CountOpinions(ctx)
		b.Logf("%s: %d opinions before", filepath.Base(path), have)
		walBatches(b, s, &day)
	})

	b.Run("one-day", func(b *testing.B) {
		s, err := storage.Open(ctx, filepath.Join(b.TempDir(), "wal.db"), storage.Options{Now: clock})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		gen := submissions(s)
		for i := 0; i < storage.WALToday(); i += 250 {
			ops, hashes := gen(250)
			if _, err := storage.CommitBatch(ctx, s, ops, hashes); err != nil {
				b.Fatal(err)
			}
		}
		walBatches(b, s, nil)
	})
}

// walBatches runs the batch sizes on s, each measuring b.N submissions. With day (the store's
// clock), each batch size takes the next day, so that it starts on a day with no opinions;
// without, all go on the same day.
func walBatches(b *testing.B, s *storage.Store, day *time.Time) {
	ctx := context.Background()
	gen := submissions(s)
	for _, size := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			if day != nil {
				*day = day.AddDate(0, 0, 1)
			}
			if err := storage.HoldCheckpoints(ctx, s); err != nil {
				b.Fatal(err)
			}
			frames0, err := storage.WALFrames(s)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := cpuTime()
			for done := 0; done < b.N; done += size {
				ops, hashes := gen(min(size, b.N-done))
				if _, err := storage.CommitBatch(ctx, s, ops, hashes); err != nil {
					b.Fatal(err)
				}
			}
			cpuUsed := cpuTime() - cpu
			b.StopTimer()
			frames, err := storage.WALFrames(s)
			if err != nil {
				b.Fatal(err)
			}
			// MINSHENG_WAL_KEEP=folder keeps the database and its WAL for a look at which B-trees
			// the frames belong to (sqlite3's dbstat: loadgen/wrk/walpages.py).
			if dir := os.Getenv("MINSHENG_WAL_KEEP"); dir != "" {
				name := strings.NewReplacer("/", "-", "=", "").Replace(b.Name())
				copyFile(b, s.Path(), filepath.Join(dir, name+".db"))
				copyFile(b, s.Path()+"-wal", filepath.Join(dir, name+".db-wal"))
			}
			b.ReportMetric(float64(frames-frames0)/float64(b.N), "pages/op")
			b.ReportMetric(float64(cpuUsed.Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// submissions returns a source of made-up public submissions (the seed generator's words,
// units, types and departments, from the web form) with random receipt hashes.
func submissions(s *storage.Store) func(n int) ([]storage.NewOpinion, [][]byte) {
	units, _ := s.Units(context.Background())
	gen := seeddata.New(7, units, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), 1)
	return func(n int) ([]storage.NewOpinion, [][]byte) {
		ops, hashes := make([]storage.NewOpinion, n), make([][]byte, n)
		for i := range ops {
			ops[i] = gen.Next().NewOpinion
			hashes[i] = make([]byte, 32)
			_, _ = rand.Read(hashes[i])
		}
		return ops, hashes
	}
}

// walBase returns a database of rows made-up opinions of earlier days, built once into the
// benchmark cache folder (see benchDB) and never written to afterwards: callers copy it.
func walBase(b *testing.B, rows int) string {
	b.Helper()
	dir := os.Getenv("MINSHENG_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "minsheng-bench")
	}
	path := filepath.Join(dir, fmt.Sprintf("walbase-%d.db", rows))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	b.Logf("building %s with %d opinions…", path, rows)
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := storage.Open(ctx, tmp, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	units, _ := s.Units(ctx)
	gen := seeddata.New(1, units, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), 24)
	for have := 0; have < rows; {
		batch := make([]storage.SeedOpinion, 0, 20000)
		for len(batch) < cap(batch) && have+len(batch) < rows {
			batch = append(batch, gen.Next())
		}
		if err := s.InsertSeed(ctx, batch); err != nil {
			b.Fatal(err)
		}
		have += len(batch)
	}
	if err := s.IndexSearch(ctx, io.Discard); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil { // checkpoints: the file alone holds everything
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}
