package storage

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Tally counts answers as 满意, 基本满意 and 不满意. On the 1–5 scale 4 and 5 count as 满意, 3 as
// 基本满意, 1 and 2 as 不满意.
type Tally struct{ Satisfied, Basic, Dissatisfied int }

// Total is the number of answers.
func (t Tally) Total() int { return t.Satisfied + t.Basic + t.Dissatisfied }

// Rate is (满意 + 基本满意) over the answers, in percent; 0 when none.
func (t Tally) Rate() float64 {
	if t.Total() == 0 {
		return 0
	}
	return 100 * float64(t.Satisfied+t.Basic) / float64(t.Total())
}

// Enough reports whether there are enough answers to show and judge a rate.
func (t Tally) Enough() bool { return t.Total() >= SurveyMinAnswers }

// Meets reports whether the rate reaches threshold percent, in exact integer arithmetic.
func (t Tally) Meets(threshold int) bool {
	return 100*(t.Satisfied+t.Basic) >= threshold*t.Total()
}

func (t *Tally) count(scale string, value, n int) {
	switch {
	case scale == ScaleFive && value >= 4, scale == ScaleThree && value == 3:
		t.Satisfied += n
	case scale == ScaleFive && value == 3, scale == ScaleThree && value == 2:
		t.Basic += n
	default:
		t.Dissatisfied += n
	}
}

// SurveyGroup is the results of one group of responses: everyone, a unit, or a department.
type SurveyGroup struct {
	UnitCode, UnitName, Dept string
	Responses                int
	Items                    []Tally // in the order of Survey.Items
	Overall                  Tally   // every answer to every item: shown and judged only when Enough (people, not answers)
}

// Enough reports whether the group has enough responses to be shown and judged.
func (g SurveyGroup) Enough() bool { return g.Responses >= SurveyMinAnswers }

// Below reports whether a group with enough responses misses a threshold of sv: an item under
// ItemThreshold or the overall rate under OverallThreshold.
func (g SurveyGroup) Below(sv Survey) bool {
	if !g.Enough() {
		return false
	}
	for _, t := range g.Items {
		if t.Enough() && !t.Meets(sv.ItemThreshold) {
			return true
		}
	}
	return !g.Overall.Meets(sv.OverallThreshold)
}

// SurveyComment is one free-text answer, with its unit only.
type SurveyComment struct{ UnitName, Text string }

// SurveyResults are a survey's figures.
type SurveyResults struct {
	Survey   Survey
	All      SurveyGroup
	Units    []SurveyGroup // every covered unit, in display order
	Depts    []SurveyGroup // per unit and department, in unit order then by department
	Comments []SurveyComment
}

// Redo is the 补课 list: the units with enough responses that miss a threshold.
func (r SurveyResults) Redo() []SurveyGroup {
	var out []SurveyGroup
	for _, u := range r.Units {
		if u.Below(r.Survey) {
			out = append(out, u)
		}
	}
	return out
}

// SurveyResults computes the figures of survey id.
func (s *Store) SurveyResults(ctx context.Context, id int64) (SurveyResults, error) {
	sv, err := s.Survey(ctx, id)
	if err != nil {
		return SurveyResults{}, err
	}
	res := SurveyResults{Survey: sv}
	newGroup := func(code, name, dept string) *SurveyGroup {
		return &SurveyGroup{UnitCode: code, UnitName: name, Dept: dept, Items: make([]Tally, len(sv.Items))}
	}
	res.All = *newGroup("", "", "")
	units := map[string]*SurveyGroup{}
	for _, u := range sv.Units {
		units[u.Code] = newGroup(u.Code, u.Name, "")
	}
	depts := map[[2]string]*SurveyGroup{}
	pos := map[int64]int{}
	for i, it := range sv.Items {
		pos[it.ID] = i
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.unit_code, r.dept, a.item_id, a.value, count(*)
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
		WHERE a.survey_id = ? GROUP BY r.unit_code, r.dept, a.item_id, a.value`, id)
	if err != nil {
		return SurveyResults{}, fmt.Errorf("survey results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, dp string
		var item int64
		var value, n int
		if err := rows.Scan(&code, &dp, &item, &value, &n); err != nil {
			return SurveyResults{}, err
		}
		u, ok := units[code]
		if !ok {
			continue
		}
		d := depts[[2]string{code, dp}]
		if d == nil {
			d = newGroup(code, u.UnitName, dp)
			depts[[2]string{code, dp}] = d
		}
		for _, g := range []*SurveyGroup{&res.All, u, d} {
			g.Items[pos[item]].count(sv.Scale, value, n)
			g.Overall.count(sv.Scale, value, n)
		}
	}
	if err := rows.Err(); err != nil {
		return SurveyResults{}, err
	}
	// Every response answers every item, so the answers to the first item count the responses.
	groups := []*SurveyGroup{&res.All}
	for _, u := range units {
		groups = append(groups, u)
	}
	for _, d := range depts {
		groups = append(groups, d)
	}
	for _, g := range groups {
		if len(g.Items) > 0 {
			g.Responses = g.Items[0].Total()
		}
	}
	for _, u := range sv.Units {
		res.Units = append(res.Units, *units[u.Code])
		var mine []SurveyGroup
		for k, d := range depts {
			if k[0] == u.Code {
				mine = append(mine, *d)
			}
		}
		sort.Slice(mine, func(i, j int) bool { return mine[i].Dept < mine[j].Dept })
		res.Depts = append(res.Depts, mine...)
	}
	res.Comments, err = s.surveyComments(ctx, id)
	return res, err
}

// surveyComments returns the free-text answers with their unit, in the order of their random
// ids: nothing says which came first.
func (s *Store) surveyComments(ctx context.Context, id int64) ([]SurveyComment, error) {
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
