package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"minsheng/lifecycle"
)

// TestTaxonomySeeded: the migration seeds every manifestation under its style and the families
// of feature 27, in order, none retired.
func TestTaxonomySeeded(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		tags, err := s.Tags(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		byCode := map[string]Tag{}
		for _, g := range tags {
			if g.OptionalFamily != "" { // the diagnostic family (0042): TestDiagnosticFamily
				continue
			}
			kinds[g.Kind]++
			byCode[g.Code] = g
			if g.Retired() || g.Label == "" || g.LabelEn == "" {
				t.Errorf("seeded tag %+v: want in use, with both labels", g)
			}
		}
		if kinds[TagManifestation] != 27 || kinds[TagFamily] != 18 {
			t.Errorf("kinds = %v, want 27 manifestations and 18 families", kinds)
		}
		if g := byCode["bureaucratism-buckpassing"]; g.Style != "bureaucratism" || g.Label != "推诿扯皮、久拖不办" {
			t.Errorf("bureaucratism-buckpassing = %+v", g)
		}
		if g := byCode["kickbacks"]; g.Kind != TagFamily || g.Style != "" || g.Label != "红包回扣/开单提成" {
			t.Errorf("kickbacks = %+v", g)
		}
	})
}

// TestOpinionTags: tags go on and off an opinion with their rules: a manifestation needs its
// style, a retired tag cannot be given anew but stays where it is, untagging a style untags its
// manifestations, and each change is audited.
func TestOpinionTags(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		tagsOf := func() []string {
			t.Helper()
			o, err := s.Opinion(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return o.Tags
		}
		if err := s.SetOpinionTags(ctx, 0, id, []string{"bureaucratism-cold"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("a manifestation without its style: err = %v, want ErrInvalid", err)
		}
		if err := s.SetStylesAndTags(ctx, 0, id, []string{"bureaucratism"}, []string{"service_attitude", "bureaucratism-cold"}); err != nil {
			t.Fatal(err)
		}
		if got, want := tagsOf(), []string{"bureaucratism-cold", "service_attitude"}; !reflect.DeepEqual(got, want) {
			t.Errorf("tags = %v, want %v (the taxonomy's order)", got, want)
		}
		if err := s.SetOpinionTags(ctx, 0, id, []string{"no-such-tag"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("unknown tag: err = %v, want ErrInvalid", err)
		}
		if err := s.SetTagRetired(ctx, 0, "service_attitude", true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetOpinionTags(ctx, 0, id, []string{"service_attitude", "bureaucratism-cold"}); err != nil {
			t.Errorf("keeping a retired tag the opinion had: %v", err)
		}
		other := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.SetOpinionTags(ctx, 0, other, []string{"service_attitude"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("giving a retired tag anew: err = %v, want ErrInvalid", err)
		}
		if err := s.SetStyles(ctx, 0, id, nil); err != nil {
			t.Fatal(err)
		}
		if got, want := tagsOf(), []string{"service_attitude"}; !reflect.DeepEqual(got, want) {
			t.Errorf("after untagging the style: tags = %v, want %v", got, want)
		}
		entries, err := s.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		subtags := 0
		for _, e := range entries {
			if e.Action == "subtag" {
				subtags++
			}
		}
		if subtags != 2 {
			t.Errorf("%d subtag audit rows, want 2 (set, then dropped with its style; the unchanged save is not audited)", subtags)
		}
	})
}

// TestTagAdministration: add, rename with keywords, retire and restore; a taken code is a
// conflict, a bad edit invalid.
func TestTagAdministration(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		add := TagEdit{Code: "hedonism-gaming", Kind: TagManifestation, Style: "hedonism", Label: "上班打游戏", Keywords: []string{"打游戏", "玩手机"}}
		if err := s.AddTag(ctx, 0, add); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTag(ctx, 0, add); !errors.Is(err, ErrConflict) {
			t.Errorf("same code again: err = %v, want ErrConflict", err)
		}
		for name, bad := range map[string]TagEdit{
			"no label":      {Code: "x", Kind: TagFamily},
			"bad code":      {Code: "X Y", Kind: TagFamily, Label: "x"},
			"style unknown": {Code: "y", Kind: TagManifestation, Style: "greed", Label: "y"},
			"kind unknown":  {Code: "z", Kind: "colour", Label: "z"},
		} {
			if err := s.AddTag(ctx, 0, bad); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
		if err := s.EditTag(ctx, 0, TagEdit{Code: "hedonism-gaming", Label: "上班时间打游戏", LabelEn: "Gaming at work", Keywords: []string{"打游戏"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTagRetired(ctx, 0, "hedonism-gaming", true); err != nil {
			t.Fatal(err)
		}
		tags, _ := s.Tags(ctx)
		var got Tag
		var before, after string
		for i, g := range tags {
			if g.Code == "hedonism-gaming" {
				got = g
				before, after = tags[i-1].Style, tags[i+1].Style
			}
		}
		if got.Label != "上班时间打游戏" || got.LabelEn != "Gaming at work" || !reflect.DeepEqual(got.Keywords, []string{"打游戏"}) || !got.Retired() {
			t.Errorf("after edit and retire: %+v", got)
		}
		if before != "hedonism" || after == "hedonism" {
			t.Errorf("a new manifestation sits after its style's last (neighbours %q, %q)", before, after)
		}
		if err := s.SetTagRetired(ctx, 0, "hedonism-gaming", false); err != nil {
			t.Fatal(err)
		}
		if err := s.EditTag(ctx, 0, TagEdit{Code: "nope", Label: "x"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("editing an unknown tag: err = %v, want ErrNotFound", err)
		}
	})
}

// TestAttributes: feature 30's flags are stored and read back; anything else is refused.
func TestAttributes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.SetAttributes(ctx, 0, id, NatureConduct, ReachCommon); err != nil {
			t.Fatal(err)
		}
		o, _ := s.Opinion(ctx, id)
		if o.Nature != NatureConduct || o.Reach != ReachCommon {
			t.Errorf("nature, reach = %q, %q", o.Nature, o.Reach)
		}
		if err := s.SetAttributes(ctx, 0, id, "style", ""); !errors.Is(err, ErrInvalid) {
			t.Errorf("bad nature: err = %v, want ErrInvalid", err)
		}
	})
}

// TestSetTagging: the item form's styles, tags and flags are saved together, audited once
// each when they change, and nothing is saved when one part is wrong.
func TestSetTagging(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{})
		actions := func() []string {
			t.Helper()
			a, err := s.AuditOf(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range a {
				out = append(out, e.Action+" "+e.Detail)
			}
			return out
		}
		steps := []struct {
			name    string
			tagging Tagging
			err     error
			audit   []string // the rows this step adds
		}{
			{"all at once", Tagging{Styles: []string{"bureaucratism"}, Tags: []string{"bureaucratism-cold", "service_attitude"},
				Nature: NatureConduct, Reach: ReachCommon},
				nil, []string{"tag bureaucratism", "subtag bureaucratism-cold,service_attitude", "attributes conduct,common"}},
			{"same again: only the styles' row", Tagging{Styles: []string{"bureaucratism"}, Tags: []string{"bureaucratism-cold", "service_attitude"},
				Nature: NatureConduct, Reach: ReachCommon}, nil, []string{"tag bureaucratism"}},
			{"a manifestation without its style", Tagging{Tags: []string{"bureaucratism-cold"}}, ErrInvalid, nil},
			{"a bad flag", Tagging{Styles: []string{"bureaucratism"}, Reach: "everyone"}, ErrInvalid, nil},
			{"flags undecided", Tagging{Styles: []string{"bureaucratism"}, Tags: []string{"bureaucratism-cold", "service_attitude"}},
				nil, []string{"tag bureaucratism", "attributes ,"}},
		}
		for _, st := range steps {
			before := len(actions())
			err := s.SetTagging(ctx, 0, id, st.tagging)
			if !errors.Is(err, st.err) {
				t.Fatalf("%s: err = %v, want %v", st.name, err, st.err)
			}
			if got := actions()[before:]; !reflect.DeepEqual(got, st.audit) && (len(got) > 0 || len(st.audit) > 0) {
				t.Errorf("%s: audit rows %q, want %q", st.name, got, st.audit)
			}
		}
		o, _ := s.Opinion(ctx, id)
		if !reflect.DeepEqual(o.Styles, []string{"bureaucratism"}) || len(o.Tags) != 2 || o.Nature != "" || o.Reach != "" {
			t.Errorf("opinion after the steps: styles %v tags %v nature %q reach %q", o.Styles, o.Tags, o.Nature, o.Reach)
		}
		if err := s.SetTagging(ctx, 0, "NOSUCHID00", Tagging{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown opinion: err = %v, want ErrNotFound", err)
		}
	})
}

// TestAddToOpinion: accepting a suggestion adds one style or tag (a manifestation with its
// style), keeps the rest, audits each addition, and refuses unknown and retired codes.
func TestAddToOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := taggedOpinion(t, s, Tagging{Styles: []string{"hedonism"}, Tags: []string{"service_attitude"}}, "kickbacks")
		tests := []struct {
			name   string
			code   string
			added  bool
			err    error
			audit  []string
			styles []string
			tags   []string
		}{
			{"a manifestation brings its style", "bureaucratism-buckpassing", true, nil,
				[]string{"tag +bureaucratism", "subtag +bureaucratism-buckpassing"},
				[]string{"bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude"}},
			{"a style", "formalism", true, nil, []string{"tag +formalism"},
				[]string{"formalism", "bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude"}},
			{"one it has", "service_attitude", false, nil, nil,
				[]string{"formalism", "bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude"}},
			{"a family", "environment_process", true, nil, []string{"subtag +environment_process"},
				[]string{"formalism", "bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude", "environment_process"}},
			{"a retired tag", "kickbacks", false, ErrInvalid, nil,
				[]string{"formalism", "bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude", "environment_process"}},
			{"an unknown code", "laziness", false, ErrInvalid, nil,
				[]string{"formalism", "bureaucratism", "hedonism"}, []string{"bureaucratism-buckpassing", "service_attitude", "environment_process"}},
		}
		for _, tt := range tests {
			a, _ := s.AuditOf(ctx, id)
			added, err := s.AddToOpinion(ctx, 0, id, tt.code)
			if added != tt.added || !errors.Is(err, tt.err) {
				t.Errorf("%s: added %v err %v, want %v %v", tt.name, added, err, tt.added, tt.err)
			}
			after, _ := s.AuditOf(ctx, id)
			var rows []string
			for _, e := range after[len(a):] {
				rows = append(rows, e.Action+" "+e.Detail)
			}
			if !reflect.DeepEqual(rows, tt.audit) {
				t.Errorf("%s: audit rows %q, want %q", tt.name, rows, tt.audit)
			}
			o, _ := s.Opinion(ctx, id)
			if !sameElements(o.Styles, tt.styles) || !sameElements(o.Tags, tt.tags) {
				t.Errorf("%s: styles %v tags %v, want %v %v", tt.name, o.Styles, o.Tags, tt.styles, tt.tags)
			}
		}
	})
}

// taggedOpinion stores an opinion sorted as tagging says, retires the tag retired, and returns
// the opinion's id: the start of the tests that add one tag to an opinion.
func taggedOpinion(t *testing.T, s *Store, tagging Tagging, retired string) string {
	t.Helper()
	ctx := context.Background()
	id := mustCreateOpinion(t, s, NewOpinion{})
	if err := s.SetTagging(ctx, 0, id, tagging); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTagRetired(ctx, 0, retired, true); err != nil {
		t.Fatal(err)
	}
	return id
}

func sameElements(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return len(a) == len(b)
}

// TestDecisions: the suggester learns from what reviewers sorted — past 待梳理, no 举报 —
// newest first and no more than asked for, each with its styles and tags.
func TestDecisions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		sorted := func(n NewOpinion, styles []string) string {
			t.Helper()
			id := mustCreateOpinion(t, s, n)
			if err := s.SetStyles(ctx, 0, id, styles); err != nil {
				t.Fatal(err)
			}
			if err := s.Transition(ctx, 0, id, lifecycle.Step{To: lifecycle.Triaged}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		older := sorted(NewOpinion{Content: "办证跑了四趟，窗口推来推去"}, []string{"bureaucratism"})
		clock.Advance(48 * time.Hour)
		newer := sorted(NewOpinion{Content: "停车位太少，希望增加"}, nil)
		sorted(NewOpinion{Type: "report", Content: "某医生收红包，手术前要先给钱"}, nil)
		mustCreateOpinion(t, s, NewOpinion{Content: "还没有人看过的意见"})
		got, err := s.Decisions(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != newer || got[1].ID != older || !reflect.DeepEqual(got[1].Styles, []string{"bureaucratism"}) {
			t.Errorf("decisions = %+v, want the parking one then the sorted bureaucratism one, no 举报, nothing unsorted", got)
		}
		if got, _ := s.Decisions(ctx, 1); len(got) != 1 || got[0].ID != newer {
			t.Errorf("limit 1 = %+v, want the newest alone", got)
		}
	})
}
