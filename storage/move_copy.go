package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// copyTables fills the target inside ptx: the seeded rows of a fresh schema are replaced by
// the source's own (its units, tags, mailboxes as the office left them), every table is
// streamed with COPY in primary-key order (move.go: anonymity), and the identity counters are
// set past the copied ids. The user triggers (the append-only audit log, the search facets that
// follow opinions) are off while the rows go in, so that every row arrives exactly as it was,
// and on again before the commit.
func copyTables(ctx context.Context, src *sql.Tx, ptx pgx.Tx, tables []moveTable, progress MoveProgress) error {
	var names []string
	for _, t := range tables {
		names = append(names, quoteIdent(t.name))
	}
	for _, n := range names {
		if _, err := ptx.Exec(ctx, `ALTER TABLE `+n+` DISABLE TRIGGER USER`); err != nil {
			return fmt.Errorf("move: %w", err)
		}
	}
	if _, err := ptx.Exec(ctx, `TRUNCATE `+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("move: clear the seeded rows: %w", err)
	}
	for _, t := range tables {
		if err := copyTable(ctx, src, ptx, t, progress); err != nil {
			return fmt.Errorf("move: table %s: %w", t.name, err)
		}
	}
	for _, n := range names {
		if _, err := ptx.Exec(ctx, `ALTER TABLE `+n+` ENABLE TRIGGER USER`); err != nil {
			return fmt.Errorf("move: %w", err)
		}
	}
	return resetIdentities(ctx, ptx)
}

// progressEvery is how many rows pass between two progress reports within a table.
const progressEvery = 50_000

// copyTable streams one table from the source into the target with COPY.
func copyTable(ctx context.Context, src *sql.Tx, ptx pgx.Tx, t moveTable, progress MoveProgress) error {
	var total int64
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.name)).Scan(&total); err != nil {
		return err
	}
	rows, err := src.QueryContext(ctx, selectInOrder(t, "sqlite"))
	if err != nil {
		return err
	}
	defer rows.Close()
	// A self-reference (units.parent_code) needs no parents-first order: PostgreSQL checks a
	// foreign key at the end of the statement, here the whole COPY.
	from := &copySource{rows: rows, t: t, total: total, progress: progress}
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = strings.ToLower(c)
	}
	n, err := ptx.CopyFrom(ctx, pgx.Identifier{t.name}, cols, from)
	if err != nil {
		return err
	}
	if n != total {
		return fmt.Errorf("copied %d rows of %d", n, total)
	}
	if progress != nil {
		progress(t.name, n, total)
	}
	return nil
}

// selectInOrder reads every column in primary-key order, byte order for text on both engines
// (COLLATE BINARY on SQLite, "C" on PostgreSQL), so both sides list the rows alike.
func selectInOrder(t moveTable, engine string) string {
	cols := make([]string, len(t.cols))
	name := func(c string) string {
		if engine == "sqlite" {
			return quoteIdent(c)
		}
		return quoteIdent(strings.ToLower(c))
	}
	for i, c := range t.cols {
		cols[i] = name(c)
	}
	order := make([]string, len(t.pk))
	for i, c := range t.pk {
		order[i] = name(c)
		switch {
		case engine == "sqlite":
			order[i] += ` COLLATE BINARY`
		case t.pgText[strings.ToLower(c)]:
			order[i] += ` COLLATE "C"`
		}
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + quoteIdent(t.name) + ` ORDER BY ` + strings.Join(order, ", ")
}

// copySource hands the source's rows to COPY, converted for the target's column types.
type copySource struct {
	rows     *sql.Rows
	t        moveTable
	vals     []any
	done     int64
	total    int64
	progress MoveProgress
	err      error
}

func (c *copySource) Next() bool {
	if !c.rows.Next() {
		c.err = c.rows.Err()
		return false
	}
	vals := make([]any, len(c.t.cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if c.err = c.rows.Scan(ptrs...); c.err != nil {
		return false
	}
	for i, col := range c.t.cols {
		vals[i] = forTarget(vals[i], c.t.pgText[strings.ToLower(col)], c.t.pgBytes[strings.ToLower(col)])
	}
	c.vals = vals
	c.done++
	if c.progress != nil && c.done%progressEvery == 0 && c.done < c.total {
		c.progress(c.t.name, c.done, c.total)
	}
	return true
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }
func (c *copySource) Err() error             { return c.err }

// forTarget converts a value SQLite's loose typing may hold into the target column's type:
// numbers stored in a text column as their text, text stored in a bytea column as its bytes.
func forTarget(v any, text, bytes bool) any {
	switch x := v.(type) {
	case int64:
		if text {
			return strconv.FormatInt(x, 10)
		}
	case float64:
		if text {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case string:
		if bytes {
			return []byte(x)
		}
	case []byte:
		if text {
			return string(x)
		}
	}
	return v
}

// resetIdentities moves every identity counter past the largest id copied into its column.
func resetIdentities(ctx context.Context, ptx pgx.Tx) error {
	rows, err := ptx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return err
	}
	var pairs [][2]string
	for rows.Next() {
		var tb, c string
		if err := rows.Scan(&tb, &c); err != nil {
			return err
		}
		pairs = append(pairs, [2]string{tb, c})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range pairs {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(max(%s), 0) + 1, false) FROM %s`,
			strings.ReplaceAll(quoteIdent(p[0]), `'`, `''`), p[1], quoteIdent(p[1]), quoteIdent(p[0]))
		if _, err := ptx.Exec(ctx, q); err != nil {
			return fmt.Errorf("move: identity of %s.%s: %w", p[0], p[1], err)
		}
	}
	return nil
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
