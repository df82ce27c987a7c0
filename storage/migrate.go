package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// postgresMigrationFiles are the PostgreSQL twins: the same numbers and names (driver.go).
//
//go:embed migrations/postgres/*.sql
var postgresMigrationFiles embed.FS

// migrationName is NNNN_words.sql; the number fixes the order forever.
var migrationName = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// ErrSchemaTooNew means the database was migrated by a newer minsheng than this one. Running on
// it could corrupt data the older code does not understand, so Open refuses.
var ErrSchemaTooNew = fmt.Errorf("database schema is newer than this program")

// migrations returns the embedded SQLite migration names in order.
func migrations() ([]string, error) { return migrationNames(sqliteDriver{}) }

// migrationNames returns the embedded migration names of d in order.
func migrationNames(d driver) ([]string, error) {
	files, dir := d.migrationFS()
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !migrationName.MatchString(e.Name()) {
			return nil, fmt.Errorf("migration %q: name must look like 0001_words.sql", e.Name())
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies every SQLite migration not yet recorded, each in its own transaction.
func migrate(ctx context.Context, db *sql.DB) error { return migrateTo(ctx, db, "") }

// migrateTo applies the SQLite migrations not yet recorded up to and including last ("" for
// all): upgrade tests stop at an old schema, fill it, then migrate the rest.
func migrateTo(ctx context.Context, db *sql.DB, last string) error {
	return migrateWith(ctx, sqliteDriver{}, db, last)
}

// migrateWith applies d's migrations not yet recorded up to and including last ("" for all).
// Both engines refuse alike a database holding a migration this program does not know.
func migrateWith(ctx context.Context, d driver, db *sql.DB, last string) error {
	if _, err := db.ExecContext(ctx, d.schemaTableDDL()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := migrationNames(d)
	if err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	for n := range applied {
		if !known[n] {
			return fmt.Errorf("%w: it has migration %s", ErrSchemaTooNew, n)
		}
	}
	for _, n := range names {
		if last != "" && n > last {
			break
		}
		if applied[n] {
			continue
		}
		if err := applyMigration(ctx, d, db, n); err != nil {
			return err
		}
	}
	return nil
}

func appliedMigrations(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		applied[n] = true
	}
	return applied, rows.Err()
}

// foreignKeysOff marks a migration that rebuilds a table others refer to. SQLite cannot change
// a CHECK constraint in place; the documented way is to create the new table, copy, drop the
// old one and rename, with foreign keys off (a DROP would otherwise cascade into the tables
// that refer to it) and a foreign_key_check before committing.
const foreignKeysOff = "-- minsheng: foreign_keys off"

func applyMigration(ctx context.Context, d driver, db *sql.DB, name string) error {
	files, dir := d.migrationFS()
	body, err := fs.ReadFile(files, dir+"/"+name)
	if err != nil {
		return err
	}
	// A connection of its own, so the foreign_keys setting applies to exactly this migration.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// PostgreSQL checks foreign keys at the end of the statement and alters tables in place:
	// its migrations never rebuild one.
	rebuild := d.name() == "sqlite" && strings.HasPrefix(string(body), foreignKeysOff)
	if rebuild {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if rebuild {
		if err := foreignKeyProblems(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
		return fmt.Errorf("record migration %s: %w", name, err)
	}
	return tx.Commit()
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// foreignKeyProblems returns an error naming the first row whose reference is broken.
func foreignKeyProblems(ctx context.Context, q queryer) error {
	rows, err := q.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("foreign key broken: %s row %d refers to a missing %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}
