//go:build unix

package storage

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFilesAreOwnerOnly: the database, its -wal and -shm, a backup, a restored database and the
// copy a restore keeps are all mode 600 whatever the umask, since each holds every opinion. Not
// parallel: the umask belongs to the whole process (parallel tests wait until this one is done).
// SQLite only: files on the disk; PostgreSQL's files are the server's (mode 700 by initdb).
func TestFilesAreOwnerOnly(t *testing.T) {
	ctx := context.Background()
	for _, umask := range []int{0, 0o022} {
		t.Run(fs.FileMode(umask).String(), func(t *testing.T) {
			old := syscall.Umask(umask)
			defer syscall.Umask(old)
			dir := t.TempDir()
			wantOwnerOnly := func(t *testing.T, paths ...string) {
				t.Helper()
				for _, p := range paths {
					st, err := os.Stat(p)
					if err != nil {
						t.Errorf("stat %s: %v", filepath.Base(p), err)
						continue
					}
					if got := st.Mode().Perm(); got != 0o600 {
						t.Errorf("%s is mode %v, want -rw-------", filepath.Base(p), got)
					}
				}
			}

			// A new database, after a write (so the -wal and -shm exist).
			path := filepath.Join(dir, "minsheng.db")
			s, err := Open(ctx, path, Options{Now: fixedClock})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "bureau", Submitter: "patient",
				Content: "药房窗口排队太久。"}, newReceiptHash(t)); err != nil {
				t.Fatal(err)
			}
			wantOwnerOnly(t, path, path+"-wal", path+"-shm")

			backup := filepath.Join(dir, "backups", "minsheng-backup.db")
			if err := s.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}
			wantOwnerOnly(t, backup)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			// A database an older version left readable by everyone is tightened when opened.
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err = Open(ctx, path, Options{Now: fixedClock})
			if err != nil {
				t.Fatal(err)
			}
			wantOwnerOnly(t, path)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			// Restore: the restored file and the copy it keeps of the database it replaced.
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
			kept, err := Restore(ctx, backup, path, fixedTime)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(kept, ".before-restore-") {
				t.Fatalf("kept %q", kept)
			}
			wantOwnerOnly(t, path, kept)
		})
	}
}
