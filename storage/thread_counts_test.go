package storage

import (
	"context"
	"fmt"
	"testing"

	"minsheng/access"
	"minsheng/scrub"
)

// ConversationCounts counts the messages of the days asked, per unit, in the reader's scope:
// questions and messages of the staff, answers and additions of the submitters and the files
// the submitters sent (not the staff's).
func TestConversationCounts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(chinaDay("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		hospital := mustCreateOpinion(t, s, NewOpinion{})
		tcm := mustCreateOpinion(t, s, NewOpinion{UnitCode: "tcm-hospital"})
		report := mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType})
		photo := cleanFile(t, scrub.KindJPEG)
		if err := s.PostStaffMessageFiles(ctx, u.ID, hospital, MessageQuestion, "是哪一天？", []NewAttachment{photo}); err != nil {
			t.Fatal(err)
		}
		if err := s.PostStaffMessage(ctx, u.ID, hospital, MessageMessage, "已转交医院核实"); err != nil {
			t.Fatal(err)
		}
		clock.Set(chinaDay("2026-05-02"))
		q := questionID(t, s, hospital, "是哪一天？")
		if err := s.PostSubmitterMessageFiles(ctx, hospital, MessageAnswer, q, "四月三十日", []NewAttachment{photo, cleanFile(t, scrub.KindPNG)}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{hospital, tcm, report} {
			if err := s.PostSubmitterMessage(ctx, id, MessageAddition, "", "又发生了一次"); err != nil {
				t.Fatal(err)
			}
		}
		reviewer, discipline := access.Viewer{Role: access.Reviewer}, access.Viewer{Role: access.Discipline}
		cases := []struct {
			name string
			f    FactFilter
			want string
		}{
			{"both days, the office", FactFilter{From: "2026-05-01", To: "2026-05-03", Viewer: &reviewer},
				"[{county-hospital 1 1 1 1 2} {tcm-hospital 0 0 0 1 0}]"},
			{"the first day: the staff's alone", FactFilter{From: "2026-05-01", To: "2026-05-02", Viewer: &reviewer},
				"[{county-hospital 1 1 0 0 0}]"},
			{"one unit", FactFilter{From: "2026-05-01", To: "2026-05-03", Unit: "tcm-hospital", Viewer: &reviewer},
				"[{tcm-hospital 0 0 0 1 0}]"},
			{"纪检: the 举报's alone", FactFilter{From: "2026-05-01", To: "2026-05-03", Viewer: &discipline},
				"[{county-hospital 0 0 0 1 0}]"},
			{"the public's rule: no 举报", FactFilter{From: "2026-05-01", To: "2026-05-03", Public: true},
				"[{county-hospital 1 1 1 1 2} {tcm-hospital 0 0 0 1 0}]"},
			{"a month without any", FactFilter{From: "2026-06-01", To: "2026-07-01", Viewer: &reviewer}, "[]"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.ConversationCounts(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if s := fmt.Sprint(got); s != c.want {
					t.Errorf("counts = %s, want %s", s, c.want)
				}
			})
		}
	})
}
