package storage

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSubmitWithUnitIndex measures what migration 0027's wider opinions_by_unit costs a
// public submission, against the index as 0025 left it, in the same run: each sub-benchmark
// opens a fresh database, puts the index in its shape, fills 20 000 opinions (so that the
// index has depth), then times one writer submitting one opinion at a time. CPU per
// submission is the figure to compare; the rate moves with whatever else the machine does.
//
//	go test -run '^$' -bench SubmitWithUnitIndex -benchtime 3000x ./storage
func BenchmarkSubmitWithUnitIndex(b *testing.B) {
	shapes := []struct{ name, index string }{
		{"index=0025", `(unit_code, created_on, id)`},
		{"index=0027", `(unit_code, created_on, id, dept, type, status, mailbox_code, about_leadership)`},
	}
	for _, shape := range shapes {
		b.Run(shape.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(ctx, filepath.Join(b.TempDir(), "writer.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.write.ExecContext(ctx, `DROP INDEX opinions_by_unit; CREATE INDEX opinions_by_unit ON opinions `+shape.index); err != nil {
				b.Fatal(err)
			}
			fill := make([]SeedOpinion, 20_000)
			for i := range fill {
				fill[i] = SeedOpinion{NewOpinion: NewOpinion{Type: "complaint", UnitCode: "county-hospital", Dept: "门诊收费处",
					Submitter: "patient", Content: "门诊排队太久，希望增加窗口。"}, CreatedOn: fmt.Sprintf("2026-%02d-%02d", 1+i%3, 1+i%28), Status: "received"}
			}
			if err := s.InsertSeed(ctx, fill); err != nil {
				b.Fatal(err)
			}
			hash := make([]byte, 32)
			b.ResetTimer()
			start, cpu := time.Now(), processCPU()
			for i := 0; i < b.N; i++ {
				_, _ = rand.Read(hash)
				if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Dept: "门诊收费处",
					Submitter: "patient", Content: fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口。编号 %d", i)}, hash); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
