package storage

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Ensure the board's family counts cover the year's opinions outside 举报 and the discipline
// mailboxes, list every family in use (zeros too) in the taxonomy's order, keep a retired
// family that still counts and drop one that does not, and never count the withheld families.
func TestCountsForYearByFamily(t *testing.T) {
	t.Parallel()
	clock := newClock(fixedTime)
	s := mustOpenClock(t, clock)
	ctx := context.Background()
	add := func(day string, n NewOpinion, tags ...string) {
		t.Helper()
		d, err := time.Parse(dateLayout, day)
		if err != nil {
			t.Fatal(err)
		}
		clock.Set(d.Add(4 * time.Hour))
		id := mustCreateOpinion(t, s, n)
		if err := s.SetOpinionTags(ctx, 0, id, tags); err != nil {
			t.Fatal(err)
		}
	}
	add("2026-01-10", NewOpinion{Type: "complaint"}, "service_attitude", "arbitrary_fees")
	add("2026-02-10", NewOpinion{Type: "complaint"}, "service_attitude", "kickbacks", "eightrules")
	add("2026-02-11", NewOpinion{Type: "praise"}, "praise", "enforcement")
	add("2026-03-01", NewOpinion{Type: "report"}, "service_attitude")                               // 举报: left out
	add("2026-03-02", NewOpinion{Type: "complaint", MailboxCode: "discipline"}, "service_attitude") // left out
	add("2025-12-31", NewOpinion{Type: "complaint"}, "service_attitude")                            // another year
	clock.Set(fixedTime)
	for _, code := range []string{"enforcement", "safety_hazard"} {
		if err := s.SetTagRetired(ctx, 0, code, true); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.CountsForYear(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var order []string
	for _, f := range c.Families {
		got[f.Code] = f.N
		order = append(order, f.Code)
		if f.Label == "" || f.Kind != TagFamily {
			t.Errorf("family %+v without its words or kind", f)
		}
	}
	want := map[string]int{"service_attitude": 2, "arbitrary_fees": 1, "praise": 1, "enforcement": 1, "conduct": 0}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("%s counted %d, want %d (all: %v)", code, got[code], n, got)
		}
	}
	for _, code := range append(BoardWithheldFamilies, "safety_hazard") {
		if _, ok := got[code]; ok {
			t.Errorf("%s is on the board: %v", code, order)
		}
	}
	if i, j := slices.Index(order, "arbitrary_fees"), slices.Index(order, "praise"); i < 0 || j < i {
		t.Errorf("families in order %v, want the taxonomy's", order)
	}
}
