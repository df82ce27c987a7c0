package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditRow is one entry of the audit log as its page and its export show it.
type AuditRow struct {
	ID        int64
	At        time.Time // UTC
	Username  string    // "" for the system or the command line
	Action    string
	OpinionID string // "" when the entry is about no opinion
	Detail    string
}

// AuditFilter chooses entries of the audit log. The zero value of each field filters nothing.
type AuditFilter struct {
	// Discipline: the reader is 纪检, who sees the entries about 举报 and letters to a
	// discipline mailbox, and only those; everyone else who may read the log (the
	// administrator) sees all the other entries, those about no opinion included.
	Discipline bool
	// Branch: the reader is an administrator limited to a branch (#15), who reads only the
	// entries attributed to it (branchAuditSQL); BranchUnits are its units, BranchActors the
	// accounts of the branch (access.Viewer.ManagesAccount).
	Branch       bool
	BranchUnits  []string
	BranchActors []int64
	UserID       int64
	Action       string
	OpinionID    string
	From, To     string // YYYY-MM-DD in the store's time zone, both days included
	// Before is the keyset of a page: only entries with a smaller id (older) are read.
	Before int64
}

// AuditPageSize is how many entries a page of the audit log shows.
const AuditPageSize = 50

// sensitiveOpinionSQL holds when opinion o is for 纪检 alone: a 举报, or a letter to a
// discipline mailbox (or to a mailbox storage does not know: the strictest reading, as scopeSQL).
const sensitiveOpinionSQL = "(o.type = 'report' OR (o.mailbox_code != '' AND NOT " + ordinaryMailboxSQL + "))"

// auditWhere builds the conditions of f over audit_log a. 纪检's entries are found from the
// few opinions that are theirs (partial indexes of 0032, then audit_log_by_opinion); the
// administrator's by a look-up of each entry's opinion as the log is read newest first.
func (s *Store) auditWhere(f AuditFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Discipline {
		conds = append(conds, "(a.opinion_id IN (SELECT id FROM opinions WHERE type = 'report')"+
			" OR a.opinion_id IN (SELECT o.id FROM opinions o WHERE o.mailbox_code != '' AND NOT "+ordinaryMailboxSQL+"))")
	} else {
		conds = append(conds, "NOT EXISTS (SELECT 1 FROM opinions o WHERE o.id = a.opinion_id AND "+sensitiveOpinionSQL+")")
	}
	if f.Branch {
		cond, bargs := branchAuditSQL(f.BranchUnits, f.BranchActors)
		conds, args = append(conds, cond), append(args, bargs...)
	}
	if f.UserID != 0 {
		conds, args = append(conds, "a.user_id = ?"), append(args, f.UserID)
	}
	if f.Action != "" {
		conds, args = append(conds, "a.action = ?"), append(args, f.Action)
	}
	if f.OpinionID != "" {
		conds, args = append(conds, "a.opinion_id = ?"), append(args, f.OpinionID)
	}
	loc := s.now().Location()
	if d, err := time.ParseInLocation(dateLayout, f.From, loc); err == nil {
		conds, args = append(conds, "a.created_at >= ?"), append(args, d.UTC().Format(timeLayout))
	}
	if d, err := time.ParseInLocation(dateLayout, f.To, loc); err == nil {
		conds, args = append(conds, "a.created_at < ?"), append(args, d.AddDate(0, 0, 1).UTC().Format(timeLayout))
	}
	if f.Before > 0 {
		conds, args = append(conds, "a.id < ?"), append(args, f.Before)
	}
	return strings.Join(conds, " AND "), args
}

// branchAuditSQL holds for the entries of audit_log a attributed to a branch: an entry about an
// opinion, when the opinion's unit is one of units; an entry about no opinion, when the unit
// it names (audit_log.unit_code, 0057) is one of units, or, naming no unit, when it was done
// by one of the branch's accounts (their logins, exports, saved filters, report drafts). An
// entry attributed to nothing (settings, taxonomy, the whole tree's people, every entry about
// no opinion written before 0057 by someone outside) is not the branch's.
func branchAuditSQL(units []string, actors []int64) (string, []any) {
	if len(units) == 0 {
		return "1 = 0", nil
	}
	in := "(?" + strings.Repeat(", ?", len(units)-1) + ")"
	var args []any
	for _, u := range units {
		args = append(args, u)
	}
	cond := "(a.opinion_id IS NOT NULL AND EXISTS (SELECT 1 FROM opinions o WHERE o.id = a.opinion_id AND o.unit_code IN " + in + ")" +
		" OR a.opinion_id IS NULL AND a.unit_code IN " + in
	args = append(args, args...)
	if len(actors) > 0 {
		cond += " OR a.opinion_id IS NULL AND a.unit_code IS NULL AND a.user_id IN (?" + strings.Repeat(", ?", len(actors)-1) + ")"
		for _, id := range actors {
			args = append(args, id)
		}
	}
	return cond + ")", args
}

// AuditPage returns one page of the entries f chooses, newest first, and the keyset of the
// next (older) page, 0 when there is none.
func (s *Store) AuditPage(ctx context.Context, f AuditFilter) ([]AuditRow, int64, error) {
	var out []AuditRow
	err := s.eachAudit(ctx, f, AuditPageSize+1, func(r AuditRow) error {
		out = append(out, r)
		return nil
	})
	if err != nil || len(out) <= AuditPageSize {
		return out, 0, err
	}
	out = out[:AuditPageSize]
	return out, out[AuditPageSize-1].ID, nil
}

// EachAudit calls fn with every entry f chooses, newest first (f.Before ignored), for the
// export: rows are read one at a time, so a long log does not sit in memory.
func (s *Store) EachAudit(ctx context.Context, f AuditFilter, fn func(AuditRow) error) error {
	f.Before = 0
	return s.eachAudit(ctx, f, -1, fn)
}

// eachAudit calls fn for the rows f selects, newest first, at most limit of them (-1: all;
// without a LIMIT clause, since PostgreSQL refuses SQLite's LIMIT -1).
func (s *Store) eachAudit(ctx context.Context, f AuditFilter, limit int, fn func(AuditRow) error) error {
	where, args := s.auditWhere(f)
	bound := ""
	if limit >= 0 {
		bound, args = ` LIMIT ?`, append(args, limit)
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.id, a.created_at, COALESCE(u.username, ''), a.action, COALESCE(a.opinion_id, ''), a.detail
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE `+where+` ORDER BY a.id DESC`+bound, args...)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRow
		var at string
		if err := rows.Scan(&r.ID, &at, &r.Username, &r.Action, &r.OpinionID, &r.Detail); err != nil {
			return err
		}
		r.At, _ = time.Parse(timeLayout, at)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Audited reads: opening what only a few may read leaves a trace, written before the page is
// sent, as an export is (Record).
const (
	ActionOpenReport     = "open_report"     // the page or the 交办单 of a 举报 (detail: "item" or "sheet")
	ActionOpenEvaluation = "open_evaluation" // the results of a 民主评议表 (detail: its id)
)

// RecordOpened audits that userID opened opinion id (what: "item" or "sheet") if it is one
// for 纪检 alone (a 举报 or a letter to a discipline mailbox); other opinions are opened
// without a trace, as before, and without taking the writer: the test is a read.
func (s *Store) RecordOpened(ctx context.Context, userID int64, id, what string) error {
	var sensitive bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM opinions o WHERE o.id = ? AND `+sensitiveOpinionSQL+`)`, id).
		Scan(&sensitive)
	if err != nil {
		return fmt.Errorf("record opened %s: %w", id, err)
	}
	if !sensitive {
		return nil
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return audit(ctx, tx, now, userID, ActionOpenReport, id, what)
	})
}

// OpenEvaluationSummary is EvaluationSummary for a reader, audited: the results are read
// after the entry is written, so no one reads them without a trace.
func (s *Store) OpenEvaluationSummary(ctx context.Context, userID, id int64) (EvaluationSummary, error) {
	if err := s.Record(ctx, userID, ActionOpenEvaluation, fmt.Sprint(id)); err != nil {
		return EvaluationSummary{}, err
	}
	return s.EvaluationSummary(ctx, id)
}
