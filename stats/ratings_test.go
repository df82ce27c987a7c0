package stats

import (
	"context"
	"minsheng/internal/storetest"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/storage"
)

// Ensure the ratings alone are counted as Compute counts them: by the unit the opinion is
// about, within the viewer's scope (a 举报's rating only for 纪检) and the period, the rate
// being 满意 + 基本满意 over all ratings. (This was storage's test of SatisfactionByUnit.)
func TestComputeSatisfaction(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e).on("2026-03-10")
		for _, r := range []struct{ unit, typ, rating string }{
			{"county-hospital", "complaint", "satisfied"},
			{"county-hospital", "complaint", "basically"},
			{"county-hospital", "complaint", "dissatisfied"},
			{"county-hospital", "suggestion", "satisfied"},
			{"bureau", "report", "dissatisfied"},
		} {
			id := w.opinion(storage.NewOpinion{UnitCode: r.unit, Type: r.typ})
			w.walk(id, lifecycle.Satisfaction, work{unit: r.unit, ledger: "problem", deadline: "2026-03-30", kind: "immediate"})
			w.rate(id, r.rating)
		}
		year, _ := period.Parse("2026")
		before, _ := period.Parse("2025")
		tests := []struct {
			name string
			q    Query
			want []UnitSatisfaction
		}{
			{"reviewer", Query{Period: year, Viewer: access.Viewer{Role: access.Reviewer}},
				[]UnitSatisfaction{{Code: "county-hospital", Name: "县人民医院", Satisfied: 2, Basically: 1, Dissatisfied: 1}}},
			{"discipline", Query{Period: year, Viewer: access.Viewer{Role: access.Discipline}},
				[]UnitSatisfaction{{Code: "bureau", Name: "县卫生健康局机关", Dissatisfied: 1}}},
			{"another year", Query{Period: before, Viewer: access.Viewer{Role: access.Reviewer}}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := ComputeSatisfaction(context.Background(), w.st, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.ByUnit) != len(tt.want) {
					t.Fatalf("ByUnit = %+v, want %+v", got.ByUnit, tt.want)
				}
				for i := range tt.want {
					if got.ByUnit[i] != tt.want[i] {
						t.Errorf("ByUnit[%d] = %+v, want %+v", i, got.ByUnit[i], tt.want[i])
					}
				}
				full, err := Compute(context.Background(), w.st, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(full.Satisfaction.ByUnit) != len(got.ByUnit) || full.Satisfaction.Rated != got.Rated {
					t.Errorf("Compute's satisfaction %+v differs from %+v", full.Satisfaction, got)
				}
			})
		}
		if rate, ok := (UnitSatisfaction{Satisfied: 2, Basically: 1, Dissatisfied: 1}).Rate(); ok {
			t.Errorf("a rate of 4 ratings is judged (%v), want none under MinRatings", rate)
		}
	})
}
