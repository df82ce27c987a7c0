package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// allPages reads every page of the queue for f, three rows at a time (the cursor is used).
func allPages(t *testing.T, s *Store, f OpinionFilter) ([]string, map[string]string) {
	t.Helper()
	var ids []string
	found := map[string]string{}
	after := Cursor{}
	for {
		page, err := s.ListOpinions(context.Background(), f, after, 3)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		ids = append(ids, opinionIDs(page.Opinions)...)
		for id, part := range page.Found {
			found[id] = part
		}
		if page.Next.ID == "" {
			return ids, found
		}
		after = page.Next
	}
}

// Ensure the index finds exactly what today's instr() scan over every row finds, in the queue's
// order, with the other filters and the scope, for opinions of indexed days and of today, in
// what they wrote and in what staff wrote: Traditional input, single characters, Latin words,
// masked numbers never; and the same when the matches pass the cap (a common word).
func TestIndexAgreesWithScan(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-04-29"))
		s := b.mustOpenClock(t, clock)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		contents := []string{
			"门难进，脸难看，事难办", "門難進、臉難看", "做CT要等三天，b超也排队", "ＣＴ室的医生玩手机",
			"请回电 13800138000，挂号排队两个小时", "食堂饭菜太贵", "医生收红包", "挂号难", "進", "停车场收费乱",
			"厕所没有纸", "护士态度好，表扬", "ct片子丢了", "药房窗口只开一个",
		}
		var ids []string
		// Two months, so that a month filter cuts the matches: April's days indexed, May's read as rows.
		for d, date := range []string{"2026-04-29", "2026-04-30", "2026-05-01", "2026-05-02"} {
			clock.Set(day(date))
			for i, c := range contents {
				n := NewOpinion{Content: c}
				if (i+d)%3 == 0 {
					n.UnitCode = "qingshan-thc"
				}
				ids = append(ids, mustCreateOpinion(t, s, n))
			}
			if d == 2 {
				if err := s.IndexSearch(ctx, nil); err != nil { // indexes 29 and 30 April; 1 and 2 May are read as rows
					t.Fatal(err)
				}
			}
		}
		// Staff text on opinions of indexed and unindexed days.
		for i, id := range ids {
			switch i % 5 {
			case 0:
				walkTo(t, s, id, lifecycle.Assigned) // measures 增开窗口，高峰增派人员, lead unit county-hospital
			case 1:
				if err := s.SetReply(ctx, u.ID, id, "已轉交停車場管理處"); err != nil {
					t.Fatal(err)
				}
			case 2:
				if err := s.AddNote(ctx, u.ID, id, "夜班值班表已调整"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, st := indexed(t, s); st.through != "2026-04-30" {
			t.Fatalf("indexed through %q", st.through)
		}
		queries := []string{"门难进", "門難進", "难", "進", "CT", "ct室", "b超", "挂号", "排队两个", "13800138000", "138", "00",
			"增开窗口", "增派", "停车场", "停車場管理", "值班", "夜班值班表已调整", "，", "红包", "没有这个词", "医", "玩手机", "难看事"}
		scopes := map[string]*access.Viewer{
			"all":              nil,
			"reviewer":         {Role: access.Reviewer},
			"liaison county":   {Role: access.Liaison, Unit: "county-hospital"},
			"liaison qingshan": {Role: access.Liaison, Unit: "qingshan-thc"},
		}
		check := func(t *testing.T, wantCapped bool) {
			capped := 0
			defer func() {
				if wantCapped && capped == 0 {
					t.Error("no search passed the cap")
				}
			}()
			for scopeName, scope := range scopes {
				for _, q := range queries {
					for _, filter := range []OpinionFilter{{Text: q, Scope: scope}, {Text: q, Scope: scope, Status: lifecycle.Assigned},
						{Text: q, Scope: scope, UnitCode: "qingshan-thc"}, {Text: q, Scope: scope, Month: "2026-04"},
						{Text: q, Scope: scope, Month: "2026-05"}} {
						name := fmt.Sprintf("%s/%q/status=%s/unit=%s/month=%s", scopeName, q, filter.Status, filter.UnitCode, filter.Month)
						scan := filter
						scan.walk = true
						got, found := allPages(t, s, filter)
						want, _ := allPages(t, s, scan)
						if strings.Join(got, ",") != strings.Join(want, ",") {
							t.Errorf("%s: index %v, scan %v", name, got, want)
						}
						gc, err := s.StatusCounts(ctx, filter)
						if err != nil {
							t.Fatal(err)
						}
						wc, err := s.StatusCounts(ctx, scan)
						if err != nil {
							t.Fatal(err)
						}
						if !gc.Capped && fmt.Sprint(gc.ByStatus, gc.Total, gc.Overdue) != fmt.Sprint(wc.ByStatus, wc.Total, wc.Overdue) {
							t.Errorf("%s: counts %v %d, scan %v %d", name, gc.ByStatus, gc.Total, wc.ByStatus, wc.Total)
						}
						if gc.Capped {
							capped++
						}
						if gc.Capped && (gc.Total > wc.Total || !wantCapped) {
							t.Errorf("%s: capped counts %d of %d", name, gc.Total, wc.Total)
						}
						for id, part := range found {
							if q == "增开窗口" && part != FoundRectification || q == "停车场" && part != FoundReply && part != "" ||
								q == "值班" && part != FoundNote {
								t.Errorf("%s: %s found in %q", name, id, part)
							}
						}
					}
				}
			}
		}
		t.Run("few matches", func(t *testing.T) { check(t, false) })
		t.Run("capped", func(t *testing.T) {
			s.searchCap = 3
			defer func() { s.searchCap = SearchCap }()
			check(t, true)
		})
		// A common word's page read from the matches newest first, a chunk at a time
		// (search_stream.go): chunks of two, and a walk after five matches.
		t.Run("capped, streamed in chunks", func(t *testing.T) {
			s.searchCap, s.streamChunk, s.streamMost = 3, 2, 5
			defer func() { s.searchCap, s.streamChunk, s.streamMost = SearchCap, streamChunk, streamMost }()
			check(t, true)
		})
		// The same with PostgreSQL reading every word's newest matches by windows of docids, as
		// a common word's at a million opinions (search_newest.go; SQLite reads as before).
		t.Run("capped, streamed in chunks, by windows", func(t *testing.T) {
			s.searchCap, s.streamChunk, s.streamMost, s.rareMatches = 3, 2, 5, 0
			defer func() {
				s.searchCap, s.streamChunk, s.streamMost, s.rareMatches = SearchCap, streamChunk, streamMost, rareMatches
			}()
			check(t, true)
		})
		// Some queries must find something, or the comparison proves little.
		for _, q := range []string{"門難進", "進", "ct", "增派", "值班", "停車場管理"} {
			if got, _ := allPages(t, s, OpinionFilter{Text: q}); len(got) == 0 {
				t.Errorf("%q found nothing", q)
			}
		}
		for _, q := range []string{"13800138000", "没有这个词"} {
			if got, _ := allPages(t, s, OpinionFilter{Text: q}); len(got) != 0 {
				t.Errorf("%q found %v", q, got)
			}
		}
	})
}

// Ensure a Latin word is found at the start of a word: the index has no token for the end of
// one (a decision: "ct" finds "CT室" and "做ct", not "fact").
func TestLatinWordsAtWordStart(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		ct := mustCreateOpinion(t, s, NewOpinion{Content: "CT室排队"})
		mustCreateOpinion(t, s, NewOpinion{Content: "the fact is 排队"})
		clock.Set(day("2026-05-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := allPages(t, s, OpinionFilter{Text: "ct"}); fmt.Sprint(got) != fmt.Sprint([]string{ct}) {
			t.Errorf("ct found %v, want only %s", got, ct)
		}
		if got, _ := allPages(t, s, OpinionFilter{Text: "act is 排队"}); len(got) != 1 {
			t.Errorf("a leading word with more after it is checked exactly: found %v", got)
		}
	})
}
