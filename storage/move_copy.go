package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
	if err := opinionsNameKnownUnits(ctx, ptx); err != nil {
		return err
	}
	return resetIdentities(ctx, ptx)
}

// opinionsNameKnownUnits checks, once for the whole copy, what the trigger opinions_unit_known
// (migration 0060: PostgreSQL's check of opinions.unit_code, in place of a foreign key) would
// have checked had the user triggers been on: that every opinion names a unit the copy holds.
func opinionsNameKnownUnits(ctx context.Context, ptx pgx.Tx) error {
	var missing string
	err := ptx.QueryRow(ctx, `SELECT o.unit_code FROM opinions o
		WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = o.unit_code) LIMIT 1`).Scan(&missing)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("move: check the opinions' units: %w", err)
	}
	return fmt.Errorf("move: an opinion names the unit %q, which the source does not hold", missing)
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
