package storage

import (
	"context"
	"database/sql"
	"fmt"

	"minsheng/lifecycle"
)

// rowQueryer is a *sql.DB or a *sql.Tx: visitOf reads inside a transition's transaction and,
// for the item page, outside one.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ratedBy is the condition "rating g was given with the receipt of opinion ? or of one merged
// into it": everyone who wrote about the work is asked, and any of them may answer.
const ratedBy = `(g.opinion_id = ? OR g.opinion_id IN (SELECT id FROM opinions WHERE merged_into = ?))`

// visitOf reads what the 满意度回访 of opinion id (the one that carries the work) has gathered.
func visitOf(ctx context.Context, q rowQueryer, id string) (lifecycle.Visit, error) {
	var v lifecycle.Visit
	err := q.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM ratings g WHERE `+ratedBy+` AND g.rating = 'dissatisfied'),
		EXISTS (SELECT 1 FROM ratings g WHERE `+ratedBy+` AND g.round =
			COALESCE((SELECT visit_round FROM rectifications WHERE opinion_id = ?), 0))`,
		id, id, id, id, id).Scan(&v.Reworked, &v.Answered)
	if err != nil {
		return v, fmt.Errorf("visit of %s: %w", id, err)
	}
	return v, nil
}

// Visit returns what the 满意度回访 of opinion id has gathered: whether a 不满意 ever sent the
// work back, and whether anyone answered in the current round. Pages use it to say why 销号
// has to wait; Transition reads it again in its own transaction.
func (s *Store) Visit(ctx context.Context, id string) (lifecycle.Visit, error) {
	return visitOf(ctx, s.read, id)
}

// currentRound is the 满意度回访 round opinion id is in (1 for the first), read in tx.
func currentRound(ctx context.Context, tx *sql.Tx, id string) (int, error) {
	var round int
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT visit_round FROM rectifications WHERE opinion_id = ?), 0)`, id).Scan(&round)
	return max(round, 1), err
}
