package stats

import (
	"context"
	"minsheng/internal/storetest"
	"reflect"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// The conversation is counted by the day of each message, not of its opinion: a March opinion
// answered in April counts in April; by unit in the tree's order; in the reader's scope.
func TestComputeConversation(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e)
		ctx := context.Background()
		staff, err := w.st.CreateUser(ctx, 0, "office", "correct horse battery", storage.RoleReviewer)
		if err != nil {
			t.Fatal(err)
		}
		w.on("2026-03-20")
		tcm := w.opinion(storage.NewOpinion{UnitCode: "tcm-hospital"})
		hospital := w.opinion(storage.NewOpinion{UnitCode: "county-hospital"})
		if err := w.st.PostStaffMessage(ctx, staff.ID, tcm, storage.MessageQuestion, "是哪一天？"); err != nil {
			t.Fatal(err)
		}
		w.on("2026-04-02")
		if err := w.st.PostSubmitterMessage(ctx, tcm, storage.MessageAddition, "", "四月又去了一次"); err != nil {
			t.Fatal(err)
		}
		if err := w.st.PostStaffMessage(ctx, staff.ID, hospital, storage.MessageQuestion, "是哪个窗口？"); err != nil {
			t.Fatal(err)
		}
		w.on("2026-05-01")
		if err := w.st.PostSubmitterMessage(ctx, hospital, storage.MessageAddition, "", "五月也一样"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			q    Query
			want Conversation
		}{
			{"the office, April", Query{Viewer: access.Viewer{Role: access.Reviewer}}, Conversation{Questions: 1, Additions: 1,
				ByUnit: []ConversationUnit{{Code: "county-hospital", Questions: 1}, {Code: "tcm-hospital", Additions: 1}}}},
			{"one unit", Query{Viewer: access.Viewer{Role: access.Reviewer}, Unit: "tcm-hospital"}, Conversation{Additions: 1,
				ByUnit: []ConversationUnit{{Code: "tcm-hospital", Additions: 1}}}},
			{"a liaison, whose unit was handed none of it", Query{Viewer: access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-05-01"}},
				Conversation{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.Period, tt.q.Today = mustParse(t, "2026-04"), "2026-05-01"
				c, err := Compare(ctx, w.st, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(c.Current.Conversation, tt.want) {
					t.Errorf("April: %+v, want %+v", c.Current.Conversation, tt.want)
				}
				if prev := c.Previous.Conversation; tt.want.ByUnit != nil && tt.q.Unit == "" && (prev.Questions != 1 || prev.Additions != 0) {
					t.Errorf("March: %+v, want the one question", prev)
				}
			})
		}
	})
}
