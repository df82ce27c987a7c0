package storage

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"minsheng/access"
)

// seedTaxonomy tags the list fixture with the taxonomy and feature 30's flags, then retires
// kickbacks, which f keeps.
func seedTaxonomy(t *testing.T, sd seeded) {
	t.Helper()
	ctx := context.Background()
	for key, tags := range map[string][]string{
		"a": {"service_attitude"},
		"b": {"bureaucratism-buckpassing", "service_attitude"},
		"d": {"hedonism-lazy", "labour_discipline"},
		"e": {"labour_discipline"},
		"f": {"kickbacks"},
		"g": {"extravagance-banquets", "eightrules"},
	} {
		if err := sd.s.SetOpinionTags(ctx, 0, sd.ids[key], tags); err != nil {
			t.Fatalf("SetOpinionTags(%s): %v", key, err)
		}
	}
	for key, flags := range map[string][2]string{
		"a": {"", ReachCommon},
		"b": {NatureConduct, ReachCommon},
		"d": {NatureWork, ReachIndividual},
		"g": {NatureConduct, ReachIndividual},
	} {
		if err := sd.s.SetAttributes(ctx, 0, sd.ids[key], flags[0], flags[1]); err != nil {
			t.Fatalf("SetAttributes(%s): %v", key, err)
		}
	}
	if err := sd.s.SetTagRetired(ctx, 0, "kickbacks", true); err != nil {
		t.Fatal(err)
	}
}

// TestListOpinionsTaxonomyFilters: the tag filter finds manifestations and families (a retired
// one still finds the opinions that keep it), the flags filter by equality, and both combine
// with the other filters and the scope; the sidebar counts agree with the list.
func TestListOpinionsTaxonomyFilters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		seedTaxonomy(t, sd)
		ctx := context.Background()
		leader := &access.Viewer{Role: access.Leader, Linked: []string{"county-hospital"}} // never 举报 (d)
		tests := []struct {
			name string
			f    OpinionFilter
			want string // fixture keys, any order
		}{
			{"manifestation", OpinionFilter{Tag: "bureaucratism-buckpassing"}, "b"},
			{"another manifestation", OpinionFilter{Tag: "hedonism-lazy"}, "d"},
			{"family", OpinionFilter{Tag: "service_attitude"}, "ab"},
			{"family on two units", OpinionFilter{Tag: "labour_discipline"}, "de"},
			{"retired tag still found", OpinionFilter{Tag: "kickbacks"}, "f"},
			{"tag nobody carries", OpinionFilter{Tag: "praise"}, ""},
			{"unknown tag", OpinionFilter{Tag: "no-such-tag"}, ""},
			{"nature conduct", OpinionFilter{Nature: NatureConduct}, "bg"},
			{"nature work", OpinionFilter{Nature: NatureWork}, "d"},
			{"reach common", OpinionFilter{Reach: ReachCommon}, "ab"},
			{"reach individual", OpinionFilter{Reach: ReachIndividual}, "dg"},
			{"nature and reach", OpinionFilter{Nature: NatureConduct, Reach: ReachIndividual}, "g"},
			{"tag and no style", OpinionFilter{Tag: "service_attitude", Style: StyleNone}, "a"},
			{"tag and status", OpinionFilter{Tag: "labour_discipline", Status: "triaged"}, "e"},
			{"tag and month", OpinionFilter{Tag: "service_attitude", Month: "2026-03"}, "b"},
			{"tag and style", OpinionFilter{Tag: "eightrules", Style: "extravagance"}, "g"},
			{"tag and reach disjoint", OpinionFilter{Tag: "eightrules", Reach: ReachCommon}, ""},
			{"tag within a leader's scope", OpinionFilter{Tag: "labour_discipline", Scope: leader}, "e"},
			{"reach within a leader's scope", OpinionFilter{Reach: ReachCommon, Scope: leader}, "b"},
			{"nature within a leader's scope", OpinionFilter{Nature: NatureWork, Scope: leader}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := sd.s.ListOpinions(ctx, tt.f, Cursor{}, 50)
				if err != nil {
					t.Fatalf("ListOpinions(%+v): %v", tt.f, err)
				}
				if got, want := opinionIDs(page.Opinions), sd.ordered(tt.want, false); !reflect.DeepEqual(got, want) {
					t.Errorf("ListOpinions(%+v) = keys %q, want %q", tt.f, sd.keys(page.Opinions), tt.want)
				}
				counts, err := sd.s.StatusCounts(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if tt.f.Status == "" && counts.Total != len(tt.want) {
					t.Errorf("StatusCounts(%+v).Total = %d, want %d", tt.f, counts.Total, len(tt.want))
				}
				var exported []Opinion
				if err := sd.s.EachOpinion(ctx, tt.f, func(o Opinion) error { exported = append(exported, o); return nil }); err != nil {
					t.Fatal(err)
				}
				if got, want := opinionIDs(exported), sd.ordered(tt.want, true); !reflect.DeepEqual(got, want) {
					t.Errorf("EachOpinion(%+v) = keys %q, want %q", tt.f, sd.keys(exported), tt.want)
				}
			})
		}
	})
}

// TestTagFilterUsesIndex: the tag condition is answered from opinion_tags_by_tag, not by
// reading every opinion's tags.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestTagFilterUsesIndex(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	where, args := OpinionFilter{Tag: "praise"}.where()
	plan := queryPlan(t, s, `SELECT o.id FROM opinions o WHERE `+where, args...)
	if !strings.Contains(plan, "opinion_tags_by_tag") {
		t.Errorf("the tag filter reads no index of opinion_tags:\n%s", plan)
	}
}
