package storage

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresDriver is a PostgreSQL database named by a postgres:// URL, through pgx's
// database/sql driver. The database must exist; Open creates its schema.
type postgresDriver struct{}

func (postgresDriver) name() string { return "postgres" }

func (postgresDriver) migrationFS() (fs.FS, string) {
	return postgresMigrationFiles, "migrations/postgres"
}

func (postgresDriver) schemaTableDDL() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')))`
}

// postgresReadPool is how many connections read at once, as many as SQLite's read pool.
const postgresReadPool = 4

// open opens the two pools with the session settings every connection gets:
//   - lock_timeout is the busy timeout: a statement waiting longer for a row or table lock
//     fails, and the portal answers 503 (ErrBusy) instead of hanging;
//   - the read pool's transactions are read-only by default, as SQLite's mode=ro pool is;
//   - synchronous_commit stays on (the server's default): an acknowledged opinion is on disk.
//
// The write pool has one connection, as on SQLite: the code's read-then-write transactions
// (sequence numbers, "is it still open") rely on writes not overlapping.
func (postgresDriver) open(ctx context.Context, dsn string, opt Options) (write, read *sql.DB, err error) {
	write, err = openPostgres(ctx, dsn, opt, false)
	if err != nil {
		return nil, nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := checkCollation(ctx, write); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
	}
	read, err = openPostgres(ctx, dsn, opt, true)
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	read.SetMaxOpenConns(postgresReadPool)
	// and keeps them all: database/sql keeps two idle by default and closes the others as they
	// come back, and under load the pool opened a new one every 25 submissions — a new server
	// process each time (a fork, its catalog caches filled again, every statement prepared and
	// planned anew), which cost the server more CPU than the submissions themselves (#15).
	read.SetMaxIdleConns(postgresReadPool)
	return write, read, nil
}

// byteOrder are the collations that compare UTF-8 text byte by byte, as SQLite's BINARY does
// (C.UTF-8 orders by code point, which for UTF-8 is the same order).
var byteOrder = map[string]bool{"C": true, "POSIX": true, "C.UTF-8": true, "C.utf8": true}

// checkCollation refuses a database whose text does not compare byte by byte, or is not
// UTF-8: the shared SQL's orders, date ranges and keyset pages are SQLite's, byte by byte, and
// a locale's order would page through the queue differently on the two engines. From
// PostgreSQL 15 a database may take its collation from ICU (datlocprovider 'i'), and then
// datcollate (still C, say) is not the order its text sorts in: refused too. The provider is
// read through to_jsonb, as older servers have no such column (libc, then).
func checkCollation(ctx context.Context, db *sql.DB) error {
	var collate, encoding, provider string
	if err := db.QueryRowContext(ctx, `SELECT datcollate, pg_encoding_to_char(encoding),
		COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c') FROM pg_database d
		WHERE datname = current_database()`).Scan(&collate, &encoding, &provider); err != nil {
		return err
	}
	if provider != "c" {
		collate += " (ICU)"
	}
	if !byteOrder[collate] || encoding != "UTF8" {
		return fmt.Errorf("the database has collation %q and encoding %s: minsheng needs collation C and UTF8 "+
			"(create it with: createdb --locale=C --encoding=UTF8 --template=template0 NAME)", collate, encoding)
	}
	return nil
}

// openPostgres opens one pool whose connections rewrite the shared SQL's placeholders.
func openPostgres(ctx context.Context, dsn string, opt Options, readOnly bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
	}
	cfg.RuntimeParams["lock_timeout"] = strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10)
	cfg.RuntimeParams["application_name"] = "minsheng"
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
		// Every read is planned for its own values: pgx prepares the shared statements once per
		// connection, and after five runs PostgreSQL may keep one generic plan, blind to the
		// values. For a full-text search that plan reads the whole index table newest first
		// when a word matches nothing (a custom plan reads five GIN pages), and the queue's
		// scope and month conditions are as value-dependent. Planning costs well under a
		// millisecond beside that.
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	db := sql.OpenDB(pgConnector{inner: stdlib.GetConnector(*cfg), readOnly: readOnly})
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", redactDSN(dsn), err)
	}
	return db, nil
}

// pgConnector hands out connections that rewrite placeholders (placeholders.go).
type pgConnector struct {
	inner    sqldriver.Connector
	readOnly bool // the read pool's: its connections cannot write
}

func (c pgConnector) Connect(ctx context.Context) (sqldriver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn), readOnly: c.readOnly}, nil
}

func (c pgConnector) Driver() sqldriver.Driver { return c.inner.Driver() }

// pgConn is pgx's connection with the statement text rewritten on the way in; everything else
// (transactions, pings, session resets, value checks) is pgx's own.
type pgConn struct {
	*stdlib.Conn
	readOnly bool
}

// lostRead: a read-only connection that died under a statement (the server restarted, an
// administrator ended it: "terminating connection due to administrator command") says so to
// database/sql as driver.ErrBadConn, and database/sql runs the statement again on another
// connection, a new one if need be. pgx says it itself only when nothing was sent; but a read
// sent on a connection that cannot write changed nothing, so it may always run again. Without
// this, after a restart every idle connection of the pool failed one request each: a receipt
// page, a queue (#15).
func (c *pgConn) lostRead(err error) error {
	if err != nil && c.readOnly && c.Conn.Conn().IsClosed() {
		return sqldriver.ErrBadConn
	}
	return err
}

func (c *pgConn) Prepare(query string) (sqldriver.Stmt, error) {
	q := postgresPlaceholders(query)
	st, err := c.Conn.Prepare(q)
	return st, namingStatement(err, q)
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (sqldriver.Stmt, error) {
	q := postgresPlaceholders(query)
	st, err := c.Conn.PrepareContext(ctx, q)
	return st, namingStatement(err, q)
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	q := postgresPlaceholders(query)
	res, err := c.Conn.ExecContext(ctx, q, args)
	return res, namingStatement(c.lostRead(err), q)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	q := postgresPlaceholders(query)
	rows, err := c.Conn.QueryContext(ctx, q, args)
	return rows, namingStatement(c.lostRead(err), q)
}

// namingStatement adds the statement to PostgreSQL's "syntax error or access rule violation"
// errors (class 42: a spelling only SQLite accepts, an unknown function): the position alone
// does not say which of the shared statements it was. The statement is a constant of this
// package; the values bound to it are not shown.
func namingStatement(err error, query string) error {
	if err == nil || !strings.HasPrefix(postgresCode(err), "42") {
		return err
	}
	return fmt.Errorf("%w\nin the statement: %s", err, query)
}

// CheckNamedValue stores a Go bool as 1 or 0, as SQLite does: the schema's flags are integers
// checked IN (0, 1) on both engines, and the shared SQL compares them with 1 and 0. (Reading
// them back into a bool works as it does on SQLite: database/sql converts 1 and 0.)
func (c *pgConn) CheckNamedValue(nv *sqldriver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.Conn.CheckNamedValue(nv)
}

// afterMigrate: nothing to tune (the settings are per session: open); it refuses a server that
// would record when each opinion came (privacySettings, settle_postgres.go).
func (postgresDriver) afterMigrate(ctx context.Context, write *sql.DB) error {
	return privacySettings(ctx, write)
}

// startCheckpointer: none; the PostgreSQL server checkpoints.
func (postgresDriver) startCheckpointer(string) (*checkpointer, error) { return nil, nil }

// PostgreSQL's error codes (Appendix A of its manual) that mean "too busy now, try again".
var postgresBusyCodes = map[string]bool{
	"55P03": true, // lock_not_available: lock_timeout passed
	"40001": true, // serialization_failure
	"40P01": true, // deadlock_detected
	"53300": true, // too_many_connections
	"57P03": true, // cannot_connect_now: starting up or shutting down
}

func postgresCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func (postgresDriver) busy(err error) bool { return postgresBusyCodes[postgresCode(err)] }

// conflict: unique_violation (a primary key is a unique index too).
func (postgresDriver) conflict(err error) bool { return postgresCode(err) == "23505" }

// constraint: class 23, integrity constraint violation (CHECK, NOT NULL, foreign key, unique).
func (postgresDriver) constraint(err error) bool { return strings.HasPrefix(postgresCode(err), "23") }

// ErrBackupElsewhere means the database is PostgreSQL, whose copies are made by its own tools.
var ErrBackupElsewhere = errors.New("a PostgreSQL database is backed up with pg_dump or pg_basebackup and WAL archiving (docs/deploy.md), not by minsheng")

func (postgresDriver) backup(context.Context, *Store, string) error { return ErrBackupElsewhere }

// check: PostgreSQL enforces every constraint as it writes and keeps no file SQLite's
// integrity_check would read, so the check is what can still be wrong in a database someone
// changed by hand or a restore left half done: a collation or encoding the shared SQL does not
// order alike (checkCollation), a constraint added NOT VALID (rows it never checked), an index
// left invalid by a failed CREATE INDEX CONCURRENTLY (the queries would not use it), a trigger
// someone disabled, and an opinion whose unit is not among the units (migration 0060 checks
// that with triggers, where SQLite has a foreign key that PRAGMA foreign_key_check reads).
func (postgresDriver) check(ctx context.Context, s *Store) error {
	if err := checkCollation(ctx, s.read); err != nil {
		return err
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT 'constraint ' || c.conrelid::regclass || '.' || c.conname || ' is NOT VALID' FROM pg_constraint c
		WHERE NOT c.convalidated AND c.connamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 'index ' || i.indexrelid::regclass || ' is invalid' FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
		WHERE NOT i.indisvalid AND x.relnamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 'trigger ' || g.tgrelid::regclass || '.' || g.tgname || ' is disabled' FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
		WHERE g.tgenabled = 'D' AND NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace
		UNION ALL
		(SELECT 'opinion ' || o.id || ' names the unit ' || o.unit_code || ', which is not among the units' FROM opinions o
		 WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = o.unit_code) LIMIT 1)
		ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		problems = append(problems, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity: %s", strings.Join(problems, "; "))
	}
	return nil
}
