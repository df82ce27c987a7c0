package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/receipt"
	"minsheng/scrub"
)

// seedMoveSource fills a SQLite store the way the portal does: opinions through the writer with
// real receipt hashes, a rectification, a user, audit rows, a survey with an answer, a campaign.
// It returns the file, the key, one receipt code and its opinion's id.
func seedMoveSource(t *testing.T) (path string, h *receipt.Hasher, code, id string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "minsheng.db")
	s := openAt(t, path, fixedClock)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	h, err := receipt.NewHasher(key)
	if err != nil {
		t.Fatal(err)
	}
	code, err = receipt.Parse(receipt.New())
	if err != nil {
		t.Fatal(err)
	}
	id, err = s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
		Content: "夜里急诊没有医生，等了三个小时"}, h.Hash(code))
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		mustCreateOpinion(t, s, NewOpinion{})
	}
	mustCreateOpinion(t, s, NewOpinion{Files: []NewAttachment{cleanFile(t, scrub.KindPNG)}}) // a BLOB
	// A unit whose code sorts before its parent's: the copy must still put the parent first.
	mustCreateUnit(t, s, NewUnit{Code: "a-township", Name: "甲乡卫生院", ParentCode: "bureau", Kind: "township"})
	admin := mustCreateUser(t, s, "office", "admin")
	walkTo(t, s, id, lifecycle.Rectifying)
	sv := newTestSurvey(t, s, ScaleThree)
	mustAnswer(t, s, sv, "county-hospital", "门诊", "", 3, 2)
	if _, err := s.SaveCampaign(ctx, admin.ID, spring2027()); err != nil {
		t.Fatal(err)
	}
	return path, h, code, id
}

// Ensure the move copies every table with equal counts and checksums, the receipt codes keep
// working on PostgreSQL, the identity counters continue after the copied ids, and progress is
// told per table.
func TestMoveToPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, h, code, id := seedMoveSource(t)
	to := postgresDatabase(t)
	told := map[string]int64{}
	checks, err := Move(ctx, path, to, func(table string, done, total int64) { told[table] = total })
	if err != nil {
		t.Fatalf("Move: %v (checks %+v)", err, checks)
	}
	rows := map[string]int64{}
	for _, c := range checks {
		if !c.OK() || len(c.SourceSum) != 64 {
			t.Errorf("%s: %+v", c.Table, c)
		}
		rows[c.Table] = c.TargetRows
	}
	for table, atLeast := range map[string]int64{"opinions": 6, "rectifications": 1, "users": 1, "audit_log": 2,
		"surveys": 1, "survey_responses": 1, "campaigns": 1, "units": 7, "tags": 60, "search_docs": 1, "attachments": 1} {
		if rows[table] < atLeast {
			t.Errorf("%s: %d rows copied, want at least %d", table, rows[table], atLeast)
		}
		if told[table] != rows[table] {
			t.Errorf("progress told %s %d rows, want %d", table, told[table], rows[table])
		}
	}
	for _, left := range []string{"schema_migrations", "search_index", "search_index_segdir", "sqlite_sequence"} {
		if _, ok := rows[left]; ok {
			t.Errorf("%s was copied; it is SQLite's own, the full-text index or the schema's record", left)
		}
	}

	pg := openAt(t, to, fixedClock)
	// Anonymity: PostgreSQL's heap holds the opinions in the order of their random ids, not in
	// the order they arrived.
	physical := moveColumn(t, pg, `SELECT id FROM opinions ORDER BY ctid`)
	byID := moveColumn(t, pg, `SELECT id FROM opinions ORDER BY id COLLATE "C"`)
	if strings.Join(physical, ",") != strings.Join(byID, ",") {
		t.Errorf("opinions stored in the order %v, want the ids' order %v", physical, byID)
	}
	o, err := pg.OpinionByReceipt(ctx, h.Hash(code))
	if err != nil || o.ID != id {
		t.Fatalf("OpinionByReceipt on PostgreSQL = %q, %v; want %s", o.ID, err, id)
	}
	if o.Content != "夜里急诊没有医生，等了三个小时" || o.Status != lifecycle.Rectifying {
		t.Errorf("opinion after the move: %q %q", o.Content, o.Status)
	}
	if _, err := pg.CreateUser(ctx, 0, "second", testPassword, "admin"); err != nil {
		t.Errorf("a new user after the move (identity past the copied ids): %v", err)
	}

	// The checksums see a change: one opinion's words altered on PostgreSQL.
	if _, err := pg.write.ExecContext(ctx, `UPDATE opinions SET content = content || '。' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	again, err := VerifyMove(ctx, path, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		want := c.Table != "opinions" && c.Table != "users" && c.Table != "audit_log" // the new user is audited
		if c.OK() != want {
			t.Errorf("VerifyMove after a change: %s OK = %v, want %v (%+v)", c.Table, c.OK(), want, c)
		}
	}
}

func moveColumn(t *testing.T, s *Store, q string) []string {
	t.Helper()
	out, err := moveStrings(context.Background(), s.read, q)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Ensure a target holding anything beyond a fresh schema's seeds is refused, and so is a
// source whose schema number is not this program's; neither writes to the target.
func TestMoveRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, _, _, _ := seedMoveSource(t)

	t.Run("non-empty target", func(t *testing.T) {
		to := postgresDatabase(t)
		s := openAt(t, to, fixedClock)
		mustCreateUser(t, s, "already", "admin")
		_, err := Move(ctx, path, to, nil)
		if !errors.Is(err, ErrTargetNotEmpty) {
			t.Fatalf("Move into a used database = %v, want ErrTargetNotEmpty", err)
		}
		if n := countRows(t, s, "opinions", ""); n != 0 {
			t.Errorf("the refused move wrote %d opinions", n)
		}
	})
	t.Run("source at another schema number", func(t *testing.T) {
		old := filepath.Join(t.TempDir(), "old.db")
		db, err := sql.Open("sqlite3", dsn(old, false, DefaultBusyTimeout))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := migrateTo(ctx, db, "0040_report_consultations.sql"); err != nil {
			t.Fatal(err)
		}
		to := postgresDatabase(t)
		_, err = Move(ctx, old, to, nil)
		if !errors.Is(err, ErrSourceSchema) {
			t.Fatalf("Move of an old schema = %v, want ErrSourceSchema", err)
		}
	})
}

// Ensure the checksum tells apart rows that differ only in how values are cut or in NULL
// against empty, and reads the engines' spellings of one value alike.
func TestMoveChecksumNormalises(t *testing.T) {
	sum := func(rows ...[]any) string {
		th := newTableHash()
		for _, r := range rows {
			th.row(r)
		}
		return th.sum()
	}
	for _, tt := range []struct {
		name string
		a, b [][]any
		same bool
	}{
		{"NULL is not empty text", [][]any{{nil}}, [][]any{{""}}, false},
		{"values are not run together", [][]any{{"ab", "c"}}, [][]any{{"a", "bc"}}, false},
		{"rows are not run together", [][]any{{"a"}, {"b"}}, [][]any{{"a", "b"}}, false},
		{"row order counts", [][]any{{"a"}, {"b"}}, [][]any{{"b"}, {"a"}}, false},
		{"an integer as SQLite and PostgreSQL give it", [][]any{{int64(7)}}, [][]any{{int32(7)}}, true},
		{"a boolean as 0/1", [][]any{{true, false}}, [][]any{{int64(1), int64(0)}}, true},
		{"bytes as hex", [][]any{{[]byte{0xab, 0x01}}}, [][]any{{"ab01"}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sum(tt.a...) == sum(tt.b...); got != tt.same {
				t.Errorf("sum(%v) == sum(%v): %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
}
