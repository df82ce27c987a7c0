package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minsheng/lifecycle"
)

// arrivalFixture is one day of public acts on a store, in the order they came: for each public
// table, a query of its rows (the act's mark, xmin, cmin) in the order they lie in the heap
// (ctid), and the act each mark stands for.
type arrivalFixture struct {
	act     map[string]int      // mark → the act's place in the order of arrival
	queries map[string]string   // public table → SELECT mark, xmin, cmin … ORDER BY ctid
	before  map[string][]string // public table → its leaks when its acts were done
	// toastBefore is the opinions' ids in the order of their long texts' TOAST OIDs.
	toastBefore []string
}

// randomHan is n random Chinese characters: text that does not compress.
func randomHan(n int) string {
	b := make([]byte, 2*n)
	_, _ = rand.Read(b)
	r := make([]rune, n)
	for i := range r {
		r[i] = 0x4E00 + rune(int(b[2*i])<<8|int(b[2*i+1]))%5000
	}
	return string(r)
}

// toastOrder returns the opinions' ids in the order of their contents' TOAST value OIDs, found by
// the first bytes of each content in its first chunk (stored uncompressed: randomHan).
func toastOrder(t *testing.T, s *Store) []string {
	t.Helper()
	var toast string
	if err := s.read.QueryRow(`SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'opinions'::regclass`).Scan(&toast); err != nil {
		t.Fatal(err)
	}
	ids := queryStrings(t, s.read, `SELECT o.id FROM opinions o JOIN `+toast+` c
		ON c.chunk_seq = 0 AND position(substring(convert_to(o.content, 'UTF8') FROM 1 FOR 60) IN c.chunk_data) = 1
		GROUP BY o.id ORDER BY min(c.chunk_id)`) // the content, and search_text when it is as long
	if len(ids) != 12 {
		t.Fatalf("found the TOAST values of %d opinions, want 12", len(ids))
	}
	return ids
}

// newMark is a label that sorts in no particular order (a random one), so that it cannot run
// with the arrival order itself.
func newMark() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// arriveOneDay performs a day of public acts at 09:00, 09:01, … one per transaction: twelve
// opinions, eight of them rated (a rating and a public event each), twelve survey responses of
// two answers each, twelve evaluation answers with a problem and another problem written out.
func arriveOneDay(t *testing.T, s *Store, clock interface{ Set(time.Time) }, day time.Time) arrivalFixture {
	t.Helper()
	ctx := context.Background()
	f := arrivalFixture{act: map[string]int{}, before: map[string][]string{}}
	sys := `xmin::text::bigint, cmin::text::bigint`
	f.queries = map[string]string{
		"opinions":                   `SELECT id, ` + sys + ` FROM opinions ORDER BY ctid`,
		"ratings":                    `SELECT 'rated ' || opinion_id, ` + sys + ` FROM ratings ORDER BY ctid`,
		"public_events":              `SELECT 'rated ' || opinion_id, ` + sys + ` FROM public_events ORDER BY ctid`,
		"survey_responses":           `SELECT comment, ` + sys + ` FROM survey_responses ORDER BY ctid`,
		"survey_answers":             `SELECT (SELECT comment FROM survey_responses r WHERE r.id = a.response_id), a.xmin::text::bigint, a.cmin::text::bigint FROM survey_answers a ORDER BY a.ctid`,
		"evaluation_answers":         `SELECT suggestions, ` + sys + ` FROM evaluation_answers ORDER BY ctid`,
		"evaluation_answer_problems": `SELECT (SELECT suggestions FROM evaluation_answers e WHERE e.id = p.answer_id), p.xmin::text::bigint, p.cmin::text::bigint FROM evaluation_answer_problems p ORDER BY p.ctid`,
		"evaluation_answer_others":   `SELECT (SELECT suggestions FROM evaluation_answers e WHERE e.id = p.answer_id), p.xmin::text::bigint, p.cmin::text::bigint FROM evaluation_answer_others p ORDER BY p.ctid`,
	}
	if len(f.queries) != len(publicTables) {
		t.Fatalf("the fixture covers %d tables, publicTables lists %d", len(f.queries), len(publicTables))
	}
	n := 0
	next := func(mark string) {
		clock.Set(day.Add(time.Duration(n) * time.Minute))
		f.act[mark] = n
		n++
	}
	u := mustCreateUser(t, s, "rev", RoleReviewer)
	sv := newTestSurvey(t, s, "five")
	h := testHasher(t)
	ev := newTestEvaluation(t, s)
	codes := mustIssue(t, s, h, ev, 12)
	var ids []string
	for i := 0; i < 12; i++ {
		id, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
			Content: "夜里急诊没有医生值班。" + randomHan(3000)}, newReceiptHash(t)) // long and not compressible: out of line (TOAST)
		if err != nil {
			t.Fatal(err)
		}
		f.act[id] = n
		next(id)
		ids = append(ids, id)
	}
	f.toastBefore = toastOrder(t, s)
	// Staff actions below change the opinions' rows (with their own, audited, times): their leak
	// is read now.
	f.before["opinions"], _ = f.leaks(t, s, "opinions")
	var rated []string // eight of the twelve, not the first or last eight (the status would run)
	for i, id := range ids {
		if i%3 != 1 {
			rated = append(rated, id)
		}
	}
	for _, id := range rated { // staff bring them to the rating (their own, audited, times)
		for _, st := range lifecycle.PathTo(lifecycle.Satisfaction) {
			if err := s.Transition(ctx, u.ID, id, fullStep(st, "")); err != nil {
				t.Fatalf("step to %s: %v", st, err)
			}
		}
	}
	for _, id := range rated {
		next("rated " + id)
		if err := s.Rate(ctx, id, "satisfied", ""); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 12; i++ {
		mark := newMark()
		next(mark)
		mustAnswer(t, s, sv, "county-hospital", "", mark, 4, 5)
	}
	for i := 0; i < 12; i++ {
		mark := newMark()
		next(mark)
		if err := s.AnswerEvaluation(ctx, hashOf(t, h, codes[i]), EvaluationAnswer{Overall: "fair",
			Problems: []string{"formalism-meetings"}, Others: map[string]string{"hedonism": "公车私用" + mark}, Suggestions: mark}); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range publicTables[1:] {
		f.before[table], _ = f.leaks(t, s, table)
	}
	return f
}

// leaks says which of a table's system columns run with the order of arrival: the heap's order
// (ctid), the writing transaction (xmin), the command within it (cmin).
func (f arrivalFixture) leaks(t *testing.T, s *Store, table string) (leaks []string, xmins []int64) {
	t.Helper()
	rows, err := s.read.Query(f.queries[table])
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	type row struct {
		act        int
		xmin, cmin int64
	}
	var heap []row
	for rows.Next() {
		var mark string
		var r row
		if err := rows.Scan(&mark, &r.xmin, &r.cmin); err != nil {
			t.Fatal(err)
		}
		act, ok := f.act[mark]
		if !ok {
			t.Fatalf("%s: a row of no act (%q)", table, mark)
		}
		r.act = act
		heap = append(heap, r)
		xmins = append(xmins, r.xmin)
	}
	if len(heap) < 8 {
		t.Fatalf("%s: %d rows, too few to tell an order", table, len(heap))
	}
	num := func(v int64) string { return fmt.Sprintf("%020d", v) }
	var byHeap []string
	for _, r := range heap {
		byHeap = append(byHeap, num(int64(r.act)))
	}
	if ordersArrival(byHeap) {
		leaks = append(leaks, "ctid")
	}
	byArrival := slices.Clone(heap)
	slices.SortStableFunc(byArrival, func(a, b row) int { return a.act - b.act })
	var xs, cs []string
	for _, r := range byArrival {
		xs, cs = append(xs, num(r.xmin)), append(cs, num(r.cmin))
	}
	if ordersArrival(xs) {
		leaks = append(leaks, "xmin")
	}
	if ordersArrival(cs) {
		leaks = append(leaks, "cmin")
	}
	return leaks, xmins
}

// storedColumnsRunWithArrival names the stored columns of table that run with the order of
// arrival (each row's values read in the order of its act).
func (f arrivalFixture) storedColumnsRunWithArrival(t *testing.T, s *Store, table string) []string {
	t.Helper()
	markOf := strings.SplitN(strings.TrimPrefix(f.queries[table], "SELECT "), ", ", 2)[0]
	from := f.queries[table][strings.Index(f.queries[table], " FROM "+table):]
	from = from[:strings.Index(from, " ORDER BY")]
	alias := ""
	if a := strings.TrimSpace(strings.TrimPrefix(from, " FROM "+table)); a != "" {
		alias = a + "."
	}
	var bad []string
	for _, col := range queryStrings(t, s.read, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table) {
		rows, err := s.read.Query(`SELECT ` + markOf + `, COALESCE(` + alias + `"` + col + `"::text, '')` + from)
		if err != nil {
			t.Fatalf("%s.%s: %v", table, col, err)
		}
		type pair struct {
			act int
			v   string
		}
		var ps []pair
		for rows.Next() {
			var mark, v string
			if err := rows.Scan(&mark, &v); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, pair{f.act[mark], v})
		}
		rows.Close()
		slices.SortStableFunc(ps, func(a, b pair) int { return a.act - b.act })
		var seq []string
		for _, p := range ps {
			seq = append(seq, p.v)
		}
		if ordersArrival(seq) {
			bad = append(bad, col)
		}
	}
	return bad
}

// oldVersions counts what the pages of table (and of its TOAST table) hold beyond its live rows:
// dead row versions, and line pointers left dead or redirecting (pageinspect, as the superuser
// of the test's cluster).
func oldVersions(t *testing.T, s *Store, table string) int {
	t.Helper()
	var toast sql.NullString
	if err := s.read.QueryRow(`SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = ?::regclass AND reltoastrelid <> 0`, table).
		Scan(&toast); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	total := 0
	for _, rel := range []string{table, toast.String} {
		if rel == "" {
			continue
		}
		var stored, live int
		if err := s.read.QueryRow(`SELECT count(*) FROM generate_series(0, pg_relation_size(?::regclass) / current_setting('block_size')::int - 1) b,
			heap_page_items(get_raw_page(?, b::int)) WHERE lp_flags <> 0`, rel, rel).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if err := s.read.QueryRow(`SELECT count(*) FROM ` + rel).Scan(&live); err != nil {
			t.Fatal(err)
		}
		total += stored - live
	}
	return total
}

// TestSettleLeavesNoArrivalOrderOnPostgres: a day of public acts on PostgreSQL, one transaction
// each, at first lies in the heap in the order it came, with growing transaction numbers (the
// leak, shown so the test proves it measures something). Once the day is over, SettleDays
// rewrites it: every row of the day in every public table carries one transaction number, and
// neither the heap's order, nor the command numbers, nor any stored column runs with the order
// of arrival. A second run finds nothing to do.
func TestSettleLeavesNoArrivalOrderOnPostgres(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 4, 15, 1, 0, 0, 0, time.UTC) // 09:00 in China
	clock := newClock(day)
	s := openAt(t, postgresDatabase(t), clock.Now)
	ctx := context.Background()
	// No autovacuum on this database's tables: a VACUUM before the first check below could clear
	// the old versions it shows are there (the check would measure nothing), and an ANALYZE
	// holds a snapshot the settle waits for (TestSettleWaitsForOlderTransactionsOnPostgres). The
	// settle is what must leave no old version, not the server's housekeeping.
	for _, table := range queryStrings(t, s.read, `SELECT quote_ident(relname) FROM pg_class
		WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace`) {
		if _, err := s.write.Exec(`ALTER TABLE ` + table + ` SET (autovacuum_enabled = off, toast.autovacuum_enabled = off)`); err != nil {
			t.Fatalf("autovacuum off on %s: %v", table, err)
		}
	}
	f := arriveOneDay(t, s, clock, day)
	if _, err := s.write.Exec(`CREATE EXTENSION pageinspect`); err != nil {
		t.Fatalf("pageinspect (postgresql-contrib): %v", err)
	}
	if n := oldVersions(t, s, "opinions"); n == 0 {
		t.Errorf("before the settle the opinions' pages hold no old versions (the check measures nothing)")
	}

	for _, table := range publicTables {
		if leaks := f.before[table]; !slices.Contains(leaks, "xmin") || !slices.Contains(leaks, "ctid") {
			t.Errorf("%s before the settle: leaks %v; want at least xmin and ctid (else the test measures nothing)", table, leaks)
		}
	}
	// The day is not over: nothing of it is settled.
	if _, err := s.SettleDays(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range publicTables[1:] {
		if leaks, _ := f.leaks(t, s, table); !slices.Contains(leaks, "xmin") {
			t.Errorf("a settle during the day rewrote the day's %s", table)
		}
	}

	clock.Set(time.Date(2026, 4, 15, 16, 5, 0, 0, time.UTC)) // 00:05 on the 16th in China
	rep, err := s.SettleDays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Through != "2026-04-15" || rep.Rows == 0 {
		t.Errorf("settle report %+v; want through 2026-04-15 with rows", rep)
	}
	for _, table := range publicTables {
		if n := oldVersions(t, s, table); n != 0 {
			t.Errorf("%s after the settle: %d old row versions or line pointers left in its pages", table, n)
		}
		if !slices.Contains(rep.Clustered, table) {
			t.Errorf("%s was not rewritten in key order (clustered %v)", table, rep.Clustered)
		}
		leaks, xmins := f.leaks(t, s, table)
		if len(leaks) > 0 {
			t.Errorf("%s after the settle: %v run with the order of arrival", table, leaks)
		}
		if len(slices.Compact(slices.Clone(xmins))) != 1 {
			t.Errorf("%s after the settle: %d different xmins, want one", table, len(slices.Compact(slices.Clone(xmins))))
		}
		if bad := f.storedColumnsRunWithArrival(t, s, table); len(bad) > 0 {
			t.Errorf("%s: stored columns %v run with the order of arrival", table, bad)
		}
	}
	// The opinions' long texts were written out of line again, in key order: their TOAST values'
	// OIDs follow the ids, not the order of arrival.
	var arrival []string
	for _, id := range queryStrings(t, s.read, `SELECT id FROM opinions`) {
		arrival = append(arrival, fmt.Sprintf("%03d %s", f.act[id], id))
	}
	slices.Sort(arrival)
	for i := range arrival {
		arrival[i] = arrival[i][4:]
	}
	if !slices.Equal(f.toastBefore, arrival) {
		t.Errorf("before the settle the TOAST OIDs were not in the order of arrival (the check measures nothing): %v", f.toastBefore)
	}
	toast := toastOrder(t, s)
	if ids := queryStrings(t, s.read, `SELECT id FROM opinions ORDER BY id`); !slices.Equal(toast, ids) {
		t.Errorf("TOAST ids are not in key order: %v", toast)
	}
	if through, err := s.SettledThrough(ctx); err != nil || through != "2026-04-15" {
		t.Errorf("SettledThrough = %q, %v", through, err)
	}
	if again, err := s.SettleDays(ctx); err != nil || again.Rows != 0 || len(again.Clustered) != 0 {
		t.Errorf("a second settle the same night: %+v, %v; want nothing done", again, err)
	}
	// The portal reads the day as before.
	for mark := range f.act {
		if strings.HasPrefix(mark, "rated ") || len(mark) == 12 {
			continue
		}
		if o, err := s.Opinion(ctx, mark); err != nil || !strings.HasPrefix(o.Content, "夜里急诊没有医生值班。") {
			t.Errorf("Opinion(%s) after the settle: %v", mark, err)
		}
	}
}

// TestSettleIsNothingOnSQLite: SQLite keeps no arrival order to begin with
// (TestOpinionsKeepNoArrivalOrder), so the settle writes nothing there.
func TestSettleIsNothingOnSQLite(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	ctx := context.Background()
	mustCreateOpinion(t, s, NewOpinion{})
	before := s.commits.Load()
	rep, err := s.SettleDays(ctx)
	if err != nil || rep.Rows != 0 || len(rep.Clustered) != 0 || s.commits.Load() != before {
		t.Errorf("settle on SQLite: %+v, %v, %d commits; want nothing", rep, err, s.commits.Load()-before)
	}
}
