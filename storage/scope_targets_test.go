package storage

import (
	"context"
	"slices"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// TestTargetsAreHiddenFromThePersonNamed: an opinion naming a leadership member is about the
// leadership (never the unit's liaison's); one naming a staff member by post or badge is seen
// by the office, 纪检 and the liaison the work is handed to, but never by an account of that
// unit carrying that post or badge. The SQL scope agrees with access.CanSee for each.
func TestTargetsAreHiddenFromThePersonNamed(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		type fixture struct {
			name, typ string
			target    Target
		}
		fixtures := []fixture{
			{"nobody", "complaint", Target{}},
			{"the president", "complaint", Target{Kind: "leadership", Post: "院长"}},
			{"the cashier by badge", "complaint", Target{Kind: "staff", Post: "收费窗口", Badge: "A0123"}},
			{"a nurse by badge alone", "complaint", Target{Kind: "staff", Badge: "B9"}},
			{"a 举报 about the cashier", "report", Target{Kind: "staff", Badge: "A0123"}},
		}
		ids := map[string]string{}
		facts := map[string]access.Facts{}
		for _, f := range fixtures {
			id := mustCreateOpinion(t, s, NewOpinion{Type: f.typ, UnitCode: "county-hospital", Target: f.target})
			walkTo(t, s, id, lifecycle.Triaged)
			step := fullStep(lifecycle.Assigned, "")
			step.LeadUnit = "county-hospital"
			if err := s.Transition(ctx, 0, id, step); err != nil {
				t.Fatal(err)
			}
			o, err := s.Opinion(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.AboutLeadership != (f.target.Kind == "leadership") {
				t.Fatalf("%s: AboutLeadership = %v", f.name, o.AboutLeadership)
			}
			ids[f.name], facts[id] = id, storedFacts(t, s, o)
		}
		liaison := access.Viewer{Role: access.Liaison, Unit: "county-hospital"}
		tests := []struct {
			name   string
			v      access.Viewer
			hidden []string // fixtures the viewer must not see, among those their role sees
			sees   []string
		}{
			{"reviewer", access.Viewer{Role: access.Reviewer}, nil,
				[]string{"nobody", "the president", "the cashier by badge", "a nurse by badge alone"}},
			{"discipline", access.Viewer{Role: access.Discipline}, nil, []string{"a 举报 about the cashier"}},
			{"the unit's liaison", liaison, []string{"the president"},
				[]string{"nobody", "the cashier by badge", "a nurse by badge alone"}},
			{"the liaison who is the cashier by badge", access.Viewer{Role: access.Liaison, Unit: "county-hospital", Badge: "A0123"},
				[]string{"the president", "the cashier by badge"}, []string{"nobody", "a nurse by badge alone"}},
			{"the liaison who holds the cashier's post", access.Viewer{Role: access.Liaison, Unit: "county-hospital", Post: "收费窗口"},
				[]string{"the president", "the cashier by badge"}, []string{"nobody", "a nurse by badge alone"}},
			{"纪检 with the cashier's badge", access.Viewer{Role: access.Discipline, Unit: "county-hospital", Badge: "A0123"},
				[]string{"a 举报 about the cashier"}, nil},
			{"the same badge in another unit", access.Viewer{Role: access.Reviewer, Unit: "qingshan-thc", Badge: "A0123"}, nil,
				[]string{"nobody", "the president", "the cashier by badge", "a nurse by badge alone"}},
			// The roles of #16: a unit head never sees their leadership nor what names them; a
			// citizen supervisor sees nothing of the queue.
			{"the unit head", access.Viewer{Role: access.UnitHead, Unit: "county-hospital"}, []string{"the president"},
				[]string{"nobody", "the cashier by badge", "a nurse by badge alone"}},
			{"the unit head who is the cashier by badge", access.Viewer{Role: access.UnitHead, Unit: "county-hospital", Badge: "A0123"},
				[]string{"the president", "the cashier by badge"}, []string{"nobody", "a nurse by badge alone"}},
			{"a citizen supervisor of the unit", access.Viewer{Role: access.Monitor, Linked: []string{"county-hospital"}},
				[]string{"nobody", "the president", "the cashier by badge", "a 举报 about the cashier"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := tt.v
				v.Mailboxes = mustReadBy(t, s, 0, v.Role)
				var got []string
				err := s.EachOpinion(ctx, OpinionFilter{Scope: &v}, func(o Opinion) error {
					got = append(got, o.ID)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				for id, f := range facts {
					if v.CanSee(f) != slices.Contains(got, id) {
						t.Errorf("%s: CanSee %v but listed %v", id, v.CanSee(f), slices.Contains(got, id))
					}
				}
				for _, name := range tt.hidden {
					if slices.Contains(got, ids[name]) {
						t.Errorf("%s is listed", name)
					}
				}
				for _, name := range tt.sees {
					if !slices.Contains(got, ids[name]) {
						t.Errorf("%s is not listed", name)
					}
				}
			})
		}
	})
}
