package storage

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Ensure the index at Open never stops the portal from starting (#15 robustness): with every
// write transaction out of time at once, the chunks shrink to the floor, give up, and Open
// succeeds with the index half built and says so; a search still finds exactly what the plain
// scan finds; and a later IndexSearch (the nightly indexer) completes the index.
func TestOpenSucceedsWithTheIndexUnfinished(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		clock := newClock(day("2026-04-29"))
		s, err := Open(ctx, dsn, Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
		if err != nil {
			t.Fatal(err)
		}
		contents := []string{"门难进，脸难看，事难办", "做CT要等三天", "挂号排队两个小时", "食堂饭菜太贵", "停车场收费乱", "医生收红包"}
		for d, date := range []string{"2026-04-29", "2026-04-30", "2026-05-01", "2026-05-02"} {
			clock.Set(day(date))
			for _, c := range contents {
				mustCreateOpinion(t, s, NewOpinion{Content: c})
			}
			if d == 2 {
				if err := s.IndexSearch(ctx, nil); err != nil { // 29 and 30 April indexed; May not yet
					t.Fatal(err)
				}
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		clock.Set(day("2026-05-03"))
		var progress bytes.Buffer
		s, err = Open(ctx, dsn, Options{Now: clock.Now, PasswordCost: bcrypt.MinCost, Progress: &progress, indexTxTimeout: time.Nanosecond})
		if err != nil {
			t.Fatalf("Open failed on an index it could not finish: %v", err)
		}
		defer s.Close()
		// The start-up's timeout was the indexer's own parameter: the store's is untouched, and
		// a submission right after Open has the whole of it.
		if s.txTimeout != writeTimeout {
			t.Errorf("the store's write timeout is %v after Open, want %v", s.txTimeout, writeTimeout)
		}
		mustCreateOpinion(t, s, NewOpinion{Content: "开门后的第一条意见"})
		if out := progress.String(); !strings.Contains(out, "left unfinished at start-up") ||
			!strings.Contains(out, "now 50 ") {
			t.Errorf("Open did not say the chunks shrank and the index was left unfinished:\n%s", out)
		}
		if _, st := indexed(t, s); st.through != "2026-04-30" {
			t.Fatalf("indexed through %q, want the half built before (2026-04-30)", st.through)
		}

		agree := func(t *testing.T) {
			t.Helper()
			for _, q := range []string{"门难进", "难", "CT", "挂号", "排队两个", "停车场", "红包", "没有这个词"} {
				for _, filter := range []OpinionFilter{{Text: q}, {Text: q, Month: "2026-04"}, {Text: q, Month: "2026-05"}} {
					scan := filter
					scan.walk = true
					got, _ := allPages(t, s, filter)
					want, _ := allPages(t, s, scan)
					if strings.Join(got, ",") != strings.Join(want, ",") {
						t.Errorf("%q month %q: index %v, scan %v", q, filter.Month, got, want)
					}
					if q == "红包" && filter.Month == "" && len(want) != 4 {
						t.Errorf("%q: scan found %d, want the 4 written (one a day)", q, len(want))
					}
				}
			}
		}
		agree(t)
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatalf("the nightly indexer after the unfinished start: %v", err)
		}
		if ids, st := indexed(t, s); st.through != "2026-05-02" || len(ids) != 4*len(contents) || !st.staffBuilt {
			t.Fatalf("after IndexSearch: %d documents, through %q, staff built %v", len(ids), st.through, st.staffBuilt)
		}
		agree(t)
	})
}
