package storetest

// Both engines for the packages above storage (#15): the monthly figures, the reports and
// the XLSX the office sends upward are computed from storage's reads, and must come out the
// same on SQLite and PostgreSQL. ForEachEngine runs a test once on each; the package's
// TestMain must call pgtest.Main(m), which stops the test binary's PostgreSQL cluster.

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"minsheng/internal/pgtest"
	"minsheng/internal/testkit"
	"minsheng/storage"
)

// Engine is a database engine a store opens on: "sqlite" or "postgres" (storage.Store's
// Backend names).
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Engines are both, SQLite first.
var Engines = []Engine{SQLite, Postgres}

// ForEachEngine runs fn as a subtest named after each engine.
func ForEachEngine(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// DSN returns a new, empty database on e: a file in the test's temporary folder, or a copy of
// a PostgreSQL database migrated once per test binary (dropped when the test ends).
func DSN(t testing.TB, e Engine) string {
	t.Helper()
	if e == SQLite {
		return filepath.Join(t.TempDir(), "test.db")
	}
	cluster := pgtest.Shared(t)
	return cluster.NewDatabaseFrom(t, cluster.Template(t, "storetest_template", func(ctx context.Context, url string) error {
		st, err := storage.Open(ctx, url, storage.Options{PasswordCost: bcrypt.MinCost})
		if err != nil {
			return err
		}
		return st.Close()
	}))
}

// OpenOn opens a new store on e, its clock set to start; it is closed when the test ends.
func OpenOn(t testing.TB, e Engine, start time.Time) (*storage.Store, *testkit.Clock) {
	t.Helper()
	clock := testkit.NewClock(start)
	st, err := storage.Open(context.Background(), DSN(t, e), storage.Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return st, clock
}
