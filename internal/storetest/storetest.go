// Package storetest opens real stores for the tests of the packages above storage (stats,
// report): a temp-file database, a clock the test moves, and opinions made through storage's
// own API. storage's own tests keep their helpers (they cannot import this package, which
// imports storage).
package storetest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"minsheng/internal/testkit"
	"minsheng/storage"
)

// Open opens a new SQLite store in a temporary folder, its clock set to start; it is closed
// when the test ends. OpenOn chooses the engine.
func Open(t testing.TB, start time.Time) (*storage.Store, *testkit.Clock) {
	t.Helper()
	return OpenOn(t, SQLite, start)
}

// SetDay sets clock to noon of day (YYYY-MM-DD) in China: what happens next happens that day.
func SetDay(t testing.TB, clock *testkit.Clock, day string) {
	t.Helper()
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(d.Add(4 * time.Hour))
}

// Opinion stores n on the clock's day, blank fields filled with ordinary values (a patient's
// complaint about the county hospital), and returns its id.
func Opinion(t testing.TB, st *storage.Store, n storage.NewOpinion) string {
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
	hash := make([]byte, 32)
	if _, err := rand.Read(hash); err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateOpinion(context.Background(), n, hash)
	if err != nil {
		t.Fatalf("CreateOpinion(%+v): %v", n, err)
	}
	return id
}
