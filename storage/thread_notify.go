package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// notifyAnswered tells the staff that the submitter of opinion id wrote (an answer, or an
// addition to their opinion), in the public act's transaction. The event is caused by the
// public: queueEvent writes nothing for it, and the daily digest counts the day's submitter
// messages from opinion_messages (AnsweredOn). It is given the day's midnight, never the time.
func (s *Store) notifyAnswered(ctx context.Context, tx *sql.Tx, day, id string) error {
	midnight, err := time.ParseInLocation(dateLayout, day, s.now().Location())
	if err != nil {
		return err
	}
	return s.queueEvent(ctx, tx, midnight, Event{Kind: EventSubmitterAnswered, OpinionID: id})
}

// Answered is one staff member's share of a day's submitter messages: how many of them came
// in the conversations they wrote in, and on which opinions.
type Answered struct {
	UserID   int64
	Count    int
	Opinions []string
}

// AnsweredOn returns, for the daily digest (EventSubmitterAnswered), what submitters wrote on
// day in conversations staff took part in: per staff member who had written in the thread by then,
// the count and the opinions, by user id. Only counts and ids: never the words, never a time.
func (s *Store) AnsweredOn(ctx context.Context, day string) ([]Answered, error) {
	type pair struct {
		user int64
		id   string
		n    int
	}
	rows, err := collect(ctx, s.read, func(r *sql.Rows) (pair, error) {
		var p pair
		return p, r.Scan(&p.user, &p.id, &p.n)
	}, `SELECT st.author_id, sub.opinion_id, count(DISTINCT sub.id)
		FROM opinion_messages sub JOIN opinion_messages st ON st.opinion_id = sub.opinion_id AND st.side = 'staff' AND st.day <= sub.day
		WHERE sub.side = 'submitter' AND sub.day = ?
		GROUP BY st.author_id, sub.opinion_id ORDER BY st.author_id, sub.opinion_id`, day)
	if err != nil {
		return nil, fmt.Errorf("answered on %s: %w", day, err)
	}
	var out []Answered
	for _, p := range rows {
		if len(out) == 0 || out[len(out)-1].UserID != p.user {
			out = append(out, Answered{UserID: p.user})
		}
		a := &out[len(out)-1]
		a.Count += p.n
		a.Opinions = append(a.Opinions, p.id)
	}
	return out, nil
}
