package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// oldIndexDB is a database file as migration 0032 left it, its index oldest first: two opinions
// (护士态度很差 of 1 March, 停车难 of 2 March) and the latter's reply 已增开窗口, all indexed.
func oldIndexDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0032_audit_log_append_only.sql")
	defer db.Close()
	for _, stmt := range []string{
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, search_text, status, created_on)
		 VALUES ('OLDOPIN001', x'01', 'complaint', 'bureau', 'patient', '护士态度很差', '护士态度很差', 'received', '2026-03-01')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, search_text, status, reply, created_on)
		 VALUES ('OLDOPIN002', x'02', 'complaint', 'bureau', 'patient', '停车难', '停车难', 'closed', '已增开窗口', '2026-03-02')`,
		`INSERT INTO search_index (docid, body) VALUES (1, '护士 士态 态度 度很 很差 差'), (2, '停车 车难 难'),
			(1099511627777, '已增 增开 开窗 窗口 口')`,
		`INSERT INTO search_docs (docid, opinion_id, kind, text) VALUES (1, 'OLDOPIN001', 'opinion', ''),
			(2, 'OLDOPIN002', 'opinion', ''), (1099511627777, 'OLDOPIN002', 'staff', '已增开窗口')`,
		`UPDATE search_state SET indexed_through = '2026-03-02', docs = 2, staff_built = 1 WHERE id = 1`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return path
}

// replyAgain changes opinion id's reply and its staff document, as a staff action does.
func replyAgain(t *testing.T, s *Store, id, reply string) {
	t.Helper()
	ctx := context.Background()
	if err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE opinions SET reply = ? WHERE id = ?`, reply, id); err != nil {
			return err
		}
		return writeStaffDoc(ctx, tx, id)
	}); err != nil {
		t.Fatal(err)
	}
}

// Ensure the upgrade to the newest-first index (migration 0037) keeps every document: opinions'
// own and staff text indexed by the old table are found after Open has copied them across, the
// old table is gone, and a document written afterwards is found and removed through the new one.
func TestSearchIndexUpgradeKeepsDocuments(t *testing.T) {
	t.Parallel()
	s := openAt(t, oldIndexDB(t), fixedClock)
	if n := countRows(t, s, "sqlite_master", "name = 'search_index_asc'"); n != 0 {
		t.Errorf("the old index is still there")
	}
	for q, want := range map[string]string{"态度": "[OLDOPIN001]", "停车": "[OLDOPIN002]", "窗口": "[OLDOPIN002]",
		"护": "[OLDOPIN001]", "红包": "[]"} {
		if got, _ := allPages(t, s, OpinionFilter{Text: q}); fmt.Sprint(got) != want {
			t.Errorf("%s found %v, want %s", q, got, want)
		}
		if n := countRows(t, s, "search_index", "search_index MATCH ?", fmt.Sprintf("%q", q+"*")); (n > 0) != (want != "[]") {
			t.Errorf("the index holds %s %d times", q, n)
		}
	}
	// Staff text written afterwards replaces the old document in the new index.
	replyAgain(t, s, "OLDOPIN002", "已加派护士")
	for q, want := range map[string]string{"窗口": "[]", "加派": "[OLDOPIN002]"} {
		if got, _ := allPages(t, s, OpinionFilter{Text: q}); fmt.Sprint(got) != want {
			t.Errorf("after the reply changed, %s found %v, want %s", q, got, want)
		}
		if n := countRows(t, s, "search_index", "search_index MATCH ?", q); (n > 0) != (want != "[]") {
			t.Errorf("after the reply changed, the index holds %s %d times", q, n)
		}
	}
}

// Ensure a rebuild empties the index and its bodies and writes them again: the same documents,
// found the same way, none twice.
func TestSearchIndexRebuild(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		id := mustCreateOpinion(t, s, NewOpinion{Content: "护士态度很差"})
		mustCreateOpinion(t, s, NewOpinion{Content: "停车难"})
		clock.Set(day("2026-05-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.RebuildSearchIndex(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "search_bodies", ""); n != 2 {
			t.Errorf("%d bodies after the rebuild, want 2", n)
		}
		if n := countRows(t, s, "search_index", s.drv.matchSQL(), s.drv.matchArg("态度")); n != 1 {
			t.Errorf("态度 is in %d documents after the rebuild, want 1", n)
		}
		if got, _ := allPages(t, s, OpinionFilter{Text: "态度"}); fmt.Sprint(got) != fmt.Sprint([]string{id}) {
			t.Errorf("态度 found %v after the rebuild, want %s", got, id)
		}
	})
}
