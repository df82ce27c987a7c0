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
		pastDeadline    bool // overdue: escalates to the liaison of the lead unit's parent
	}
	fixtures := []fixture{
		{"complaint", "county-hospital", "", false, false},
		{"complaint", "county-hospital", "county-hospital", false, false},
		{"complaint", "county-hospital", "county-hospital", true, false}, // about the hospital's own leadership
		{"suggestion", "tcm-hospital", "county-hospital", true, false},   // led by county-hospital, about tcm's leadership
		{"report", "county-hospital", "county-hospital", false, false},   // 举报
		{"report", "bureau", "", false, false},
		{"praise", "qingshan-thc", "qingshan-thc", false, false},
		{"opinion", "bureau", "bureau", true, false},
		{"complaint", "tcm-hospital", "tcm-hospital", false, true},      // overdue, parent bureau
		{"complaint", "county-hospital", "county-hospital", true, true}, // overdue, about its leadership
		{"report", "qingshan-thc", "qingshan-thc", false, true},         // overdue 举报
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
		if f.pastDeadline {
			if _, err := s.write.Exec(`UPDATE rectifications SET deadline = '2026-03-20' WHERE opinion_id = ?`, id); err != nil {
				t.Fatal(err)
			}
		}
		o, err := s.Opinion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		facts[id] = factsOf(o)
		if f.pastDeadline && (o.LeadParent != "bureau" || !facts[id].Overdue("2026-04-01")) {
			t.Fatalf("fixture %+v: not overdue under the bureau: %+v", f, o)
		}
	}
	viewers := map[string]access.Viewer{
		"admin":                   {Role: access.Admin},
		"reviewer":                {Role: access.Reviewer},
		"supervisor":              {Role: access.Supervisor},
		"discipline":              {Role: access.Discipline},
		"liaison county":          {Role: access.Liaison, Unit: "county-hospital"},
		"liaison qingshan":        {Role: access.Liaison, Unit: "qingshan-thc"},
		"liaison without a unit":  {Role: access.Liaison},
		"liaison bureau (督办)":     {Role: access.Liaison, Unit: "bureau", Today: "2026-04-01"},
		"liaison bureau, no date": {Role: access.Liaison, Unit: "bureau"},
		"leader of two":           {Role: access.Leader, Linked: []string{"county-hospital", "bureau"}},
		"leader of none":          {Role: access.Leader},
		"unknown role":            {Role: "visitor"},
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
				if !v.CanSee(factsOf(o)) {
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

// factsOf is what access needs of an opinion, as handlers build it.
func factsOf(o Opinion) access.Facts {
	return access.Facts{Type: o.Type, UnitCode: o.UnitCode, LeadUnit: o.LeadUnit, LeadParent: o.LeadParent,
		AboutLeadership: o.AboutLeadership, Status: o.Status, Deadline: o.Deadline}
}
