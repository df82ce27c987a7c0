package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
)

// ErrPlanClosed refuses a comment on a draft (a plan, or a report's: report_consultation.go) that is not open for comment on the day it arrives
// (never opened, closed, past its period, or no such plan). Nothing was stored.
var ErrPlanClosed = fmt.Errorf("plan not open for comment: %w", ErrConflict)

// planTakesComments checks in tx that plan id is open for comment on day.
func planTakesComments(ctx context.Context, tx *sql.Tx, id int64, day string) error {
	var status, from, to string
	err := tx.QueryRowContext(ctx, `SELECT status, comment_from, comment_to FROM plans WHERE id = ?`, id).Scan(&status, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("plan %d: %w", id, ErrPlanClosed)
	}
	if err != nil {
		return err
	}
	if !plan.OpenForComment(status, from, to, day) {
		return fmt.Errorf("plan %d is %s, %s…%s: %w", id, status, from, to, ErrPlanClosed)
	}
	return nil
}

// linkPlanComment records in the opinion's transaction that opinion is a comment on plan id.
// The row keeps no time and no order (WITHOUT ROWID, keyed by the random opinion id).
func linkPlanComment(ctx context.Context, tx *sql.Tx, id int64, opinion string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO plan_comments (plan_id, opinion_id) VALUES (?, ?)`, id, opinion); err != nil {
		return fmt.Errorf("link comment to plan %d: %w", id, err)
	}
	return nil
}

// PlanComments returns the comments on plan id that v may open, oldest day first; the count of
// all of them is Plan.Comments (comments v may not open are counted, never shown).
func (s *Store) PlanComments(ctx context.Context, id int64, v access.Viewer) ([]Opinion, error) {
	cond, args := scopeSQL(v)
	return collect(ctx, s.read, func(r *sql.Rows) (Opinion, error) { return scanOpinion(r) },
		`SELECT `+opinionColumns+opinionFrom+` JOIN plan_comments c ON c.opinion_id = o.id
		WHERE c.plan_id = ? AND `+cond+` ORDER BY o.created_on, o.id`, append([]any{id}, args...)...)
}

// PlanOfComment returns the plan an opinion comments on: its id and title, 0 if it is no
// comment on a plan.
func (s *Store) PlanOfComment(ctx context.Context, opinion string) (int64, string, error) {
	var id int64
	var title string
	err := s.read.QueryRowContext(ctx, `SELECT p.id, p.title FROM plan_comments c JOIN plans p ON p.id = c.plan_id
		WHERE c.opinion_id = ?`, opinion).Scan(&id, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return id, title, err
}

// PlansOpenForComment returns the drafts open for comment on day that r may read and comment
// on, the newest first.
func (s *Store) PlansOpenForComment(ctx context.Context, day string, r campaign.Reader) ([]PlanListed, error) {
	all, err := s.Plans(ctx, 0, plan.Comment)
	if err != nil {
		return nil, err
	}
	var out []PlanListed
	for _, p := range all {
		if plan.OpenForComment(p.Status, p.CommentFrom, p.CommentTo, day) && campaign.CanRead(p.CommentScope, r) {
			out = append(out, p)
		}
	}
	return out, nil
}
