package storage

import (
	"context"
	"fmt"
	"os"
	"strconv"
)

// WALToday is how many of today's opinions the one-day benchmarks write before they measure:
// 20 000, or MINSHENG_WAL_TODAY. A wrk run of 20 s leaves 30 000–100 000 on its portal, three
// runs up to 300 000.
func WALToday() int {
	if v, err := strconv.Atoi(os.Getenv("MINSHENG_WAL_TODAY")); err == nil && v > 0 {
		return v
	}
	return 20_000
}

// Test-only hooks for BenchmarkWALPagesPerOpinion (walpages_bench_test.go, package storage_test).

// HoldCheckpoints empties the WAL into the database and turns the writer's automatic
// checkpoint off, so that from now on the -wal file grows by exactly the frames the writer
// appends: one frame (a 24-byte header and a page) for every page a commit changed.
func HoldCheckpoints(ctx context.Context, s *Store) error {
	s.ckpt.hold(true)
	if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`)
	return err
}

// WALFrames returns how many frames the -wal file holds (its growth since HoldCheckpoints).
func WALFrames(s *Store) (int64, error) {
	st, err := os.Stat(s.path + "-wal")
	if err != nil {
		return 0, err
	}
	const header, frame = 32, 24 + 4096
	if st.Size() <= header {
		return 0, nil
	}
	return (st.Size() - header) / frame, nil
}

// CommitBatch hands the writer's commitBatch one batch of submissions, as the queue would when
// len(ops) of them are waiting, with what CreateOpinion computes before the queue; it returns
// the new ids. One batch is one transaction and one fsync, so the frames it adds are the pages
// that batch changed.
func CommitBatch(ctx context.Context, s *Store, ops []NewOpinion, hashes [][]byte) ([]string, error) {
	all, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	batch := make([]pending, len(ops))
	for i, n := range ops {
		batch[i] = pending{opinion: n, hash: hashes[i], search: searchText(n.Content), campaigns: all,
			done: make(chan created, 1)}
	}
	s.commitBatch(batch)
	ids := make([]string, len(batch))
	for i, p := range batch {
		r := <-p.done
		if r.err != nil {
			return nil, fmt.Errorf("submission %d: %w", i, r.err)
		}
		ids[i] = r.id
	}
	return ids, nil
}
