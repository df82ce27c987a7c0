package storage

import (
	"context"
	"fmt"
	"strings"
)

// SubmitterMessageCounts returns, for each of ids, how many messages its submitter wrote in
// its own conversation (answers and additions): a problem's page shows them beside each of its
// opinions, so that what the submitter of a merged opinion (重复) added is not missed by those
// working on the carrier. Ids with none are absent. The caller passes only opinions the reader
// may open.
func (s *Store) SubmitterMessageCounts(ctx context.Context, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.read.QueryContext(ctx, `SELECT opinion_id, count(*) FROM opinion_messages
		WHERE side = ? AND opinion_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) GROUP BY opinion_id`,
		append([]any{SideSubmitter}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("submitter messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
