package storage

import (
	"context"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestDayOpinionIDs: an id is the day's code (three symbols, the same for a day under one key)
// and eight random symbols. The code is keyed: another key gives other codes, and the codes of
// consecutive days neither sort as the days nor repeat; the random part uses all 32 symbols.
func TestDayOpinionIDs(t *testing.T) {
	key, other := idDayKey([]byte("server key one")), idDayKey([]byte("server key two"))
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var codes []string
	differ := 0
	for i := 0; i < 31; i++ {
		day := start.AddDate(0, 0, i).Format(dateLayout)
		code := idDayCode(key, day)
		if code != idDayCode(key, day) {
			t.Fatalf("the code of %s changes: %q, %q", day, code, idDayCode(key, day))
		}
		if code != idDayCode(other, day) {
			differ++
		}
		id := newDayOpinionID(code)
		if !dayIDPattern.MatchString(id) || id[:idDaySymbols] != code {
			t.Fatalf("newDayOpinionID(%q) = %q", code, id)
		}
		codes = append(codes, code)
	}
	// With these two keys, every day of December 2026 has a code of its own, and each key
	// gives the day another code (fixed keys: the outcome does not change between runs).
	if distinct := len(slices.Compact(slices.Sorted(slices.Values(codes)))); distinct != len(codes) {
		t.Errorf("December's %d days have %d codes: %v", len(codes), distinct, codes)
	}
	if differ != len(codes) {
		t.Errorf("another key gave another code on %d of %d days", differ, len(codes))
	}
	if slices.IsSorted(codes) || slices.IsSortedFunc(codes, func(a, b string) int { return -cmpString(a, b) }) {
		t.Errorf("the codes follow the order of the days: %v", codes)
	}
	symbols := map[byte]bool{}
	for i := 0; i < 2000; i++ {
		id := newDayOpinionID(codes[0])
		for j := idDaySymbols; j < len(id); j++ {
			symbols[id[j]] = true
		}
	}
	if len(symbols) != 32 {
		t.Errorf("the random part used %d distinct symbols, want 32", len(symbols))
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestOldOpinionIDsStayValid: an opinion stored before the ids carried the day (ten random
// symbols) is read, listed, paged past and merged into as before, beside new ones.
func TestOldOpinionIDsStayValid(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpenClock(t, newClock(time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)))
		ctx := context.Background()
		const old = "K7Q2M9XD00"
		if _, err := s.write.ExecContext(ctx, `INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, created_on, search_text)
			VALUES (?, ?, 'complaint', 'county-hospital', 'patient', '夜里没有医生', '2026-12-07', '夜里没有医生')`, old, []byte{1, 2}); err != nil {
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
	})
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// TestDayCodeFollowsTheServerKey: the store keys the day's code with the server's key
// (Options.LoginKey), so after a restart a day's opinions still share their place; with
// another key file the same day gets another code (fixed keys: the outcome does not change).
func TestDayCodeFollowsTheServerKey(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		path := b.dsn(t) // one database, opened three times
		day := func() time.Time { return time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) }
		create := func(key string) string {
			t.Helper()
			s, err := Open(ctx, path, Options{Now: day, PasswordCost: bcrypt.MinCost, LoginKey: []byte(key)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			id, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: "夜里急诊没有医生值班。"}, newReceiptHash(t))
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		first, again, other := create("key file one"), create("key file one"), create("key file two")
		if first[:idDaySymbols] != again[:idDaySymbols] || first == again {
			t.Errorf("the same day and key after a restart: %q then %q, want the same code and another id", first, again)
		}
		if first[:idDaySymbols] == other[:idDaySymbols] {
			t.Errorf("another key file gave the day the same code: %q and %q", first, other)
		}
	})
}
