package storage

// The move from SQLite to PostgreSQL (#15, "minsheng migrate -from FILE -to postgres://…").
//
// What is copied is read from the SQLite schema itself, never from a hand list: every table of
// sqlite_master except SQLite's own (sqlite_*), the full-text index (virtual tables) and their
// shadow tables (NAME_content, _segments, _segdir, _docsize, _stat), and schema_migrations,
// which both sides must already hold alike. Each table's PostgreSQL twin must have the same
// columns (a difference is a twin migration's fault and stops the move before anything is
// written).
//
// Derived data: search_docs, search_bodies, search_terms and search_state are ordinary tables
// and are copied as they are. SQLite's FTS4 index over search_bodies is not copied; PostgreSQL's
// (search_index with its tsvector, migration 0059) is written from the copied search_bodies in
// the move's transaction, after the checks.
//
// One snapshot, one transaction: the source is read in one read transaction (a consistent
// snapshot even if a portal still writes; what it writes later is not copied, so stop it
// first), and the target is written in one transaction that is committed only after the counts
// and checksums of both sides agree. A failed or interrupted move leaves the target as empty as
// it was, so it is simply run again: no resumable plan is needed for a county's database.
//
// Anonymity: rows are inserted in primary-key order (opinions' ids are random), never in the
// source's physical order, which would carry arrival order into the new heap.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ErrTargetNotEmpty means the PostgreSQL database already holds rows beyond what a fresh
// schema seeds: the move only fills an empty database.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// ErrSourceSchema means the SQLite file's schema number is not this program's.
var ErrSourceSchema = errors.New("the source database's schema is not this program's")

// ErrMoveMismatch means a table's count or checksum differs between the two sides; nothing
// was committed.
var ErrMoveMismatch = errors.New("the copy does not match the source")

// MoveProgress is told each table's rows as they are copied (done so far, of total).
type MoveProgress func(table string, done, total int64)

// TableCheck is one table's verification: rows and checksums on both sides.
type TableCheck struct {
	Table                  string
	SourceRows, TargetRows int64
	SourceSum, TargetSum   string // hex SHA-256 (tableSum)
}

// OK reports whether both sides agree.
func (c TableCheck) OK() bool {
	return c.SourceRows == c.TargetRows && c.SourceSum == c.TargetSum
}

// moveTable is one table to copy: its columns in the source's order and its primary key.
type moveTable struct {
	name    string
	cols    []string
	pk      []string
	parents map[string]bool // tables its foreign keys point to
	pgText  map[string]bool // columns of type text on PostgreSQL (ordered with COLLATE "C")
	pgBytes map[string]bool // columns of type bytea on PostgreSQL
}

// Move copies the SQLite database at from into the empty PostgreSQL database at to, verifies
// every table and commits only if all agree. The checks are returned in both cases.
func Move(ctx context.Context, from, to string, progress MoveProgress) ([]TableCheck, error) {
	if IsPostgres(from) || !IsPostgres(to) {
		return nil, fmt.Errorf("move: -from is a SQLite file and -to a postgres:// URL")
	}
	if _, err := os.Stat(from); err != nil {
		return nil, fmt.Errorf("move: the source %s: %w", from, err)
	}
	src, err := sql.Open("sqlite3", dsn(from, true, DefaultBusyTimeout))
	if err != nil {
		return nil, err
	}
	defer src.Close()
	stx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()
	if err := sameSchema(ctx, stx); err != nil {
		return nil, err
	}
	seeds, err := freshSeedCounts(ctx)
	if err != nil {
		return nil, err
	}
	// Open creates or upgrades the target's schema (and refuses a newer one), then steps aside.
	target, err := Open(ctx, to, Options{})
	if err != nil {
		return nil, err
	}
	if err := target.Close(); err != nil {
		return nil, err
	}
	pg, err := connectMove(ctx, to)
	if err != nil {
		return nil, err
	}
	defer pg.Close(context.WithoutCancel(ctx))
	tables, skipped, err := moveTables(ctx, stx, pg)
	if err != nil {
		return nil, err
	}
	if err := targetEmpty(ctx, pg, tables, skipped, seeds); err != nil {
		return nil, err
	}
	ptx, err := pg.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	if err := copyTables(ctx, stx, ptx, tables, progress); err != nil {
		return nil, err
	}
	checks, err := verifyTables(ctx, stx, ptx, tables)
	if err != nil {
		return checks, err
	}
	for _, c := range checks {
		if !c.OK() {
			return checks, fmt.Errorf("%w: table %s (nothing was written to the target)", ErrMoveMismatch, c.Table)
		}
	}
	// PostgreSQL's full-text index (migration 0059) from the copied token texts, in the same
	// transaction: the documents and their docids are SQLite's, so nothing need be indexed again.
	if _, err := ptx.Exec(ctx, `INSERT INTO search_index (docid, body) SELECT docid, body FROM search_bodies ORDER BY docid`); err != nil {
		return checks, fmt.Errorf("move: full-text index: %w", err)
	}
	return checks, ptx.Commit(ctx)
}

// connectMove opens the move's own connection to the target. A lock held by someone else (a
// portal already running on the target) makes it fail after a while instead of waiting forever.
func connectMove(ctx context.Context, to string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(to)
	if err != nil {
		return nil, fmt.Errorf("move: %s: %w", redactDSN(to), err)
	}
	cfg.RuntimeParams["lock_timeout"] = "30000"
	cfg.RuntimeParams["application_name"] = "minsheng migrate"
	pg, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("move: connect to %s: %w", redactDSN(to), err)
	}
	return pg, nil
}

// sameSchema refuses a source whose applied migrations are not exactly this program's.
func sameSchema(ctx context.Context, tx *sql.Tx) error {
	want, err := migrationNames(sqliteDriver{})
	if err != nil {
		return err
	}
	got, err := moveStrings(ctx, tx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("move: read the source's schema_migrations: %w", err)
	}
	if strings.Join(got, ",") == strings.Join(want, ",") {
		return nil
	}
	have := map[string]bool{}
	for _, n := range want {
		have[n] = true
	}
	for _, n := range got {
		if !have[n] {
			return fmt.Errorf("%w: it has migration %s, which this program does not know; move it with the minsheng that last ran on it", ErrSourceSchema, n)
		}
	}
	return fmt.Errorf("%w: it is at %s, this program at %s; run this minsheng once on it (minsheng -db FILE, then stop it) to upgrade it, then move it",
		ErrSourceSchema, last(got), last(want))
}

func last(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return names[len(names)-1]
}

func moveStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// quoteIdent quotes a table or column name for both engines.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// moveTables reads the tables to copy from the source's schema, checks each against its
// PostgreSQL twin, and orders them so that every table comes after those it refers to. It
// also returns the tables left out (the full-text index and its shadows).
func moveTables(ctx context.Context, src *sql.Tx, pg *pgx.Conn) ([]moveTable, []string, error) {
	rows, err := src.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, nil, err
	}
	var names, virtual []string
	for rows.Next() {
		var n, ddl string
		if err := rows.Scan(&n, &ddl); err != nil {
			rows.Close()
			return nil, nil, err
		}
		switch {
		case strings.HasPrefix(n, "sqlite_"), n == "schema_migrations":
		case strings.HasPrefix(strings.ToUpper(ddl), "CREATE VIRTUAL TABLE"):
			virtual = append(virtual, n)
		default:
			names = append(names, n)
		}
	}
	rows.Close()
	skipped := append([]string(nil), virtual...)
	var tables []moveTable
	for _, n := range names {
		if isShadow(n, virtual) {
			skipped = append(skipped, n)
			continue
		}
		t, err := describeTable(ctx, src, pg, n)
		if err != nil {
			return nil, nil, err
		}
		tables = append(tables, t)
	}
	ordered, err := parentsFirst(tables)
	return ordered, skipped, err
}

// isShadow reports whether n is one of SQLite's FTS3/4/5 shadow tables of a virtual table.
func isShadow(n string, virtual []string) bool {
	for _, v := range virtual {
		switch strings.TrimPrefix(n, v+"_") {
		case "content", "segments", "segdir", "docsize", "stat", "data", "idx", "config":
			if strings.HasPrefix(n, v+"_") {
				return true
			}
		}
	}
	return false
}

// describeTable reads a table's columns, primary key and foreign keys from the source and
// checks that its PostgreSQL twin has the same columns.
func describeTable(ctx context.Context, src *sql.Tx, pg *pgx.Conn, name string) (moveTable, error) {
	t := moveTable{name: name, parents: map[string]bool{}, pgText: map[string]bool{}, pgBytes: map[string]bool{}}
	rows, err := src.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return t, err
	}
	pks := map[int]string{}
	for rows.Next() {
		var c string
		var pk int
		if err := rows.Scan(&c, &pk); err != nil {
			rows.Close()
			return t, err
		}
		t.cols = append(t.cols, c)
		if pk > 0 {
			pks[pk] = c
		}
	}
	rows.Close()
	for i := 1; i <= len(pks); i++ {
		t.pk = append(t.pk, pks[i])
	}
	if len(t.pk) == 0 { // no primary key: order by every column
		t.pk = t.cols
	}
	fks, err := src.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, name)
	if err != nil {
		return t, err
	}
	for fks.Next() {
		var parent string
		if err := fks.Scan(&parent); err != nil {
			fks.Close()
			return t, err
		}
		if parent != name { // a self-reference is checked at the end of its table's COPY
			t.parents[parent] = true
		}
	}
	fks.Close()
	prows, err := pg.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'`, name)
	if err != nil {
		return t, err
	}
	pgCols := map[string]bool{}
	for prows.Next() {
		var c, typ string
		if err := prows.Scan(&c, &typ); err != nil {
			return t, err
		}
		pgCols[c] = true
		t.pgText[c] = typ == "text"
		t.pgBytes[c] = typ == "bytea"
	}
	if err := prows.Err(); err != nil {
		return t, err
	}
	if len(pgCols) == 0 {
		return t, fmt.Errorf("move: the target has no table %s: its PostgreSQL migration is missing", name)
	}
	for _, c := range t.cols {
		if !pgCols[strings.ToLower(c)] {
			return t, fmt.Errorf("move: table %s: the target has no column %s (the PostgreSQL twin migrations differ)", name, c)
		}
	}
	if len(pgCols) != len(t.cols) {
		return t, fmt.Errorf("move: table %s has %d columns on PostgreSQL and %d on SQLite (the twin migrations differ)", name, len(pgCols), len(t.cols))
	}
	return t, nil
}

// parentsFirst orders tables so that each comes after the tables its foreign keys point to;
// ties by name, so the order is the same every run.
func parentsFirst(tables []moveTable) ([]moveTable, error) {
	byName := map[string]moveTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	done := map[string]bool{}
	var out []moveTable
	for len(out) < len(tables) {
		var ready []string
		for _, t := range tables {
			if done[t.name] {
				continue
			}
			ok := true
			for p := range t.parents {
				if _, known := byName[p]; known && !done[p] {
					ok = false
				}
			}
			if ok {
				ready = append(ready, t.name)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("move: the tables' foreign keys form a cycle")
		}
		sort.Strings(ready)
		for _, n := range ready {
			done[n] = true
			out = append(out, byName[n])
		}
	}
	return out, nil
}
