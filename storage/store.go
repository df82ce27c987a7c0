// Package storage keeps minsheng's data in one SQLite file (or, for a city or province, one
// PostgreSQL database: driver.go): opinions, units, staff, sessions and
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
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
	"golang.org/x/crypto/bcrypt"
)

// writeTimeout bounds one write transaction, including waiting for the lock.
const writeTimeout = 15 * time.Second

// Store is the opened database: one connection for writes, a small pool for reads.
type Store struct {
	drv   driver
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	path  string
	subs  *submissions
	// insertStmt is the writer's INSERT of an opinion, prepared once (writer.go); only the
	// writer's goroutine uses it.
	insertStmt *sql.Stmt
	// spentStmt is Spent's read, prepared on the read pool at Open (shared.go); on PostgreSQL
	// the look-ups go together instead (spentLookups, spent_lookups.go).
	spentStmt    *sql.Stmt
	spentLookups spentLookups
	ckpt         *checkpointer // SQLite's WAL checkpoints, off the writer (checkpointer.go); nil on PostgreSQL
	// writerCPU is the CPU time the writer's thread spent in batches, writerBatches their number:
	// the serial step's cost, which a busy machine changes less than a rate (#11).
	writerCPU, writerBatches atomic.Int64
	// rowsAtOnce counts the opinions stored by insertOpinionsAtOnce (opinion_batch.go).
	rowsAtOnce atomic.Int64
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
	narrow       int    // narrowByCost; tests force a side (search_narrow.go)
	narrowCount  int    // narrowCount (search_narrow_counts.go); tests lower it
	rareMatches  int    // rareMatches (search_newest.go); tests lower it
	plans        planCache
	// commits counts the write transactions committed: a planned search is reused only while
	// nothing was written since.
	commits atomic.Uint64
	// reordering: the index's documents are still being copied out of migration 0037's old
	// table (search_reorder.go), so the new one lacks some and searches walk the rows instead.
	reordering atomic.Bool
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
	// indexTxTimeout replaces the write timeout of the index's transactions at Open alone when
	// set: for tests that make each of them run out of time (it must not stop the start).
	indexTxTimeout time.Duration
}

// DefaultBusyTimeout is how long to wait for the database lock by default.
const DefaultBusyTimeout = 10 * time.Second

// chinaTime is UTC+8 with no daylight saving; fixed so the binary needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Open opens (creating if needed) the database named by dsn and brings its schema up to date:
// a postgres:// or postgresql:// URL is a PostgreSQL database (which must exist; its schema is
// created), anything else the path of a SQLite file (driver.go). It refuses a database whose
// schema is newer than this program knows (ErrSchemaTooNew).
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = DefaultBusyTimeout
	}
	drv := driverFor(dsn)
	write, read, err := drv.open(ctx, dsn, opt)
	if err != nil {
		return nil, err
	}
	s, err := newStore(ctx, drv, write, read, dsn, opt)
	if err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	s.startWriter()
	return s, nil
}

// newStore migrates the schema, tunes the pools and fills what older versions left empty.
func newStore(ctx context.Context, drv driver, write, read *sql.DB, dsn string, opt Options) (_ *Store, err error) {
	if err := migrateWith(ctx, drv, write, ""); err != nil {
		return nil, err
	}
	if err := drv.afterMigrate(ctx, write); err != nil {
		return nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
	}
	s := &Store{drv: drv, write: write, read: read, now: time.Now, path: dsn, passwordCost: bcrypt.DefaultCost, txTimeout: writeTimeout,
		searchCap: SearchCap, streamChunk: streamChunk, streamMost: streamMost, rareMatches: rareMatches,
		narrowCount: narrowCount}
	if opt.PasswordCost != 0 {
		s.passwordCost = opt.PasswordCost
	}
	s.loginKey = opt.LoginKey
	if len(s.loginKey) == 0 {
		s.loginKey = []byte(randomToken(32))
	}
	s.idKey = idDayKey(s.loginKey)
	if !drv.looksUpSpentTogether() {
		if s.spentStmt, err = read.PrepareContext(ctx, spentSQL); err != nil {
			return nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
		}
		defer func() {
			if err != nil {
				s.spentStmt.Close()
			}
		}()
	}
	// From here on the writer's connection leaves checkpoints to the checkpointer: started
	// before the search index is filled below, which on an upgraded database writes much.
	if s.ckpt, err = drv.startCheckpointer(dsn); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.ckpt.close()
		}
	}()
	// Compared against when a username is unknown, so a failed login takes as long whether or
	// not the user exists.
	if s.dummyHash, err = s.hashPassword("minsheng-no-such-user"); err != nil {
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
	if err := s.fillProblemTitles(ctx); err != nil { // merges made into problems by migration 0024
		return nil, err
	}
	// The full-text index takes the finished days not yet indexed: after the upgrade to 0023,
	// every opinion; after a day or more without the portal, those days. An index the machine
	// is too busy to finish now never stops the portal from starting: searches read the rows of
	// days not yet indexed, and the nightly indexer goes on from the last chunk committed.
	// The search text of opinions stored before migration 0014 is filled first, the same way.
	index := s.indexSearch
	if !drv.fullText() {
		index = s.fillSearchText
	}
	timeout := s.txTimeout
	if opt.indexTxTimeout != 0 {
		timeout = opt.indexTxTimeout
	}
	progress := opt.Progress
	if progress == nil {
		progress = io.Discard
	}
	if err := index(ctx, progress, timeout); errors.Is(err, ErrIndexUnfinished) {
		fmt.Fprintf(progress, "search index: left unfinished at start-up, the nightly indexer goes on (%v)\n", err)
	} else if err != nil {
		return nil, err
	}
	return s, nil
}

// Close commits the submissions already queued, then closes both pools.
func (s *Store) Close() error {
	s.stopWriter()
	cerr := s.ckpt.close()
	if s.spentStmt != nil {
		s.spentStmt.Close()
	}
	rerr := s.read.Close()
	if err := s.write.Close(); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	return cerr
}

// Path returns the database as Open was given it: the SQLite file's path, or the PostgreSQL URL.
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
	return s.writeTxFor(ctx, s.txTimeout, fn)
}

// writeTxFor is writeTx with a deadline of its own: the nightly settle's, and the search
// indexer's chunks, which take theirs as a parameter (Open may give them a shorter one in
// tests) and never change the store's.
func (s *Store) writeTxFor(ctx context.Context, d time.Duration, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
	defer cancel()
	return s.runTx(ctx, s.write, fn)
}

// txBeginner is what a write transaction starts on: the write pool, or one connection of it.
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// runTx begins a transaction on on, runs fn with the time read once, and commits: the one
// shape of every write (writeTx, and the drivers' writeLight).
func (s *Store) runTx(ctx context.Context, on txBeginner, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	tx, err := on.BeginTx(ctx, nil)
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
	s.ckpt.kick() // the WAL grew: the checkpointer copies it on its own connection
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

// Check runs the engine's integrity checks (SQLite's integrity and foreign-key checks) and
// returns what they found: nil means the database is sound.
func (s *Store) Check(ctx context.Context) error { return s.drv.check(ctx, s) }
