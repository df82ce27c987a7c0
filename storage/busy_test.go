package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

// Ensure a write that cannot have the lock within the busy timeout (another connection holds
// it, as a long backup or a stuck tool would) answers ErrBusy, with SQLite's own error no
// longer visible to callers, and that the same write goes through once the lock is free.
// SQLite only: SQLite's one write lock; PostgreSQL's lock_timeout is TestPostgresLockTimeoutIsBusy.
func TestWriteLockHeldIsErrBusy(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(context.Background(), path, Options{Now: fixedClock, PasswordCost: bcrypt.MinCost, BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	locker, err := sql.Open("sqlite3", dsn(path, false, DefaultBusyTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	tx, err := locker.Begin() // _txlock=immediate: takes the write lock at once
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateSetupToken(context.Background())
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("write under a held lock: err = %v, want ErrBusy", err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		t.Errorf("ErrBusy still carries SQLite's error type %T: callers must not need to know SQLite", se)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSetupToken(context.Background()); err != nil {
		t.Fatalf("write after the lock was freed: %v", err)
	}
}

// Ensure mapBusy maps SQLite's busy and locked and PostgreSQL's "try again" codes alone, and
// leaves nil and other errors as they are.
// No database: the engines' error values (a real lock timeout is TestPostgresLockTimeoutIsBusy).
func TestMapBusy(t *testing.T) {
	t.Parallel()
	other := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		busy bool
	}{
		{"busy", sqlite3.Error{Code: sqlite3.ErrBusy}, true},
		{"locked", sqlite3.Error{Code: sqlite3.ErrLocked}, true},
		{"constraint", sqlite3.Error{Code: sqlite3.ErrConstraint}, false},
		{"postgres lock timeout", &pgconn.PgError{Code: "55P03"}, true},
		{"postgres serialization failure", &pgconn.PgError{Code: "40001"}, true},
		{"postgres deadlock", &pgconn.PgError{Code: "40P01"}, true},
		{"postgres too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"postgres starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"postgres wrapped", fmt.Errorf("commit: %w", &pgconn.PgError{Code: "55P03"}), true},
		{"postgres unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"postgres check violation", &pgconn.PgError{Code: "23514"}, false},
		{"other", other, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mapBusy(tt.err)
			if errors.Is(got, ErrBusy) != tt.busy {
				t.Fatalf("mapBusy(%v) = %v, busy %v, want %v", tt.err, got, !tt.busy, tt.busy)
			}
			if !tt.busy && got != tt.err {
				t.Fatalf("mapBusy(%v) = %v, want it unchanged", tt.err, got)
			}
		})
	}
	if mapBusy(nil) != nil {
		t.Fatal("mapBusy(nil) is not nil")
	}
}
