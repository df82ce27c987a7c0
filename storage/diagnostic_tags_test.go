package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDiagnosticFamily: the fifteen diagnostic tags of feature 28 are seeded off (retired, so
// no opinion can be given them); turning the family on puts every one in use, audited once;
// turning it off again keeps them on the opinions that carry them.
func TestDiagnosticFamily(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		diagnostic := func() []Tag {
			t.Helper()
			tags, err := s.Tags(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []Tag
			for _, g := range tags {
				if g.OptionalFamily == DiagnosticFamily {
					out = append(out, g)
				}
			}
			return out
		}
		tags := diagnostic()
		var labels []string
		for _, g := range tags {
			labels = append(labels, g.Label)
			if g.Kind != TagFamily || !g.Retired() || g.LabelEn == "" {
				t.Errorf("seeded %+v: want an English label and the family off", g)
			}
		}
		joined := strings.Join(labels, "|")
		for _, want := range []string{"五查五看：查思想认识", "四面镜子：民心民声", "为民", "务实", "清廉", "不方便", "不放心", "不满意"} {
			if !strings.Contains(joined, want) {
				t.Errorf("no tag %q among %q", want, labels)
			}
		}
		if len(tags) != 15 {
			t.Errorf("%d diagnostic tags, want 15", len(tags))
		}
		if on, err := s.OptionalFamilyOn(ctx, DiagnosticFamily); err != nil || on {
			t.Fatalf("on at first: %v, %v", on, err)
		}
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.SetOpinionTags(ctx, 0, id, []string{"dx-inconvenient"}); err == nil {
			t.Errorf("a tag of a family that is off was given")
		}

		if err := s.SetOptionalFamily(ctx, 0, DiagnosticFamily, true); err != nil {
			t.Fatal(err)
		}
		for _, g := range diagnostic() {
			if g.Retired() {
				t.Errorf("%s still off", g.Code)
			}
		}
		if err := s.SetOpinionTags(ctx, 0, id, []string{"dx-inconvenient", "dx-clean"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetOptionalFamily(ctx, 0, DiagnosticFamily, false); err != nil {
			t.Fatal(err)
		}
		if o, err := s.Opinion(ctx, id); err != nil || len(o.Tags) != 2 {
			t.Errorf("the opinion's tags after the family went off: %v, %v", o.Tags, err)
		}
		if n := countRows(t, s, "audit_log", "action = 'tag_family'"); n != 2 {
			t.Errorf("%d audit rows, want one per switch", n)
		}
		if err := s.SetOptionalFamily(ctx, 0, "horoscope", true); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown family: %v, want ErrNotFound", err)
		}
	})
}
