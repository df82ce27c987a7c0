package stats

import (
	"context"
	"fmt"
	"minsheng/internal/storetest"
	"strings"
	"testing"

	"minsheng/storage"
)

// newTestSurvey stores a survey over the county and TCM hospitals with two items and a free
// text, open in April 2026.
func newTestSurvey(t *testing.T, s *storage.Store, scale string) storage.Survey {
	t.Helper()
	id, err := s.CreateSurvey(context.Background(), 0, storage.NewSurvey{
		Title: "门诊满意度测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30", Scale: scale, FreeText: "您还有什么建议？",
		Units: []string{"county-hospital", "tcm-hospital"}, Items: []string{"挂号等候时间", "医生解释病情"},
		ItemThreshold: 85, OverallThreshold: 90,
	})
	if err != nil {
		t.Fatalf("CreateSurvey: %v", err)
	}
	sv, err := s.Survey(context.Background(), id)
	if err != nil {
		t.Fatalf("Survey(%d): %v", id, err)
	}
	return sv
}

// mustAnswer stores one response with values for the survey's items, in order.
func mustAnswer(t *testing.T, s *storage.Store, sv storage.Survey, unit, dept, comment string, values ...int) {
	t.Helper()
	a := storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: unit, Dept: dept, Comment: comment, Values: map[int64]int{}}
	for i, v := range values {
		a.Values[sv.Items[i].ID] = v
	}
	if err := s.AnswerSurvey(context.Background(), a); err != nil {
		t.Fatalf("AnswerSurvey(%v): %v", values, err)
	}
}

// TestComputeSurvey checks the figures on answers with a known split: the county hospital has 12
// responses, item 1 with 9 satisfied (75.0 %), item 2 with 11 (91.7 %); the TCM hospital has 4.
func TestComputeSurvey(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e).on("2026-04-10") // the survey is open in April
		sv := newTestSurvey(t, w.st, storage.ScaleThree)
		for i := 0; i < 12; i++ {
			first := []int{3, 3, 3, 3, 3, 3, 2, 2, 2, 1, 1, 1}[i] // 6 满意, 3 基本满意, 3 不满意
			second := 3
			if i == 11 {
				second = 1
			}
			dept := ""
			if i < 5 {
				dept = "内科"
			}
			mustAnswer(t, w.st, sv, "county-hospital", dept, "", first, second)
		}
		for i := 0; i < 4; i++ {
			mustAnswer(t, w.st, sv, "tcm-hospital", "", fmt.Sprintf("意见%d", i), 3, 3)
		}
		res, err := ComputeSurvey(context.Background(), w.st, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		county, tcm := res.Units[0], res.Units[1]
		rate := func(t Tally) string { return fmt.Sprintf("%.1f", t.Rate()) }
		join := func(a ...any) string { return strings.TrimSuffix(fmt.Sprintln(a...), "\n") }
		checks := []struct {
			name, got, want string
		}{
			{"all responses", fmt.Sprint(res.All.Responses), "16"},
			{"county responses", fmt.Sprint(county.Responses), "12"},
			{"county item 1", rate(county.Items[0]), "75.0"},
			{"county item 1 split", fmt.Sprint(county.Items[0]), "{6 3 3}"},
			{"county item 2", rate(county.Items[1]), "91.7"},
			{"county overall", rate(county.Overall), "83.3"},
			{"county below", fmt.Sprint(county.Below(sv)), "true"},
			{"tcm responses", fmt.Sprint(tcm.Responses), "4"},
			{"tcm not enough", join(tcm.Enough(), tcm.Items[0].Enough()), "false false"},
			{"tcm not judged", fmt.Sprint(tcm.Below(sv)), "false"},
			{"all item 2", rate(res.All.Items[1]), "93.8"},
			{"redo list", join(len(res.Redo()), res.Redo()[0].UnitCode), "1 county-hospital"},
			{"depts", fmt.Sprint(len(res.Depts)), "3"},
			{"county no dept", join(res.Depts[0].Dept == "", res.Depts[0].Responses), "true 7"},
			{"county 内科", join(res.Depts[1].Dept, res.Depts[1].Responses, res.Depts[1].Enough()), "内科 5 true"},
			{"comments", join(len(res.Comments), res.Comments[0].UnitName), "4 县中医院"},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				if c.got != c.want {
					t.Errorf("got %s, want %s", c.got, c.want)
				}
			})
		}
	})
}

func TestTallyThresholds(t *testing.T) {
	tests := []struct {
		name      string
		scale     string
		values    []int
		threshold int
		want      Tally
		meets     bool
	}{
		{"five-point: 4 and 5 satisfied, 3 basically", storage.ScaleFive, []int{5, 4, 3, 2, 1}, 60, Tally{2, 1, 2}, true},
		{"exactly 85 percent meets 85", storage.ScaleThree, append(repeat(3, 17), 1, 1, 1), 85, Tally{17, 0, 3}, true},
		{"84 percent misses 85", storage.ScaleThree, append(repeat(2, 21), 1, 1, 1, 1), 85, Tally{0, 21, 4}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got Tally
			for _, v := range tc.values {
				got.count(tc.scale, v, 1)
			}
			if got != tc.want || got.Meets(tc.threshold) != tc.meets {
				t.Errorf("tally %v meets %d = %v; want %v, %v", got, tc.threshold, got.Meets(tc.threshold), tc.want, tc.meets)
			}
		})
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
