package storage

import (
	"context"
	"fmt"
)

// ConversationCount is the conversation with the submitters of one unit's opinions over a
// span (#13), counted by the day each message carries; no words are read. Files are those the
// submitters sent with their answers and additions.
type ConversationCount struct {
	Unit                                           string
	Questions, Messages, Answers, Additions, Files int
}

// ConversationCounts counts, per unit the opinions are about, the messages of the days f
// spans (its From and To bound the messages' days, not the opinions'), of the opinions f
// selects otherwise (unit and its sub-units, scope, the public's rule). Units with none are
// absent; the order is by unit code.
func (s *Store) ConversationCounts(ctx context.Context, f FactFilter) ([]ConversationCount, error) {
	where, args := f.where("m.day")
	rows, err := s.read.QueryContext(ctx, `SELECT o.unit_code, m.side, m.kind, count(*),
		sum(CASE WHEN m.side = ? THEN (SELECT count(*) FROM attachments a WHERE a.message_id = m.id) ELSE 0 END)
		FROM opinion_messages m JOIN opinions o ON o.id = m.opinion_id LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE `+where+` GROUP BY o.unit_code, m.side, m.kind ORDER BY o.unit_code`, append([]any{SideSubmitter}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("conversation counts: %w", err)
	}
	defer rows.Close()
	var out []ConversationCount
	for rows.Next() {
		var unit, side, kind string
		var n, files int
		if err := rows.Scan(&unit, &side, &kind, &n, &files); err != nil {
			return nil, fmt.Errorf("conversation counts: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Unit != unit {
			out = append(out, ConversationCount{Unit: unit})
		}
		c := &out[len(out)-1]
		switch kind {
		case MessageQuestion:
			c.Questions += n
		case MessageMessage:
			c.Messages += n
		case MessageAnswer:
			c.Answers += n
		case MessageAddition:
			c.Additions += n
		}
		c.Files += files
	}
	return out, rows.Err()
}
