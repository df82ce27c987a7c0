package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// TestAddOpinionTag: one tag added, the others kept; a manifestation brings its style; a tag
// already there changes nothing; a retired or unknown tag is refused; each change is audited.
func TestAddOpinionTag(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := taggedOpinion(t, s, Tagging{Styles: []string{"formalism"}, Tags: []string{"service_attitude"}}, "praise")
		tests := []struct {
			name       string
			code       string
			wantAdded  bool
			wantErr    error
			wantStyles []string
			wantTags   []string
		}{
			{"a family", "labour_discipline", true, nil,
				[]string{"formalism"}, []string{"service_attitude", "labour_discipline"}},
			{"a manifestation brings its style", "bureaucratism-buckpassing", true, nil,
				[]string{"formalism", "bureaucratism"}, []string{"bureaucratism-buckpassing", "service_attitude", "labour_discipline"}},
			{"a manifestation of a style it has", "formalism-perfunctory", true, nil,
				[]string{"formalism", "bureaucratism"}, []string{"formalism-perfunctory", "bureaucratism-buckpassing", "service_attitude", "labour_discipline"}},
			{"already there", "service_attitude", false, nil,
				[]string{"formalism", "bureaucratism"}, []string{"formalism-perfunctory", "bureaucratism-buckpassing", "service_attitude", "labour_discipline"}},
			{"retired", "praise", false, ErrInvalid,
				[]string{"formalism", "bureaucratism"}, []string{"formalism-perfunctory", "bureaucratism-buckpassing", "service_attitude", "labour_discipline"}},
			{"unknown", "no-such-tag", false, ErrInvalid,
				[]string{"formalism", "bureaucratism"}, []string{"formalism-perfunctory", "bureaucratism-buckpassing", "service_attitude", "labour_discipline"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				added, err := s.AddOpinionTag(ctx, 0, id, tt.code)
				if added != tt.wantAdded || !errors.Is(err, tt.wantErr) {
					t.Errorf("AddOpinionTag(%s) = %v, %v; want %v, %v", tt.code, added, err, tt.wantAdded, tt.wantErr)
				}
				o, err := s.Opinion(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(o.Styles, tt.wantStyles) || !reflect.DeepEqual(o.Tags, tt.wantTags) {
					t.Errorf("styles %v tags %v; want %v %v", o.Styles, o.Tags, tt.wantStyles, tt.wantTags)
				}
			})
		}
		if _, err := s.AddOpinionTag(ctx, 0, "NOSUCHID00", "praise"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown opinion: err = %v, want ErrNotFound", err)
		}
		// A retired tag the opinion keeps is "already there", not refused.
		if err := s.SetTagRetired(ctx, 0, "service_attitude", true); err != nil {
			t.Fatal(err)
		}
		if added, err := s.AddOpinionTag(ctx, 0, id, "service_attitude"); added || err != nil {
			t.Errorf("a retired tag it keeps: %v, %v; want false, nil", added, err)
		}
		entries, err := s.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action+" "+e.Detail)
		}
		want := []string{"tag formalism", "subtag service_attitude",
			"subtag service_attitude,labour_discipline",
			"tag +bureaucratism", "subtag bureaucratism-buckpassing,service_attitude,labour_discipline",
			"subtag formalism-perfunctory,bureaucratism-buckpassing,service_attitude,labour_discipline"}
		if len(got) < len(want) || !reflect.DeepEqual(got[len(got)-len(want):], want) {
			t.Errorf("audit ends with\n%q\nwant\n%q", got, want)
		}
	})
}
