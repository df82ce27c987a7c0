package storage

import (
	"context"
	"errors"
	"testing"
	"time"
)

// newTestSurvey stores a three-level survey for April 2026 (fixedTime is 1 April in China) over
// the county hospital and the TCM hospital, with two items.
func newTestSurvey(t *testing.T, s *Store, scale string) Survey {
	t.Helper()
	id, err := s.CreateSurvey(context.Background(), 0, NewSurvey{
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
func mustAnswer(t *testing.T, s *Store, sv Survey, unit, dept, comment string, values ...int) {
	t.Helper()
	a := SurveyAnswer{SurveyID: sv.ID, UnitCode: unit, Dept: dept, Comment: comment, Values: map[int64]int{}}
	for i, v := range values {
		a.Values[sv.Items[i].ID] = v
	}
	if err := s.AnswerSurvey(context.Background(), a); err != nil {
		t.Fatalf("AnswerSurvey(%v): %v", values, err)
	}
}

func TestCreateSurvey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		sv := newTestSurvey(t, s, ScaleThree)
		if len(sv.Items) != 2 || sv.Items[0].Text != "挂号等候时间" || len(sv.Units) != 2 || sv.MaxValue() != 3 {
			t.Errorf("stored survey = %+v", sv)
		}
		if n := countRows(t, s, "audit_log", "action = 'survey_add'"); n != 1 {
			t.Errorf("audit rows = %d, want 1", n)
		}
		good := NewSurvey{Title: "测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30", Scale: ScaleFive,
			Units: []string{"bureau"}, Items: []string{"服务态度"}, ItemThreshold: 85, OverallThreshold: 90}
		tests := []struct {
			name   string
			change func(n *NewSurvey)
		}{
			{"unknown unit", func(n *NewSurvey) { n.Units = []string{"nowhere"} }},
			{"no unit", func(n *NewSurvey) { n.Units = nil }},
			{"no item", func(n *NewSurvey) { n.Items = nil }},
			{"ends before it starts", func(n *NewSurvey) { n.EndsOn = "2026-03-01" }},
			{"unknown scale", func(n *NewSurvey) { n.Scale = "ten" }},
			{"threshold over 100", func(n *NewSurvey) { n.OverallThreshold = 101 }},
			{"empty item", func(n *NewSurvey) { n.Items = []string{" "} }},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				n := good
				tc.change(&n)
				if _, err := s.CreateSurvey(context.Background(), 0, n); !errors.Is(err, ErrInvalid) {
					t.Errorf("CreateSurvey: err = %v, want ErrInvalid", err)
				}
			})
		}
		if got := countRows(t, s, "surveys", ""); got != 1 {
			t.Errorf("surveys = %d, want 1 (refused ones leave nothing)", got)
		}
	})
}

func TestAnswerSurveyRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		sv := newTestSurvey(t, s, ScaleThree)
		other := newTestSurvey(t, s, ScaleThree)
		ok := map[int64]int{sv.Items[0].ID: 3, sv.Items[1].ID: 2}
		tests := []struct {
			name string
			a    SurveyAnswer
		}{
			{"unit not covered", SurveyAnswer{SurveyID: sv.ID, UnitCode: "bureau", Values: ok}},
			{"missing item", SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital", Values: map[int64]int{sv.Items[0].ID: 3}}},
			{"item of another survey", SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital",
				Values: map[int64]int{sv.Items[0].ID: 3, other.Items[1].ID: 3}}},
			{"off the scale", SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital", Values: map[int64]int{sv.Items[0].ID: 4, sv.Items[1].ID: 3}}},
			{"zero", SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital", Values: map[int64]int{sv.Items[0].ID: 0, sv.Items[1].ID: 3}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.AnswerSurvey(context.Background(), tc.a); !errors.Is(err, ErrInvalid) {
					t.Errorf("AnswerSurvey: err = %v, want ErrInvalid", err)
				}
			})
		}
		if err := s.AnswerSurvey(context.Background(), SurveyAnswer{SurveyID: 999, UnitCode: "county-hospital", Values: ok}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown survey: err = %v, want ErrNotFound", err)
		}
		if n := countRows(t, s, "survey_responses", ""); n != 0 {
			t.Errorf("responses = %d after refusals, want 0", n)
		}

		// The schema refuses an answer to another survey's item even past the Go checks.
		mustAnswer(t, s, sv, "county-hospital", "", "", 3, 3)
		var rid string
		if err := s.read.QueryRow(`SELECT id FROM survey_responses`).Scan(&rid); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.Exec(`INSERT INTO survey_answers (response_id, survey_id, item_id, value) VALUES (?, ?, ?, 3)`,
			rid, sv.ID, other.Items[0].ID); err == nil {
			t.Error("the schema took an answer to an item of another survey")
		}
	})
}

func TestAnswerSurveyPeriod(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		cst := time.FixedZone("CST", 8*3600)
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		sv := newTestSurvey(t, s, ScaleThree)
		tests := []struct {
			name string
			at   time.Time
			want error
		}{
			{"the day before", time.Date(2026, 3, 31, 23, 59, 0, 0, cst), ErrSurveyClosed},
			{"first day", time.Date(2026, 4, 1, 0, 0, 0, 0, cst), nil},
			{"last day", time.Date(2026, 4, 30, 23, 59, 0, 0, cst), nil},
			{"the day after", time.Date(2026, 5, 1, 0, 0, 0, 0, cst), ErrSurveyClosed},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				clock.Set(tc.at)
				err := s.AnswerSurvey(context.Background(), SurveyAnswer{SurveyID: sv.ID, UnitCode: "tcm-hospital",
					Values: map[int64]int{sv.Items[0].ID: 3, sv.Items[1].ID: 3}})
				if !errors.Is(err, tc.want) && !(err == nil && tc.want == nil) {
					t.Errorf("AnswerSurvey: err = %v, want %v", err, tc.want)
				}
			})
		}
		if !sv.Open("2026-04-30") || sv.Open("2026-05-01") {
			t.Error("Survey.Open does not match the period")
		}
		var day string
		if err := s.read.QueryRow(`SELECT group_concat(answered_on) FROM survey_responses`).Scan(&day); err != nil || day != "2026-04-01,2026-04-30" && day != "2026-04-30,2026-04-01" {
			t.Errorf("answered_on = %q, %v; want the two open days, dates only", day, err)
		}
	})
}

func TestSetSurveyThresholds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		sv := newTestSurvey(t, s, ScaleThree)
		ctx := context.Background()
		if err := s.SetSurveyThresholds(ctx, 0, sv.ID, 70, 75); err != nil {
			t.Fatalf("SetSurveyThresholds: %v", err)
		}
		got, err := s.Survey(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ItemThreshold != 70 || got.OverallThreshold != 75 {
			t.Errorf("thresholds %d/%d, want 70/75", got.ItemThreshold, got.OverallThreshold)
		}
		if n := countRows(t, s, "audit_log", "action = 'survey_thresholds'"); n != 1 {
			t.Errorf("audit rows %d, want 1", n)
		}
		if err := s.SetSurveyThresholds(ctx, 0, sv.ID, 101, 90); !errors.Is(err, ErrInvalid) {
			t.Errorf("101%%: %v, want ErrInvalid", err)
		}
		if err := s.SetSurveyThresholds(ctx, 0, 9999, 80, 90); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown survey: %v, want ErrNotFound", err)
		}
	})
}
