package storage

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkWriter measures the writer alone: 64 goroutines submitting opinions through
// CreateOpinion (the queue, the batches, synchronous=FULL commits), without HTTP. What the
// portal could acknowledge if requests cost nothing; loadgen/wrk/run.sh measures the whole path.
//
//	go test -run '^$' -bench Writer -benchtime 20000x ./storage
func BenchmarkWriter(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "writer.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const workers = 64
	ctx := context.Background()
	var next sync.Mutex
	left := b.N
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hash := make([]byte, 32)
			for i := 0; ; i++ {
				next.Lock()
				if left == 0 {
					next.Unlock()
					return
				}
				left--
				next.Unlock()
				_, _ = rand.Read(hash)
				if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Dept: "门诊",
					Submitter: "patient", Content: fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口。编号 w%dk%d", w, i)}, hash); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
	// CPU time per submission, which a busy machine changes far less than the rate.
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
