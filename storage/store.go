// Package storage keeps minsheng's data in one SQLite file: opinions, units, staff, sessions and
// the audit log. It knows nothing of HTTP. Writes go through one path (Store.write) that commits
// on a context of its own, so a phone that drops its connection cannot roll back an opinion
// after the portal has decided to keep it.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
	"golang.org/x/crypto/bcrypt"
)

// writeTimeout bounds one write transaction, including waiting for the lock.
const writeTimeout = 15 * time.Second

// Store is the opened database: one connection for writes, a small pool for reads.
type Store struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	path  string
	subs  *submissions
	// txTimeout bounds each write transaction: writeTimeout, shorter in tests that play a
	// slow machine.
	txTimeout time.Duration

	unitCache unitCache
	campaigns campaignCache
	gens      genCache // generations of what processes cache, as last read (shared_gen.go)
	// passwordCost is the bcrypt cost of new passwords; dummyHash, at that cost, answers for
	// unknown usernames.
	passwordCost int
	dummyHash    []byte
	loginKey     []byte // see Options.LoginKey
	idKey        []byte // keys the day codes of opinion ids (opinion_id.go), derived from loginKey
	searchCap    int    // SearchCap; tests lower it
	streamChunk  int    // streamChunk; tests lower it
	streamMost   int    // streamMost; tests lower it
	plans        planCache
	// commits counts the write transactions committed: a planned search is reused only while
	// nothing was written since.
	commits atomic.Uint64
}

// Options tune Open. The zero value is what the portal uses.
type Options struct {
	// Now is the clock; tests set it to make dates predictable. Defaults to time.Now.
	Now func() time.Time
	// BusyTimeout is how long a statement waits for another connection's lock before failing
	// (the portal then answers 503). Defaults to DefaultBusyTimeout.
	BusyTimeout time.Duration
	// Location is the time zone that decides which calendar day an opinion arrived on.
	// Defaults to China Standard Time (UTC+8), whatever the server's zone.
	Location *time.Location
	// PasswordCost is the bcrypt cost of new staff passwords; 0 means bcrypt.DefaultCost.
	// Tests lower it to bcrypt.MinCost: under the race detector every login at the default
	// cost takes the better part of a second.
	PasswordCost int
	// LoginKey keys the hash under which failed logins are remembered per username (the server
	// and "user unlock" pass the receipt key). Empty: a random key for this Store alone, so
	// failures are forgotten when it closes.
	LoginKey []byte
	// Progress hears how far the search indexer got when Open finds much to index (an upgraded
	// database, a seeded one); nil: silent.
	Progress io.Writer
}

// walCheckpointPages is the WAL's size, in pages, at which the writer checkpoints: about 40 MB.
const walCheckpointPages = 10_000

// DefaultBusyTimeout is how long to wait for the database lock by default.
const DefaultBusyTimeout = 10 * time.Second

// chinaTime is UTC+8 with no daylight saving; fixed so the binary needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*60*60)

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

// Open opens (creating if needed) the database at path and brings its schema up to date.
// It refuses a database whose schema is newer than this program knows (ErrSchemaTooNew).
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = DefaultBusyTimeout
	}
	write, err := sql.Open("sqlite3", dsn(path, false, opt.BusyTimeout))
	if err != nil {
		return nil, err
	}
	// One writer connection: SQLite allows one writer anyway, and queueing in Go is kinder than
	// queueing on the file lock.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	// The WAL is copied into the database (a checkpoint) when it reaches walCheckpointPages
	// instead of SQLite's 1 000: a checkpoint writes each page once however many commits changed
	// it, and under load the same index pages change in commit after commit, so the writer does
	// a fraction of the copying (#11: 15.8 instead of 18.5 writes a submission, a fifth of the
	// reads). The pool's one connection is kept open (no idle or lifetime limit), so the pragma
	// set here stays; a replacement connection would only checkpoint more often.
	if _, err := write.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walCheckpointPages)); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read, err := openReadPool(path, opt.BusyTimeout)
	if err != nil {
		write.Close()
		return nil, err
	}
	s := &Store{write: write, read: read, now: time.Now, path: path, passwordCost: bcrypt.DefaultCost, txTimeout: writeTimeout,
		searchCap: SearchCap, streamChunk: streamChunk, streamMost: streamMost}
	if opt.PasswordCost != 0 {
		s.passwordCost = opt.PasswordCost
	}
	s.loginKey = opt.LoginKey
	if len(s.loginKey) == 0 {
		s.loginKey = []byte(randomToken(32))
	}
	s.idKey = idDayKey(s.loginKey)
	// Compared against when a username is unknown, so a failed login takes as long whether or
	// not the user exists.
	if s.dummyHash, err = s.hashPassword("minsheng-no-such-user"); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	if opt.Now != nil {
		s.now = opt.Now
	}
	loc := chinaTime
	if opt.Location != nil {
		loc = opt.Location
	}
	clock := s.now
	s.now = func() time.Time { return clock().In(loc) }
	if err := s.fillSearchText(ctx); err != nil { // opinions stored before migration 0014
		read.Close()
		write.Close()
		return nil, err
	}
	if err := s.fillProblemTitles(ctx); err != nil { // merges made into problems by migration 0024
		read.Close()
		write.Close()
		return nil, err
	}
	// The full-text index takes the finished days not yet indexed: after the upgrade to 0023,
	// every opinion; after a day or more without the portal, those days.
	if err := s.IndexSearch(ctx, opt.Progress); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	s.startWriter()
	return s, nil
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
	return db, nil
}

// Close commits the submissions already queued, then closes both pools.
func (s *Store) Close() error {
	s.stopWriter()
	rerr := s.read.Close()
	if err := s.write.Close(); err != nil {
		return err
	}
	return rerr
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Ping checks that the database answers a read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return mapBusy(s.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one))
}

// write runs fn in one write transaction and commits it. The transaction runs on a context
// detached from ctx's cancellation (with its own deadline): go-sqlite3 interrupts statements
// when a context ends, and an interrupted statement can leave the rest of a transaction running
// in autocommit. fn gets the detached context and must use it, not the caller's. The time is
// read once, so every row of one change carries the same instant.
func (s *Store) writeTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.txTimeout)
	defer cancel()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", mapBusy(err))
	}
	defer tx.Rollback()
	if err := fn(ctx, tx, s.now()); err != nil {
		return mapBusy(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapError(err))
	}
	s.commits.Add(1)
	return nil
}

// Today returns the current calendar date (YYYY-MM-DD) in the store's time zone.
func (s *Store) Today() string { return s.now().Format(dateLayout) }

// Now is the store's clock: figures read now say so (the notice board's "counted at").
func (s *Store) Now() time.Time { return s.now() }

const (
	dateLayout = "2006-01-02"
	timeLayout = time.RFC3339
)

// collect runs query on q and turns every row into a T with scan: the one place that closes
// the rows and checks their error, instead of the same loop in every list method.
func collect[T any](ctx context.Context, q queryer, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapBusy(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, mapBusy(rows.Err())
}

// scanUnit reads code, name and parent code.
func scanUnit(rows *sql.Rows) (Unit, error) {
	var u Unit
	err := rows.Scan(&u.Code, &u.Name, &u.ParentCode)
	return u, err
}

// CountOpinions returns how many opinions are stored. It scans the table: for tools and tests,
// never for a page view.
func (s *Store) CountOpinions(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM opinions`).Scan(&n)
	return n, err
}

// Check runs SQLite's integrity and foreign-key checks and returns what they found: nil means
// the file is sound.
func (s *Store) Check(ctx context.Context) error {
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
