package storage

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	"minsheng/internal/pgtest"
	"minsheng/internal/storetest/rowscan"
	"minsheng/internal/testkit"
)

// One storage suite for both engines (#15): a test written with forEachBackend runs once on a
// temporary SQLite file and once on a fresh PostgreSQL database of the test binary's cluster
// (internal/pgtest: started on first use, stopped by TestMain). Without PostgreSQL the
// postgres half fails and says how to install it (MINSHENG_SKIP_POSTGRES=1 skips it, loudly).

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		// Most of a PostgreSQL half's time is the server's: copying the template database,
		// flushing commits. Go's default (-parallel GOMAXPROCS, 2 on a small machine) leaves the
		// CPU idle meanwhile. -parallel on the command line still decides.
		_ = flag.Set("test.parallel", strconv.Itoa(max(storageParallel, runtime.GOMAXPROCS(0))))
	}
	pgtest.Main(m)
}

// storageParallel is how many parallel tests run at once unless -parallel says otherwise:
// each PostgreSQL store holds up to five connections, well within the cluster's limit.
const storageParallel = 8

// backend opens fresh stores on one engine.
type backend struct {
	name string
	dsn  func(t *testing.T) string // a new, empty database
}

var backends = []backend{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "test.db") }},
	{"postgres", postgresDatabase},
}

// forEachBackend runs fn as a subtest named after each engine.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// mustOpen opens a fresh database whose clock stands still at fixedTime.
func (b backend) mustOpen(t *testing.T) *Store {
	t.Helper()
	return openAt(t, b.dsn(t), fixedClock)
}

// mustOpenClock opens a fresh database driven by c.
func (b backend) mustOpenClock(t *testing.T, c *testkit.Clock) *Store {
	t.Helper()
	return openAt(t, b.dsn(t), c.Now)
}

// postgresDatabase returns the URL of a new database holding the current schema and the rows
// the migrations insert, as a fresh Open would leave it; dropped when the test ends. It is a
// copy of a template migrated once: migrating 0001 for each test would spend most of the
// suite's time creating tables.
func postgresDatabase(t *testing.T) string {
	t.Helper()
	cluster := pgtest.Shared(t)
	return cluster.NewDatabaseFrom(t, cluster.Template(t, "minsheng_template", migrateTemplate))
}

// migrateTemplate gives a template database the current schema.
func migrateTemplate(ctx context.Context, url string) error {
	s, err := Open(ctx, url, Options{})
	if err != nil {
		return err
	}
	return s.Close()
}

// tableColumns reads the schema: every table's columns, in lower case.
func tableColumns(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`
	if s.Backend() == "postgres" {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
			ORDER BY table_name, ordinal_position`
	}
	rows, err := s.read.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols := map[string][]string{}
	for rows.Next() {
		var tbl, c string
		if err := rows.Scan(&tbl, &c); err != nil {
			t.Fatal(err)
		}
		cols[tbl] = append(cols[tbl], strings.ToLower(c))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols
}

// isCheckFailure reports whether err is a CHECK constraint's refusal, on either engine.
func isCheckFailure(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintCheck
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23514" // check_violation
}

// TestBackendsStartEmpty is the suite's own check: each engine opens with the seeded units and
// no opinion.
func TestBackendsStartEmpty(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		if got := s.Backend(); got != b.name {
			t.Errorf("Backend() = %q, want %q", got, b.name)
		}
		if n, err := s.CountOpinions(context.Background()); err != nil || n != 0 {
			t.Errorf("CountOpinions = %d, %v; want 0, nil", n, err)
		}
		if n := countRows(t, s, "units", ""); n != 6 {
			t.Errorf("units = %d, want the 6 seeded", n)
		}
	})
}

// cascadingReferences counts table's foreign keys to parent that delete with the parent row.
func cascadingReferences(t *testing.T, s *Store, table, parent string) int {
	t.Helper()
	q := `SELECT count(DISTINCT id) FROM pragma_foreign_key_list(?) WHERE "table" = ? AND on_delete = 'CASCADE'`
	if s.Backend() == "postgres" {
		q = `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confdeltype = 'c'
			AND conrelid = to_regclass(?) AND confrelid = to_regclass(?)`
	}
	var n int
	if err := s.read.QueryRow(q, table, parent).Scan(&n); err != nil {
		t.Fatalf("foreign keys of %s: %v", table, err)
	}
	return n
}

// columnBytes reads the one column query selects, every row's value as bytes.
func columnBytes(t *testing.T, s *Store, query string, args ...any) [][]byte {
	t.Helper()
	out, err := rowscan.Column[[]byte](s.read.Query(query, args...))
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

// storedBytes is everything s's database holds, for a search for what must never be kept in
// clear: on SQLite the bytes of the file and its WAL, as they lie on the disk; on PostgreSQL
// every row of every table as text (bytea shows as hex there). It closes s.
func storedBytes(t *testing.T, s *Store) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if s.Backend() == "sqlite" {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{s.Path(), s.Path() + "-wal"} {
			if raw, err := os.ReadFile(name); err == nil {
				out[filepath.Base(name)] = raw
			}
		}
		return out
	}
	for _, table := range columnBytes(t, s, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`) {
		var all []byte
		for _, row := range columnBytes(t, s, `SELECT t::text FROM "`+string(table)+`" t`) {
			all = append(append(all, row...), '\n')
		}
		out[string(table)] = all
	}
	if len(out) < 20 {
		t.Fatalf("only %d tables read: the search would miss most of the database", len(out))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}
