package storage

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestDayOpinionIDs: the id's first three symbols are the day, in an order that sorts as the
// days do; the other eight are random, all 32 symbols showing up and never a pattern of the
// order of arrival; a day out of range or not a day gets the older form.
func TestDayOpinionIDs(t *testing.T) {
	days := []string{"2000-01-01", "2000-01-02", "2000-02-01", "2026-12-06", "2026-12-07", "2026-12-08", "2027-01-01", "2089-09-17"}
	var firsts []string
	for _, day := range days {
		id := newDayOpinionID(day)
		if !dayIDPattern.MatchString(id) {
			t.Fatalf("newDayOpinionID(%s) = %q", day, id)
		}
		if got, ok := opinionIDDay(id); !ok || got != day {
			t.Errorf("opinionIDDay(%q) = %q, %v; want %s", id, got, ok, day)
		}
		firsts = append(firsts, id[:idDaySymbols])
	}
	if !slices.IsSorted(firsts) {
		t.Errorf("the days' symbols do not sort as the days: %v", firsts)
	}
	if got := newDayOpinionID("2026-12-07")[:3]; got != "9KD" {
		t.Errorf("7 December 2026 is %q, want 9KD (day 9 837)", got)
	}
	for _, bad := range []string{"1999-12-31", "2089-09-18", "", "yesterday"} {
		if id := newDayOpinionID(bad); !crockfordID.MatchString(id) {
			t.Errorf("newDayOpinionID(%q) = %q, want ten random symbols", bad, id)
		}
	}
	for _, other := range []string{"K7Q2M9XD00", "", "9KD7Q2M9XDh", "9KD7Q2M9XDI", "9KD7Q2M9XDHH"} {
		if day, ok := opinionIDDay(other); ok {
			t.Errorf("opinionIDDay(%q) = %q, true; want false", other, day)
		}
	}
	symbols := map[byte]bool{}
	for i := 0; i < 2000; i++ {
		id := newDayOpinionID("2026-12-07")
		for j := idDaySymbols; j < len(id); j++ {
			symbols[id[j]] = true
		}
	}
	if len(symbols) != 32 {
		t.Errorf("the random part used %d distinct symbols, want 32", len(symbols))
	}
}

// TestOldOpinionIDsStayValid: an opinion stored before the ids carried the day (ten random
// symbols) is read, listed, paged past and merged into as before, beside new ones.
func TestOldOpinionIDsStayValid(t *testing.T) {
	s := mustOpenClock(t, newClock(time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	const old = "K7Q2M9XD00"
	if _, err := s.write.ExecContext(ctx, `INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, created_on, search_text)
		VALUES (?, x'0102', 'complaint', 'county-hospital', 'patient', '夜里没有医生', '2026-12-07', '夜里没有医生')`, old); err != nil {
		t.Fatal(err)
	}
	id := mustCreateOpinion(t, s, NewOpinion{})
	if o, err := s.Opinion(ctx, old); err != nil || o.ID != old {
		t.Fatalf("Opinion(%s) = %+v, %v", old, o, err)
	}
	// Both on the queue's pages of one row each, each exactly once, the cursor of the first
	// leading to the second.
	var seen []string
	cursor := Cursor{}
	for i := 0; i < 3; i++ {
		page, err := s.ListOpinions(ctx, OpinionFilter{}, cursor, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Opinions {
			seen = append(seen, o.ID)
		}
		if page.Next == (Cursor{}) {
			break
		}
		cursor = page.Next
	}
	slices.Sort(seen)
	if want := []string{id, old}; !slices.Equal(seen, sortedCopy(want)) {
		t.Errorf("the queue's pages gave %v, want %v", seen, want)
	}
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
