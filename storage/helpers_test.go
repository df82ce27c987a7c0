package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"minsheng/internal/storetest/rowscan"
	"minsheng/internal/testkit"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// fixedTime is 01:30 on 1 April in China while it is still 31 March in UTC, so any test that
// sees "2026-04-01" proves the store dates opinions in China time.
var fixedTime = time.Date(2026, 3, 31, 17, 30, 0, 0, time.UTC)

func fixedClock() time.Time { return fixedTime }

// newClock returns a clock a test can move; the store reads it through Options.Now.
func newClock(t time.Time) *testkit.Clock { return testkit.NewClock(t) }

// openAt opens the database at path and closes it when the test ends.
func openAt(t *testing.T, path string, now func() time.Time) *Store {
	t.Helper()
	// The lowest bcrypt cost: logins in tests need not be slow (the default is checked in TestPasswordCost).
	s, err := Open(context.Background(), path, Options{Now: now, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// mustOpen opens a fresh database file whose clock stands still at fixedTime.
func mustOpen(t *testing.T) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "test.db"), fixedClock)
}

// mustOpenClock opens a fresh database file driven by c.
func mustOpenClock(t *testing.T, c *testkit.Clock) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "test.db"), c.Now)
}

// newReceiptHash returns a random 32-byte stand-in for the HMAC of a receipt code.
func newReceiptHash(t *testing.T) []byte {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// mustCreateOpinion stores n (blank fields get ordinary values) and returns its id.
func mustCreateOpinion(t *testing.T, s *Store, n NewOpinion) string {
	t.Helper()
	if n.Type == "" {
		n.Type = "complaint"
	}
	if n.UnitCode == "" {
		n.UnitCode = "county-hospital"
	}
	if n.Submitter == "" {
		n.Submitter = "patient"
	}
	if n.Content == "" {
		n.Content = "挂号排队两个小时"
	}
	id, err := s.CreateOpinion(context.Background(), n, newReceiptHash(t))
	if err != nil {
		t.Fatalf("CreateOpinion(%+v): %v", n, err)
	}
	return id
}

const testPassword = "correct horse battery"

// mustCreateUser adds a staff member with testPassword.
func mustCreateUser(t *testing.T, s *Store, username, role string) User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), 0, username, testPassword, role)
	if err != nil {
		t.Fatalf("CreateUser(%q, %q): %v", username, role, err)
	}
	return u
}

// countRows counts the rows of table, optionally narrowed by a WHERE clause.
func countRows(t *testing.T, s *Store, table, where string, args ...any) int {
	t.Helper()
	q := `SELECT count(*) FROM ` + table
	if where != "" {
		q += ` WHERE ` + where
	}
	var n int
	if err := s.read.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func appliedNames(t *testing.T, s *Store) []string {
	t.Helper()
	out, err := rowscan.Column[string](s.read.Query(`SELECT name || '@' || applied_at FROM schema_migrations ORDER BY name`))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openMigratedTo opens the database file at path as it was after the migration named last,
// for upgrade tests that fill an older schema and then let Open take it the rest of the way.
func openMigratedTo(t *testing.T, path, last string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", dsn(path, false, DefaultBusyTimeout))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(context.Background(), db, last); err != nil {
		t.Fatal(err)
	}
	return db
}

// mustExec runs a statement on s's writer (a change no method of the store makes), failing the
// test on an error.
func mustExec(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if _, err := s.write.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
