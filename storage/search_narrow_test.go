package storage

import (
	"context"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// Ensure the page of a narrow filter over a common word is walked from the filter's side (a
// department head's 科室, a short tag) and that of a broad one from the word's, by the two
// sides' estimated sizes, and that both walks give the plain walk's pages.
func TestNarrowWalkChosenBySize(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-04-01"))
		s := b.mustOpenClock(t, clock)
		var ids []string
		for i := 0; i < 30; i++ {
			n := NewOpinion{Type: "complaint", UnitCode: "county-hospital", Content: "门诊排队太久"}
			if i%10 == 3 {
				n.Dept = "门诊"
			}
			id := mustCreateOpinion(t, s, n)
			ids = append(ids, id)
			if n.Dept != "" {
				walkTo(t, s, id, lifecycle.Triaged)
				step := fullStep(lifecycle.Assigned, "")
				step.LeadUnit = "county-hospital"
				if err := s.Transition(ctx, 0, id, step); err != nil {
					t.Fatal(err)
				}
				if _, err := s.AddOpinionTag(ctx, 0, id, "formalism-unsolid"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.AddOpinionTag(ctx, 0, id, "praise"); err != nil { // on every opinion: broad
				t.Fatal(err)
			}
		}
		clock.Set(day("2026-04-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		s.searchCap = 5 // the word (30 opinions) is common: its size is estimated, not counted
		head := &access.Viewer{Role: access.DeptHead, Unit: "county-hospital", Dept: "门诊"}
		cases := []struct {
			name   string
			f      OpinionFilter
			narrow bool
		}{
			{"a department head", OpinionFilter{Text: "排队", Scope: head}, true},
			{"a short tag", OpinionFilter{Text: "排队", Tag: "formalism-unsolid"}, true},
			{"a tag on every opinion", OpinionFilter{Text: "排队", Tag: "praise"}, false},
			{"a department head reading a mailbox", OpinionFilter{Text: "排队", Scope: &access.Viewer{Role: access.DeptHead,
				Unit: "county-hospital", Dept: "门诊", Mailboxes: []string{"director"}}}, false},
			{"an administrator", OpinionFilter{Text: "排队", Scope: &access.Viewer{Role: access.Admin}}, false},
		}
		for _, c := range cases {
			forgetPlans(s)
			ts, err := s.planSearch(ctx, c.f.Text, false)
			if err != nil || !facetsFit(c.f, ts) {
				t.Fatalf("%s: the search does not fit the facets (%v)", c.name, err)
			}
			w, err := s.narrowWalk(ctx, c.f, ts, 2)
			if err != nil {
				t.Fatal(err)
			}
			if (w != nil) != c.narrow {
				t.Errorf("%s: walked from the filter %v, want %v (word estimated at %d)", c.name, w != nil, c.narrow, wordEstimate(ts, s.searchCap))
			}
			walk := c.f
			walk.walk = true
			got, _ := allPages(t, s, c.f)
			want, _ := allPages(t, s, walk)
			if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
				t.Errorf("%s: pages %v, the plain walk's %v", c.name, got, want)
			}
		}
	})
}
