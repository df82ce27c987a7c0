package storage

import (
	"context"
	"strings"
	"testing"

	"minsheng/access"
)

// The export's JSON (a conversation and a campaign's answers gathered per opinion) reads the
// same on both engines: PostgreSQL through migration 0059's json_array and json_group_array.
func TestExportJSONOnBothEngines(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.mustOpen(t)
		campaignAround(t, s)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		talked := mustCreateOpinion(t, s, NewOpinion{Answers: []CampaignAnswer{
			{No: 2, Question: "您对住院有什么建议？", Answer: "病房晚上太吵"}, {No: 1, Question: "您对门诊有什么建议？", Answer: "多开窗口"}}})
		quiet := mustCreateOpinion(t, s, NewOpinion{UnitCode: "tcm-hospital"})
		if err := s.PostStaffMessage(ctx, u.ID, talked, MessageQuestion, "哪个病区？"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, talked, MessageAnswer, questionID(t, s, talked, "哪个病区？"), "三病区"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, talked, MessageAddition, "", "补充一句"); err != nil {
			t.Fatal(err)
		}
		got := map[string]ExportRow{}
		if err := s.EachExportRow(ctx, OpinionFilter{}, func(r ExportRow) error { got[r.ID] = r; return nil }); err != nil {
			t.Fatal(err)
		}
		r := got[talked]
		if len(r.Answers) != 2 || r.Answers[0].No != 1 || r.Answers[0].Answer != "多开窗口" || r.Answers[1].No != 2 ||
			r.Answers[1].Question != "您对住院有什么建议？" {
			t.Errorf("answers: %+v", r.Answers)
		}
		var bodies []string
		seqs := 0
		for _, m := range r.SeenBy(access.Viewer{Role: access.Reviewer}).Thread {
			bodies = append(bodies, m.Body)
			seqs += m.Seq
		}
		if want := "哪个病区？|三病区|补充一句"; strings.Join(bodies, "|") != want || seqs == 0 {
			t.Errorf("thread: %q (sequence numbers add to %d), want %q", strings.Join(bodies, "|"), seqs, want)
		}
		if q := got[quiet]; q.Thread != nil || q.Answers != nil {
			t.Errorf("an opinion without either: %+v %+v", q.Thread, q.Answers)
		}
	})
}
