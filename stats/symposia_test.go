package stats

import (
	"context"
	"minsheng/internal/storetest"
	"reflect"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestSymposiaPerMeeting: the figures list each meeting of the period with the opinions raised
// at it in the reader's scope and how many of those are closed (办结): the office counts all but
// 举报, 纪检 counts 举报 alone, a liaison their own unit's meeting and only the work handed to it.
// A meeting of another month is not listed.
func TestSymposiaPerMeeting(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e)
		ctx := context.Background()
		w.on("2026-04-30")
		raised := func(unit, content, typ string) storage.NewOpinion {
			return storage.NewOpinion{Type: typ, UnitCode: unit, Submitter: "patient", Content: content, Channel: "forum", ReceivedOn: "2026-04-01"}
		}
		ids := map[string]int64{}
		for i, n := range []storage.NewSymposium{
			{HeldOn: "2026-04-03", UnitCode: "county-hospital", Host: "院长", Categories: []string{"patient"}, Participants: 15,
				Opinions: []storage.NewOpinion{raised("county-hospital", "挂号排队太久。", "opinion"),
					raised("county-hospital", "住院部厕所不干净。", "opinion"), raised("county-hospital", "有医生收红包。", "report")}},
			{HeldOn: "2026-04-21", UnitCode: "tcm-hospital", Host: "书记", Categories: []string{"staff"}, Participants: 6,
				Opinions: []storage.NewOpinion{raised("tcm-hospital", "针灸科预约难。", "opinion")}},
			{HeldOn: "2026-05-02", UnitCode: "county-hospital", Host: "院长", Categories: []string{"patient"}, Participants: 4},
		} {
			for range n.Opinions {
				n.Hashes = append(n.Hashes, []byte{byte(i), byte(len(n.Hashes)), 9, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
			}
			id, _, err := w.st.RecordSymposium(ctx, 0, n)
			if err != nil {
				t.Fatal(err)
			}
			ids[n.HeldOn] = id
		}
		list, _, err := w.st.SymposiumOpinions(ctx, ids["2026-04-03"], access.Viewer{Role: access.Admin})
		if err != nil || len(list) != 2 {
			t.Fatalf("first meeting's opinions: %d, %v", len(list), err)
		}
		w.step(list[0].ID, lifecycle.Step{To: lifecycle.Triaged})
		w.step(list[0].ID, lifecycle.Step{To: lifecycle.Closed, Note: "当场解决"})
		w.walk(list[1].ID, lifecycle.Closed, work{unit: "county-hospital", ledger: "problem", deadline: "2026-05-30", kind: "immediate"})

		tests := []struct {
			name   string
			viewer access.Viewer
			want   []SymposiumMeeting
		}{
			{"office", access.Viewer{Role: access.Reviewer}, []SymposiumMeeting{
				{HeldOn: "2026-04-03", Unit: "county-hospital", Host: "院长", Participants: 15, Opinions: 2, Closed: 2},
				{HeldOn: "2026-04-21", Unit: "tcm-hospital", Host: "书记", Participants: 6, Opinions: 1, Closed: 0}}},
			{"discipline", access.Viewer{Role: access.Discipline}, []SymposiumMeeting{
				{HeldOn: "2026-04-03", Unit: "county-hospital", Host: "院长", Participants: 15, Opinions: 1, Closed: 0},
				{HeldOn: "2026-04-21", Unit: "tcm-hospital", Host: "书记", Participants: 6, Opinions: 0, Closed: 0}}},
			{"liaison", access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, []SymposiumMeeting{
				{HeldOn: "2026-04-03", Unit: "county-hospital", Host: "院长", Participants: 15, Opinions: 1, Closed: 1}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f, err := Compute(ctx, w.st, Query{Period: mustParse(t, "2026-04"), Viewer: tc.viewer, Today: "2026-04-30"})
				if err != nil {
					t.Fatal(err)
				}
				if f.Symposia == nil {
					t.Fatal("no meetings counted")
				}
				if !reflect.DeepEqual(f.Symposia.List, tc.want) {
					t.Errorf("meetings = %+v\nwant %+v", f.Symposia.List, tc.want)
				}
			})
		}
	})
}
