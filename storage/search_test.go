package storage

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// searchIDs lists the ids EachOpinion finds for f, sorted.
func searchIDs(t *testing.T, s *Store, f OpinionFilter) []string {
	t.Helper()
	var ids []string
	if err := s.EachOpinion(context.Background(), f, func(o Opinion) error {
		ids = append(ids, o.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return ids
}

func sortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

// Ensure a search finds an opinion whether it or the query is written in Traditional or
// Simplified characters, in full-width or upper-case letters, and both lists agree.
func TestSearchEitherScript(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		simplified := mustCreateOpinion(t, s, NewOpinion{Content: "门难进，护士脸难看"})
		traditional := mustCreateOpinion(t, s, NewOpinion{Content: "門難進、臉難看、事難辦，醫院掛號要兩個小時"})
		fullWidth := mustCreateOpinion(t, s, NewOpinion{Content: "ＣＴ室排队太久"})
		other := mustCreateOpinion(t, s, NewOpinion{Content: "挂号排队两个小时"})
		all := sortedIDs(simplified, traditional, fullWidth, other)
		tests := []struct {
			name, q string
			want    []string
		}{
			{"traditional query", "門難進", sortedIDs(simplified, traditional)},
			{"simplified query", "门难进", sortedIDs(simplified, traditional)},
			{"mixed query", "门難进", sortedIDs(simplified, traditional)},
			{"simplified finds traditional only", "事难办", sortedIDs(traditional)},
			{"query spans words", "医院挂号", sortedIDs(traditional)},
			{"latin, any case or width", "ct室", sortedIDs(fullWidth)},
			{"upper-case latin", "CT", sortedIDs(fullWidth)},
			{"full-width query", "ＣＴ", sortedIDs(fullWidth)},
			{"spaces around", "  挂号排队 ", sortedIDs(other)},
			{"nothing matches", "奢靡", nil},
			{"blank is no search", "   ", all},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := searchIDs(t, s, OpinionFilter{Text: tt.q})
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("search %q: got %v, want %v", tt.q, got, tt.want)
				}
				page, err := s.ListOpinions(context.Background(), OpinionFilter{Text: tt.q}, Cursor{}, 50)
				if err != nil {
					t.Fatal(err)
				}
				if ids := sortedIDs(opinionIDs(page.Opinions)...); fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("queue page for %q: got %v, want %v", tt.q, ids, tt.want)
				}
			})
		}
	})
}

// Ensure the content keeps what the person wrote; only the search copy is folded and masked.
func TestSearchTextIsACopy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		id := mustCreateOpinion(t, s, NewOpinion{Content: "門難進，請回電 13800138000"})
		o, err := s.Opinion(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Content != "門難進，請回電 13800138000" {
			t.Errorf("content = %q, want it as written", o.Content)
		}
		var text string
		if err := s.read.QueryRow(`SELECT search_text FROM opinions WHERE id = ?`, id).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if want := "门难进,请回电 138******00"; text != want {
			t.Errorf("search_text = %q, want %q", text, want)
		}
	})
}

// Ensure nobody can find out whose phone or ID number is in an opinion by searching for it:
// the search sees the text as masked for reviewers.
func TestSearchCannotProbeMaskedNumbers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		id := mustCreateOpinion(t, s, NewOpinion{Content: "请回电 13800138000，身份证 11010519491231002X，病历号 ZY20240012"})
		for _, q := range []string{"13800138000", "0013800", "1949123", "11010519491231002X", "ZY2024", "20240012"} {
			if got := searchIDs(t, s, OpinionFilter{Text: q}); len(got) != 0 {
				t.Errorf("search %q found %v: the masked number leaks", q, got)
			}
		}
		if got := searchIDs(t, s, OpinionFilter{Text: "请回电"}); fmt.Sprint(got) != fmt.Sprint([]string{id}) {
			t.Errorf("search 请回电 = %v, want [%s]", got, id)
		}
	})
}

// Ensure a search narrows what the person may see and never widens it: a liaison finds only
// the work handed to their unit, a reviewer no 举报, discipline only 举报.
func TestSearchKeepsScope(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		assigned := func(content, typ, lead string) string {
			t.Helper()
			id := mustCreateOpinion(t, s, NewOpinion{Content: content, Type: typ, UnitCode: lead})
			walkTo(t, s, id, lifecycle.Triaged)
			step := fullStep(lifecycle.Assigned, "")
			step.LeadUnit = lead
			if err := s.Transition(ctx, 0, id, step); err != nil {
				t.Fatal(err)
			}
			return id
		}
		county := assigned("門難進，推諉扯皮", "complaint", "county-hospital")
		tcm := assigned("门难进，态度冷漠", "complaint", "tcm-hospital")
		report := mustCreateOpinion(t, s, NewOpinion{Content: "门难进，还收红包", Type: "report"})
		unassigned := mustCreateOpinion(t, s, NewOpinion{Content: "门难进"})
		tests := []struct {
			name string
			v    access.Viewer
			want []string
		}{
			{"liaison of county hospital", access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, sortedIDs(county)},
			{"liaison of tcm hospital", access.Viewer{Role: access.Liaison, Unit: "tcm-hospital"}, sortedIDs(tcm)},
			{"liaison without a unit", access.Viewer{Role: access.Liaison}, nil},
			{"reviewer", access.Viewer{Role: access.Reviewer}, sortedIDs(county, tcm, unassigned)},
			{"discipline", access.Viewer{Role: access.Discipline}, sortedIDs(report)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := searchIDs(t, s, OpinionFilter{Text: "門難進", Scope: &tt.v})
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
				for _, id := range got {
					o, err := s.Opinion(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if !tt.v.CanSee(factsOf(o)) {
						t.Errorf("search listed %s, which access says is hidden", id)
					}
				}
			})
		}
	})
}

// Ensure opinions stored without search_text (before migration 0014, or by a tool) are
// filled when the database is opened, more than one batch of them, and a second open has
// nothing left to do.
func TestSearchTextFilledAtOpen(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		path := b.dsn(t)
		ctx := context.Background()
		s, err := Open(ctx, path, Options{Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		old := mustCreateOpinion(t, s, NewOpinion{Content: "門難進，挂号难"})
		// More than two batches of rows, then every search_text emptied, as in a database from
		// before migration 0014.
		batch := make([]SeedOpinion, 2*searchFillBatch+7)
		for i := range batch {
			batch[i] = SeedOpinion{NewOpinion: NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: fmt.Sprintf("第%d條：臉難看", i)}, CreatedOn: "2026-03-01", Status: lifecycle.Received}
		}
		if err := s.InsertSeed(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, s, OpinionFilter{Text: "脸难看"}); len(got) != len(batch) {
			t.Fatalf("seeded rows found %d times, want %d: InsertSeed must fill search_text", len(got), len(batch))
		}
		if _, err := s.write.Exec(`UPDATE opinions SET search_text = ''`); err != nil {
			t.Fatal(err)
		}
		if got := searchIDs(t, s, OpinionFilter{Text: "脸难看"}); len(got) != 0 {
			t.Fatalf("before reopening, search found %v: the test does not test the fill", got)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		s = openAt(t, path, fixedClock)
		if got := searchIDs(t, s, OpinionFilter{Text: "门难进"}); fmt.Sprint(got) != fmt.Sprint([]string{old}) {
			t.Errorf("search 门难进 after reopening = %v, want [%s]", got, old)
		}
		if got := searchIDs(t, s, OpinionFilter{Text: "脸难看"}); len(got) != len(batch) {
			t.Errorf("search 脸难看 found %d, want %d", len(got), len(batch))
		}
		if n := countRows(t, s, "opinions", "search_text = ''"); n != 0 {
			t.Errorf("%d opinions still without search_text", n)
		}
		if err := s.fillSearchText(ctx, io.Discard, s.txTimeout); err != nil {
			t.Errorf("second fill: %v", err)
		}
	})
}

func TestSearchQuery(t *testing.T) {
	long := strings.Repeat("门", MaxSearchText+10)
	tests := []struct {
		name, typed, want string
	}{
		{"trimmed", "  门难进\t", "门难进"},
		{"as typed, not folded", "門難進 ＣＴ", "門難進 ＣＴ"},
		{"control characters removed", "门\x00难\n进", "门难进"},
		{"invalid bytes dropped", "门\xff难进", "门难进"},
		{"cut to the limit", long, strings.Repeat("门", MaxSearchText)},
		{"blank", " \u3000 ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SearchQuery(tt.typed); got != tt.want {
				t.Errorf("SearchQuery(%q) = %q, want %q", tt.typed, got, tt.want)
			}
		})
	}
}
