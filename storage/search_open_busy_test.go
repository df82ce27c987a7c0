package storage

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// openBusy opens dsn as on a machine so busy that every transaction of the start-up's indexing
// runs out of time, and returns the store and what Open said on its progress writer.
func openBusy(t *testing.T, dsn string, now func() time.Time) (*Store, string) {
	t.Helper()
	var progress bytes.Buffer
	s, err := Open(context.Background(), dsn, Options{Now: now, PasswordCost: bcrypt.MinCost, Progress: &progress,
		indexTxTimeout: time.Nanosecond})
	if err != nil {
		t.Fatalf("Open failed on start-up work it could not finish: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	out := progress.String()
	if !strings.Contains(out, "left unfinished at start-up") || !strings.Contains(out, "now 50 ") {
		t.Errorf("Open did not say the chunks shrank and the work was left unfinished:\n%s", out)
	}
	return s, out
}

// Ensure opinions stored before migration 0014 (no search_text) never stop the portal from
// starting on a busy machine: Open succeeds with their text unfilled and none of them indexed
// (an empty document would hide them for good), and the next IndexSearch fills and indexes them.
func TestOpenSucceedsWithSearchTextUnfilled(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		clock := newClock(day("2026-04-29"))
		before := openAt(t, dsn, clock.Now) // the portal as it ran before: it stays open, as another process
		for i := range 3 {
			mustCreateOpinion(t, before, NewOpinion{Content: fmt.Sprintf("第%d条：挂号排队两个小时", i)})
		}
		if _, err := before.write.ExecContext(ctx, `UPDATE opinions SET search_text = ''`); err != nil {
			t.Fatal(err)
		}

		clock.Set(day("2026-04-30"))
		s, _ := openBusy(t, dsn, clock.Now)
		if n := countRows(t, s, "opinions", "search_text = ''"); n != 3 {
			t.Errorf("%d opinions without search text after the busy start, want the 3 left to the nightly run", n)
		}
		if ids, st := indexed(t, s); len(ids) != 0 || st.docs != 0 {
			t.Errorf("the busy start indexed %d opinions (docs %d) before their text was filled", len(ids), st.docs)
		}
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatalf("the nightly indexer after the busy start: %v", err)
		}
		if n := countRows(t, s, "opinions", "search_text = ''"); n != 0 {
			t.Errorf("%d opinions still without search text after IndexSearch", n)
		}
		if ids, st := indexed(t, s); len(ids) != 3 || st.through != "2026-04-29" {
			t.Errorf("after IndexSearch: %d indexed through %q, want 3 through 2026-04-29", len(ids), st.through)
		}
		if got, _ := allPages(t, s, OpinionFilter{Text: "排队"}); len(got) != 3 {
			t.Errorf("排队 found %v, want the 3", got)
		}
	})
}

// Ensure the copy into the newest-first index (migration 0037, SQLite) never stops the portal
// from starting on a busy machine: Open succeeds with the old table kept, searches walk the rows
// meanwhile and find what the index held, a staff action in between keeps its newer text, and
// the next IndexSearch finishes the copy and drops the old table.
func TestOpenSucceedsWithTheReorderUnfinished(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := oldIndexDB(t)

	s, _ := openBusy(t, path, fixedClock)
	if n := countRows(t, s, "sqlite_master", "name = 'search_index_asc'"); n != 1 || !s.reordering.Load() {
		t.Fatalf("after the busy start the old index is there %d times, reordering %v: want it kept for the nightly run", n, s.reordering.Load())
	}
	finds := func(when string, want map[string]string) {
		t.Helper()
		for q, w := range want {
			if got, _ := allPages(t, s, OpinionFilter{Text: q}); fmt.Sprint(got) != w {
				t.Errorf("%s: %s found %v, want %s", when, q, got, w)
			}
		}
	}
	finds("unfinished copy", map[string]string{"态度": "[OLDOPIN001]", "停车": "[OLDOPIN002]", "窗口": "[OLDOPIN002]", "红包": "[]"})
	// A staff action while the copy is unfinished writes its document into the new index.
	replyAgain(t, s, "OLDOPIN002", "已加派护士")
	finds("unfinished copy, reply changed", map[string]string{"窗口": "[]", "加派": "[OLDOPIN002]"})

	if err := s.IndexSearch(ctx, nil); err != nil {
		t.Fatalf("the nightly indexer after the busy start: %v", err)
	}
	if n := countRows(t, s, "sqlite_master", "name = 'search_index_asc'"); n != 0 || s.reordering.Load() {
		t.Fatalf("after IndexSearch the old index is there %d times, reordering %v", n, s.reordering.Load())
	}
	finds("copy finished", map[string]string{"态度": "[OLDOPIN001]", "停车": "[OLDOPIN002]", "窗口": "[]", "加派": "[OLDOPIN002]", "护": "[OLDOPIN002 OLDOPIN001]"}) // 护: 已加派护士
	for q, want := range map[string]int{"态度": 1, "停车": 1, "窗口": 0, "加派": 1} {
		if n := countRows(t, s, "search_index", "search_index MATCH ?", q); n != want {
			t.Errorf("the index holds %s %d times, want %d", q, n, want)
		}
	}
	if n := countRows(t, s, "search_bodies", ""); n != 3 {
		t.Errorf("%d bodies, want 3 (two opinions, one staff document, none twice)", n)
	}
}
