package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The day-end settle on PostgreSQL (settle.go says why and what it promises). This is the
// driver's own SQL, not the shared body: it speaks of PostgreSQL's system columns (xmin, ctid)
// and of CLUSTER, which SQLite has no use for.

// settleSkips are the tables SettleDays leaves alone: its own state and the migrations' list;
// the audit log and issued reports, which triggers keep from ever changing (staff actions,
// audited with their time by design); and the shared counters and leases no public request
// ties to anything (budgets keeps a count, leases and generations are the processes' own).
var settleSkips = map[string]bool{"schema_migrations": true, "settle_state": true, "audit_log": true,
	"issued_reports": true, "budgets": true, "leases": true, "generations": true}

// settleDayColumns name the day a public row was written, where a table has one. A row of today
// is left for tomorrow's settle: settling it now would set it apart from today's later rows.
var settleDayColumns = []string{"created_on", "day", "rated_on", "answered_on", "until_on"}

// settleParentDays give the day of public rows that keep none of their own: a survey's answers
// and an evaluation's ticked and written problems have their form's day.
var settleParentDays = map[string]string{
	"survey_answers":             `(SELECT r.answered_on FROM survey_responses r WHERE r.id = t.response_id)`,
	"evaluation_answer_problems": `(SELECT e.created_on FROM evaluation_answers e WHERE e.id = t.answer_id)`,
	"evaluation_answer_others":   `(SELECT e.created_on FROM evaluation_answers e WHERE e.id = t.answer_id)`,
}

// settleTable is what the settle needs to know of one table, read from the catalog.
type settleTable struct {
	name    string
	key     []string // the primary key's columns, in order ("" none: the row's text orders it)
	keyIdx  string   // the primary key's index, for CLUSTER ("" none: VACUUM FULL)
	day     string   // the SQL of a row's day (t is the row): one of settleDayColumns, a parent's, or ""
	setList string   // the SET clause that writes a row again
}

// settleTables reads every table of the schema the settle covers.
func settleTables(ctx context.Context, tx *sql.Tx) ([]settleTable, error) {
	names, err := collect(ctx, tx, scanString, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	var out []settleTable
	for _, name := range names {
		if settleSkips[name] {
			continue
		}
		t := settleTable{name: name}
		if t.key, err = collect(ctx, tx, scanString, `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`, quoteIdent(name)); err != nil {
			return nil, err
		}
		if len(t.key) > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ?::regclass AND indisprimary`,
				quoteIdent(name)).Scan(&t.keyIdx); err != nil {
				return nil, err
			}
		}
		cols, err := collect(ctx, tx, func(r *sql.Rows) ([3]string, error) {
			var c [3]string
			err := r.Scan(&c[0], &c[1], &c[2])
			return c, err
		}, `SELECT a.attname, format_type(a.atttypid, NULL),
			CASE WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey))
			       OR EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = a.attrelid AND a.attnum = ANY (g.tgattr))
			     THEN 'fixed' ELSE 'free' END
			FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
			ORDER BY a.attnum`, quoteIdent(name))
		if err != nil {
			return nil, err
		}
		var set []string
		t.day = settleParentDays[name]
		for _, c := range cols {
			if t.day == "" && slices.Contains(settleDayColumns, c[0]) {
				t.day = `t.` + quoteIdent(c[0])
			}
			// Text and bytes are written anew (|| ''), not kept: an unchanged out-of-line value
			// keeps its TOAST OID, drawn in the order of arrival; a new one gets an OID now, in
			// key order. Indexed columns and those a trigger watches are left as they are (short
			// codes, and no trigger fires for nothing).
			if c[2] == "free" && (c[1] == "text" || c[1] == "bytea") {
				empty := `''`
				if c[1] == "bytea" {
					empty = `'\x'::bytea`
				}
				set = append(set, quoteIdent(c[0])+" = "+quoteIdent(c[0])+" || "+empty)
			}
		}
		if len(set) == 0 && len(cols) > 0 { // nothing to write anew: one column as it is
			set = append(set, quoteIdent(cols[0][0])+" = "+quoteIdent(cols[0][0]))
		}
		t.setList = strings.Join(set, ", ")
		out = append(out, t)
	}
	return out, nil
}

// rewrite writes again, one row at a time in key order, every row of t written since the last
// settle (sinceXid; "" = every row) whose day, if it has one, is over, and every row of a day
// after through that is over. It returns how many.
func (t settleTable) rewrite(ctx context.Context, tx *sql.Tx, sinceXid, through, today string) (int64, error) {
	order := `t::text` // no key: the row's own text, which owes nothing to arrival
	if len(t.key) > 0 {
		var k []string
		for _, c := range t.key {
			k = append(k, quoteIdent(c))
		}
		order = strings.Join(k, ", ")
	}
	since := `age(t.xmin) < age(xid(?::xid8))`
	args := []any{sinceXid}
	if sinceXid == "" {
		since, args = `? = ''`, []any{""}
	}
	where := since
	if t.day != "" {
		d := t.day
		where = `((` + since + `) AND ` + d + ` < ?) OR (` + d + ` > ? AND ` + d + ` < ?)`
		args = append(args, today, through, today)
	}
	ctids, err := collect(ctx, tx, scanString, `SELECT t.ctid::text FROM `+quoteIdent(t.name)+` t WHERE `+where+
		` ORDER BY `+order+` FOR UPDATE`, args...)
	if err != nil {
		return 0, fmt.Errorf("settle %s: %w", t.name, err)
	}
	if len(ctids) == 0 {
		return 0, nil
	}
	// One statement per row: each gets its own command number (cmin), in key order.
	stmt, err := tx.PrepareContext(ctx, `UPDATE `+quoteIdent(t.name)+` SET `+t.setList+` WHERE ctid = ?::tid`)
	if err != nil {
		return 0, fmt.Errorf("settle %s: %w", t.name, err)
	}
	defer stmt.Close()
	for _, c := range ctids {
		if _, err := stmt.ExecContext(ctx, c); err != nil {
			return 0, fmt.Errorf("settle %s: %w", t.name, err)
		}
	}
	return int64(len(ctids)), nil
}

// settle on PostgreSQL: rewrite what was written since the last settle in one transaction, then
// rewrite each table so touched in key order (CLUSTER: ACCESS EXCLUSIVE on that table while it
// runs; docs/benchmarks.md measures it), table by table, recording progress as it goes.
func (postgresDriver) settle(ctx context.Context, s *Store) (SettleReport, error) {
	var rep SettleReport
	var toCluster, sinceXid string
	if err := s.write.QueryRowContext(ctx, `SELECT settled_through, to_cluster, settle_xid FROM settle_state WHERE id = 1`).
		Scan(&rep.Through, &toCluster, &sinceXid); err != nil {
		return rep, fmt.Errorf("settle: %w", mapBusy(err))
	}
	now := s.now()
	today, yesterday := now.Format(dateLayout), s.yesterday(now)
	if rep.Through < yesterday {
		err := s.writeTxFor(ctx, settleTimeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			tables, err := settleTables(ctx, tx)
			if err != nil {
				return err
			}
			touched := strings.Fields(toCluster)
			var rows int64
			for _, t := range tables {
				n, err := t.rewrite(ctx, tx, sinceXid, rep.Through, today)
				if err != nil {
					return err
				}
				if rows += n; n > 0 && !slices.Contains(touched, t.name) {
					touched = append(touched, t.name)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE settle_state SET settled_through = ?, to_cluster = ?,
				settle_xid = pg_current_xact_id()::text WHERE id = 1`, yesterday, strings.Join(touched, "\n")); err != nil {
				return err
			}
			rep.Rows, toCluster = rows, strings.Join(touched, "\n")
			return nil
		})
		if err != nil {
			return rep, err
		}
		rep.Through = yesterday
	}
	left := strings.Fields(toCluster)
	if len(left) > 0 {
		if err := waitForOlderSnapshots(ctx, s, settleSnapshotWait); err != nil {
			return rep, err
		}
	}
	for len(left) > 0 {
		if err := clusterTable(ctx, s, left[0]); err != nil {
			return rep, err
		}
		rep.Clustered = append(rep.Clustered, left[0])
		left = left[1:]
		if _, err := s.write.ExecContext(ctx, `UPDATE settle_state SET to_cluster = ? WHERE id = 1`,
			strings.Join(left, "\n")); err != nil {
			return rep, fmt.Errorf("settle: %w", mapBusy(err))
		}
	}
	return rep, nil
}

// settleSnapshotWait bounds how long the settle waits for older transactions before it rewrites.
const settleSnapshotWait = 10 * time.Minute

// waitForOlderSnapshots waits, up to wait, until no transaction older than the settle's
// (settle_state.settle_xid) can make CLUSTER keep a row version the settle replaced. CLUSTER
// keeps every version such a transaction may still see, each with the transaction number of the
// act that wrote it, in the order they came: rewritten under one, the day's order of arrival
// stays in the new files. Two things hold the rewrite back:
//   - a session of this database with a snapshot taken before the settle committed (a REPEATABLE
//     READ transaction open over the settle; an autovacuum ANALYZE);
//   - any transaction of the server, in any database, that began before the settle committed and
//     still runs: it holds back no other database by itself, but every snapshot taken while it
//     runs starts below it, the CLUSTER's own included (a write between statements holds only
//     its number, no snapshot).
//
// Once neither is there, neither can come back: transactions that begin later are numbered
// after the settle. Still there after wait: ErrBusy, and the tables wait in to_cluster for the
// next settle.
func waitForOlderSnapshots(ctx context.Context, s *Store, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		var older int
		var pid sql.NullInt64
		err := s.write.QueryRowContext(ctx, `WITH st AS (SELECT settle_xid::xid8 AS x,
				((settle_xid::bigint % 4294967296)::text::xid) AS x32 FROM settle_state WHERE id = 1 AND settle_xid <> ''),
			held AS (
				SELECT a.pid FROM st JOIN pg_stat_activity a ON a.datname = current_database()
					AND a.pid <> pg_backend_pid() AND a.backend_xmin IS NOT NULL AND age(a.backend_xmin) >= age(st.x32)
				UNION ALL
				SELECT (SELECT min(a.pid) FROM pg_stat_activity a WHERE a.backend_xid IS NOT NULL AND age(a.backend_xid) >= age(st.x32))
				FROM st WHERE pg_snapshot_xmin(pg_current_snapshot()) <= st.x)
			SELECT count(*), min(pid) FROM held`).Scan(&older, &pid)
		if err != nil {
			return fmt.Errorf("settle: older transactions: %w", mapBusy(err))
		}
		if older == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("settle: a transaction older than the settle still runs (session %d; 0: a prepared transaction): %w", pid.Int64, ErrBusy)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settleTimeout bounds the settle's one transaction: the first settle after an upgrade rewrites
// every row of the database once.
const settleTimeout = time.Hour

// clusterTable rewrites table in primary-key order into new files (CLUSTER), or in the order
// its rows lie when it has no key (VACUUM FULL). Either drops every dead row version and
// rebuilds the table's indexes from scratch.
func clusterTable(ctx context.Context, s *Store, table string) error {
	var idx sql.NullString
	err := s.write.QueryRowContext(ctx, `SELECT (SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = c.oid AND indisprimary)
		FROM pg_class c WHERE c.oid = to_regclass(?)`, quoteIdent(table)).Scan(&idx)
	if err == sql.ErrNoRows {
		return nil // dropped since: nothing left to rewrite
	}
	if err != nil {
		return fmt.Errorf("settle: %w", mapBusy(err))
	}
	stmt := `VACUUM FULL ` + quoteIdent(table)
	if idx.Valid {
		stmt = `CLUSTER ` + quoteIdent(table) + ` USING ` + quoteIdent(idx.String)
	}
	if _, err := s.write.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("settle: %s: %w", stmt, mapBusy(err))
	}
	return nil
}

// privacySettings refuses a server, database or role whose settings would keep what the portal
// promises nobody keeps (docs/deploy.md, deploy/postgresql/minsheng.conf):
//   - track_commit_timestamp: the time of every commit, so of every submission, to the second;
//   - statement logging (log_statement mod/all, log_min_duration_statement or the sampled
//     variants, log_transaction_sample_rate, auto_explain's log_min_duration): each INSERT with
//     its words and the time it came;
//   - log_parameter_max_length_on_error: the values of a failed statement, with its time.
//
// The values are read as this role on this database sees them (ALTER ROLE/DATABASE … SET
// included). Refusing is the only honest answer: started anyway, the portal would serve the
// public while the server wrote down when each of them came.
func privacySettings(ctx context.Context, db *sql.DB) error {
	read := func(name string) (string, error) {
		var v sql.NullString
		err := db.QueryRowContext(ctx, `SELECT current_setting(?, true)`, name).Scan(&v)
		return v.String, err
	}
	var bad []string
	check := func(name string, wrong func(v string) bool, fix string) error {
		v, err := read(name)
		if err != nil {
			return err
		}
		if v != "" && wrong(v) {
			bad = append(bad, fmt.Sprintf("%s = %s (set %s)", name, v, fix))
		}
		return nil
	}
	nonNegative := func(v string) bool {
		n, err := strconv.ParseFloat(strings.TrimRight(v, "msminhd"), 64)
		return err == nil && n >= 0
	}
	positive := func(v string) bool { n, err := strconv.ParseFloat(v, 64); return err == nil && n > 0 }
	for _, c := range []struct {
		name  string
		wrong func(string) bool
		fix   string
	}{
		{"track_commit_timestamp", func(v string) bool { return v == "on" }, "off, and restart"},
		{"log_statement", func(v string) bool { return v == "mod" || v == "all" }, "none"},
		{"log_min_duration_statement", nonNegative, "-1"},
		{"log_min_duration_sample", nonNegative, "-1"},
		{"log_transaction_sample_rate", positive, "0"},
		{"log_parameter_max_length_on_error", func(v string) bool { return v != "0" }, "0"},
		{"auto_explain.log_min_duration", nonNegative, "-1, or unload auto_explain"},
	} {
		if err := check(c.name, c.wrong, c.fix); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: this PostgreSQL server would record when each opinion came, or what it said: %s "+
			"(see deploy/postgresql/minsheng.conf; for one role: ALTER ROLE name SET setting = value)",
			ErrServerKeepsArrival, strings.Join(bad, "; "))
	}
	return nil
}

// ErrServerKeepsArrival means the PostgreSQL server's settings would keep what the anonymity
// promise says nobody keeps (privacySettings).
var ErrServerKeepsArrival = fmt.Errorf("the portal refuses to start")
