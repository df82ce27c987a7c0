package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Backup writes a consistent copy of the database to path while the portal keeps serving (on
// SQLite; PostgreSQL is backed up by its own tools, see postgresDriver.backup).
func (s *Store) Backup(ctx context.Context, path string) error { return s.drv.backup(ctx, s, path) }

// backup copies the SQLite file with VACUUM INTO. VACUUM INTO reads one snapshot, so writes committed during the copy are simply not in it,
// and the copy has no -wal file beside it. It refuses to overwrite an existing file. The copy
// holds every opinion: it is made readable by its owner only.
func (sqliteDriver) backup(ctx context.Context, s *Store, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	// Create the file first with tight permissions (Chmod: the umask could have taken some);
	// VACUUM INTO fills an empty file and keeps its mode.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := s.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Restore replaces the database at dbPath with the backup at from. The portal must be stopped.
// The backup is checked first; the database it replaces (with its -wal and -shm) is kept beside
// it as dbPath.before-restore-TIMESTAMP, so a wrong restore can be undone. It returns that name.
//
// A PostgreSQL database is restored with PostgreSQL's own tools: ErrBackupElsewhere.
func Restore(ctx context.Context, from, dbPath string, now time.Time) (string, error) {
	if isPostgresDSN(dbPath) {
		return "", ErrBackupElsewhere
	}
	if err := checkFile(ctx, from); err != nil {
		return "", fmt.Errorf("restore: the backup %s is not sound: %w", from, err)
	}
	kept := ""
	if _, err := os.Stat(dbPath); err == nil {
		kept = dbPath + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dbPath+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("restore: keep the old database: %w", err)
			}
			// The kept copy holds every opinion too, whatever mode an older version gave it.
			if err := os.Chmod(kept+suffix, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("restore: %w", err)
			}
		}
	}
	if err := copyFile(from, dbPath); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	s, err := Open(ctx, dbPath, Options{})
	if err != nil {
		return kept, fmt.Errorf("restore: the restored database does not open: %w", err)
	}
	return kept, s.Close()
}

// checkFile opens a database file read-only, as it is (no journal-mode change, which would be
// a write), and runs the integrity checks on it.
func checkFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	return sqliteDriver{}.check(ctx, &Store{read: db})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := out.Chmod(0o600); err != nil {
		out.Close()
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
