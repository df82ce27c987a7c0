package storage

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers test them with errors.Is; storage wraps them with context using %w.
var (
	// ErrNotFound means the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with what is stored (a duplicate name, a status that
	// may not follow the current one).
	ErrConflict = errors.New("conflict")
	// ErrBusy means the portal is too busy to do the work now: more submissions are waiting
	// than it will queue (writer.go), or the database's write lock could not be had in time
	// (SQLite's busy and locked, PostgreSQL's lock timeout: see mapBusy). Nothing was stored; the person should try again
	// shortly (handlers answer 503 with the text kept).
	ErrBusy = errors.New("database busy")
)

// mapError turns constraint violations of a unique key into ErrConflict, and busy or locked
// into ErrBusy, so callers need not know the database engine.
func mapError(err error) error {
	for _, d := range drivers {
		if d.conflict(err) {
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
	}
	return mapBusy(err)
}

// mapBusy turns the engine's busy answers into ErrBusy, keeping its words in the message:
// SQLite's busy and locked (the write lock not had within the busy timeout, a table locked by
// another connection), PostgreSQL's lock timeout, deadlock, serialization failure and "too
// many connections". Other errors pass unchanged. It is applied where the lock is waited for:
// the write transaction's begin, its work and its commit (writeTx), Ping and collect's reads.
// Readers of a WAL database do not wait for the write lock, so the other reads are left as
// they are.
func mapBusy(err error) error {
	for _, d := range drivers {
		if d.busy(err) {
			return fmt.Errorf("%w: %v", ErrBusy, err)
		}
	}
	return err
}

// isConstraint reports whether err is a constraint violation (a CHECK, a NOT NULL): the
// submission's own fault, which fails that submission alone.
func isConstraint(err error) bool {
	for _, d := range drivers {
		if d.constraint(err) {
			return true
		}
	}
	return false
}
