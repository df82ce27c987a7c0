package storage

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"minsheng/access"
)

// writeAudit records one entry through audit(), as every staff act does.
func writeAudit(t *testing.T, s *Store, userID int64, action, opinionID, detail string) {
	t.Helper()
	err := s.writeTx(context.Background(), func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return audit(ctx, tx, now, userID, action, opinionID, detail)
	})
	if err != nil {
		t.Fatalf("audit %s: %v", action, err)
	}
}

func TestAuditLogRefusesUpdateAndDelete(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "管理员", RoleAdmin)
		writeAudit(t, s, u.ID, "note", "", "first")
		before := countRows(t, s, "audit_log", "")
		tests := []struct{ name, stmt string }{
			{"update a detail", `UPDATE audit_log SET detail = 'rewritten'`},
			{"update the time", `UPDATE audit_log SET created_at = '2000-01-01T00:00:00Z'`},
			{"delete one", `DELETE FROM audit_log WHERE action = 'note'`},
			{"delete all", `DELETE FROM audit_log`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := s.writeTx(context.Background(), func(ctx context.Context, tx *sql.Tx, now time.Time) error {
					_, err := tx.ExecContext(ctx, tc.stmt)
					return err
				})
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Fatalf("%s: got %v, want the append-only refusal", tc.stmt, err)
				}
			})
		}
		if n := countRows(t, s, "audit_log", "detail = 'first' AND created_at != '2000-01-01T00:00:00Z'"); n != 1 || countRows(t, s, "audit_log", "") != before {
			t.Errorf("the entry changed: %d untouched of %d rows, want 1 of %d", n, countRows(t, s, "audit_log", ""), before)
		}
		// Appending still works.
		writeAudit(t, s, u.ID, "note", "", "second")
		if got := countRows(t, s, "audit_log", ""); got != before+1 {
			t.Errorf("rows after an append: got %d, want %d", got, before+1)
		}
	})
}

// auditFixture is a log over three days (China time) with entries about an ordinary opinion,
// a 举报, a discipline-mailbox letter, an ordinary mailbox's letter and no opinion at all.
type auditFixture struct {
	s                                   *Store
	admin, discipline                   User
	plain, report, disciplineBox, direc string
}

func newAuditFixture(t *testing.T, b backend) auditFixture {
	t.Helper()
	// 23:30 on 31 March in China (15:30 UTC).
	clock := newClock(time.Date(2026, 3, 31, 15, 30, 0, 0, time.UTC))
	s := b.mustOpenClock(t, clock)
	f := auditFixture{s: s, admin: mustCreateUser(t, s, "管理员", RoleAdmin), discipline: mustCreateUser(t, s, "纪检员", access.Discipline)}
	f.plain = mustCreateOpinion(t, s, NewOpinion{})
	f.report = mustCreateOpinion(t, s, NewOpinion{Type: "report"})
	f.disciplineBox = mustCreateOpinion(t, s, NewOpinion{MailboxCode: "discipline"})
	f.direc = mustCreateOpinion(t, s, NewOpinion{MailboxCode: "director"})
	// 31 March (China): one entry of each kind.
	writeAudit(t, s, f.admin.ID, "note", f.plain, "d1")
	writeAudit(t, s, f.discipline.ID, "note", f.report, "d1")
	writeAudit(t, s, f.discipline.ID, "note", f.disciplineBox, "d1")
	writeAudit(t, s, f.admin.ID, "note", f.direc, "d1")
	writeAudit(t, s, f.admin.ID, "login", "", "d1")
	// One hour later it is 1 April in China, still 31 March in UTC.
	clock.Advance(time.Hour)
	writeAudit(t, s, f.admin.ID, "tag", f.plain, "d2")
	writeAudit(t, s, f.discipline.ID, "tag", f.report, "d2")
	clock.Advance(24 * time.Hour) // 2 April
	writeAudit(t, s, f.discipline.ID, "login", "", "d3")
	writeAudit(t, s, f.discipline.ID, "status", f.report, "d3")
	return f
}

func details(rows []AuditRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Action+"/"+r.Detail)
	}
	return out
}

func TestAuditPageFiltersAndVisibility(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		fx := newAuditFixture(t, b)
		tests := []struct {
			name string
			f    AuditFilter
			want []string // newest first
		}{
			{"admin sees all but 举报 and the discipline mailbox", AuditFilter{},
				[]string{"login/d3", "tag/d2", "login/d1", "note/d1", "note/d1", "user_add/纪检员 (discipline)", "user_add/管理员 (admin)"}},
			{"discipline sees 举报 and its mailbox only", AuditFilter{Discipline: true},
				[]string{"status/d3", "tag/d2", "note/d1", "note/d1"}},
			{"by person", AuditFilter{UserID: fx.discipline.ID}, []string{"login/d3"}},
			{"by person, discipline", AuditFilter{Discipline: true, UserID: fx.admin.ID}, nil},
			{"by action", AuditFilter{Action: "note"}, []string{"note/d1", "note/d1"}},
			{"by item", AuditFilter{OpinionID: fx.plain}, []string{"tag/d2", "note/d1"}},
			{"a 举报 item asked by the admin", AuditFilter{OpinionID: fx.report}, nil},
			{"a 举报 item asked by discipline", AuditFilter{Discipline: true, OpinionID: fx.report},
				[]string{"status/d3", "tag/d2", "note/d1"}},
			{"from a day (China time)", AuditFilter{From: "2026-04-01"}, []string{"login/d3", "tag/d2"}},
			{"to a day (China time)", AuditFilter{To: "2026-03-31", Action: "login"}, []string{"login/d1"}},
			{"one day", AuditFilter{Discipline: true, From: "2026-04-01", To: "2026-04-01"}, []string{"tag/d2"}},
			{"filters together", AuditFilter{Discipline: true, UserID: fx.discipline.ID, Action: "status", From: "2026-04-02"},
				[]string{"status/d3"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rows, next, err := fx.s.AuditPage(context.Background(), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := details(rows); strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Errorf("got %q, want %q", got, tc.want)
				}
				if next != 0 {
					t.Errorf("next = %d on a short list, want 0", next)
				}
				var each []string
				if err := fx.s.EachAudit(context.Background(), tc.f, func(r AuditRow) error {
					each = append(each, r.Action+"/"+r.Detail)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if strings.Join(each, " ") != strings.Join(tc.want, " ") {
					t.Errorf("EachAudit got %q, want %q", each, tc.want)
				}
			})
		}
	})
}

func TestAuditPageKeyset(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "管理员", RoleAdmin)
		const n = AuditPageSize*2 + 7
		for i := 0; i < n; i++ {
			writeAudit(t, s, u.ID, "note", "", "")
		}
		f := AuditFilter{UserID: u.ID, Action: "note"}
		var seen []int64
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("more pages than entries allow")
			}
			rows, next, err := s.AuditPage(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if len(seen) > 0 && r.ID >= seen[len(seen)-1] {
					t.Fatalf("id %d after %d: not newest first, or seen twice", r.ID, seen[len(seen)-1])
				}
				seen = append(seen, r.ID)
			}
			if next == 0 {
				if len(rows) != n-2*AuditPageSize {
					t.Errorf("last page: %d rows, want %d", len(rows), n-2*AuditPageSize)
				}
				break
			}
			if len(rows) != AuditPageSize || next != rows[len(rows)-1].ID {
				t.Fatalf("a full page: %d rows, next %d", len(rows), next)
			}
			f.Before = next
		}
		if len(seen) != n {
			t.Errorf("read %d entries over the pages, want %d", len(seen), n)
		}
	})
}

func TestRecordOpenedOnlyForDisciplineItems(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		fx := newAuditFixture(t, b)
		ctx := context.Background()
		for _, tc := range []struct {
			name, id string
			want     int
		}{
			{"举报", fx.report, 1},
			{"discipline mailbox", fx.disciplineBox, 1},
			{"ordinary opinion", fx.plain, 0},
			{"ordinary mailbox", fx.direc, 0},
			{"no such opinion", "NOSUCHID00", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := fx.s.RecordOpened(ctx, fx.discipline.ID, tc.id, "sheet"); err != nil {
					t.Fatal(err)
				}
				if got := countRows(t, fx.s, "audit_log", "action = ? AND opinion_id = ? AND detail = 'sheet' AND user_id = ?",
					ActionOpenReport, tc.id, fx.discipline.ID); got != tc.want {
					t.Errorf("entries: got %d, want %d", got, tc.want)
				}
			})
		}
		// The reads stay out of the item's history.
		hist, err := fx.s.AuditOf(ctx, fx.report)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			if e.Action == ActionOpenReport {
				t.Errorf("the history of %s shows a read: %+v", fx.report, e)
			}
		}
		if len(hist) != 3 {
			t.Errorf("history of the 举报: %d entries, want its 3 acts", len(hist))
		}
	})
}

// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestAuditPageReadsAnIndex(t *testing.T) {
	t.Parallel()
	fx := newAuditFixture(t, backends[0])
	for _, tc := range []struct {
		name  string
		f     AuditFilter
		index string
	}{
		{"person", AuditFilter{UserID: 1}, "audit_log_by_user"},
		{"action", AuditFilter{Action: "note"}, "audit_log_by_action"},
		{"item", AuditFilter{OpinionID: fx.plain}, "audit_log_by_opinion"},
		{"discipline's opinions", AuditFilter{Discipline: true}, "opinions_reports"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			where, args := fx.s.auditWhere(tc.f)
			rows, err := fx.s.read.Query(`EXPLAIN QUERY PLAN SELECT a.id FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE `+
				where+` ORDER BY a.id DESC LIMIT 51`, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if !strings.Contains(strings.Join(plan, "\n"), tc.index) {
				t.Errorf("plan does not use %s:\n%s", tc.index, strings.Join(plan, "\n"))
			}
		})
	}
}
