package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditEntry is one line of a history: a recorded staff action, or (Public) something the
// submitter did, which keeps its day alone.
type AuditEntry struct {
	At       time.Time // when a staff action happened; zero for a public act
	Day      string    // YYYY-MM-DD in the store's time zone; all a public act keeps
	Public   bool      // done by a member of the public (the submitter), not by staff
	Username string    // empty for actions by the system, the command line or the public
	Action   string    // login, logout, tag, status, reply, note, export, user_add, setup, rate
	Detail   string
}

// audit writes one audit row inside tx; userID 0 means "no staff member" (the command line).
func audit(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, action, opinionID, detail string) error {
	return auditRow(ctx, tx, now, userID, action, opinionID, "", detail)
}

// auditUnit writes one audit row about no opinion that concerns unit (a unit, an account's
// unit or branch, a mailbox's or a site's unit, a survey's branch): a branch administrator
// reads the entries of the units of their branch (AuditFilter.Branch). unit "" is none.
func auditUnit(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, action, unit, detail string) error {
	return auditRow(ctx, tx, now, userID, action, "", unit, detail)
}

func auditRow(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, action, opinionID, unit, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (user_id, action, opinion_id, unit_code, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(userID), action, nullString(opinionID), nullString(unit), detail, now.UTC().Format(timeLayout))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Record writes an audit row for an action that changes nothing else, such as an export or a
// login, in a transaction of its own.
func (s *Store) Record(ctx context.Context, userID int64, action, detail string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return audit(ctx, tx, now, userID, action, "", detail)
	})
}

// AuditOf returns the history of one opinion, oldest first: the staff actions, and what its
// submitters did, each placed after the staff actions of its day (see withPublicEvents).
// Who merely opened it (ActionOpenReport) is left to the audit log's page: the history tells
// what was done.
func (s *Store) AuditOf(ctx context.Context, opinionID string) ([]AuditEntry, error) {
	staff, err := s.auditQuery(ctx, `WHERE a.opinion_id = ? AND a.action != '`+ActionOpenReport+`' ORDER BY a.id`, opinionID)
	if err != nil {
		return nil, err
	}
	public, err := s.publicEventsOf(ctx, opinionID)
	if err != nil {
		return nil, fmt.Errorf("read public events: %w", err)
	}
	return withPublicEvents(staff, public, s.now().Location()), nil
}

// RecentAudit returns the newest n audit rows, newest first.
func (s *Store) RecentAudit(ctx context.Context, n int) ([]AuditEntry, error) {
	return s.auditQuery(ctx, `ORDER BY a.id DESC LIMIT ?`, n)
}

func (s *Store) auditQuery(ctx context.Context, tail string, args ...any) ([]AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.created_at, COALESCE(u.username, ''), a.action, a.detail
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Username, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(timeLayout, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
