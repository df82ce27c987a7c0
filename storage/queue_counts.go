package storage

import (
	"context"
	"database/sql"
	"fmt"

	"minsheng/access"
)

// The queue sidebar's counts kept as rows change (migration 0062, #15): queue_counts holds the
// opinions per (status, unit_code, type, mailbox_code), queue_overdue_counts the open work
// with a deadline per (deadline, unit_code, type, mailbox_code) and per group (deadline ''),
// both written by triggers in the transaction of every change. A view whose filter and scope look at those columns alone (the
// whole queue, a unit, a type, a mailbox, a status link: the common views) sums a few hundred
// rows instead of counting every opinion of the scope: at a million opinions on PostgreSQL
// that count read 60 000 heap pages and joined 600 000 rectifications per view. Any other
// filter (a search, a tag, a month, a style…) or a scope that reads the rectification (the
// work handed to a liaison's, unit head's or department head's unit; a post or badge named) is
// counted from the rows as before. TestKeptCountsAgreeWithRows holds the two to the same figures.

// keptCountsFit reports whether f's sidebar can be summed from the kept counts: f filters on
// nothing but the status (ignored by the sidebar), unit, type and mailbox, and its scope's
// conditions (scopeSQL) read nothing else of the opinion (and no rectification). The filter is
// compared as a whole, so that a field added to OpinionFilter later is counted from the rows
// until it is thought about here.
func keptCountsFit(f OpinionFilter) bool {
	rest := f
	rest.Status, rest.UnitCode, rest.Type, rest.Mailbox, rest.Scope = "", "", "", "", nil
	if rest != (OpinionFilter{}) {
		return false
	}
	if f.Scope == nil {
		return true
	}
	switch f.Scope.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Leader, access.Discipline, access.Monitor:
	default: // the work handed to their unit: r.lead_unit, r.deadline, o.about_leadership, o.dept
		return false
	}
	named, _ := namedSQL(*f.Scope)
	return named == ""
}

// keptStatusCounts sums the kept counts for f (keptCountsFit(f), f.Status already ignored): the
// queue's own conditions over "o", which here is a row of counts with the opinions' column
// names.
func (s *Store) keptStatusCounts(ctx context.Context, f OpinionFilter) (StatusCounts, error) {
	where, args := f.where()
	type count struct {
		status string
		n      int
	}
	counts, err := collect(ctx, s.read, func(rows *sql.Rows) (count, error) {
		var c count
		return c, rows.Scan(&c.status, &c.n)
	}, `SELECT o.status, CAST(sum(o.n) AS BIGINT) FROM queue_counts o WHERE `+where+
		` GROUP BY o.status HAVING sum(o.n) != 0`, args...)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("status counts: %w", err)
	}
	c := StatusCounts{ByStatus: map[string]int{}}
	for _, n := range counts {
		c.ByStatus[n.status] = n.n
		c.Total += n.n
	}
	// The open work with a deadline (the rows of deadline '') less that due today or later: the
	// deadlines ahead are weeks of rows, those passed are years of them.
	err = s.read.QueryRowContext(ctx, `SELECT CAST((SELECT COALESCE(sum(o.n), 0) FROM queue_overdue_counts o WHERE o.deadline = '' AND `+where+`)
		- (SELECT COALESCE(sum(o.n), 0) FROM queue_overdue_counts o WHERE o.deadline >= ? AND `+where+`) AS BIGINT)`,
		append(append(append([]any{}, args...), s.Today()), args...)...).Scan(&c.Overdue)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("overdue count: %w", err)
	}
	return c, nil
}
