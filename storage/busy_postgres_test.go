package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"
)

// On PostgreSQL a write that cannot have its lock within the busy timeout (lock_timeout) is
// ErrBusy, as SQLite's busy is: the portal answers 503 and keeps the words, never 500.
func TestPostgresLockTimeoutIsBusy(t *testing.T) {
	t.Parallel()
	url := postgresDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, url, Options{Now: fixedClock, PasswordCost: bcrypt.MinCost, BusyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Another program holds the opinions table, as a long migration or a stuck tool would.
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE opinions IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	n := NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient", Content: "排队太久"}
	_, err = s.CreateOpinion(ctx, n, newReceiptHash(t))
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("CreateOpinion while the table is locked: err = %v, want ErrBusy", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// The lock gone, the same store writes again.
	if _, err := s.CreateOpinion(ctx, n, newReceiptHash(t)); err != nil {
		t.Fatalf("CreateOpinion after the lock went: %v", err)
	}
}
