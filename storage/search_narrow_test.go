package storage

import (
	"context"
	"fmt"
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
		s := narrowFixture(t, b)
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

// narrowFixture is a store of 30 opinions that all say 排队, 3 of them in the 门诊 科室 of
// county-hospital's department head (with the tag formalism-unsolid), every one tagged praise,
// indexed.
func narrowFixture(t *testing.T, b backend) *Store {
	t.Helper()
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
	return s
}

// Ensure the sidebar of a narrow filter over a common word is counted from the filter's side:
// exact when the filter has no more documents than it reads (where the word's newest matches
// would have counted few of the filter's and said "capped"), else capped with how many of the
// filter's documents were searched, and never fewer than the pages hold.
func TestNarrowSidebarCountsFromTheFilter(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := narrowFixture(t, b)
		s.searchCap = 5 // the word (30 opinions) is common: its side counts its newest 5 only
		head := &access.Viewer{Role: access.DeptHead, Unit: "county-hospital", Dept: "门诊"}
		for _, f := range []OpinionFilter{{Text: "排队", Scope: head}, {Text: "排队", Tag: "formalism-unsolid"}} {
			forgetPlans(s)
			got, ok, err := s.countsFromFacets(ctx, f)
			if err != nil || !ok {
				t.Fatalf("%+v: not counted from the facets (%v)", f, err)
			}
			walk := f
			walk.walk = true
			want, err := s.StatusCounts(ctx, walk)
			if err != nil {
				t.Fatal(err)
			}
			if got.Capped || got.FilterRead != 0 || got.Total != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%+v: counted %+v, the rows %+v", f.Tag, got, want)
			}
			// The word's side alone: capped, and fewer.
			s.narrow = narrowByWord
			forgetPlans(s)
			word, _, err := s.countsFromFacets(ctx, f)
			s.narrow = narrowByCost
			if err != nil || !word.Capped || word.Total >= 3 {
				t.Errorf("%+v: the word's side counted %+v (%v), want fewer than 3, capped", f.Tag, word, err)
			}
		}
		// A department head whose 科室 holds more than the sidebar reads: capped, saying how
		// many were read, at least what the page shows.
		s.narrow, s.narrowCount = narrowByFilter, 2
		f := OpinionFilter{Text: "排队", Scope: head}
		forgetPlans(s)
		got, _, err := s.countsFromFacets(ctx, f)
		if err != nil || !got.Capped || got.FilterRead != 2 || got.Total != 2 {
			t.Errorf("capped at 2 of the 科室's documents: %+v (%v)", got, err)
		}
		forgetPlans(s)
		page, err := s.ListOpinions(ctx, f, Cursor{}, 3)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err = s.countsFromFacets(ctx, f) // the same plan: the page read 3 already
		if err != nil || got.Total < len(page.Opinions) || got.Total != 3 || got.Capped {
			t.Errorf("after a page of %d: %+v (%v)", len(page.Opinions), got, err)
		}
	})
}
