package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minsheng/lifecycle"
)

// publicTables are the tables a public request adds rows to (see handlers'
// TestPublicActsKeepTheDateOnly, which finds them by walking the file).
var publicTables = []string{"opinions", "ratings", "public_events", "survey_responses", "survey_answers",
	"evaluation_answers", "evaluation_answer_problems", "evaluation_answer_others"}

// TestOpinionsKeepNoArrivalOrder stores a day's opinions one after the other and shows that
// nothing in the database can put them back in that order: on both engines no column runs with
// the order of arrival; on SQLite there is no rowid and the table is stored in the order of its
// random key. (PostgreSQL's heap keeps the order of a day's rows until the day is settled, with
// their transaction numbers: that half is TestSettleLeavesNoArrivalOrderOnPostgres.)
func TestOpinionsKeepNoArrivalOrder(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t) // the clock stands still: every opinion arrives on the same day
		ctx := context.Background()
		var arrival []string
		for i := 0; i < 30; i++ {
			id, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: "夜里急诊没有医生值班。"}, newReceiptHash(t))
			if err != nil {
				t.Fatal(err)
			}
			arrival = append(arrival, id)
		}

		// No column, read in the order of arrival, only ever grows or only ever shrinks.
		columns := tableColumns(t, s)["opinions"]
		if len(columns) < 20 {
			t.Fatalf("opinions has %d columns: %v", len(columns), columns)
		}
		for _, col := range columns {
			var seq []string
			for _, id := range arrival {
				var v any
				if err := s.read.QueryRowContext(ctx, `SELECT "`+col+`" FROM opinions WHERE id = ?`, id).Scan(&v); err != nil {
					t.Fatal(err)
				}
				seq = append(seq, fmt.Sprintf("%v", v))
			}
			if ordersArrival(seq) {
				t.Errorf("column %s runs with the order of arrival: %v", col, seq)
			}
		}
		if b.name != "sqlite" {
			return
		}

		for _, table := range publicTables {
			for _, col := range []string{"rowid", "oid", "_rowid_"} {
				if _, err := s.read.ExecContext(ctx, `SELECT `+col+` FROM `+table+` LIMIT 0`); err == nil ||
					!strings.Contains(err.Error(), "no such column") {
					t.Errorf("SELECT %s FROM %s: %v; want no such column (a table without rowid)", col, table, err)
				}
			}
		}
		// The table as stored (NOT INDEXED: a scan of the table itself, not of an index).
		stored := queryStrings(t, s.read, `SELECT id FROM opinions NOT INDEXED`)
		if !slices.IsSorted(stored) || len(stored) != len(arrival) {
			t.Errorf("the table is not stored in key order: %v", stored)
		}
		if slices.Equal(stored, arrival) {
			t.Errorf("the stored order is the order of arrival")
		}
	})
}

// ordersArrival reports whether seq only grows or only shrinks (and is not constant).
func ordersArrival(seq []string) bool {
	up, down := true, true
	for i := 1; i < len(seq); i++ {
		up = up && seq[i] >= seq[i-1]
		down = down && seq[i] <= seq[i-1]
	}
	return (up || down) && seq[0] != seq[len(seq)-1]
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	out, err := collect(context.Background(), db, func(r *sql.Rows) (string, error) {
		var v string
		err := r.Scan(&v)
		return v, err
	}, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

// schemaOf describes what a rebuild must keep: every table's columns and foreign keys, every
// index (with its columns, uniqueness and condition) and every trigger and view.
func schemaOf(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`) {
		// A key column is NOT NULL once there is no rowid (SQLite let a rowid table's TEXT key be
		// NULL): counted as NOT NULL on both sides.
		out[table+" columns"] = queryStrings(t, db, `SELECT name || ' ' || type || ' ' || ("notnull" OR pk > 0) || ' ' || COALESCE(dflt_value, '')
			FROM pragma_table_info(?) ORDER BY cid`, table)
		out[table+" foreign keys"] = queryStrings(t, db, `SELECT "table" || '(' || "to" || ') ' || "from" || ' ' || on_delete
			FROM pragma_foreign_key_list(?) ORDER BY "from"`, table)
		// The primary key's own index is the table itself once there is no rowid: left out.
		out[table+" indexes"] = queryStrings(t, db, `SELECT CASE WHEN l.name LIKE 'sqlite_autoindex_%' THEN '(auto)' ELSE l.name END
			|| ' unique=' || l."unique" || ' partial=' || l.partial || ' on ' ||
			(SELECT group_concat(name, ',') FROM pragma_index_info(l.name))
			FROM pragma_index_list(?) l WHERE l.origin != 'pk' ORDER BY 1`, table)
	}
	out["index, trigger and view statements"] = queryStrings(t, db,
		`SELECT COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY name`)
	return out
}

// TestMigrationRebuildsOpinionsWithoutRowid upgrades a database holding opinions of every kind
// (a duplicate, styles, notes, a rectification, a rating, a public event, a publication) across
// migration 0017: every row and every column, index, foreign key and trigger is kept, the rowid
// is gone, and foreign keys are enforced again afterwards.
func TestMigrationRebuildsOpinionsWithoutRowid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0016_public_events_by_day.sql")
	for _, stmt := range []string{
		`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (7, 'rev', 'x', 'reviewer', '2026-01-01T00:00:00Z')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership, status,
		    reply, replied_on, created_on, channel, received_on, site, mailbox_code, site_code, search_text)
		 VALUES ('K7Q2M9XD00', x'01', 'complaint', 'county-hospital', '内科', 'patient', '夜里没有医生', '微信 abc', 1,
		    'satisfaction', '已整改', '2026-01-06', '2026-01-05', 'letter', '2026-01-04', '门诊意见箱', 'director', '', '夜里没有医生')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, merged_into, created_on, search_text)
		 VALUES ('A0000000DP', x'02', 'opinion', 'bureau', 'family', '同一件事', 'duplicate', 'K7Q2M9XD00', '2026-01-05', '')`,
		`INSERT INTO opinion_styles (opinion_id, style) VALUES ('K7Q2M9XD00', 'bureaucratism')`,
		`INSERT INTO opinion_notes (opinion_id, author_id, body, created_at) VALUES ('K7Q2M9XD00', 7, '已约谈', '2026-01-05T02:00:00Z')`,
		`INSERT INTO rectifications (opinion_id, level, lead_unit, deadline) VALUES ('K7Q2M9XD00', 'department', 'county-hospital', '2026-02-01')`,
		`INSERT INTO ratings (opinion_id, rating, words, rated_on) VALUES ('A0000000DP', 'dissatisfied', '还是没人', '2026-01-09')`,
		`INSERT INTO public_events (id, opinion_id, action, detail, day) VALUES ('e1', 'K7Q2M9XD00', 'rate', 'dissatisfied', '2026-01-09')`,
		`INSERT INTO publications (opinion_id, title, body, published_on) VALUES ('K7Q2M9XD00', '夜间值班', '已排班', '2026-01-10')`,
		`INSERT INTO audit_log (user_id, action, opinion_id, created_at) VALUES (7, 'tag', 'K7Q2M9XD00', '2026-01-05T02:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	dump := func(db *sql.DB) map[string][]string {
		out := map[string][]string{}
		for _, table := range []string{"opinions", "ratings", "opinion_styles", "opinion_notes", "rectifications",
			"public_events", "publications", "audit_log"} {
			cols := strings.Join(queryStrings(t, db, `SELECT quote(name) FROM pragma_table_info(?) ORDER BY cid`, table), ` || '|' || `)
			out[table] = queryStrings(t, db, `SELECT `+cols+` FROM `+table+` ORDER BY 1`)
		}
		return out
	}
	beforeSchema, beforeRows := schemaOf(t, db), dump(db)
	db.Close()

	// Compared right after 0017: later migrations change these tables on purpose.
	db = openMigratedTo(t, path, "0017_opinions_without_rowid.sql")
	afterSchema, afterRows := schemaOf(t, db), dump(db)
	db.Close()

	s := openAt(t, path, fixedClock)
	for key, want := range beforeSchema {
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
	for _, table := range []string{"opinions", "ratings"} {
		if _, err := s.read.ExecContext(ctx, `SELECT rowid FROM `+table); err == nil {
			t.Errorf("%s still has a rowid after the upgrade", table)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("after the upgrade: %v", err)
	}
	// Foreign keys hold again, and deleting an opinion still cascades.
	if _, err := s.write.ExecContext(ctx, `INSERT INTO opinion_styles (opinion_id, style) VALUES ('NOSUCHID00', 'hedonism')`); err == nil {
		t.Errorf("a style of a missing opinion was accepted: foreign keys are off")
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM opinions WHERE id = 'A0000000DP'`); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "ratings", ""); n != 0 {
		t.Errorf("the rating of a deleted opinion was kept")
	}
	// The portal works on the upgraded file: the queue, the item, a new submission.
	if o, err := s.Opinion(ctx, "K7Q2M9XD00"); err != nil || o.Content != "夜里没有医生" || len(o.Styles) != 1 {
		t.Errorf("Opinion after the upgrade: %+v, %v", o, err)
	}
	if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "praise", UnitCode: "bureau", Submitter: "public",
		Content: "谢谢医生。"}, newReceiptHash(t)); err != nil {
		t.Errorf("CreateOpinion after the upgrade: %v", err)
	}
}

// TestMigrationCutsRatingTimesToTheDay: ratings audited with their time before migration 0016
// move to public_events with the day alone (China's), and leave the audit log; staff and
// command-line rows stay where they were.
func TestMigrationCutsRatingTimesToTheDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0015_counts_index.sql")
	for _, stmt := range []string{
		`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (7, 'rev', 'x', 'reviewer', '2026-01-01T00:00:00Z')`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, status, created_on)
		 VALUES ('K7Q2M9XD00', x'01', 'complaint', 'bureau', 'patient', '夜里没有医生', 'rectifying', '2026-04-01')`,
		// 09:00 China time on the 15th; the rating at 04:30 on the 16th (20:30 UTC on the 15th).
		`INSERT INTO audit_log (user_id, action, opinion_id, detail, created_at) VALUES (7, 'status', 'K7Q2M9XD00', 'reported→lookback', '2026-04-15T01:00:00Z')`,
		`INSERT INTO audit_log (user_id, action, opinion_id, detail, created_at) VALUES (NULL, 'rate', 'K7Q2M9XD00', 'dissatisfied', '2026-04-15T20:30:00Z')`,
		`INSERT INTO audit_log (user_id, action, opinion_id, detail, created_at) VALUES (NULL, 'seed', NULL, '10', '2026-04-15T03:00:00Z')`,
		`INSERT INTO audit_log (user_id, action, opinion_id, detail, created_at) VALUES (7, 'note', 'K7Q2M9XD00', '', '2026-04-16T02:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()
	s := openAt(t, path, fixedClock)
	if got := queryStrings(t, s.read, `SELECT action || ' ' || created_at FROM audit_log ORDER BY id`); !reflect.DeepEqual(got,
		[]string{"status 2026-04-15T01:00:00Z", "seed 2026-04-15T03:00:00Z", "note 2026-04-16T02:00:00Z"}) {
		t.Errorf("audit log after the upgrade: %q", got)
	}
	if got := queryStrings(t, s.read, `SELECT opinion_id || ' ' || action || ' ' || detail || ' ' || day FROM public_events`); !reflect.DeepEqual(got,
		[]string{"K7Q2M9XD00 rate dissatisfied 2026-04-16"}) {
		t.Errorf("public events after the upgrade: %q", got)
	}
	// The history: the rating after the staff actions of its day, with its day alone.
	hist, err := s.AuditOf(ctx, "K7Q2M9XD00")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range hist {
		lines = append(lines, fmt.Sprintf("%s %s public=%v zero=%v", e.Day, e.Action, e.Public, e.At.IsZero()))
	}
	if want := []string{"2026-04-15 status public=false zero=false", "2026-04-16 note public=false zero=false",
		"2026-04-16 rate public=true zero=true"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("history:\n got %q\nwant %q", lines, want)
	}
}

// TestRatingKeepsTheDayAlone: a rating made at 15:42 is recorded with its day only, in the
// rating and in the history, where it follows that day's staff actions and precedes the next
// day's, whatever happened first within the day.
func TestRatingKeepsTheDayAlone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(time.Date(2026, 4, 15, 1, 0, 0, 0, time.UTC)) // 09:00 in China
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		u := mustCreateUser(t, s, "rev", RoleReviewer)
		id := mustCreateOpinion(t, s, NewOpinion{})
		for _, st := range lifecycle.PathTo(lifecycle.Satisfaction) {
			if err := s.Transition(ctx, u.ID, id, fullStep(st, "")); err != nil {
				t.Fatalf("step to %s: %v", st, err)
			}
		}
		clock.Set(time.Date(2026, 4, 15, 7, 42, 13, 0, time.UTC)) // 15:42:13
		if err := s.Rate(ctx, id, lifecycle.RatingDissatisfied, "还是没人"); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 4, 15, 8, 0, 0, 0, time.UTC)) // 16:00, the same day
		if err := s.AddNote(ctx, u.ID, id, "已约谈"); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 4, 16, 1, 0, 0, 0, time.UTC))
		if err := s.Transition(ctx, u.ID, id, fullStep(lifecycle.Reported, "")); err != nil {
			t.Fatal(err)
		}
		r, err := s.RatingOf(ctx, id)
		if err != nil || r.RatedOn != "2026-04-15" {
			t.Errorf("rating = %+v, %v; want rated on 2026-04-15", r, err)
		}
		hist, err := s.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var rate int
		for i, e := range hist {
			if e.Action != "rate" {
				if e.Public || e.At.IsZero() {
					t.Errorf("staff entry %d lost its time: %+v", i, e)
				}
				continue
			}
			rate = i
			if !e.Public || !e.At.IsZero() || e.Day != "2026-04-15" || e.Detail != lifecycle.RatingDissatisfied {
				t.Errorf("rating entry = %+v; want public, no time, day 2026-04-15", e)
			}
		}
		if last := len(hist) - 1; rate != last-1 || hist[last].Day != "2026-04-16" || hist[last-1-1].Action != "note" {
			t.Errorf("the rating is not between the 15th's staff actions and the 16th's: %+v", hist)
		}
	})
}
