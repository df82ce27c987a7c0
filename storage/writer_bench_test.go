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
//
// Two ways of checkpointing the WAL, in the same run: "checkpointer" (today: a goroutine on its
// own connection, checkpointer.go) and "writer-checkpoints" (before #11's change: the writer's
// own connection at 10 000 pages). writer-cpu-µs/op is the writer thread's CPU alone — the
// serial step — and writer-cpu-µs/batch the same per commit.
func BenchmarkWriter(b *testing.B) {
	for _, way := range []struct {
		name    string
		writer  bool
		captcha captchaWay
	}{
		{"checkpointer", false, noCaptcha}, {"writer-checkpoints", true, noCaptcha},
		{"captcha-in-batch", false, captchaInBatch}, {"captcha-own-commit", false, captchaOwnCommit},
	} {
		b.Run(way.name, func(b *testing.B) {
			writerCheckpoints = way.writer
			defer func() { writerCheckpoints = false }()
			benchmarkWriter(b, way.captcha)
		})
	}
}

// captchaWay is how a submission's captcha is spent in BenchmarkWriter: not at all (captcha
// off, as loadgen/wrk/run.sh runs the portal), in the opinion's batch (NewOpinion.Token, since
// #11), or in a light commit of its own before the opinion (Spend, as before).
type captchaWay int

const (
	noCaptcha captchaWay = iota
	captchaInBatch
	captchaOwnCommit
)

func benchmarkWriter(b *testing.B, captcha captchaWay) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "writer.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	submitConcurrently(b, s, captcha)
}

// submitConcurrently submits b.N opinions to s from 64 goroutines through CreateOpinion and
// reports the rate, the process's CPU and the writer thread's per submission.
func submitConcurrently(b *testing.B, s *Store, captcha captchaWay) {
	wcpu, wbatches := s.writerCPU.Load(), s.writerBatches.Load()
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
				var token *Token
				if captcha != noCaptcha {
					token = &Token{Hash: make([]byte, 32), Expires: time.Now().Add(10 * time.Minute)}
					_, _ = rand.Read(token.Hash)
				}
				if captcha == captchaOwnCommit {
					if _, err := s.Spend(ctx, token.Hash, token.Expires); err != nil {
						b.Error(err)
						return
					}
					token = nil
				}
				if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Dept: "门诊",
					Submitter: "patient", Content: fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口。编号 w%dk%d", w, i),
					Token: token}, hash); err != nil {
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
	writer, batches := time.Duration(s.writerCPU.Load()-wcpu), s.writerBatches.Load()-wbatches
	b.ReportMetric(float64(writer.Microseconds())/float64(b.N), "writer-cpu-µs/op")
	b.ReportMetric(float64(writer.Microseconds())/float64(max(batches, 1)), "writer-cpu-µs/batch")
	b.ReportMetric(float64(b.N)/float64(max(batches, 1)), "ops/batch")
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
