package stats

import (
	"context"
	"fmt"
	"sort"

	"minsheng/access"
	"minsheng/storage"
)

// A satisfaction survey (满意度测评) is counted here like the ratings of opinions: answers are
// 满意, 基本满意 or 不满意, and the rate is (满意 + 基本满意) ÷ answers, the same rate as
// UnitSatisfaction's (satisfiedRate). A survey carries its own pass marks (an item's and the
// overall), which staff may change; the ratings of opinions are judged on TargetRate and
// RedoRate.

// Tally counts answers as 满意, 基本满意 and 不满意. On the 1–5 scale 4 and 5 count as 满意, 3 as
// 基本满意, 1 and 2 as 不满意; on the 1–3 scale 3, 2 and 1.
type Tally struct{ Satisfied, Basic, Dissatisfied int }

// Total is the number of answers.
func (t Tally) Total() int { return t.Satisfied + t.Basic + t.Dissatisfied }

// Rate is (满意 + 基本满意) over the answers, in percent; 0 when none.
func (t Tally) Rate() float64 { return satisfiedRate(t.Satisfied, t.Basic, t.Total()) }

// Enough reports whether there are enough answers to show and judge a rate.
func (t Tally) Enough() bool { return t.Total() >= storage.SurveyMinAnswers }

// Meets reports whether the rate reaches threshold percent, in exact integer arithmetic.
func (t Tally) Meets(threshold int) bool {
	return 100*(t.Satisfied+t.Basic) >= threshold*t.Total()
}

func (t *Tally) count(scale string, value, n int) {
	switch {
	case scale == storage.ScaleFive && value >= 4, scale == storage.ScaleThree && value == 3:
		t.Satisfied += n
	case scale == storage.ScaleFive && value == 3, scale == storage.ScaleThree && value == 2:
		t.Basic += n
	default:
		t.Dissatisfied += n
	}
}

// satisfiedRate is the one satisfaction rate: satisfied and basically satisfied over all
// answers, in percent; 0 when there are none.
func satisfiedRate(satisfied, basically, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(satisfied+basically) / float64(total)
}

// SurveyGroup is the results of one group of responses: everyone, a unit, or a department.
type SurveyGroup struct {
	UnitCode, UnitName, Dept string
	Responses                int
	Items                    []Tally // in the order of Survey.Items
	Overall                  Tally   // every answer to every item: shown and judged only when Enough (people, not answers)
}

// Enough reports whether the group has enough responses to be shown and judged.
func (g SurveyGroup) Enough() bool { return g.Responses >= storage.SurveyMinAnswers }

// Below reports whether a group with enough responses misses a threshold of sv: an item under
// ItemThreshold or the overall rate under OverallThreshold.
func (g SurveyGroup) Below(sv storage.Survey) bool {
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

// SurveyResults are a survey's figures.
type SurveyResults struct {
	Survey   storage.Survey
	All      SurveyGroup
	Units    []SurveyGroup // every covered unit, in display order
	Depts    []SurveyGroup // per unit and department, in unit order then by department
	Comments []storage.SurveyComment
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

// SeenBy is the results as v may read them: the free-text answers masked like an opinion's text.
func (r SurveyResults) SeenBy(v access.Viewer) SurveyResults {
	comments := make([]storage.SurveyComment, len(r.Comments))
	for i, c := range r.Comments {
		c.Text = v.PublicText(c.Text)
		comments[i] = c
	}
	r.Comments = comments
	return r
}

// ComputeSurvey counts the answers of survey id (storage.EachSurveyAnswer) by item, for
// everyone, each covered unit and each of its departments.
func ComputeSurvey(ctx context.Context, st *storage.Store, id int64) (SurveyResults, error) {
	sv, err := st.Survey(ctx, id)
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
	err = st.EachSurveyAnswer(ctx, id, func(a storage.SurveyAnswerCount) error {
		u, ok := units[a.UnitCode]
		if !ok {
			return nil // a unit the survey no longer covers
		}
		d := depts[[2]string{a.UnitCode, a.Dept}]
		if d == nil {
			d = newGroup(a.UnitCode, u.UnitName, a.Dept)
			depts[[2]string{a.UnitCode, a.Dept}] = d
		}
		for _, g := range []*SurveyGroup{&res.All, u, d} {
			g.Items[pos[a.ItemID]].count(sv.Scale, a.Value, a.N)
			g.Overall.count(sv.Scale, a.Value, a.N)
		}
		return nil
	})
	if err != nil {
		return SurveyResults{}, fmt.Errorf("survey results: %w", err)
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
	res.Comments, err = st.SurveyComments(ctx, id)
	return res, err
}
