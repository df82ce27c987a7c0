package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"minsheng/nearby"
)

// The near-duplicate model that learns from the office (#11): staff's 归入同一问题 and 移出问题
// are labelled pairs of the office's own. LearnNearDuplicates reads them as pairs, scores each
// with the shipped pair model and fits one shift of its log-odds (nearby.Learn); the look-up
// applies it (nearAdjustmentShift). Office-wide, as problems are. The pairs are read afresh
// from the tables that hold them (problems, opinions.merged_into, the audit log's
// problem_leave rows): no text is copied anywhere new, and 0058's table keeps only the shift
// and the counts.

// maxNearDecisions bounds how many of each kind of decided pair one learning reads, newest
// problems first: the fit is one number, and a few thousand pairs settle it.
const maxNearDecisions = 2000

// NearLearning is what one learning from the office's grouping decisions found.
type NearLearning struct {
	Same, Different int     // the office's pairs it was fitted on
	Shift           float64 // of the pair model's log-odds; 0 without decisions
}

// decidedPair is two opinions' folded, masked texts (search_text) and the office's word on them.
type decidedPair struct {
	a, b string
	same bool
}

// nearDecisions reads the office's grouping decisions as pairs. Same: each member of a problem
// with its carrier (the opinion the problem hangs on). Different: each opinion taken out of a
// problem (移出问题, audited problem_leave with the problem's id) with that problem's carrier,
// unless it has joined the problem again; a problem dissolved since is gone, and its pairs
// with it.
func (s *Store) nearDecisions(ctx context.Context) ([]decidedPair, error) {
	scan := func(same bool) func(r *sql.Rows) (decidedPair, error) {
		return func(r *sql.Rows) (decidedPair, error) {
			d := decidedPair{same: same}
			return d, r.Scan(&d.a, &d.b)
		}
	}
	same, err := collect(ctx, s.read, scan(true), `SELECT c.search_text, m.search_text FROM problems p
		JOIN opinions c ON c.id = p.carrier JOIN opinions m ON m.merged_into = p.carrier
		ORDER BY p.created_on DESC, p.id, m.id LIMIT ?`, maxNearDecisions)
	if err != nil {
		return nil, fmt.Errorf("the office's grouping decisions: %w", err)
	}
	apart, err := collect(ctx, s.read, scan(false), `SELECT c.search_text, o.search_text FROM
		(SELECT DISTINCT opinion_id, detail FROM audit_log WHERE action = 'problem_leave') a
		JOIN problems p ON p.id = a.detail JOIN opinions c ON c.id = p.carrier
		JOIN opinions o ON o.id = a.opinion_id
		WHERE COALESCE(o.merged_into, '') != p.carrier
		ORDER BY p.created_on DESC, p.id, o.id LIMIT ?`, maxNearDecisions)
	if err != nil {
		return nil, fmt.Errorf("the office's splits: %w", err)
	}
	return append(same, apart...), nil
}

// LearnNearDuplicates learns from the office's grouping decisions: it scores each decided pair
// with the shipped pair model (the index's document frequencies, the starting topics, as the
// look-up does), fits the shift of its log-odds (nearby.Learn) and keeps it for the look-ups
// that follow. Run with the tagging model's retraining (cmd/minsheng serve's schedule, the
// admin's 重新训练 button).
func (s *Store) LearnNearDuplicates(ctx context.Context) (NearLearning, error) {
	pairs, err := s.nearDecisions(ctx)
	if err != nil {
		return NearLearning{}, err
	}
	decided, err := s.scoreDecided(ctx, pairs)
	if err != nil {
		return NearLearning{}, err
	}
	var out NearLearning
	for _, p := range pairs {
		if p.same {
			out.Same++
		} else {
			out.Different++
		}
	}
	out.Shift = nearby.Learn(decided)
	err = s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO near_adjustment (id, shift_milli, same_pairs, different_pairs, learned_at)
			VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET shift_milli = excluded.shift_milli,
			same_pairs = excluded.same_pairs, different_pairs = excluded.different_pairs, learned_at = excluded.learned_at`,
			int64(math.Round(out.Shift*1000)), out.Same, out.Different, now.UTC().Format(timeLayout))
		return err
	})
	if err != nil {
		return out, fmt.Errorf("keep the near-duplicate adjustment: %w", err)
	}
	return out, nil
}

// scoreDecided scores each pair with the shipped pair model as the look-up does: the index's
// document frequencies, the starting tag suggester's topics.
func (s *Store) scoreDecided(ctx context.Context, pairs []decidedPair) ([]nearby.Decided, error) {
	st, err := readIndexState(ctx, s.read)
	if err != nil {
		return nil, err
	}
	stats := &indexStats{docs: int(st.docs), df: map[string]int{}}
	texts := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		texts = append(texts, p.a, p.b)
	}
	if err := stats.loadScoring(ctx, s.read, texts); err != nil {
		return nil, err
	}
	topics, err := startingTopics()
	if err != nil {
		return nil, fmt.Errorf("score the office's pairs: %w", err)
	}
	decided := make([]nearby.Decided, len(pairs))
	for i, p := range pairs {
		decided[i] = nearby.Decided{Probability: nearby.Similarity(p.a, p.b, stats, topics), Same: p.same}
	}
	return decided, nil
}

// nearAdjustmentShift is the shift the last learning kept; 0 before any.
func nearAdjustmentShift(ctx context.Context, q *sql.DB) (float64, error) {
	var milli int64
	err := q.QueryRowContext(ctx, `SELECT shift_milli FROM near_adjustment WHERE id = 1`).Scan(&milli)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("near-duplicate adjustment: %w", err)
	}
	return float64(milli) / 1000, nil
}

// nearApart returns the opinions the office took apart from opinion id (移出问题): the carrier
// of each problem id was taken out of, and each opinion taken out of the problem id is in
// (as carrier or member) and not back in it. The look-up never suggests them again: staff said
// they are not the same problem.
func nearApart(ctx context.Context, q queryer, id string) (map[string]bool, error) {
	if id == "" {
		return nil, nil
	}
	ids, err := collect(ctx, q, func(r *sql.Rows) (string, error) {
		var v string
		return v, r.Scan(&v)
	}, `SELECT p.carrier FROM audit_log a JOIN problems p ON p.id = a.detail JOIN opinions o ON o.id = a.opinion_id
		WHERE a.opinion_id = ? AND a.action = 'problem_leave' AND COALESCE(o.merged_into, '') != p.carrier
		UNION
		SELECT a.opinion_id FROM problems p JOIN audit_log a ON a.action = 'problem_leave' AND a.detail = p.id
		JOIN opinions o ON o.id = a.opinion_id
		WHERE p.carrier = (SELECT COALESCE(merged_into, id) FROM opinions WHERE id = ?)
		AND COALESCE(o.merged_into, '') != p.carrier`, id, id)
	if err != nil {
		return nil, fmt.Errorf("opinions taken apart from %s: %w", id, err)
	}
	out := make(map[string]bool, len(ids))
	for _, v := range ids {
		out[v] = true
	}
	return out, nil
}
