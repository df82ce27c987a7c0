package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckpointerKeepsTheWALOffTheWriter: the writer's connection never checkpoints
// (wal_autocheckpoint=0); the checkpointer copies the WAL into the database while commits come
// and empties the -wal file once the portal is idle, and every acknowledged opinion is read back
// from the database file after the store is closed and opened again.
func TestCheckpointerKeepsTheWALOffTheWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt.db")
	s := openAt(t, path, time.Now)
	ctx := context.Background()
	var pages int
	if err := s.write.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != 0 {
		t.Fatalf("the writer's wal_autocheckpoint is %d (%v), want 0: the checkpointer does it", pages, err)
	}
	const n = 300
	for i := range n {
		if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Submitter: "patient",
			Content: fmt.Sprintf("候诊区椅子不够，第 %d 条", i)}, newReceiptHash(t)); err != nil {
			t.Fatal(err)
		}
	}
	// Idle for checkpointIdle: the checkpointer truncates the WAL (a reader may hold it a
	// moment longer; the checkpointer tries again a round later).
	deadline := time.Now().Add(checkpointIdle + 20*time.Second)
	for {
		st, err := os.Stat(path + "-wal")
		if err == nil && st.Size() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the -wal file still holds %d bytes after the portal was idle", st.Size())
		}
		time.Sleep(100 * time.Millisecond)
	}
	var got int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM opinions`).Scan(&got); err != nil || got != n {
		t.Fatalf("%d opinions read (%v), want %d", got, err, n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := openAt(t, path, time.Now)
	if err := again.read.QueryRowContext(ctx, `SELECT count(*) FROM opinions`).Scan(&got); err != nil || got != n {
		t.Fatalf("after reopening: %d opinions (%v), want %d", got, err, n)
	}
}
