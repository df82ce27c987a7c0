package storage

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"minsheng/lifecycle"

	"golang.org/x/crypto/bcrypt"
)

// indexed returns the ids of the opinions whose own text is in the index, in docid order, and
// the indexer's state.
func indexed(t *testing.T, s *Store) ([]string, indexState) {
	t.Helper()
	ctx := context.Background()
	ids, err := collect(ctx, s.read, func(r *sql.Rows) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, `SELECT opinion_id FROM search_docs WHERE kind = 'opinion' ORDER BY docid`)
	if err != nil {
		t.Fatal(err)
	}
	st, err := readIndexState(ctx, s.read)
	if err != nil {
		t.Fatal(err)
	}
	return ids, st
}

// day is noon in China on the given date.
func day(date string) time.Time {
	d, err := time.ParseInLocation(dateLayout, date, chinaTime)
	if err != nil {
		panic(err)
	}
	return d.Add(12 * time.Hour)
}

// Ensure the indexer takes whole finished days, never today, gives docids in (created_on, id)
// order, and goes on from where it stopped when the clock moves on.
func TestIndexSearchTakesFinishedDays(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		var first []string
		for range 3 {
			first = append(first, mustCreateOpinion(t, s, NewOpinion{Content: "五一那天门诊人太多"}))
		}
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if ids, st := indexed(t, s); len(ids) != 0 || st.through != "" {
			t.Fatalf("today's opinions were indexed: %v, through %q", ids, st.through)
		}
		clock.Set(day("2026-05-02"))
		second := mustCreateOpinion(t, s, NewOpinion{Content: "第二天的意见"})
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		ids, st := indexed(t, s)
		want := sortedIDs(first...)
		if strings.Join(ids, ",") != strings.Join(want, ",") || st.through != "2026-05-01" || st.docs != 3 {
			t.Fatalf("after 2 May: indexed %v through %q (%d docs), want %v through 2026-05-01", ids, st.through, st.docs, want)
		}
		clock.Set(day("2026-05-04"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		ids, st = indexed(t, s)
		if len(ids) != 4 || ids[3] != second || st.through != "2026-05-02" || st.docs != 4 {
			t.Fatalf("after 4 May: indexed %v through %q (%d docs), want %s last", ids, st.through, st.docs, second)
		}
		if n := countRows(t, s, "search_terms", "term = ?", "门诊"); n != 1 {
			t.Errorf("term 门诊 has %d rows", n)
		}
		var df int
		if err := s.read.QueryRow(`SELECT docs FROM search_terms WHERE term = '门诊'`).Scan(&df); err != nil || df != 3 {
			t.Errorf("document frequency of 门诊 = %d (%v), want 3", df, err)
		}
	})
}

// Ensure an existing database is indexed when it is opened, in chunks (the engine's size:
// indexChunkSize), saying how far it got, and that staff text already written gets its
// documents.
func TestIndexBuiltAtOpenWithProgress(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		path := b.dsn(t)
		clock := newClock(day("2026-05-01"))
		s, err := Open(ctx, path, Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
		if err != nil {
			t.Fatal(err)
		}
		batch := make([]SeedOpinion, s.indexChunkSize()+10)
		for i := range batch {
			batch[i] = SeedOpinion{NewOpinion: NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: "食堂饭菜太贵"}, CreatedOn: "2026-04-0" + string(rune('1'+i%5)), Status: "received"}
		}
		batch[0].Reply = "已转食堂整改"
		if err := s.InsertSeed(ctx, batch); err != nil {
			t.Fatal(err)
		}
		s.Close()
		var progress bytes.Buffer
		s, err = Open(ctx, path, Options{Now: clock.Now, PasswordCost: bcrypt.MinCost, Progress: &progress})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ids, st := indexed(t, s)
		if len(ids) != len(batch) || st.through != "2026-04-05" || !st.staffBuilt {
			t.Fatalf("indexed %d of %d, through %q, staff built %v", len(ids), len(batch), st.through, st.staffBuilt)
		}
		out := progress.String()
		// Two chunks or more: a whole chunk and 10, or smaller ones where a busy machine made a
		// chunk run out of time (IndexSearch halves it); the progress says each.
		n := len(batch)
		if !strings.Contains(out, fmt.Sprintf("indexing %d opinions", n)) || strings.Count(out, fmt.Sprintf(" of %d opinions", n)) < 2 ||
			!strings.Contains(out, fmt.Sprintf("%d of %d", n, n)) {
			t.Errorf("progress did not show the chunks:\n%s", out)
		}
		if n := countRows(t, s, "search_docs", "kind = 'staff'"); n != 1 {
			t.Errorf("%d staff documents, want 1 (the one reply)", n)
		}
		// The seed tool adds opinions to days already indexed: the index is built again.
		if err := s.InsertSeed(ctx, batch[:2]); err != nil {
			t.Fatal(err)
		}
		if _, st := indexed(t, s); !st.rebuild {
			t.Fatal("seeding old days did not ask for a rebuild")
		}
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		ids, st = indexed(t, s)
		if len(ids) != len(batch)+2 || st.docs != int64(len(batch)+2) || st.rebuild || countRows(t, s, "search_docs", "kind = 'staff'") != 2 {
			t.Errorf("after the rebuild: %d documents (%d), rebuild %v", len(ids), st.docs, st.rebuild)
		}
		var df int
		if err := s.read.QueryRow(`SELECT docs FROM search_terms WHERE term = '食堂'`).Scan(&df); err != nil || df != len(batch)+2 {
			t.Errorf("document frequency of 食堂 = %d (%v), want %d", df, err, len(batch)+2)
		}
	})
}

// Ensure staff text follows the staff's actions in their own transaction, whether or not the
// opinion's own text is indexed yet.
func TestStaffTextIndexed(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{Content: "急诊科晚上没有医生"})
		staffDoc := func() string {
			t.Helper()
			var text string
			err := s.read.QueryRow(`SELECT text FROM search_docs WHERE opinion_id = ? AND kind = 'staff'`, id).Scan(&text)
			if err != nil && !strings.Contains(err.Error(), "no rows") {
				t.Fatal(err)
			}
			return text
		}
		if err := s.AddNote(ctx, u.ID, id, "已電話聯繫科室主任"); err != nil {
			t.Fatal(err)
		}
		if got := staffDoc(); got != "已电话联系科室主任" {
			t.Errorf("after a note: %q", got)
		}
		clock.Set(day("2026-05-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SetReply(ctx, u.ID, id, "已安排值班医生，电话13812345678"); err != nil {
			t.Fatal(err)
		}
		if got := staffDoc(); !strings.HasPrefix(got, "已安排值班医生") || strings.Contains(got, "12345678") {
			t.Errorf("after a reply: %q (the number must be masked)", got)
		}
		walkTo(t, s, id, lifecycle.Assigned)
		if got := staffDoc(); !strings.Contains(got, "已电话联系科室主任") {
			t.Errorf("after 交办: %q", got)
		}
		if n := countRows(t, s, "search_docs", "opinion_id = ?", id); n != 2 {
			t.Errorf("%d documents for the opinion, want its own and the staff's", n)
		}
	})
}

// Ensure a change of an opinion's content (an edit, a redaction) replaces its document and
// its terms' counts.
func TestReindexOpinionText(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		id := mustCreateOpinion(t, s, NewOpinion{Content: "护士态度很差"})
		mustCreateOpinion(t, s, NewOpinion{Content: "护士很好"})
		clock.Set(day("2026-05-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			if _, err := tx.ExecContext(ctx, `UPDATE opinions SET search_text = ? WHERE id = ?`, searchText("护士收红包"), id); err != nil {
				return err
			}
			return reindexOpinionText(ctx, tx, id, searchText("护士态度很差"))
		})
		if err != nil {
			t.Fatal(err)
		}
		var body string
		if err := s.read.QueryRow(`SELECT i.body FROM search_docs d JOIN search_index i ON i.docid = d.docid
			WHERE d.opinion_id = ? AND d.kind = 'opinion'`, id).Scan(&body); err != nil || body != "护士 士收 收红 红包 包" {
			t.Errorf("document %q (%v)", body, err)
		}
		for word, want := range map[string]int{"态度": 0, "红包": 1, "护士": 2} { // the old words are gone from the index
			if n := countRows(t, s, "search_index", s.drv.matchSQL(), s.drv.matchArg(word)); n != want {
				t.Errorf("%s: %d documents in the index, want %d", word, n, want)
			}
		}
		for term, want := range map[string]int{"护士": 2, "态度": 0, "红包": 1} {
			if n := countRows(t, s, "search_terms", "term = ? AND docs = ?", term, want); (want > 0) != (n == 1) ||
				want == 0 && countRows(t, s, "search_terms", "term = ?", term) != 0 {
				t.Errorf("term %s: want %d documents", term, want)
			}
		}
	})
}
