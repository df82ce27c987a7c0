package storage

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"
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
	// (SQLite's busy and locked, see mapBusy). Nothing was stored; the person should try again
	// shortly (handlers answer 503 with the text kept).
	ErrBusy = errors.New("database busy")
)

// mapError turns SQLite constraint violations into ErrConflict, and busy or locked into
// ErrBusy, so callers need not know SQLite.
func mapError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return mapBusy(err)
}

// mapBusy turns SQLite's busy and locked (the write lock not had within the busy timeout, a
// table locked by another connection) into ErrBusy, keeping SQLite's words in the message;
// other errors pass unchanged. It is applied where the lock is waited for: the write
// transaction's begin, its work and its commit (writeTx), Ping and collect's reads. Readers of
// a WAL database do not wait for the write lock, so the other reads are left as they are.
func mapBusy(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return fmt.Errorf("%w: %v", ErrBusy, err)
	}
	return err
}

// isConstraint reports whether err is a constraint violation (a CHECK, a NOT NULL): the
// submission's own fault, which fails that submission alone.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}
