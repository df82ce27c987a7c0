package storage

// The move's checks (move.go): is the target empty, and do both sides hold the same rows.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// VerifyMove counts and checksums every table of a moved database on both sides again, as they
// are now (the source read in one snapshot, the target in one read-only transaction).
func VerifyMove(ctx context.Context, from, to string) ([]TableCheck, error) {
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
	pg, err := connectMove(ctx, to)
	if err != nil {
		return nil, err
	}
	defer pg.Close(context.WithoutCancel(ctx))
	tables, _, err := moveTables(ctx, stx, pg)
	if err != nil {
		return nil, err
	}
	ptx, err := pg.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, err
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	return verifyTables(ctx, stx, ptx, tables)
}

// targetEmpty refuses a target holding more rows in any table than a fresh schema seeds, or
// anything in a table the move leaves out.
func targetEmpty(ctx context.Context, pg *pgx.Conn, tables []moveTable, skipped []string, seeds map[string]int64) error {
	names := append([]string(nil), skipped...)
	for _, t := range tables {
		names = append(names, t.name)
	}
	for _, n := range names {
		var exists bool
		if err := pg.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, quoteIdent(n)).Scan(&exists); err != nil {
			return err
		}
		if !exists { // a full-text shadow table PostgreSQL has no twin of
			continue
		}
		var c int64
		if err := pg.QueryRow(ctx, `SELECT count(*) FROM `+quoteIdent(n)).Scan(&c); err != nil {
			return fmt.Errorf("move: count %s in the target: %w", n, err)
		}
		if c > seeds[n] {
			return fmt.Errorf("%w: table %s has %d rows (a fresh database has %d). Move into a new, empty database (CREATE DATABASE …), never over one in use",
				ErrTargetNotEmpty, n, c, seeds[n])
		}
	}
	return nil
}

// freshSeedCounts is how many rows each table holds in a freshly migrated database (the
// seeded units, tags, mailboxes…), measured on a temporary SQLite file.
func freshSeedCounts(ctx context.Context) (map[string]int64, error) {
	dir, err := os.MkdirTemp("", "minsheng-move-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	s, err := Open(ctx, filepath.Join(dir, "fresh.db"), Options{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	names, err := moveStrings(ctx, s.read, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'
		AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		return nil, err
	}
	counts := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(n)).Scan(&c); err != nil {
			return nil, err
		}
		counts[n] = c
	}
	return counts, nil
}

// verifyTables counts and checksums every table on both sides: the source in its snapshot,
// the target inside the transaction about to be committed.
func verifyTables(ctx context.Context, src *sql.Tx, ptx pgx.Tx, tables []moveTable) ([]TableCheck, error) {
	var checks []TableCheck
	for _, t := range tables {
		c := TableCheck{Table: t.name}
		var err error
		if c.SourceRows, c.SourceSum, err = sumSQLite(ctx, src, t); err != nil {
			return checks, fmt.Errorf("move: checksum %s in the source: %w", t.name, err)
		}
		if c.TargetRows, c.TargetSum, err = sumPostgres(ctx, ptx, t); err != nil {
			return checks, fmt.Errorf("move: checksum %s in the target: %w", t.name, err)
		}
		checks = append(checks, c)
	}
	return checks, nil
}

// The checksum of a table: SHA-256 over its rows in primary-key order (byte order for text),
// each value normalised to text the same way on both engines: NULL as a mark of its own,
// integers in decimal, booleans as 0/1, BLOB/BYTEA as lower-case hex, text as it is; every
// value length-prefixed, so no two different rows read alike.
type tableHash struct {
	h    hash.Hash
	rows int64
}

func newTableHash() *tableHash { return &tableHash{h: sha256.New()} }

func (th *tableHash) row(vals []any) {
	for _, v := range vals {
		if v == nil {
			th.h.Write([]byte{'N'})
			continue
		}
		s := normalised(v)
		fmt.Fprintf(th.h, "V%d:%s", len(s), s)
	}
	th.h.Write([]byte{'\n'})
	th.rows++
}

func (th *tableHash) sum() string { return hex.EncodeToString(th.h.Sum(nil)) }

// normalised is a value as text (see tableHash).
func normalised(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return hex.EncodeToString(x)
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprintf("%T:%v", v, v)
	}
}

func sumSQLite(ctx context.Context, tx *sql.Tx, t moveTable) (int64, string, error) {
	rows, err := tx.QueryContext(ctx, selectInOrder(t, "sqlite"))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	th := newTableHash()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, "", err
		}
		// A text column's value is text on both sides whatever SQLite's loose typing stored.
		for i, c := range t.cols {
			if b, ok := vals[i].([]byte); ok && t.pgText[strings.ToLower(c)] {
				vals[i] = string(b)
			}
		}
		th.row(vals)
	}
	return th.rows, th.sum(), rows.Err()
}

func sumPostgres(ctx context.Context, ptx pgx.Tx, t moveTable) (int64, string, error) {
	rows, err := ptx.Query(ctx, selectInOrder(t, "postgres"))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	th := newTableHash()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return 0, "", err
		}
		th.row(vals)
	}
	return th.rows, th.sum(), rows.Err()
}
