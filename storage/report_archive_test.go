package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func freezeAs(body string) Freeze {
	return func(number, issuedOn, issuedBy string) ([]byte, error) {
		return []byte(fmt.Sprintf(`{"number":%q,"issued_on":%q,"issued_by":%q,"body":%q}`, number, issuedOn, issuedBy, body)), nil
	}
}

// TestIssueReportNumbersAndStamps: numbers run per year from 001, the freeze function sees the
// number, the day (store's zone) and the username it writes into the bytes, and the archive
// gives those bytes back exactly, with their SHA-256.
func TestIssueReportNumbersAndStamps(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", "reviewer")
		k := ReportKey{Kind: "summary", Period: "2026-03", Unit: ""}

		first, err := s.IssueReport(ctx, u.ID, k, "March", "", freezeAs("one"))
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.IssueReport(ctx, u.ID, k, "March corrected", first.Number, freezeAs("two"))
		if err != nil {
			t.Fatal(err)
		}
		if first.Number != "2026-001" || second.Number != "2026-002" {
			t.Errorf("numbers = %s, %s; want 2026-001, 2026-002", first.Number, second.Number)
		}
		if first.IssuedOn != "2026-04-01" || first.IssuedBy != "office" {
			t.Errorf("stamped %s by %s, want 2026-04-01 (China time) by office", first.IssuedOn, first.IssuedBy)
		}
		got, err := s.IssuedReport(ctx, second.Number)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Body) != string(second.Body) || got.SHA256 != hexSum(second.Body) || got.Replaces != first.Number {
			t.Errorf("read back %+v, want the issued bytes, their sum and replaces %s", got, first.Number)
		}
		if !strings.Contains(string(got.Body), `"number":"2026-002"`) {
			t.Errorf("the frozen bytes do not hold their number: %s", got.Body)
		}
		corr, err := s.ReportCorrections(ctx, first.Number)
		if err != nil || len(corr) != 1 || corr[0] != second.Number {
			t.Errorf("corrections of %s = %v, %v; want [%s]", first.Number, corr, err, second.Number)
		}
		if _, err := s.IssuedReport(ctx, "2026-999"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown number: err = %v, want ErrNotFound", err)
		}
		if _, err := s.IssueReport(ctx, u.ID, k, "x", "2025-001", freezeAs("three")); !errors.Is(err, ErrNotFound) {
			t.Errorf("replacing an unknown number: err = %v, want ErrNotFound", err)
		}
		if trail := auditActions(t, s, "report_issue"); len(trail) != 2 {
			t.Errorf("audited issues = %v, want 2", trail)
		}
	})
}

// auditActions lists the details of the audit rows of action.
func auditActions(t *testing.T, s *Store, action string) []string {
	t.Helper()
	rows, err := collect(context.Background(), s.read, scanString, `SELECT detail FROM audit_log WHERE action = ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestIssuedReportIsFrozen: the database refuses to change or remove an issued row, whoever
// asks; and a row whose bytes were changed behind the store's back (triggers dropped) is refused
// on reading.
func TestIssuedReportIsFrozen(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", "reviewer")
		r, err := s.IssueReport(ctx, u.ID, ReportKey{Kind: "summary", Period: "2026-03"}, "March", "", freezeAs("one"))
		if err != nil {
			t.Fatal(err)
		}
		// The bytes are bound, not written X'…' (a bit string on PostgreSQL, refused for its type
		// rather than by the trigger).
		tests := []struct {
			name, sql string
			args      []any
		}{
			{"update body", `UPDATE issued_reports SET body = ? WHERE number = ?`, []any{[]byte("{}"), r.Number}},
			{"update title", `UPDATE issued_reports SET title = 'other' WHERE number = ?`, []any{r.Number}},
			{"delete", `DELETE FROM issued_reports WHERE number = ?`, []any{r.Number}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.write.ExecContext(ctx, tt.sql, tt.args...)
				if err == nil || !strings.Contains(err.Error(), "issued report is") {
					t.Fatalf("%s: err = %v, want the trigger's refusal", tt.sql, err)
				}
				got, err := s.IssuedReport(ctx, r.Number)
				if err != nil || string(got.Body) != string(r.Body) || got.Title != "March" {
					t.Errorf("after the refused change: %+v, %v", got, err)
				}
			})
		}
		t.Run("tampered bytes are refused", func(t *testing.T) {
			drop := `DROP TRIGGER issued_reports_frozen`
			if b.name == "postgres" {
				drop += ` ON issued_reports`
			}
			if _, err := s.write.ExecContext(ctx, drop); err != nil {
				t.Fatal(err)
			}
			if _, err := s.write.ExecContext(ctx, `UPDATE issued_reports SET body = ? WHERE number = ?`, []byte("{}"), r.Number); err != nil {
				t.Fatal(err)
			}
			if _, err := s.IssuedReport(ctx, r.Number); !errors.Is(err, ErrReportTampered) {
				t.Errorf("err = %v, want ErrReportTampered", err)
			}
		})
	})
}

// TestReportDrafts: a draft is saved and replaced under its key, audited each time; the
// discipline version and another unit are other drafts; a key never saved is ErrNotFound.
func TestReportDrafts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", "reviewer")
		k := ReportKey{Kind: "summary", Period: "2026-03", Unit: "U1"}
		for _, body := range []string{`{"v":1}`, `{"v":2}`} {
			if err := s.SaveReportDraft(ctx, u.ID, k, []byte(body)); err != nil {
				t.Fatal(err)
			}
		}
		body, at, by, err := s.ReportDraft(ctx, k)
		if err != nil || string(body) != `{"v":2}` || by != "office" || at.IsZero() {
			t.Errorf("draft = %s at %v by %q, %v; want the second save by office", body, at, by, err)
		}
		others := []ReportKey{
			{Kind: "summary", Period: "2026-03", Unit: "U1", Discipline: true},
			{Kind: "summary", Period: "2026-03", Unit: ""},
			{Kind: "opinions", Period: "2026-03", Unit: "U1"},
			{Kind: "summary", Period: "2026-Q1", Unit: "U1"},
		}
		for _, o := range others {
			if _, _, _, err := s.ReportDraft(ctx, o); !errors.Is(err, ErrNotFound) {
				t.Errorf("draft %+v: err = %v, want ErrNotFound", o, err)
			}
		}
		if trail := auditActions(t, s, "report_draft"); len(trail) != 2 || trail[0] != "summary 2026-03 U1" {
			t.Errorf("audited drafts = %q, want two of summary 2026-03 U1", trail)
		}
	})
}

// TestIssuedReportsLists: newest first, one unit or all, 纪检's versions only when asked.
func TestIssuedReportsLists(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", "admin")
		keys := []ReportKey{
			{Kind: "summary", Period: "2026-03"},
			{Kind: "summary", Period: "2026-03", Unit: "U1"},
			{Kind: "summary", Period: "2026-03", Discipline: true},
		}
		for _, k := range keys {
			if _, err := s.IssueReport(ctx, u.ID, k, "t", "", freezeAs(k.Unit)); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			f    IssuedReportFilter
			want []string
		}{
			{"system", IssuedReportFilter{}, []string{"2026-001"}},
			{"one unit", IssuedReportFilter{Unit: "U1"}, []string{"2026-002"}},
			{"all but discipline", IssuedReportFilter{AllUnits: true}, []string{"2026-002", "2026-001"}},
			{"all for discipline", IssuedReportFilter{AllUnits: true, Discipline: true}, []string{"2026-003", "2026-002", "2026-001"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, err := s.IssuedReports(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range list {
					got = append(got, r.Number)
					if r.Body != nil {
						t.Errorf("%s: list carries the body", r.Number)
					}
				}
				if strings.Join(got, " ") != strings.Join(tt.want, " ") {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}
