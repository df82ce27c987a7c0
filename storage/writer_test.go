package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func sampleOpinion(unit string, i int) NewOpinion {
	return NewOpinion{Type: "complaint", UnitCode: unit, Submitter: "patient",
		Content: fmt.Sprintf("并发提交测试第 %d 条：候诊时间太长。", i)}
}

// Ensure many concurrent submissions all commit, each exactly once, with distinct references.
func TestCreateOpinionConcurrent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		const n = 300
		ids := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], errs[i] = s.CreateOpinion(context.Background(), sampleOpinion("county-hospital", i), newReceiptHash(t))
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i := range ids {
			if errs[i] != nil {
				t.Fatalf("submission %d: %v", i, errs[i])
			}
			if seen[ids[i]] {
				t.Fatalf("reference %s given twice", ids[i])
			}
			seen[ids[i]] = true
		}
		if got := countRows(t, s, "opinions", "1 = 1"); got != n {
			t.Fatalf("rows = %d, want %d", got, n)
		}
	})
}

// Ensure one bad submission in a batch fails alone and the others in the same transaction commit.
func TestCommitBatchIsolatesFailures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		dup := newReceiptHash(t)
		batch := []pending{
			{opinion: sampleOpinion("county-hospital", 1), hash: newReceiptHash(t)},
			{opinion: sampleOpinion("no-such-unit", 2), hash: newReceiptHash(t)},
			{opinion: sampleOpinion("tcm-hospital", 3), hash: dup},
			{opinion: sampleOpinion("tcm-hospital", 4), hash: dup},
			{opinion: NewOpinion{Type: "bogus", UnitCode: "bureau", Submitter: "patient", Content: "类型不对的一条意见内容"}, hash: newReceiptHash(t)},
			{opinion: sampleOpinion("bureau", 6), hash: newReceiptHash(t)},
		}
		for i := range batch {
			batch[i].done = make(chan created, 1)
		}
		s.commitBatch(batch)
		want := []error{nil, ErrNotFound, nil, ErrConflict, errSomeError, nil}
		for i, p := range batch {
			r := <-p.done
			switch {
			case want[i] == nil && r.err != nil:
				t.Errorf("submission %d: %v, want success", i, r.err)
			case want[i] == errSomeError && r.err == nil:
				t.Errorf("submission %d succeeded, want an error", i)
			case want[i] != nil && want[i] != errSomeError && !errors.Is(r.err, want[i]):
				t.Errorf("submission %d: %v, want %v", i, r.err, want[i])
			case r.err == nil:
				if _, err := s.Opinion(context.Background(), r.id); err != nil {
					t.Errorf("submission %d acknowledged as %s but not stored: %v", i, r.id, err)
				}
			}
		}
		if got := countRows(t, s, "opinions", "1 = 1"); got != 3 {
			t.Fatalf("rows = %d, want 3", got)
		}
	})
}

var errSomeError = errors.New("any error")

// Ensure a full queue answers ErrBusy at once instead of making the person wait without end.
func TestCreateOpinionBusyWhenQueueFull(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		real := s.subs
		s.subs = &submissions{queue: make(chan pending), done: make(chan struct{})} // nobody reads it
		_, err := s.CreateOpinion(context.Background(), sampleOpinion("bureau", 1), newReceiptHash(t))
		s.subs = real
		if !errors.Is(err, ErrBusy) {
			t.Fatalf("err = %v, want ErrBusy", err)
		}
		if got := countRows(t, s, "opinions", "1 = 1"); got != 0 {
			t.Fatalf("rows = %d after a refused submission", got)
		}
	})
}

// Ensure Close commits what was already acknowledged-to-be and refuses what comes after.
func TestCloseDrainsQueue(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		path := b.dsn(t)
		s, err := Open(context.Background(), path, Options{Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		const n = 200
		var wg sync.WaitGroup
		var mu sync.Mutex
		var acked []string
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, err := s.CreateOpinion(context.Background(), sampleOpinion("bureau", i), newReceiptHash(t))
				if err == nil {
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				} else if !errors.Is(err, ErrClosed) && !errors.Is(err, ErrBusy) {
					t.Errorf("submission %d: %v", i, err)
				}
			}()
		}
		time.Sleep(time.Millisecond)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		wg.Wait()
		if _, err := s.CreateOpinion(context.Background(), sampleOpinion("bureau", 0), newReceiptHash(t)); !errors.Is(err, ErrClosed) {
			t.Fatalf("after Close: %v, want ErrClosed", err)
		}
		s2 := openAt(t, path, fixedClock)
		for _, id := range acked {
			if _, err := s2.Opinion(context.Background(), id); err != nil {
				t.Fatalf("acknowledged %s lost after Close: %v", id, err)
			}
		}
		if got := countRows(t, s2, "opinions", "1 = 1"); got != len(acked) {
			t.Fatalf("rows = %d, acknowledged %d", got, len(acked))
		}
	})
}
