package storage

import (
	"context"
	"fmt"
	"strings"
)

// SurveyAnswerCount is how many responses gave one value to one item, by unit and
// department: what stats.ComputeSurvey counts a survey's results from.
type SurveyAnswerCount struct {
	UnitCode, Dept string
	ItemID         int64
	Value, N       int
}

// EachSurveyAnswer calls fn for every (unit, department, item, value) of survey id's answers
// with its count: one grouped query, its rows as many as the values given, not the responses.
func (s *Store) EachSurveyAnswer(ctx context.Context, id int64, fn func(SurveyAnswerCount) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT r.unit_code, r.dept, a.item_id, a.value, count(*)
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
		WHERE a.survey_id = ? GROUP BY r.unit_code, r.dept, a.item_id, a.value`, id)
	if err != nil {
		return fmt.Errorf("survey answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a SurveyAnswerCount
		if err := rows.Scan(&a.UnitCode, &a.Dept, &a.ItemID, &a.Value, &a.N); err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SurveyComment is one free-text answer, with its unit only.
type SurveyComment struct{ UnitName, Text string }

// SurveyComments returns the free-text answers with their unit, in the order of their random
// ids: nothing says which came first.
func (s *Store) SurveyComments(ctx context.Context, id int64) ([]SurveyComment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT u.name, r.comment FROM survey_responses r
		JOIN units u ON u.code = r.unit_code WHERE r.survey_id = ? AND r.comment != '' ORDER BY u.sort_order, u.code, r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("survey comments: %w", err)
	}
	defer rows.Close()
	var out []SurveyComment
	for rows.Next() {
		var c SurveyComment
		if err := rows.Scan(&c.UnitName, &c.Text); err != nil {
			return nil, err
		}
		c.Text = strings.TrimSpace(c.Text)
		out = append(out, c)
	}
	return out, rows.Err()
}
