package report

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/internal/storetest"
	"minsheng/internal/testkit"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// world is a real database file with a clock tests move.
type world struct {
	t     *testing.T
	st    *storage.Store
	clock *testkit.Clock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	st, clock := storetest.Open(t, time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC))
	return &world{t: t, st: st, clock: clock}
}

// on sets the clock to noon of day (YYYY-MM-DD) in China: what happens next happens that day.
func (w *world) on(day string) *world {
	storetest.SetDay(w.t, w.clock, day)
	return w
}

// opinion stores n, blank fields filled with ordinary values, on the clock's day.
func (w *world) opinion(n storage.NewOpinion) string {
	w.t.Helper()
	return storetest.Opinion(w.t, w.st, n)
}

// seedDecember stores a small December 2026 (and one November opinion), returns an opinion
// tagged formalism and a reviewer's id.
func seedDecember(t *testing.T) (*world, string, int64) {
	w := newWorld(t)
	ctx := context.Background()
	w.on("2026-11-20").opinion(storage.NewOpinion{})
	w.on("2026-12-03")
	a := w.opinion(storage.NewOpinion{Dept: "内科"})
	w.opinion(storage.NewOpinion{UnitCode: "tcm-hospital"})
	w.opinion(storage.NewOpinion{Type: "report"})
	if err := w.st.SetStylesAndTags(ctx, 0, a, []string{"formalism"}, nil); err != nil {
		t.Fatal(err)
	}
	u, err := w.st.CreateUser(ctx, 0, "office", "password-long-enough", access.Reviewer)
	if err != nil {
		t.Fatal(err)
	}
	w.on("2026-12-31")
	return w, a, u.ID
}

func decemberQuery(t *testing.T, role string) stats.Query {
	pd, err := period.Parse("2026-12")
	if err != nil {
		t.Fatal(err)
	}
	return stats.Query{Period: pd, Viewer: access.Viewer{Role: role}, Today: "2026-12-31"}
}

// TestDraftIssueLoad walks a report's life on a real store: drafted from the figures, edited
// and saved, brought back, issued, read back from the archive; then an opinion is re-tagged and
// the archived copy is still byte for byte the same, while a new draft counts afresh.
func TestDraftIssueLoad(t *testing.T) {
	w, tagged, uid := seedDecember(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	r, err := Draft(ctx, w.st, decemberQuery(t, access.Reviewer), Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	if r.Figures.Current.Total != 2 || r.Figures.Previous.Total != 1 || r.Discipline {
		t.Fatalf("drafted figures: total %d, previous %d, discipline %v; want 2, 1, false (举报 left out)",
			r.Figures.Current.Total, r.Figures.Previous.Total, r.Discipline)
	}
	if want := "本月共收到意见建议2条，较上期增加1条（上期1条），去年同期为0条，不计算同比。"; Paragraphs(r.Narrative.Basics)[0] != want {
		t.Errorf("first sentence = %q, want %q", Paragraphs(r.Narrative.Basics)[0], want)
	}

	for _, sec := range r.Sections(zh) {
		for _, tb := range sec.Tables {
			if tb.Key == "intake-channel" && (len(tb.Rows) != 1 || tb.Rows[0][0] != "网上留言") {
				t.Errorf("channel rows = %v, want only the channel used (unused terms left out)", tb.Rows)
			}
		}
	}

	r.Narrative.Causes = "staff wrote this"
	r.Cases = []Case{{OpinionID: tagged, Summary: "staff summary"}}
	if err := SaveDraft(ctx, w.st, uid, r); err != nil {
		t.Fatal(err)
	}
	again, err := Draft(ctx, w.st, decemberQuery(t, access.Reviewer), Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	if saved, err := ApplySaved(ctx, w.st, again); err != nil || !saved || again.Narrative.Causes != "staff wrote this" || len(again.Cases) != 1 {
		t.Fatalf("ApplySaved = %v, %v; narrative %q, cases %v", saved, err, again.Narrative.Causes, again.Cases)
	}

	issued, err := Issue(ctx, w.st, uid, again, "")
	if err != nil {
		t.Fatal(err)
	}
	if issued.Number != "2026-001" || issued.IssuedOn != "2026-12-31" || issued.IssuedBy != "office" || len(issued.SHA256) != 64 {
		t.Errorf("issued %s on %s by %s, sum %q", issued.Number, issued.IssuedOn, issued.IssuedBy, issued.SHA256)
	}
	frozen, err := issued.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if Sum(frozen) != issued.SHA256 {
		t.Errorf("the sum is not that of the canonical JSON")
	}

	if err := w.st.SetStylesAndTags(ctx, 0, tagged, []string{"bureaucratism"}, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(ctx, w.st, issued.Number)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loaded.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, frozen) || loaded.SHA256 != issued.SHA256 {
		t.Errorf("after re-tagging, the archived report changed:\n%s\nwant\n%s", b, frozen)
	}
	if find(loaded.Figures.Current.ByStyle, "formalism") != 1 {
		t.Errorf("archived styles = %v, want formalism still 1", loaded.Figures.Current.ByStyle)
	}
	// The issued sections are frozen in the drafting language: the same words and numbers as the
	// draft had, whatever language reads them later.
	if want := again.Sections(zh); !reflect.DeepEqual(loaded.Sections(locale.Get(locale.En)), want) || len(want) == 0 {
		t.Errorf("the issued sections are not the draft's, frozen in zh-CN")
	}
	fresh, err := Draft(ctx, w.st, decemberQuery(t, access.Reviewer), Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	if find(fresh.Figures.Current.ByStyle, "bureaucratism") != 1 || find(fresh.Figures.Current.ByStyle, "formalism") != 0 {
		t.Errorf("a new draft should count the re-tagging: %v", fresh.Figures.Current.ByStyle)
	}
	if _, err := Issue(ctx, w.st, uid, loaded, ""); err == nil {
		t.Error("an issued report was issued again")
	}
	if err := SaveDraft(ctx, w.st, uid, loaded); err == nil {
		t.Error("an issued report was saved as a draft")
	}

	corrected, err := Issue(ctx, w.st, uid, fresh, issued.Number)
	if err != nil {
		t.Fatal(err)
	}
	if corrected.Number != "2026-002" || corrected.Replaces != issued.Number {
		t.Errorf("correction %s replaces %q, want 2026-002 replacing %s", corrected.Number, corrected.Replaces, issued.Number)
	}
}

// TestDisciplineVersion: 纪检's draft counts 举报 and shows its section; the office's does not.
func TestDisciplineVersion(t *testing.T) {
	w, _, _ := seedDecember(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	tests := []struct {
		role        string
		discipline  bool
		total       int
		withReports bool
	}{
		{access.Reviewer, false, 2, false},
		{access.Discipline, true, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			r, err := Draft(ctx, w.st, decemberQuery(t, tt.role), Summary, zh)
			if err != nil {
				t.Fatal(err)
			}
			has := false
			for _, s := range r.Sections(zh) {
				has = has || s.Key == "reports"
			}
			if tt.withReports && (r.Figures.Current.Reports == nil || r.Figures.Current.Reports.Received != 1) {
				t.Errorf("举报 figures = %+v, want 1 received", r.Figures.Current.Reports)
			}
			if r.Discipline != tt.discipline || r.Figures.Current.Total != tt.total || has != tt.withReports {
				t.Errorf("discipline %v, total %d, 举报 section %v; want %v, %d, %v", r.Discipline,
					r.Figures.Current.Total, has, tt.discipline, tt.total, tt.withReports)
			}
		})
	}
}

// TestLoadRefusesUnknown: an unknown number is storage.ErrNotFound, not an empty report.
func TestLoadRefusesUnknown(t *testing.T) {
	w, _, _ := seedDecember(t)
	if _, err := Load(context.Background(), w.st, "2026-404"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}
