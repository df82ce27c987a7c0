package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Ensure a backup taken while submissions pour in is consistent, holds what was committed
// before it started, and restores into a working database.
// SQLite only: VACUUM INTO and the file restore; PostgreSQL refuses both (TestPostgresBackupAndRestoreRefused).
func TestBackupUnderLoadAndRestore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openAt(t, filepath.Join(dir, "live.db"), fixedClock)
	for i := 0; i < 50; i++ {
		mustCreateOpinion(t, s, sampleOpinion("bureau", i))
	}
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.CreateOpinion(ctx, sampleOpinion("county-hospital", i), newReceiptHash(t)); err != nil {
					t.Errorf("submission during backup: %v", err)
					return
				}
				written.Add(1)
			}
		}()
	}
	for written.Load() < 100 {
		time.Sleep(time.Millisecond)
	}
	backup := filepath.Join(dir, "backups", "b1.db")
	err := s.Backup(ctx, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	info, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("backup mode %o, want 600", perm)
	}
	if _, err := os.Stat(backup + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("backup has a -wal file beside it: %v", err)
	}
	if err := checkFile(ctx, backup); err != nil {
		t.Fatalf("backup fails the integrity checks: %v", err)
	}
	if err := s.Backup(ctx, backup); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second backup to the same file: %v, want a refusal", err)
	}

	target := filepath.Join(dir, "restored.db")
	os.WriteFile(target, []byte("not a database"), 0o600)
	kept, err := Restore(ctx, backup, target, fixedTime)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if old, err := os.ReadFile(kept); err != nil || string(old) != "not a database" {
		t.Fatalf("the replaced file was not kept as %s: %v", kept, err)
	}
	r := openAt(t, target, fixedClock)
	n, err := r.CountOpinions(ctx)
	if err != nil || n < 150 || int64(n) > 50+written.Load() {
		t.Fatalf("restored database has %d opinions (%v); 50 before load, %d during", n, err, written.Load())
	}
	if err := r.Check(ctx); err != nil {
		t.Fatalf("restored database: %v", err)
	}
}

// Ensure a damaged backup is refused and the current database is left alone.
// SQLite only: a damaged SQLite file; PostgreSQL refuses restores (TestPostgresBackupAndRestoreRefused).
func TestRestoreRefusesBadBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("SQLite format 3\x00 but then garbage"), 0o600)
	target := filepath.Join(dir, "live.db")
	s := openAt(t, target, fixedClock)
	mustCreateOpinion(t, s, sampleOpinion("bureau", 1))
	if _, err := Restore(context.Background(), bad, target, fixedTime); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	if n, _ := s.CountOpinions(context.Background()); n != 1 {
		t.Fatalf("live database changed: %d opinions", n)
	}
}
