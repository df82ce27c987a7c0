package stats

import (
	"context"
	"fmt"
	"minsheng/internal/storetest"
	"reflect"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestChunksAddUp: a month counted a day at a time (each day's tally added to the others) gives
// the figures it gives counted in one piece, lists of the latest overdue work included, which
// each chunk keeps bounded on its own.
func TestChunksAddUp(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e)
		units := []string{"county-hospital", "tcm-hospital", "qingshan-thc"}
		for d := 1; d <= 25; d++ {
			day := fmt.Sprintf("2026-04-%02d", d)
			w.on(day)
			id := w.opinion(storage.NewOpinion{UnitCode: units[d%3], Dept: []string{"内科", "药房"}[d%2]})
			// Due the day after it came: on 1 June, the first is the latest (60 days).
			w.walk(id, lifecycle.Rectifying, work{units[d%3], "problem", fmt.Sprintf("2026-04-%02d", d+1), "immediate"})
			if d%4 == 0 {
				if err := w.st.SetStylesAndTags(context.Background(), 0, id, []string{"formalism"}, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		q := Query{Period: mustParse(t, "2026-04"), Viewer: office, Today: "2026-06-01"}
		count := func(days int) *Figures {
			t.Helper()
			q := q
			q.chunkDays = days
			f, err := Compute(context.Background(), w.st, q)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		whole, daily := count(40), count(1)
		if !reflect.DeepEqual(whole, daily) {
			t.Errorf("a day at a time\n %+v\nin one piece\n %+v", daily, whole)
		}
		r := whole.Rectification
		if r.OverdueCount != 25 || len(r.Overdue) != MaxListed || r.Overdue[0].Days != 60 || r.Overdue[MaxListed-1].Days != 41 {
			t.Errorf("overdue: %d counted, %d listed, from %+v to %+v; want 25, %d, 60 days to 41",
				r.OverdueCount, len(r.Overdue), r.Overdue[0], r.Overdue[len(r.Overdue)-1], MaxListed)
		}
	})
}
