package storage

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"minsheng/lifecycle"
)

func TestOpenAppliesMigrationsAndSeedsUnits(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()

		files, dir := s.drv.migrationFS()
		names, err := fs.Glob(files, dir+"/*.sql")
		if err != nil || len(names) == 0 {
			t.Fatalf("embedded migrations: %v, %v", names, err)
		}
		if got, want := countRows(t, s, "schema_migrations", ""), len(names); got != want {
			t.Errorf("schema_migrations rows = %d, want %d (one per embedded file)", got, want)
		}
		for _, f := range names {
			if n := countRows(t, s, "schema_migrations", "name = ?", filepath.Base(f)); n != 1 {
				t.Errorf("migration %s recorded %d times, want 1", f, n)
			}
		}

		units, err := s.Units(ctx)
		if err != nil {
			t.Fatalf("Units: %v", err)
		}
		want := []Unit{
			{"bureau", "县卫生健康局机关", ""},
			{"county-hospital", "县人民医院", "bureau"},
			{"tcm-hospital", "县中医院", "bureau"},
			{"mch-hospital", "县妇幼保健院", "bureau"},
			{"chengguan-thc", "城关镇卫生院", "bureau"},
			{"qingshan-thc", "青山乡卫生院", "bureau"},
		}
		if !reflect.DeepEqual(units, want) {
			t.Errorf("Units() = %v\nwant %v", units, want)
		}
	})
}

func TestOpenTwiceIsIdempotent(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		path := b.dsn(t)
		ctx := context.Background()
		first := openAt(t, path, fixedClock)
		id := mustCreateOpinion(t, first, NewOpinion{Content: "第一次打开时写入"})
		migs, units := appliedNames(t, first), countRows(t, first, "units", "")
		if err := first.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}

		for i := 1; i <= 2; i++ {
			s, err := Open(ctx, path, Options{Now: fixedClock})
			if err != nil {
				t.Fatalf("re-open #%d: %v", i, err)
			}
			if got := appliedNames(t, s); !reflect.DeepEqual(got, migs) {
				t.Errorf("re-open #%d: schema_migrations = %v, want %v", i, got, migs)
			}
			if got := countRows(t, s, "units", ""); got != units {
				t.Errorf("re-open #%d: units = %d, want %d", i, got, units)
			}
			if o, err := s.Opinion(ctx, id); err != nil || o.Content != "第一次打开时写入" {
				t.Errorf("re-open #%d: Opinion(%s) = %+v, %v", i, id, o, err)
			}
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
		}
	})
}

// Both engines refuse alike a database a newer minsheng migrated.
func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		path := b.dsn(t)
		s, err := Open(context.Background(), path, Options{Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.Exec(`INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future.sql')`); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		s2, err := Open(context.Background(), path, Options{Now: fixedClock})
		if !errors.Is(err, ErrSchemaTooNew) {
			t.Fatalf("Open of newer schema: err = %v, want ErrSchemaTooNew", err)
		}
		if s2 != nil {
			t.Errorf("Open of newer schema returned a store")
			s2.Close()
		}
		if !strings.Contains(err.Error(), "9999_from_the_future.sql") {
			t.Errorf("error %q does not name the unknown migration", err)
		}
	})
}

// pragmas reads the settings the DSN must give every connection.
func pragmas(t *testing.T, c *sql.Conn) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range []string{"foreign_keys", "busy_timeout", "synchronous", "journal_mode", "secure_delete"} {
		var v string
		if err := c.QueryRowContext(context.Background(), "PRAGMA "+p).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", p, err)
		}
		out[p] = v
	}
	return out
}

// SQLite only: PRAGMAs are SQLite's settings (PostgreSQL's session settings are in TestReadPoolRefusesWrites
// and TestPostgresLockTimeoutIsBusy).
func TestPragmasReachEveryPooledConnection(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	ctx := context.Background()
	want := map[string]string{
		"foreign_keys":  "1",
		"busy_timeout":  "10000",
		"synchronous":   "2", // FULL
		"journal_mode":  "wal",
		"secure_delete": "1",
	}

	// Hold three read connections at once so the pool cannot hand back the same one.
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := s.read.Conn(ctx)
		if err != nil {
			t.Fatalf("read conn %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		if got := pragmas(t, c); !reflect.DeepEqual(got, want) {
			t.Errorf("read conn %d: pragmas = %v, want %v", i, got, want)
		}
	}
	if got := s.read.Stats().InUse; got != 3 {
		t.Errorf("read pool has %d connections in use, want 3", got)
	}
	for _, c := range conns {
		c.Close()
	}

	w, err := s.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got := pragmas(t, w); !reflect.DeepEqual(got, want) {
		t.Errorf("write conn: pragmas = %v, want %v", got, want)
	}
	// auto_vacuum only takes if set before the first table: 1 means FULL really applied.
	var av int
	if err := w.QueryRowContext(ctx, "PRAGMA auto_vacuum").Scan(&av); err != nil || av != 1 {
		t.Errorf("write conn: auto_vacuum = %d (%v), want 1 (FULL)", av, err)
	}
}

// Both engines' read pools refuse writes: SQLite's opens the file read-only, PostgreSQL's
// sessions default to read-only transactions.
func TestReadPoolRefusesWrites(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		for name, q := range map[string]string{
			"insert": `INSERT INTO units (code, name) VALUES ('x', 'x')`,
			"update": `UPDATE units SET name = 'x' WHERE code = 'bureau'`,
			"create": `CREATE TABLE sneaky (a INTEGER)`,
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.read.Exec(q)
				if !isReadOnlyRefusal(err) {
					t.Errorf("read pool %s: err = %v, want the engine's read-only refusal", name, err)
				}
			})
		}
		units, err := s.Units(context.Background())
		if err != nil || len(units) != 6 || units[0].Name != "县卫生健康局机关" {
			t.Errorf("units changed through the read pool: %v, %v", units, err)
		}
	})
}

// isReadOnlyRefusal reports whether err is SQLITE_READONLY or PostgreSQL's
// read_only_sql_transaction.
func isReadOnlyRefusal(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrReadonly
	}
	return postgresCode(err) == "25006"
}

// SQLite only: the file: URI of SQLite's driver (PostgreSQL takes the URL as given).
func TestDSN(t *testing.T) {
	tests := []struct {
		name     string
		readOnly bool
		has      []string
		hasNot   []string
	}{
		{"writer", false, []string{"_txlock=immediate", "_auto_vacuum=full", "_foreign_keys=on"}, []string{"mode=ro"}},
		{"reader", true, []string{"mode=ro", "_foreign_keys=on", "_busy_timeout=10000"}, []string{"_txlock", "_auto_vacuum"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dsn("/var/lib/minsheng/db.sqlite", tt.readOnly, DefaultBusyTimeout)
			if !strings.HasPrefix(got, "file:/var/lib/minsheng/db.sqlite?") {
				t.Errorf("dsn = %q, want a file: URI of the path", got)
			}
			for _, h := range tt.has {
				if !strings.Contains(got, h) {
					t.Errorf("dsn = %q, want it to contain %q", got, h)
				}
			}
			for _, h := range tt.hasNot {
				if strings.Contains(got, h) {
					t.Errorf("dsn = %q, want it without %q", got, h)
				}
			}
		})
	}
}

func TestTodayUsesStoreTimeZone(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		if got, want := b.mustOpen(t).Today(), "2026-04-01"; got != want {
			t.Errorf("Today() in China time = %q, want %q", got, want)
		}
		s, err := Open(context.Background(), b.dsn(t), Options{Now: fixedClock, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if got, want := s.Today(), "2026-03-31"; got != want {
			t.Errorf("Today() in UTC = %q, want %q", got, want)
		}
	})
}

// Path is the DSN as given: a SQLite file in folders Open creates, or the PostgreSQL URL.
func TestPingAndPath(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		path := b.dsn(t)
		if b.name == "sqlite" {
			path = filepath.Join(filepath.Dir(path), "nested", "dir", "test.db")
		}
		s := openAt(t, path, fixedClock)
		if err := s.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
		if got := s.Path(); got != path {
			t.Errorf("Path() = %q, want %q", got, path)
		}
	})
}

func TestUnitByCode(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		if _, err := s.write.Exec(`UPDATE units SET active = 0 WHERE code = 'qingshan-thc'`); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			code     string
			wantName string
			wantErr  error
		}{
			{"bureau", "县卫生健康局机关", nil},
			{"tcm-hospital", "县中医院", nil},
			{"qingshan-thc", "", ErrNotFound}, // retired
			{"no-such-unit", "", ErrNotFound},
			{"", "", ErrNotFound},
		}
		for _, tt := range tests {
			t.Run("code="+tt.code, func(t *testing.T) {
				u, err := s.UnitByCode(ctx, tt.code)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("UnitByCode(%q) err = %v, want %v", tt.code, err, tt.wantErr)
				}
				if u.Name != tt.wantName {
					t.Errorf("UnitByCode(%q).Name = %q, want %q", tt.code, u.Name, tt.wantName)
				}
			})
		}
		units, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(units), 5; got != want {
			t.Errorf("Units() after retiring one = %d units, want %d", got, want)
		}
	})
}

// TestWritesIgnoreCancelledContext: the write path detaches from request cancellation on
// purpose, so a submitter whose phone drops the connection still gets their opinion kept.
func TestWritesIgnoreCancelledContext(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()

		hash := newReceiptHash(t)
		id, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "bureau", Submitter: "public",
			Content: "请求中途断开"}, hash)
		if err != nil {
			t.Fatalf("CreateOpinion with cancelled ctx: %v", err)
		}
		o, err := s.OpinionByReceipt(context.Background(), hash)
		if err != nil || o.ID != id || o.Content != "请求中途断开" {
			t.Fatalf("after cancelled-ctx create: OpinionByReceipt = %+v, %v; want id %s", o, err, id)
		}

		if err := s.Transition(ctx, 0, id, lifecycle.Step{To: "triaged"}); err != nil {
			t.Fatalf("Transition with cancelled ctx: %v", err)
		}
		if err := s.Record(ctx, 0, "export", "cancelled"); err != nil {
			t.Fatalf("Record with cancelled ctx: %v", err)
		}
		if o, _ := s.Opinion(context.Background(), id); o.Status != "triaged" {
			t.Errorf("status after cancelled-ctx Transition = %q, want triaged", o.Status)
		}
		if got, want := countRows(t, s, "audit_log", ""), 2; got != want {
			t.Errorf("audit rows = %d, want %d", got, want)
		}
	})
}

// Ensure a database path with URI-special characters opens the file of that exact name.
// SQLite only: a file path (a PostgreSQL URL is parsed by pgx).
func TestOpenPathWithSpecialCharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "odd?name#1%.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("file %q not created: %v", path, err)
	}
}

// Ensure the unit list is served from memory until forgotten, so a change made in this process
// must call forgetUnits (and a change made elsewhere shows within unitsTTL).
func TestUnitsCache(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		before, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.Exec(`UPDATE units SET name = '县人民医院（新院区）' WHERE code = 'county-hospital'`); err != nil {
			t.Fatal(err)
		}
		cached, _ := s.Units(ctx)
		if !reflect.DeepEqual(cached, before) {
			t.Fatal("the unit list was read again before it was forgotten or expired")
		}
		s.forgetUnits()
		after, _ := s.Units(ctx)
		if got := after[1].Name; got != "县人民医院（新院区）" {
			t.Fatalf("after forgetUnits, unit name = %q", got)
		}
	})
}
