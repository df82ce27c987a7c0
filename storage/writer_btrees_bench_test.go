package storage

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkWriterPerBTree prices each B-tree a new opinion is written to (#11, fifth sitting):
// the writer's own thread's CPU time and the WAL pages per opinion, with the schema as it is and
// with one of the queue's indexes dropped, on a new database holding only today's opinions (what
// loadgen/wrk/run.sh measures). It is a measurement of what an index costs the one serial step,
// for deciding what to take off the write path; the indexes are dropped only in the benchmark's
// own throwaway databases (the queue needs every one of them: TestQueueReadsAnIndexAfterMigration0025).
// The receipt index is the table's UNIQUE constraint and cannot be dropped without rebuilding
// the table; its share is read from the pages (loadgen/wrk/walpages.py).
//
// "no-search-text" stores every opinion with an empty search_text (and without the partial
// index that would then hold them all): what the table's width costs, the folded copy of the
// content being a third of a row.
//
//	go test -run '^$' -bench WriterPerBTree -benchtime 3000x ./storage
//	MINSHENG_WAL_TODAY=100000 go test -run '^$' -bench WriterPerBTree -benchtime 3000x ./storage
func BenchmarkWriterPerBTree(b *testing.B) {
	today := WALToday()
	for _, way := range []struct {
		name     string
		drop     []string
		noSearch bool
	}{
		{name: "schema"},
		{name: "without-opinions_by_day", drop: []string{"opinions_by_day"}},
		{name: "without-opinions_by_status", drop: []string{"opinions_by_status"}},
		{name: "without-opinions_by_unit", drop: []string{"opinions_by_unit"}},
		{name: "without-all-three", drop: []string{"opinions_by_day", "opinions_by_status", "opinions_by_unit"}},
		{name: "no-search-text", drop: []string{"opinions_without_search_text"}, noSearch: true},
	} {
		b.Run(way.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(ctx, filepath.Join(b.TempDir(), "btrees.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for _, index := range way.drop {
				if _, err := s.write.ExecContext(ctx, `DROP INDEX `+index); err != nil {
					b.Fatal(err)
				}
			}
			// The writer's thread: commitBatch runs on this goroutine, locked to its OS thread so
			// that threadCPU reads the serial step's own time, as runWriter does.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			n := 0
			batchOf := func(size int) []pending {
				all, err := s.Campaigns(ctx)
				if err != nil {
					b.Fatal(err)
				}
				batch := make([]pending, size)
				for i := range batch {
					n++
					content := fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t%dk%d", i, n)
					hash := make([]byte, 32)
					_, _ = rand.Read(hash)
					search := searchText(content)
					if way.noSearch {
						search = ""
					}
					batch[i] = pending{opinion: NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Dept: "门诊",
						Submitter: "patient", Content: content}, hash: hash, search: search, campaigns: all,
						done: make(chan created, 1)}
				}
				return batch
			}
			commit := func(batch []pending) {
				s.commitBatch(batch)
				for _, p := range batch {
					if r := <-p.done; r.err != nil {
						b.Fatal(r.err)
					}
				}
			}
			const size = 34 // what the queue hands the writer under wrk's 64 connections
			for done := 0; done < today; done += size {
				commit(batchOf(size))
			}
			if err := HoldCheckpoints(ctx, s); err != nil {
				b.Fatal(err)
			}
			frames0, err := WALFrames(s)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var writer int64
			for done := 0; done < b.N; done += size {
				batch := batchOf(min(size, b.N-done))
				cpu := threadCPU()
				commit(batch)
				writer += int64(threadCPU() - cpu)
			}
			b.StopTimer()
			frames, err := WALFrames(s)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(frames-frames0)/float64(b.N), "pages/op")
			b.ReportMetric(float64(writer)/1e3/float64(b.N), "writer-cpu-µs/op")
		})
	}
}
