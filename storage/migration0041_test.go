package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestMigration0041KeepsOpinionsAndTheirIndexes: 0041 rebuilds opinions to widen the submitter
// and channel CHECKs and add segment and target. On a file at 0040 with rows in opinions and in
// the tables that refer to it, every row, every other table, and every index of opinions (its
// very CREATE statement) is the same after it; the old columns come first in their order; the
// foreign keys hold again; the search index still finds the old opinion.
// SQLite only: SQLite rebuilds the table (it cannot alter a CHECK in place); PostgreSQL's twin alters it.
func TestMigration0041KeepsOpinionsAndTheirIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0040_report_consultations.sql")
	for _, stmt := range []string{
		`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (7, 'rev', 'x', 'reviewer', '2026-01-01T00:00:00Z')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership, status,
		    reply, replied_on, created_on, channel, received_on, site, mailbox_code, site_code, search_text, nature, reach, campaign_id)
		 VALUES ('K7Q2M9XD00', x'01', 'complaint', 'county-hospital', '内科', 'patient', '夜里没有医生值班', '微信 abc', 1,
		    'satisfaction', '已整改', '2026-01-06', '2026-01-05', 'letter', '2026-01-04', '门诊意见箱', '', '', '夜里没有医生值班',
		    'conduct', 'common', 0)`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, merged_into, created_on, search_text)
		 VALUES ('A0000000DP', x'02', 'report', 'bureau', 'family', '同一件事', 'duplicate', 'K7Q2M9XD00', '2026-01-05', '')`,
		`INSERT INTO opinion_styles (opinion_id, style) VALUES ('K7Q2M9XD00', 'bureaucratism')`,
		`INSERT INTO opinion_notes (opinion_id, author_id, body, created_at) VALUES ('K7Q2M9XD00', 7, '已约谈', '2026-01-05T02:00:00Z')`,
		`INSERT INTO rectifications (opinion_id, level, lead_unit, deadline) VALUES ('K7Q2M9XD00', 'department', 'county-hospital', '2026-02-01')`,
		`INSERT INTO ratings (opinion_id, round, rating, words, rated_on) VALUES ('A0000000DP', 1, 'dissatisfied', '还是没人', '2026-01-09')`,
		`INSERT INTO public_events (id, opinion_id, action, detail, day) VALUES ('e1', 'K7Q2M9XD00', 'rate', 'dissatisfied', '2026-01-09')`,
		`INSERT INTO audit_log (user_id, action, opinion_id, created_at) VALUES (7, 'tag', 'K7Q2M9XD00', '2026-01-05T02:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	oldColumns := queryStrings(t, db, `SELECT name FROM pragma_table_info('opinions') ORDER BY cid`)
	dump := func(db *sql.DB) map[string][]string {
		out := map[string][]string{}
		for _, table := range []string{"opinions", "ratings", "opinion_styles", "opinion_notes", "rectifications",
			"public_events", "audit_log"} {
			cols := strings.Join(queryStrings(t, db, `SELECT quote(name) FROM pragma_table_info(?) ORDER BY cid`, table), ` || '|' || `)
			if table == "opinions" {
				cols = `quote(` + strings.Join(oldColumns, `) || '|' || quote(`) + `)`
			}
			out[table] = queryStrings(t, db, `SELECT `+cols+` FROM `+table+` ORDER BY 1`)
		}
		return out
	}
	indexes := func(db *sql.DB) []string {
		return queryStrings(t, db, `SELECT name || ': ' || COALESCE(sql, '(auto)') FROM sqlite_master
			WHERE type IN ('index', 'trigger') AND tbl_name = 'opinions' ORDER BY name`)
	}
	beforeSchema, beforeRows, beforeIndexes := schemaOf(t, db), dump(db), indexes(db)
	db.Close()

	db = openMigratedTo(t, path, "0041_opinions_segments_targets_channels.sql")
	afterSchema, afterRows, afterIndexes := schemaOf(t, db), dump(db), indexes(db)
	newColumns := queryStrings(t, db, `SELECT name FROM pragma_table_info('opinions') ORDER BY cid`)
	db.Close()

	if len(beforeIndexes) < 10 {
		t.Fatalf("only %d indexes on opinions before: %q", len(beforeIndexes), beforeIndexes)
	}
	if !reflect.DeepEqual(afterIndexes, beforeIndexes) {
		t.Errorf("the indexes of opinions changed:\n got %q\nwant %q", afterIndexes, beforeIndexes)
	}
	if want := append(append([]string{}, oldColumns...), "segment", "target_kind", "target_post", "target_badge"); !reflect.DeepEqual(newColumns, want) {
		t.Errorf("columns of opinions = %q, want %q", newColumns, want)
	}
	for key, want := range beforeSchema {
		if key == "opinions columns" {
			continue
		}
		if got := afterSchema[key]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s changed in the rebuild:\n got %q\nwant %q", key, got, want)
		}
	}
	for table, want := range beforeRows {
		if len(want) == 0 {
			t.Fatalf("no rows in %s before the upgrade: the check would prove nothing", table)
		}
		if got := afterRows[table]; !reflect.DeepEqual(got, want) {
			t.Errorf("rows of %s changed:\n got %q\nwant %q", table, got, want)
		}
	}

	s := openAt(t, path, fixedClock)
	if err := s.Check(ctx); err != nil {
		t.Fatalf("after the upgrade: %v", err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO opinion_styles (opinion_id, style) VALUES ('NOSUCHID00', 'hedonism')`); err == nil {
		t.Errorf("a style of a missing opinion was accepted: foreign keys are off")
	}
	if o, err := s.Opinion(ctx, "K7Q2M9XD00"); err != nil || o.Content != "夜里没有医生值班" || o.Segment != "" || o.Target != (Target{}) {
		t.Errorf("Opinion after the upgrade: %+v, %v", o, err)
	}
	if err := s.IndexSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	page, err := s.ListOpinions(ctx, OpinionFilter{Text: "医生值班"}, Cursor{}, 10)
	if err != nil || len(page.Opinions) != 1 || page.Opinions[0].ID != "K7Q2M9XD00" {
		t.Errorf("search after the upgrade: %+v, %v", page.Opinions, err)
	}
	// The widened CHECKs take the new codes, and the new ones refuse what they must.
	id := mustCreateOpinion(t, s, NewOpinion{Submitter: "staff", Segment: "young_doctor", Channel: "inspection",
		Target: Target{Kind: "staff", Post: "收费窗口", Badge: "A0123"}})
	if o, err := s.Opinion(ctx, id); err != nil || o.Segment != "young_doctor" || o.Channel != "inspection" ||
		o.Target != (Target{"staff", "收费窗口", "A0123"}) || o.AboutLeadership {
		t.Errorf("new opinion read back as %+v, %v", o, err)
	}
	for _, tt := range []struct {
		name string
		n    NewOpinion
	}{
		{"a segment for a patient", NewOpinion{Submitter: "patient", Segment: "nursing"}},
		{"an unknown segment", NewOpinion{Submitter: "staff", Segment: "doctor"}},
		{"an unknown target kind", NewOpinion{Target: Target{Kind: "mayor"}}},
		{"a post with no kind", NewOpinion{Target: Target{Post: "院长"}}},
		{"a badge with a space", NewOpinion{Target: Target{Kind: "staff", Badge: "A 12"}}},
		{"a badge too long", NewOpinion{Target: Target{Kind: "staff", Badge: strings.Repeat("9", 21)}}},
		{"an unknown channel", NewOpinion{Channel: "fax"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.n
			n.Type, n.UnitCode, n.Content = "complaint", "county-hospital", "有话要说"
			if n.Submitter == "" {
				n.Submitter = "public"
			}
			if _, err := s.CreateOpinion(ctx, n, newReceiptHash(t)); err == nil {
				t.Errorf("stored %+v", n)
			}
		})
	}
}
