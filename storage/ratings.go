package storage

import (
	"context"
	"fmt"
)

// ItemRating is one submitter's rating as staff read it on the item page: the rating with the
// words written with it, and which receipt's opinion it came from (the item itself, or one
// merged into it, whose submitter rated the shared work).
type ItemRating struct {
	Opinion string
	Rating
}

// RatingsOf returns the ratings of the work opinion id carries: its own submitter's and those
// of the opinions merged into it, oldest first.
func (s *Store) RatingsOf(ctx context.Context, id string) ([]ItemRating, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT opinion_id, rating, words, rated_on FROM ratings
		WHERE opinion_id = ? OR opinion_id IN (SELECT id FROM opinions WHERE merged_into = ?)
		ORDER BY rated_on, opinion_id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("ratings of %s: %w", id, err)
	}
	defer rows.Close()
	var out []ItemRating
	for rows.Next() {
		var r ItemRating
		if err := rows.Scan(&r.Opinion, &r.Rating.Rating, &r.Words, &r.RatedOn); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
