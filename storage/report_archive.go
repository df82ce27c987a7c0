package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// The archive of summary reports (#12, migration 0026). Storage keeps bytes: package report
// writes the frozen JSON and reads it back; storage numbers, stamps, checks the SHA-256 and
// refuses to change an issued row (the table's triggers refuse it too).

// ErrReportTampered means an archived report's bytes no longer match the SHA-256 stored with
// them: the copy must not be shown as the issued one.
var ErrReportTampered = errors.New("issued report does not match its SHA-256")

// ReportKey names one report: its kind, its period (as period.Period.String spells it), its unit
// ("" the whole system) and whether it is 纪检's version (with 举报).
type ReportKey struct {
	Kind       string
	Period     string
	Unit       string
	Discipline bool
}

// IssuedReport is one row of the archive. Body is nil in lists (IssuedReports).
type IssuedReport struct {
	Number string
	ReportKey
	Title    string
	Body     []byte // the frozen JSON, exactly as issued
	SHA256   string // hex
	IssuedOn string // YYYY-MM-DD
	IssuedBy string // username
	Replaces string // number of the report this one corrects, "" for none
}

// Freeze writes the frozen bytes of a report once storage has given it its number, its day and
// its issuer (inside the issuing transaction, so that the bytes hold them).
type Freeze func(number, issuedOn, issuedBy string) ([]byte, error)

// IssueReport archives a report as issued by userID: it takes the next number of the year
// (YYYY-NNN), asks freeze for the bytes, stores them with their SHA-256 and audits the act, all in
// one transaction. replaces, when not "", must name an issued report.
func (s *Store) IssueReport(ctx context.Context, userID int64, k ReportKey, title, replaces string, freeze Freeze) (IssuedReport, error) {
	var out IssuedReport
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var username string
		if err := tx.QueryRowContext(ctx, `SELECT username FROM users WHERE id = ?`, userID).Scan(&username); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("issue report: user %d: %w", userID, ErrNotFound)
			}
			return fmt.Errorf("issue report: %w", err)
		}
		if replaces != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM issued_reports WHERE number = ?`, replaces).Scan(&n); err != nil {
				return fmt.Errorf("issue report: %w", err)
			}
			if n == 0 {
				return fmt.Errorf("issue report: replaces %q: %w", replaces, ErrNotFound)
			}
		}
		day := now.Format(dateLayout)
		year, _ := strconv.Atoi(day[:4])
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM issued_reports WHERE year = ?`, year).Scan(&seq); err != nil {
			return fmt.Errorf("issue report: number: %w", err)
		}
		number := fmt.Sprintf("%04d-%03d", year, seq)
		body, err := freeze(number, day, username)
		if err != nil {
			return err
		}
		out = IssuedReport{Number: number, ReportKey: k, Title: title, Body: body, SHA256: hexSum(body),
			IssuedOn: day, IssuedBy: username, Replaces: replaces}
		if _, err := tx.ExecContext(ctx, `INSERT INTO issued_reports
			(number, year, seq, kind, period, unit, discipline, title, body, sha256, issued_on, issued_by, replaces)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			number, year, seq, k.Kind, k.Period, k.Unit, k.Discipline, title, body, out.SHA256, day, username,
			nullString(replaces)); err != nil {
			return fmt.Errorf("issue report: %w", mapError(err))
		}
		return audit(ctx, tx, now, userID, "report_issue", "", number+" "+out.SHA256)
	})
	return out, err
}

// IssuedReport reads issued report number with its bytes, after checking them against their
// SHA-256 (ErrReportTampered when they differ; ErrNotFound when there is no such number).
func (s *Store) IssuedReport(ctx context.Context, number string) (IssuedReport, error) {
	r, err := scanIssued(s.read.QueryRowContext(ctx, `SELECT `+issuedColumns+`, body FROM issued_reports WHERE number = ?`, number), true)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("issued report %q: %w", number, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("issued report %q: %w", number, err)
	}
	if hexSum(r.Body) != r.SHA256 {
		return r, fmt.Errorf("issued report %q: %w", number, ErrReportTampered)
	}
	return r, nil
}

// IssuedReportFilter chooses rows of the archive: Unit "" all; else only that unit's reports.
// Discipline false leaves 纪检's versions out (only 纪检 lists them).
type IssuedReportFilter struct {
	Unit       string
	AllUnits   bool // Unit is ignored: every unit's reports and the system's
	Discipline bool
}

// IssuedReports lists the archive, newest first, without the bodies.
func (s *Store) IssuedReports(ctx context.Context, f IssuedReportFilter) ([]IssuedReport, error) {
	q := `SELECT ` + issuedColumns + ` FROM issued_reports WHERE (discipline = 0 OR ? = 1)`
	args := []any{f.Discipline}
	if !f.AllUnits {
		q += ` AND unit = ?`
		args = append(args, f.Unit)
	}
	q += ` ORDER BY year DESC, seq DESC`
	return collect(ctx, s.read, func(rows *sql.Rows) (IssuedReport, error) { return scanIssued(rows, false) }, q, args...)
}

// ReportCorrections lists the numbers of the issued reports that replace number, oldest first:
// an archived report shows that it was corrected.
func (s *Store) ReportCorrections(ctx context.Context, number string) ([]string, error) {
	return collect(ctx, s.read, scanString, `SELECT number FROM issued_reports WHERE replaces = ? ORDER BY year, seq`, number)
}

const issuedColumns = `number, kind, period, unit, discipline, title, sha256, issued_on, issued_by, coalesce(replaces, '')`

func scanIssued(row interface{ Scan(...any) error }, withBody bool) (IssuedReport, error) {
	var r IssuedReport
	dest := []any{&r.Number, &r.Kind, &r.Period, &r.Unit, &r.Discipline, &r.Title, &r.SHA256, &r.IssuedOn,
		&r.IssuedBy, &r.Replaces}
	if withBody {
		dest = append(dest, &r.Body)
	}
	return r, row.Scan(dest...)
}

// SaveReportDraft keeps staff's edits of a draft (bytes package report writes: the narrative and
// the chosen cases), replacing what was saved for the same report before; audited.
func (s *Store) SaveReportDraft(ctx context.Context, userID int64, k ReportKey, body []byte) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_drafts (kind, period, unit, discipline, body, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, period, unit, discipline) DO UPDATE SET
				body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			k.Kind, k.Period, k.Unit, k.Discipline, body, now.UTC().Format(timeLayout), nullID(userID)); err != nil {
			return fmt.Errorf("save report draft: %w", mapError(err))
		}
		return audit(ctx, tx, now, userID, "report_draft", "", draftDetail(k))
	})
}

// ReportDraft reads the saved draft of k: its bytes, when and by whom (username, "" for the
// command line) it was last saved. ErrNotFound when nothing was saved.
func (s *Store) ReportDraft(ctx context.Context, k ReportKey) (body []byte, at time.Time, by string, err error) {
	var stamp string
	err = s.read.QueryRowContext(ctx, `SELECT d.body, d.updated_at, coalesce(u.username, '')
		FROM report_drafts d LEFT JOIN users u ON u.id = d.updated_by
		WHERE d.kind = ? AND d.period = ? AND d.unit = ? AND d.discipline = ?`,
		k.Kind, k.Period, k.Unit, k.Discipline).Scan(&body, &stamp, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, at, "", fmt.Errorf("report draft %s: %w", draftDetail(k), ErrNotFound)
	}
	if err != nil {
		return nil, at, "", fmt.Errorf("report draft %s: %w", draftDetail(k), err)
	}
	at, err = time.Parse(timeLayout, stamp)
	return body, at, by, err
}

// draftDetail names a draft in the audit log: "kind period unit" (+ " discipline").
func draftDetail(k ReportKey) string {
	d := k.Kind + " " + k.Period + " " + k.Unit
	if k.Discipline {
		d += " discipline"
	}
	return d
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
