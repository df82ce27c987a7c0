package storage

import (
	"context"
	"fmt"
	"strings"

	"minsheng/access"
)

// LedgerRow is one line of a rectification ledger (整改台账): the opinion and its rectification.
type LedgerRow struct {
	Opinion
	Rect Rectification
}

// LedgerFilter chooses ledger rows. Empty fields do not filter.
type LedgerFilter struct {
	Ledger string // lifecycle.Ledgers code
	// OverdueOn, a date (YYYY-MM-DD), keeps only open work whose deadline is before it: the
	// 督办 (overdue) list.
	OverdueOn string
	Scope     *access.Viewer
}

// LedgerRows calls fn for every opinion that has been assigned (交办), soonest deadline first.
func (s *Store) LedgerRows(ctx context.Context, f LedgerFilter, fn func(LedgerRow) error) error {
	conds := []string{"r.lead_unit IS NOT NULL"}
	var args []any
	if f.Ledger != "" {
		conds, args = append(conds, "r.ledger = ?"), append(args, f.Ledger)
	}
	if f.OverdueOn != "" {
		conds = append(conds, "r.deadline != '' AND r.deadline < ? AND o.status IN ("+openStatuses()+")")
		args = append(args, f.OverdueOn)
	}
	if f.Scope != nil {
		cond, scopeArgs := scopeSQL(*f.Scope)
		conds, args = append(conds, cond), append(args, scopeArgs...)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+opinionColumns+`,
		COALESCE(lu.name, ''), r.responsible, r.measures, r.ledger, r.kind, r.explanation, r.report, r.note, r.closed_on`+
		opinionFrom+` LEFT JOIN units lu ON lu.code = r.lead_unit
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY r.deadline, o.id`, args...)
	if err != nil {
		return fmt.Errorf("ledger rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var row LedgerRow
		r := &row.Rect
		o, err := scanOpinion(rows, &r.LeadUnitName, &r.Responsible, &r.Measures, &r.Ledger, &r.Kind,
			&r.Explanation, &r.Report, &r.Note, &r.ClosedOn)
		if err != nil {
			return err
		}
		row.Opinion = o
		r.Level, r.LeadUnit, r.Deadline = o.Level, o.LeadUnit, o.Deadline
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}
