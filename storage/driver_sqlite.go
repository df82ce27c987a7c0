package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// sqliteDriver is the embedded default: one database file, opened through mattn/go-sqlite3.
type sqliteDriver struct{}

func (sqliteDriver) name() string { return "sqlite" }

func (sqliteDriver) migrationFS() (fs.FS, string) { return migrationFiles, "migrations" }

func (sqliteDriver) schemaTableDDL() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`
}

// dsn builds the connection string. Every pragma is in it so that every pooled connection gets
// them (a PRAGMA run with db.Exec would reach only one connection):
//   - WAL lets readers work while the writer commits;
//   - synchronous=FULL syncs the WAL on every commit: an acknowledged opinion is on disk;
//   - foreign_keys, because SQLite leaves them off by default;
//   - busy_timeout waits for the lock instead of failing at once;
//   - txlock=immediate takes the write lock at BEGIN, so a read-then-write transaction never
//     fails with SQLITE_BUSY halfway;
//   - secure_delete overwrites deleted content; auto_vacuum gives freed pages back;
//   - cache_size: 32 MB of pages per connection, readers too (SQLite's default is 2 MB): a
//     search at a million opinions reads a few thousand rows spread over the whole file.
func dsn(path string, readOnly bool, busy time.Duration) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	q.Set("_secure_delete", "on")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_txlock", "immediate")
		q.Set("_auto_vacuum", "full")
	}
	q.Set("_cache_size", "-32000")
	return fileURI(path) + "?" + q.Encode()
}

// fileURI turns a path into a SQLite file: URI, escaping the characters that would end or
// alter it.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// open creates the file (owner-only) and its folder, and opens the one-connection write pool
// and the read-only pool.
func (sqliteDriver) open(ctx context.Context, path string, opt Options) (write, read *sql.DB, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, nil, fmt.Errorf("create database folder: %w", err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, nil, err
	}
	write, err = sql.Open("sqlite3", dsn(path, false, opt.BusyTimeout))
	if err != nil {
		return nil, nil, err
	}
	// One writer connection: SQLite allows one writer anyway, and queueing in Go is kinder than
	// queueing on the file lock.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	read, err = openReadPool(path, opt.BusyTimeout)
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	return write, read, nil
}

// afterMigrate turns the writer's own checkpoints off: the checkpointer does them on its own
// connection (checkpointer.go), so that no batch of submissions waits for ~10 000 pages to be
// copied into the database file (#11). The pool's one connection is kept open (no idle or
// lifetime limit), so the pragma set here stays.
func (sqliteDriver) afterMigrate(ctx context.Context, write *sql.DB) error {
	pages := 0
	if writerCheckpoints {
		pages = 10_000
	}
	_, err := write.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", pages))
	return err
}

// writerCheckpoints puts things back as they were before the checkpointer: the writer
// checkpoints itself when the WAL reaches 10 000 pages. Only BenchmarkWriter sets it, to
// measure both ways in one run.
var writerCheckpoints = false

// startCheckpointer starts the checkpointer on a connection of its own to the file.
func (sqliteDriver) startCheckpointer(path string) (*checkpointer, error) {
	if writerCheckpoints {
		return nil, nil
	}
	return startCheckpointer(path)
}

// ownerOnly makes the database file readable and writable by its owner alone (mode 600),
// creating it empty if it does not exist, whatever the umask: SQLite would create it 644 less
// the umask, readable by every account on the server. SQLite gives the -wal and -shm files it
// creates the database file's own mode, so they are 600 too; those left by an older version are
// tightened here as well.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Chmod(path+suffix, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("make %s readable by its owner only: %w", path+suffix, err)
		}
	}
	return nil
}

// openReadPool opens a pool of read-only connections (used by Open and by the backup checks).
func openReadPool(path string, busy time.Duration) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", dsn(path, true, busy))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	// As many kept idle as may be open: with database/sql's default of two, a burst that used
	// all four closed two of them again, and the next burst opened them anew (the pragmas run,
	// the schema parsed at the first statement): 2 % of the portal's CPU under wrk (#11).
	db.SetMaxIdleConns(4)
	return db, nil
}

// busy: SQLite's busy and locked (the write lock not had within the busy timeout, a table
// locked by another connection).
func (sqliteDriver) busy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// conflict: a UNIQUE or PRIMARY KEY constraint.
func (sqliteDriver) conflict(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// constraint: any constraint (a CHECK, a NOT NULL, a foreign key…).
func (sqliteDriver) constraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// check runs SQLite's integrity and foreign-key checks.
func (sqliteDriver) check(ctx context.Context, s *Store) error {
	var result string
	if err := s.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("integrity_check: %s", result)
	}
	if err := foreignKeyProblems(ctx, s.read); err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	return nil
}

// redactDSN is dsn fit for a message: a SQLite path as it is, a URL without its password.
func redactDSN(dsn string) string {
	if !isPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	return u.Redacted()
}
