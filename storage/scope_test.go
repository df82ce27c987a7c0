package storage

import (
	"context"
	"sort"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// Ensure the SQL scope of every kind of staff member lists exactly the opinions access.CanSee
// lets them open: the two encodings of the rules never drift apart.
func TestScopeAgreesWithAccess(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	ctx := context.Background()
	type fixture struct {
		typ, unit, lead string
		leadership      bool
	}
	fixtures := []fixture{
		{"complaint", "county-hospital", "", false},
		{"complaint", "county-hospital", "county-hospital", false},
		{"complaint", "county-hospital", "county-hospital", true}, // about the hospital's own leadership
		{"suggestion", "tcm-hospital", "county-hospital", true},   // led by county-hospital, about tcm's leadership
		{"report", "county-hospital", "county-hospital", false},   // 举报
		{"report", "bureau", "", false},
		{"praise", "qingshan-thc", "qingshan-thc", false},
		{"opinion", "bureau", "bureau", true},
	}
	facts := map[string]access.Facts{}
	for _, f := range fixtures {
		id := mustCreateOpinion(t, s, NewOpinion{Type: f.typ, UnitCode: f.unit})
		if f.leadership {
			if err := s.Classify(ctx, 0, id, "leadership", true); err != nil {
				t.Fatal(err)
			}
		}
		if f.lead != "" {
			if !f.leadership { // Classify already moved it to 已分类
				walkTo(t, s, id, lifecycle.Triaged)
			}
			step := fullStep(lifecycle.Assigned, "")
			step.LeadUnit = f.lead
			if err := s.Transition(ctx, 0, id, step); err != nil {
				t.Fatal(err)
			}
		}
		facts[id] = access.Facts{Type: f.typ, UnitCode: f.unit, LeadUnit: f.lead, AboutLeadership: f.leadership}
	}
	viewers := map[string]access.Viewer{
		"admin":                  {Role: access.Admin},
		"reviewer":               {Role: access.Reviewer},
		"supervisor":             {Role: access.Supervisor},
		"discipline":             {Role: access.Discipline},
		"liaison county":         {Role: access.Liaison, Unit: "county-hospital"},
		"liaison qingshan":       {Role: access.Liaison, Unit: "qingshan-thc"},
		"liaison without a unit": {Role: access.Liaison},
		"leader of two":          {Role: access.Leader, Linked: []string{"county-hospital", "bureau"}},
		"leader of none":         {Role: access.Leader},
		"unknown role":           {Role: "visitor"},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			var want, got []string
			for id, f := range facts {
				if v.CanSee(f) {
					want = append(want, id)
				}
			}
			err := s.EachOpinion(ctx, OpinionFilter{Scope: &v}, func(o Opinion) error {
				got = append(got, o.ID)
				if !v.CanSee(access.Facts{Type: o.Type, UnitCode: o.UnitCode, LeadUnit: o.LeadUnit, AboutLeadership: o.AboutLeadership}) {
					t.Errorf("listed %s, which access says is hidden", o.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(want)
			sort.Strings(got)
			if len(got) != len(want) {
				t.Fatalf("listed %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("listed %v, want %v", got, want)
				}
			}
		})
	}
}
