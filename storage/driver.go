package storage

// The driver seam (#15). storage holds ~12 800 lines of SQL-bearing Go. Copying them per
// database engine, as usememos/memos does with its much smaller store (store/db/{sqlite,
// postgres}), would double them and let the copies drift. So there is ONE body of SQL in this
// package, written in the subset SQLite and PostgreSQL both accept (INSERT … ON CONFLICT … DO
// NOTHING/UPDATE, RETURNING, CTEs, ||, COALESCE, CASE, window functions…), and beneath it the
// small driver interface below for what truly differs between the engines:
//
//   - opening: the DSN, SQLite's pragmas against PostgreSQL's session settings, the pools;
//   - placeholders: the SQL is written with SQLite's ? and ?N; on PostgreSQL a connector
//     rewrites them to $n once per statement text and caches the result (placeholders.go);
//   - migrations: storage/migrations/ for SQLite, storage/migrations/postgres/ with the SAME
//     numbers and names (migrate.go refuses a newer schema on both alike);
//   - errors: busy/locked or lock timeouts → ErrBusy, unique violations → ErrConflict, other
//     constraint failures → a submission's own fault (errors.go asks every driver);
//   - backups: VACUUM INTO on SQLite; on PostgreSQL the server's own tools (pg_dump,
//     pg_basebackup; docs/deploy.md), so Backup refuses;
//   - the full-text index: SQLite's FTS4 table search_index; on PostgreSQL the same table of
//     the same documents with a tsvector of the same tokens and a GIN index (migration 0059).
//     The shared SQL writes FTS4 queries; matchSQL and matchArg say them in the engine's words;
//   - SQLite's functions the shared SQL calls (instr, group_concat): the first PostgreSQL
//     migration creates PostgreSQL functions of the same names and meaning, so the SQL text
//     stays one. json_each over a bound JSON array is mimicked
//     with its value as text (migration 0059; the shared SQL casts it to BIGINT where it holds
//     docids). Where a function cannot be mimicked (char()), the shared SQL is
//     changed to a spelling both accept, keeping SQLite's plans.
//
// Open chooses the driver by the DSN: postgres:// or postgresql:// is PostgreSQL through pgx's
// database/sql driver (github.com/jackc/pgx/v5/stdlib); anything else is the SQLite file path,
// exactly as before. The group-commit writer stays for both: PostgreSQL, too, does one commit
// (one WAL flush) for many rows.

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"time"
)

// driver is what differs between the database engines under Store.
type driver interface {
	// name is "sqlite" or "postgres".
	name() string
	// open opens the pools for dsn: write (one connection: writes are serialized in Go, as
	// SQLite's one write lock requires and the code relies on) and read (a few connections
	// that refuse writes). It creates nothing beyond what the engine needs to connect.
	open(ctx context.Context, dsn string, opt Options) (write, read *sql.DB, err error)
	// migrationFS is the engine's migration files, in the folder named by migrationDir.
	migrationFS() (fs.FS, string)
	// schemaTableDDL creates schema_migrations if it is missing.
	schemaTableDDL() string
	// afterMigrate tunes the write pool once the schema is current.
	afterMigrate(ctx context.Context, write *sql.DB) error
	// startCheckpointer starts what checkpoints the WAL off the writer (SQLite; nil on
	// PostgreSQL, whose server does it).
	startCheckpointer(dsn string) (*checkpointer, error)
	// busy, conflict and constraint classify the engine's errors (see errors.go).
	busy(err error) bool
	conflict(err error) bool
	constraint(err error) bool
	// writeLight runs fn in a write transaction whose commit need not wait for the disk
	// (shared.go).
	writeLight(ctx context.Context, s *Store, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error
	// fullText reports whether the engine has the full-text index (search_index.go).
	fullText() bool
	// matchSQL is the condition that a row of search_index matches a full-text query, with one
	// placeholder for matchArg(fts), fts being an FTS4 query (fulltext.Query, near.go's).
	matchSQL() string
	matchArg(fts string) string
	// newestMatches returns up to n documents matching fts with docids under below (unbounded:
	// all), newest first, reading no more of the index than its engine needs (search_newest.go;
	// rare: PostgreSQL's rareMatches).
	newestMatches(ctx context.Context, read *sql.DB, fts string, below int64, n, rare int) ([]int64, error)
	// indexUpkeep is the engine's own care of its index: the tables a rebuild empties besides
	// search_bodies and the documents (FTS4's shadow tables; PostgreSQL's search_index), whether its older forms may need upgrading
	// (SQLite's 0037 reorder, 0049's triggers lost to a table rebuild), and merging segments.
	ftsShadowTables() []string
	ftsUpgrades() bool
	optimizeSearchIndex(ctx context.Context, write *sql.DB) error
	// backup writes a consistent copy of the database to path.
	backup(ctx context.Context, s *Store, path string) error
	// check runs the engine's integrity checks.
	check(ctx context.Context, s *Store) error
	// insertNeedsSavepoint: a failed statement aborts the transaction (opinion.go).
	insertNeedsSavepoint() bool
	// insertsOpinionsAtOnce: a batch's plain opinions go in with one statement (opinion_batch.go).
	insertsOpinionsAtOnce() bool
	// looksUpSpentTogether: Spent's look-ups wait for the one on its way and go together
	// (spent_lookups.go).
	looksUpSpentTogether() bool
	// settle rewrites the finished days' rows so that nothing keeps their order of arrival
	// (settle.go; nothing to do on SQLite).
	settle(ctx context.Context, s *Store) (SettleReport, error)
}

// drivers are every engine, for the error mapping, which has no Store at hand.
var drivers = []driver{sqliteDriver{}, postgresDriver{}}

// driverFor chooses the engine for a DSN.
func driverFor(dsn string) driver {
	if isPostgresDSN(dsn) {
		return postgresDriver{}
	}
	return sqliteDriver{}
}

// isPostgresDSN reports whether dsn names a PostgreSQL database (a postgres:// URL).
func isPostgresDSN(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// IsPostgres reports whether Open would take dsn as a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than the path of a SQLite file.
func IsPostgres(dsn string) bool { return isPostgresDSN(dsn) }

// Shown is dsn fit to print or log: a SQLite path as it is, a URL without its password.
func Shown(dsn string) string { return redactDSN(dsn) }

// Backend is the engine the store runs on: "sqlite" or "postgres".
func (s *Store) Backend() string { return s.drv.name() }

// Characters the shared SQL joins text with, as string literals both engines read alike
// (SQLite's char(10) has no PostgreSQL spelling of the same name; chr(10) no SQLite one).
const (
	sqlNewline = "'\n'"
	sqlUnitSep = "'\x1f'" // the unit separator, never in the joined codes (facts.go)
)
