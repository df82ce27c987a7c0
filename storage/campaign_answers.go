package storage

import (
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"

	"minsheng/campaign"
)

// checkAnswers refuses answers a campaign cannot hold (ErrInvalid): numbers outside 1 to
// campaign.MaxQuestions or given twice, an empty answer, or one longer than campaign.MaxAnswer.
// Handlers check the same with messages for the person; this guards the write.
func checkAnswers(answers []CampaignAnswer) error {
	seen := map[int]bool{}
	for _, a := range answers {
		n := utf8.RuneCountInString(a.Answer)
		if a.No < 1 || a.No > campaign.MaxQuestions || seen[a.No] || n == 0 || n > campaign.MaxAnswer ||
			!utf8.ValidString(a.Answer) {
			return fmt.Errorf("campaign answer %d (%d characters): %w", a.No, n, ErrInvalid)
		}
		seen[a.No] = true
	}
	return nil
}

// insertAnswers stores an opinion's answers to its campaign's questions (no time: the
// opinion's day is all that is kept).
func insertAnswers(ctx context.Context, tx *sql.Tx, opinionID string, answers []CampaignAnswer) error {
	for _, a := range answers {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO campaign_answers (opinion_id, question_no, question, answer) VALUES (?, ?, ?, ?)`,
			opinionID, a.No, a.Question, a.Answer); err != nil {
			return fmt.Errorf("campaign answer %d: %w", a.No, err)
		}
	}
	return nil
}

// CampaignAnswers returns the answers given with an opinion to its campaign's questions, in
// the questions' order. The caller has checked that the reader may see the opinion.
func (s *Store) CampaignAnswers(ctx context.Context, opinionID string) ([]CampaignAnswer, error) {
	return collect(ctx, s.read, func(r *sql.Rows) (CampaignAnswer, error) {
		var a CampaignAnswer
		return a, r.Scan(&a.No, &a.Question, &a.Answer)
	}, `SELECT question_no, question, answer FROM campaign_answers WHERE opinion_id = ? ORDER BY question_no`, opinionID)
}
