package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"minsheng/campaign"
)

// campaignAround saves a campaign for county-hospital whose collection window holds the test
// clock's day (2026-04-01), and returns its id.
func campaignAround(t *testing.T, s *Store) int64 {
	t.Helper()
	admin := mustUser(t, s, "admin-c", RoleAdmin, "")
	id, err := s.SaveCampaign(context.Background(), admin, campaign.Campaign{
		Name: "2026年春季征求意见活动", Units: []string{"county-hospital"},
		Questions:     []string{"您对门诊有什么建议？", "您对住院有什么建议？"},
		ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2026-03-20", EndsOn: "2026-04-05"},
			{Kind: campaign.Rectify, StartsOn: "2026-04-06", EndsOn: "2026-05-31"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Every way an opinion arrives records the campaign running for its unit on the day it
// arrived; a transcribed item, on the day it was received.
func TestOpinionRecordsItsCampaign(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		id := campaignAround(t, s)
		clerk := mustUser(t, s, "clerk-c", RoleAdmin, "")
		for _, tc := range []struct {
			name string
			n    NewOpinion
			want int64
		}{
			{"web form, covered unit", NewOpinion{}, id},
			{"poster (qr)", NewOpinion{Channel: "qr"}, id},
			{"lobby kiosk", NewOpinion{Channel: "kiosk"}, id},
			{"unit outside the campaign", NewOpinion{UnitCode: "tcm-hospital"}, 0},
			{"letter received in the campaign", NewOpinion{Channel: "letter", ReceivedOn: "2026-03-21", TranscribedBy: clerk}, id},
			{"box slip received before it began", NewOpinion{Channel: "box", ReceivedOn: "2026-03-10", TranscribedBy: clerk}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				oid := mustCreateOpinion(t, s, tc.n)
				o, err := s.Opinion(context.Background(), oid)
				if err != nil {
					t.Fatal(err)
				}
				if o.CampaignID != tc.want {
					t.Errorf("campaign_id = %d, want %d", o.CampaignID, tc.want)
				}
			})
		}
	})
}

// The answers to the campaign's questions are written with the opinion, in its transaction:
// both or neither.
func TestCampaignAnswersInTheOpinionsTransaction(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, ctx := b.mustOpen(t), context.Background()
		campaignAround(t, s)
		answers := []CampaignAnswer{{No: 2, Question: "您对住院有什么建议？", Answer: "病房晚上太吵"}}

		oid := mustCreateOpinion(t, s, NewOpinion{Answers: answers})
		got, err := s.CampaignAnswers(ctx, oid)
		if err != nil || len(got) != 1 || got[0] != answers[0] {
			t.Fatalf("CampaignAnswers = %+v, %v; want %+v", got, err, answers)
		}

		// A retired or unknown unit stores no opinion, and so no answers.
		before := countRows(t, s, "campaign_answers", "1 = 1")
		_, err = s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "no-such-unit", Submitter: "patient",
			Content: "挂号排队两个小时", Answers: answers}, newReceiptHash(t))
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown unit: err = %v, want ErrNotFound", err)
		}
		for _, tc := range []struct {
			name    string
			answers []CampaignAnswer
		}{
			{"too long", []CampaignAnswer{{No: 1, Question: "问", Answer: strings.Repeat("长", campaign.MaxAnswer+1)}}},
			{"empty", []CampaignAnswer{{No: 1, Question: "问", Answer: ""}}},
			{"number 0", []CampaignAnswer{{No: 0, Question: "问", Answer: "答"}}},
			{"twice the same", []CampaignAnswer{{No: 1, Question: "问", Answer: "答"}, {No: 1, Question: "问", Answer: "又答"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := countRows(t, s, "opinions", "1 = 1")
				_, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
					Content: "挂号排队两个小时", Answers: tc.answers}, newReceiptHash(t))
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				if got := countRows(t, s, "opinions", "1 = 1"); got != n {
					t.Errorf("opinions %d → %d: an opinion was stored without its answers", n, got)
				}
			})
		}
		if after := countRows(t, s, "campaign_answers", "1 = 1"); after != before {
			t.Errorf("campaign_answers %d → %d after refused submissions", before, after)
		}
	})
}

// The monthly export reads the campaign's name and the answers with each opinion, in the one
// query that streams the month.
func TestExportRowsCarryTheCampaign(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, ctx := b.mustOpen(t), context.Background()
		campaignAround(t, s)
		with := mustCreateOpinion(t, s, NewOpinion{Answers: []CampaignAnswer{
			{No: 2, Question: "您对住院有什么建议？", Answer: "病房晚上太吵"}, {No: 1, Question: "您对门诊有什么建议？", Answer: "多开窗口"}}})
		without := mustCreateOpinion(t, s, NewOpinion{UnitCode: "tcm-hospital"})
		got := map[string]ExportRow{}
		if err := s.EachExportRow(ctx, OpinionFilter{}, func(r ExportRow) error { got[r.ID] = r; return nil }); err != nil {
			t.Fatal(err)
		}
		if r := got[with]; r.CampaignName != "2026年春季征求意见活动" || len(r.Answers) != 2 || r.Answers[0].No != 1 ||
			r.Answers[0].Answer != "多开窗口" || r.Answers[1].Question != "您对住院有什么建议？" {
			t.Errorf("with answers: %q %+v", r.CampaignName, r.Answers)
		}
		if r := got[without]; r.CampaignName != "" || r.Answers != nil {
			t.Errorf("outside the campaign: %q %+v", r.CampaignName, r.Answers)
		}
	})
}

// A survey or an evaluation of a campaign takes answers only in the campaign's collection
// window, whatever its own dates; one of no campaign keeps its own dates alone.
func TestSurveyAndEvaluationCloseWithTheCampaignWindow(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime) // 2026-04-01 in China; the window runs to 2026-04-05
		s, ctx := b.mustOpenClock(t, clock), context.Background()
		camp := campaignAround(t, s)
		h := testHasher(t)
		if _, err := s.CreateSurvey(ctx, 0, NewSurvey{Title: "测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30", Scale: ScaleThree,
			Units: []string{"county-hospital"}, Items: []string{"态度"}, CampaignID: 999}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a survey of an unknown campaign: %v, want ErrInvalid", err)
		}
		survey := func(campaignID int64) Survey {
			id, err := s.CreateSurvey(ctx, 0, NewSurvey{Title: "测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30", Scale: ScaleThree,
				Units: []string{"county-hospital"}, Items: []string{"态度"}, CampaignID: campaignID})
			if err != nil {
				t.Fatal(err)
			}
			sv, err := s.Survey(ctx, id)
			if err != nil || sv.CampaignID != campaignID {
				t.Fatalf("survey campaign %d, %v; want %d", sv.CampaignID, err, campaignID)
			}
			return sv
		}
		evaluation := func(campaignID int64) Evaluation {
			id, err := s.CreateEvaluation(ctx, 0, NewEvaluation{Title: "民主评议", UnitCode: "bureau", OpensOn: "2026-04-01",
				ClosesOn: "2026-04-30", CampaignID: campaignID})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := s.Evaluation(ctx, id)
			if err != nil || ev.CampaignID != campaignID {
				t.Fatalf("evaluation campaign %d, %v; want %d", ev.CampaignID, err, campaignID)
			}
			return ev
		}
		inCampaign, plain := survey(camp), survey(0)
		evIn, evPlain := evaluation(camp), evaluation(0)
		codesIn, codesPlain := mustIssue(t, s, h, evIn, 2), mustIssue(t, s, h, evPlain, 2)
		answer := func(sv Survey) error {
			return s.AnswerSurvey(ctx, SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital", Values: map[int64]int{sv.Items[0].ID: 3}})
		}
		for _, tc := range []struct {
			name    string
			day     time.Time
			sv      Survey
			code    string
			evError error
			svError error
		}{
			{"in the window", fixedTime, inCampaign, codesIn[0], nil, nil},
			{"no campaign, in its dates", fixedTime.Add(10 * 24 * time.Hour), plain, codesPlain[0], nil, nil},
			{"after the window, in its own dates", fixedTime.Add(10 * 24 * time.Hour), inCampaign, codesIn[1], ErrEvaluationClosed, ErrSurveyClosed},
		} {
			t.Run(tc.name, func(t *testing.T) {
				clock.Set(tc.day)
				if err := answer(tc.sv); !errors.Is(err, tc.svError) && !(err == nil && tc.svError == nil) {
					t.Errorf("AnswerSurvey = %v, want %v", err, tc.svError)
				}
				if _, err := s.EvaluationByCode(ctx, hashOf(t, h, tc.code)); !errors.Is(err, tc.evError) && !(err == nil && tc.evError == nil) {
					t.Errorf("EvaluationByCode = %v, want %v", err, tc.evError)
				}
				if err := s.AnswerEvaluation(ctx, hashOf(t, h, tc.code), goodAnswer); !errors.Is(err, tc.evError) && !(err == nil && tc.evError == nil) {
					t.Errorf("AnswerEvaluation = %v, want %v", err, tc.evError)
				}
			})
		}
	})
}
