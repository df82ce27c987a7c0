package stats

import (
	"context"
	"minsheng/internal/storetest"
	"slices"
	"testing"

	"minsheng/storage"
)

// Ensure the board counts the year's opinions up to today by style, status, family and
// unit × month, leaving out 举报, letters to the discipline mailbox and other years; lists every
// unit in service (zeros too) and the months from January to today's; keeps a retired family
// that still counts and never counts the withheld families. (These were storage's tests of
// CountsForYear, which the board replaced.)
func TestComputeBoard(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e)
		ctx := context.Background()
		add := func(day string, n storage.NewOpinion, styles []string, tags ...string) {
			t.Helper()
			id := w.on(day).opinion(n)
			if len(styles) > 0 {
				if err := w.st.SetStyles(ctx, 0, id, styles); err != nil {
					t.Fatal(err)
				}
			}
			if len(tags) > 0 {
				if err := w.st.SetOpinionTags(ctx, 0, id, tags); err != nil {
					t.Fatal(err)
				}
			}
		}
		add("2026-01-10", storage.NewOpinion{}, []string{"hedonism"}, "service_attitude", "arbitrary_fees")
		add("2026-01-11", storage.NewOpinion{}, []string{"hedonism", "formalism"}, "service_attitude", "kickbacks", "eightrules")
		add("2026-03-05", storage.NewOpinion{Type: "praise", UnitCode: "bureau"}, nil, "praise", "enforcement")
		add("2026-03-06", storage.NewOpinion{MailboxCode: "director"}, []string{"hedonism"})
		add("2026-03-06", storage.NewOpinion{Type: "report", UnitCode: "bureau"}, []string{"extravagance"}, "service_attitude")
		add("2026-03-07", storage.NewOpinion{MailboxCode: "discipline"}, []string{"hedonism"}, "service_attitude")
		add("2025-12-31", storage.NewOpinion{UnitCode: "bureau"}, []string{"formalism"}, "service_attitude")
		w.on("2026-04-15")
		for _, code := range []string{"enforcement", "safety_hazard"} {
			if err := w.st.SetTagRetired(ctx, 0, code, true); err != nil {
				t.Fatal(err)
			}
		}

		b, err := ComputeBoard(ctx, w.st, "2026-04-15")
		if err != nil {
			t.Fatal(err)
		}
		f := b.Figures
		if f.Total != 4 || b.Year != 2026 {
			t.Fatalf("Total = %d of %d, want 4 of 2026", f.Total, b.Year)
		}
		checks := []struct {
			name string
			got  []Count
			want map[string]int
		}{
			{"styles", f.ByStyle, map[string]int{"hedonism": 3, "formalism": 1, "extravagance": 0, "bureaucratism": 0}},
			{"statuses", f.ByStatus, map[string]int{"received": 4}},
		}
		for _, c := range checks {
			for code, n := range c.want {
				if got := countOf(c.got, code); got != n {
					t.Errorf("%s: %s = %d, want %d (%v)", c.name, code, got, n, c.got)
				}
			}
		}
		if got, want := b.Months, []string{"2026-01", "2026-02", "2026-03", "2026-04"}; !slices.Equal(got, want) {
			t.Errorf("Months = %v, want %v", got, want)
		}
		cells := map[string][]int{}
		sum := 0
		for _, u := range b.Units {
			for _, m := range u.Months {
				cells[u.Code] = append(cells[u.Code], m.N)
				sum += m.N
			}
		}
		if sum != f.Total {
			t.Errorf("the table adds up to %d, want the total %d", sum, f.Total)
		}
		for unit, want := range map[string][]int{"county-hospital": {2, 0, 1, 0}, "bureau": {0, 0, 1, 0}, "tcm-hospital": {0, 0, 0, 0}} {
			if got := cells[unit]; !slices.Equal(got, want) {
				t.Errorf("%s by month = %v, want %v", unit, got, want)
			}
		}

		families := map[string]int{}
		var order []string
		for _, fam := range b.Families {
			families[fam.Code], order = fam.N, append(order, fam.Code)
			if fam.Label == "" || fam.Kind != storage.TagFamily {
				t.Errorf("family %+v without its words or kind", fam)
			}
		}
		for code, n := range map[string]int{"service_attitude": 2, "arbitrary_fees": 1, "praise": 1, "enforcement": 1, "conduct": 0} {
			if got, ok := families[code]; !ok || got != n {
				t.Errorf("family %s = %d (listed %v), want %d", code, got, ok, n)
			}
		}
		for _, code := range append(slices.Clone(storage.BoardWithheldFamilies), "safety_hazard") {
			if _, ok := families[code]; ok {
				t.Errorf("%s is on the board: %v", code, order)
			}
		}
		if i, j := slices.Index(order, "arbitrary_fees"), slices.Index(order, "praise"); i < 0 || j < i {
			t.Errorf("families in order %v, want the taxonomy's", order)
		}
	})
}

func countOf(counts []Count, code string) int {
	for _, c := range counts {
		if c.Code == code {
			return c.N
		}
	}
	return -1
}
