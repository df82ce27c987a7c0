package stats

import (
	"context"
	"fmt"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// BenchmarkHotSpots measures what the daily hot-spot sweep costs: one unit's warnings up to a
// day (the month and the three before it) against that unit's dashboard (twelve months, the
// baseline, in the same run), and the whole sweep for one reviewer over every unit.
//
//	go test -run '^$' -bench HotSpots -benchtime 3x ./stats
func BenchmarkHotSpots(b *testing.B) {
	ctx := context.Background()
	reviewer := access.Viewer{Role: access.Reviewer, Today: "2026-11-30"}
	for _, n := range []int{10_000, 1_000_000} {
		st := benchCopy(b, n)
		units, err := st.Units(ctx)
		if err != nil {
			b.Fatal(err)
		}
		all := make([]string, len(units))
		for i, u := range units {
			all[i] = u.Code
		}
		q := DashboardQuery{Unit: "county-hospital", Month: "2026-11", Viewer: reviewer, Today: "2026-11-30"}
		b.Run(fmt.Sprintf("rows=%d/baseline-dashboard", n), withCPU(func(b *testing.B) {
			if _, err := BuildDashboard(ctx, st, q); err != nil {
				b.Fatal(err)
			}
		}))
		b.Run(fmt.Sprintf("rows=%d/hot-spots-one-unit", n), withCPU(func(b *testing.B) {
			if _, err := HotSpots(ctx, st, q, "2026-11-29"); err != nil {
				b.Fatal(err)
			}
		}))
		b.Run(fmt.Sprintf("rows=%d/sweep-one-reviewer-%d-units", n, len(all)), withCPU(func(b *testing.B) {
			readers := []storage.HotSpotReader{{UserID: 1, Viewer: reviewer, Units: all}}
			if _, err := HotSpotNotices(ctx, st, readers, "2026-11-29"); err != nil {
				b.Fatal(err)
			}
		}))
	}
}
