package storage

// Reading problems (问题): one problem, the problem an opinion is in, its members, and the list
// of problems the queue shows by how many people raised them. Grouping and splitting are in
// problem.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minsheng/access"
)

// problemColumns reads a problem and its carrier's status and rectification; the count is
// every opinion in it.
const problemColumns = `p.id, p.title, p.carrier, p.created_on,
	1 + (SELECT count(*) FROM opinions d WHERE d.merged_into = p.carrier) AS n,
	c.status, COALESCE(cr.deadline, ''), COALESCE(cr.lead_unit, ''), COALESCE(cu.name, '')`

const problemFrom = ` FROM problems p JOIN opinions c ON c.id = p.carrier
	LEFT JOIN rectifications cr ON cr.opinion_id = c.id LEFT JOIN units cu ON cu.code = cr.lead_unit`

func scanProblem(row scanner) (Problem, error) {
	var p Problem
	err := row.Scan(&p.ID, &p.Title, &p.Carrier, &p.CreatedOn, &p.Count, &p.Status, &p.Deadline, &p.LeadUnit, &p.LeadUnitName)
	return p, err
}

// membersWhere selects the opinions o of the problem carried by ? that scope may open.
func membersWhere(scope *access.Viewer) (string, []any) {
	where := "(o.id = ? OR o.merged_into = ?)"
	if scope == nil {
		return where, nil
	}
	cond, args := scopeSQL(*scope)
	return where + " AND " + cond, args
}

// Problem returns problem id with the units and months of the members scope may open (nil: all).
// ErrNotFound when there is no such problem; whether scope may see the problem at all is the
// caller's question (VisibleTo).
func (s *Store) Problem(ctx context.Context, id string, scope *access.Viewer) (Problem, error) {
	p, err := scanProblem(s.read.QueryRowContext(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Problem{}, fmt.Errorf("problem %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, err
	}
	return p, s.fillProblem(ctx, &p, scope)
}

// fillProblem reads the units and months of p's members that scope may open.
func (s *Store) fillProblem(ctx context.Context, p *Problem, scope *access.Viewer) error {
	where, args := membersWhere(scope)
	args = append([]any{p.Carrier, p.Carrier}, args...)
	var err error
	p.Units, err = collect(ctx, s.read, scanString, `SELECT DISTINCT u.name`+opinionFrom+` WHERE `+where+` ORDER BY u.name`, args...)
	if err != nil {
		return fmt.Errorf("units of problem %s: %w", p.ID, err)
	}
	p.Months, err = collect(ctx, s.read, scanString,
		`SELECT DISTINCT substr(o.created_on, 1, 7)`+opinionFrom+` WHERE `+where+` ORDER BY 1`, args...)
	if err != nil {
		return fmt.Errorf("months of problem %s: %w", p.ID, err)
	}
	return nil
}

func scanString(r *sql.Rows) (string, error) {
	var v string
	err := r.Scan(&v)
	return v, err
}

// ProblemOf returns the problem opinion id is in (as its carrier or a member), its units and
// months as scope may see them; ErrNotFound when it is in none.
func (s *Store) ProblemOf(ctx context.Context, id string, scope *access.Viewer) (Problem, error) {
	var pid string
	err := s.read.QueryRowContext(ctx, `SELECT p.id FROM opinions o JOIN problems p ON p.carrier = COALESCE(o.merged_into, o.id)
		WHERE o.id = ?`, id).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return Problem{}, fmt.Errorf("problem of %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Problem{}, err
	}
	return s.Problem(ctx, pid, scope)
}

// ProblemRef names a problem: its id and its title.
type ProblemRef struct {
	ID, Title string
}

// ProblemsOf returns, in one query, the problem each of ids is in (as its carrier or a member),
// keyed by opinion id; opinions in none are absent. It is for lists that only name the problem
// (the similar-opinions panel), where ProblemOf per row would cost a query and a count each.
func (s *Store) ProblemsOf(ctx context.Context, ids []string) (map[string]ProblemRef, error) {
	out := map[string]ProblemRef{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.read.QueryContext(ctx, `SELECT o.id, p.id, p.title FROM opinions o
		JOIN problems p ON p.carrier = COALESCE(o.merged_into, o.id)
		WHERE o.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("problems of %d opinions: %w", len(ids), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ref ProblemRef
		if err := rows.Scan(&id, &ref.ID, &ref.Title); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rows.Err()
}

// Members returns the opinions of problem id that scope may open (nil: all), the carrier first,
// then the others oldest first.
func (s *Store) Members(ctx context.Context, id string, scope *access.Viewer) ([]Opinion, error) {
	var carrier string
	err := s.read.QueryRowContext(ctx, `SELECT carrier FROM problems WHERE id = ?`, id).Scan(&carrier)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("problem %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	where, args := membersWhere(scope)
	args = append([]any{carrier, carrier}, args...)
	args = append(args, carrier)
	return collect(ctx, s.read, func(r *sql.Rows) (Opinion, error) { return scanOpinion(r) },
		`SELECT `+opinionColumns+opinionFrom+` WHERE `+where+` ORDER BY o.id = ? DESC, o.created_on, o.id`, args...)
}

// ProblemFilter narrows the list of problems.
type ProblemFilter struct {
	// Scope lists only problems with at least one member the person may open; nil for all.
	Scope *access.Viewer
	// Open lists only problems whose carrier is not yet 销号 or set aside (办结 statuses).
	Open bool
}

// ProblemCursor marks where a page of problems ended: its last row's count and id.
type ProblemCursor struct {
	Count int
	ID    string
}

// String encodes the cursor for a URL.
func (c ProblemCursor) String() string {
	if c.ID == "" {
		return ""
	}
	return fmt.Sprintf("%d_%s", c.Count, c.ID)
}

// ParseProblemCursor reads a cursor from a URL; an empty or malformed value means the first page.
func ParseProblemCursor(s string) ProblemCursor {
	var c ProblemCursor
	n, id, ok := strings.Cut(s, "_")
	if _, err := fmt.Sscanf(n, "%d", &c.Count); !ok || err != nil || id == "" || len(id) > 20 || c.Count < 1 {
		return ProblemCursor{}
	}
	c.ID = id
	return c
}

// ProblemPage is one page of the problems view.
type ProblemPage struct {
	Problems []Problem
	Next     ProblemCursor // zero on the last page
}

// ListProblems returns up to limit problems f selects, most people first (then by id, which is
// random and says nothing), after the cursor, each with the units and months of the members
// f.Scope may open.
func (s *Store) ListProblems(ctx context.Context, f ProblemFilter, after ProblemCursor, limit int) (ProblemPage, error) {
	if limit < 1 {
		limit = 1
	}
	conds, args := []string{"1 = 1"}, []any{}
	if f.Scope != nil {
		cond, scopeArgs := scopeSQL(*f.Scope)
		conds = append(conds, `EXISTS (SELECT 1 FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
			WHERE (o.id = p.carrier OR o.merged_into = p.carrier) AND `+cond+`)`)
		args = append(args, scopeArgs...)
	}
	if f.Open {
		conds = append(conds, "c.status NOT IN ('closed', 'rejected', 'forwarded')")
	}
	outer := "1 = 1"
	if after.ID != "" {
		outer = "(n < ? OR n = ? AND id > ?)"
		args = append(args, after.Count, after.Count, after.ID)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT * FROM (SELECT `+problemColumns+problemFrom+
		` WHERE `+strings.Join(conds, " AND ")+`) listed WHERE `+outer+` ORDER BY n DESC, id LIMIT ?`, args...)
	if err != nil {
		return ProblemPage{}, fmt.Errorf("list problems: %w", err)
	}
	var page ProblemPage
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			rows.Close()
			return ProblemPage{}, err
		}
		page.Problems = append(page.Problems, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ProblemPage{}, err
	}
	if len(page.Problems) > limit {
		page.Problems = page.Problems[:limit]
		last := page.Problems[limit-1]
		page.Next = ProblemCursor{Count: last.Count, ID: last.ID}
	}
	for i := range page.Problems {
		if err := s.fillProblem(ctx, &page.Problems[i], f.Scope); err != nil {
			return ProblemPage{}, err
		}
	}
	return page, nil
}

// fillProblemTitles writes a title for each problem that has none: those migration 0024 made
// from the merges before it. Masking is Go code, so SQL could not. Safe to repeat: once every
// problem has a title, it reads nothing.
func (s *Store) fillProblemTitles(ctx context.Context) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		type row struct{ id, carrier, content string }
		rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
			var v row
			err := r.Scan(&v.id, &v.carrier, &v.content)
			return v, err
		}, `SELECT p.id, p.carrier, o.content FROM problems p JOIN opinions o ON o.id = p.carrier WHERE p.title = ''`)
		if err != nil {
			return fmt.Errorf("problem titles: %w", err)
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `UPDATE problems SET title = ? WHERE id = ?`, backfillTitle(r.content, r.carrier), r.id); err != nil {
				return fmt.Errorf("problem title %s: %w", r.id, err)
			}
		}
		return nil
	})
}
