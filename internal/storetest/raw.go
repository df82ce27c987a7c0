package storetest

// The helpers below change or read a store's database behind storage's back, for the tests of
// the packages above it (handlers, e2e): they set up what no route may do (a deadline in the
// past, a row as an older version wrote it), hold the write lock as another program would, or
// read what no page shows (the bytes of a kept file). They are the one place outside storage
// that speaks SQL to the database, so a second backend changes them here, not in every test.
// They open the store's database with the driver storage registers ("sqlite3" for a file,
// pgx's "pgx" for a PostgreSQL URL), so this package names no driver package, and write their
// SQL in the subset both engines accept, with ? placeholders (numbered here for PostgreSQL).

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/internal/storetest/rowscan"
	"minsheng/storage"
)

// open opens st's database on a connection of its own; the caller closes it.
func open(t testing.TB, st *storage.Store, readOnly bool) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", st.Path()
	if st.Backend() == "sqlite" {
		driver, dsn = "sqlite3", "file:"+st.Path()+"?_busy_timeout=5000"
		if readOnly {
			dsn += "&mode=ro"
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// rebind numbers the ? placeholders of query for PostgreSQL ($1, $2…); SQLite takes them as
// they are. (The helpers' statements hold no ? inside a string.)
func rebind(st *storage.Store, query string) string {
	if st.Backend() == "sqlite" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// exec runs one statement on st's database, failing the test on error.
func exec(t testing.TB, st *storage.Store, query string, args ...any) {
	t.Helper()
	db := open(t, st, false)
	defer db.Close()
	if _, err := db.Exec(rebind(st, query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// HoldWriteLock takes st's write lock from another connection, as a long backup or a stuck
// tool would, and returns the function that lets it go (also called when the test ends).
// The store's writes then wait for its busy timeout and fail with storage.ErrBusy. PostgreSQL
// has no one write lock: there a transaction locks every table of the schema EXCLUSIVE,
// which lets reads through and stops every write, as SQLite's write lock does.
func HoldWriteLock(t testing.TB, st *storage.Store) (release func()) {
	t.Helper()
	driver, dsn := "pgx", st.Path()
	if st.Backend() == "sqlite" {
		driver, dsn = "sqlite3", "file:"+st.Path()+"?_txlock=immediate"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if st.Backend() == "postgres" {
		if _, err := tx.Exec(`DO $$ DECLARE r record; BEGIN
			FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
				EXECUTE format('LOCK TABLE %I IN EXCLUSIVE MODE', r.tablename);
			END LOOP; END $$`); err != nil {
			_ = tx.Rollback()
			db.Close()
			t.Fatal(err)
		}
	}
	release = func() {
		_ = tx.Rollback()
		db.Close()
	}
	t.Cleanup(release)
	return release
}

// SetDeadline moves an assigned opinion's deadline, as if it had been set long ago: the
// lifecycle refuses past deadlines, so tests of overdue work write it directly.
func SetDeadline(t testing.TB, st *storage.Store, opinionID, deadline string) {
	t.Helper()
	exec(t, st, `UPDATE rectifications SET deadline = ? WHERE opinion_id = ?`, deadline, opinionID)
}

// SetCampaign files an opinion under a campaign (0: none), as if it had arrived in it.
func SetCampaign(t testing.TB, st *storage.Store, opinionID string, campaignID int64) {
	t.Helper()
	exec(t, st, `UPDATE opinions SET campaign_id = ? WHERE id = ?`, campaignID, opinionID)
}

// SetOpinionID gives an opinion another id, as a database of before #11 held it (ids of ten
// random symbols, before the day's code led them).
func SetOpinionID(t testing.TB, st *storage.Store, from, to string) {
	t.Helper()
	exec(t, st, `UPDATE opinions SET id = ? WHERE id = ?`, to, from)
}

// SetRectificationNote writes an opinion's rectification note as it stands, with none of the
// checks of the routes (versions before #17 kept Chinese words there).
func SetRectificationNote(t testing.TB, st *storage.Store, opinionID, note string) {
	t.Helper()
	exec(t, st, `UPDATE rectifications SET note = ? WHERE opinion_id = ?`, note, opinionID)
}

// AddAuditRow writes one audit log row as it stands, at the instant at: rows as older
// versions wrote them (userID 0: the system; opinionID "": none).
func AddAuditRow(t testing.TB, st *storage.Store, userID int64, action, opinionID, detail string, at time.Time) {
	t.Helper()
	// user 0 (the system) and no opinion are NULL, as storage writes them (the foreign keys
	// hold on PostgreSQL, whatever this connection's SQLite pragmas).
	exec(t, st, `INSERT INTO audit_log (user_id, action, opinion_id, detail, created_at)
		VALUES (NULLIF(?, 0), ?, NULLIF(?, ''), ?, ?)`,
		userID, action, opinionID, detail, at.UTC().Format(time.RFC3339))
}

// CountAudit counts the audit log's rows of action with exactly detail.
func CountAudit(t testing.TB, st *storage.Store, action, detail string) int {
	t.Helper()
	db := open(t, st, true)
	defer db.Close()
	var n int
	if err := db.QueryRow(rebind(st, `SELECT count(*) FROM audit_log WHERE action = ? AND detail = ?`),
		action, detail).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// AttachmentBytes returns every kept file's bytes as stored.
func AttachmentBytes(t testing.TB, st *storage.Store) [][]byte {
	t.Helper()
	db := open(t, st, true)
	defer db.Close()
	out, err := rowscan.Column[[]byte](db.Query(`SELECT data FROM attachments`))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Fingerprint is everything about opinions, users and sessions a request could change, in
// one string: equal fingerprints before and after a refused request prove it stored nothing.
func Fingerprint(t testing.TB, st *storage.Store) string {
	t.Helper()
	db := open(t, st, true)
	defer db.Close()
	var parts []string
	for _, q := range []string{
		`SELECT count(*) FROM opinions`,
		`SELECT count(*) FROM opinion_styles`,
		`SELECT count(*) FROM opinion_notes`,
		`SELECT count(*) FROM users`,
		`SELECT count(*) FROM setup_tokens`,
		`SELECT count(*) FROM sessions`,
		`SELECT count(*) FROM audit_log`,
		`SELECT COALESCE(group_concat(status || ':' || length(reply) || ':' || content, '|'), '') FROM opinions`,
		`SELECT COALESCE(group_concat(opinion_id || style, '|'), '') FROM opinion_styles`,
	} {
		var v string
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, "\n")
}
