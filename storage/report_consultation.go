package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
)

// Drafts of summary reports opened for comment (feature 63, migration 0040). They share the
// plans' pieces: the opening (plan.Opening: scope and period, checked the same way), the anonymous
// pipeline (CreateOpinion with NewOpinion.Consultation, refused with ErrPlanClosed outside the
// period, linked in the opinion's own transaction), and the way comments are listed (in the
// viewer's scope, counted in full).

// ReportConsultation is a report's draft opened for comment: which report (ReportKey, never 纪检's
// version), the snapshot of its text the readers see, to whom and for which days, and the
// comments it received.
type ReportConsultation struct {
	ID int64
	ReportKey
	Title                              string
	Basics, Problems, Causes, Measures string
	Scope, From, To                    string
	Open                               bool   // not closed by the office (the period may still be over)
	Changes                            string // what the office changed after the comments
	OpenedOn                           string
	Comments                           int // every comment, whoever reads
}

// ConsultationText is the snapshot of a draft's text when it is opened for comment.
type ConsultationText struct {
	Title                              string
	Basics, Problems, Causes, Measures string
}

// MaxConsultationPart is the most characters of the title and of each part of a snapshot.
const MaxConsultationPart = 5000

// TakesComments reports whether c takes comments on day (YYYY-MM-DD).
func (c ReportConsultation) TakesComments(day string) bool {
	return c.Open && c.From <= day && day <= c.To
}

// OpenReportConsultation opens report k's draft for comment with text, to o's scope for o's
// days, by actorID (the 活动办: the handlers check the role); opening it again replaces the text
// and the period and keeps the comments. Audited. 纪检's version, an opening plan.Opening refuses
// or text too long is ErrInvalid.
func (s *Store) OpenReportConsultation(ctx context.Context, actorID int64, k ReportKey, text ConsultationText, o plan.Opening) (int64, error) {
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		day := now.Format(dateLayout)
		if k.Discipline || len(o.Problems(day)) > 0 {
			return fmt.Errorf("open report %s for comment: %w", draftDetail(k), ErrInvalid)
		}
		for _, part := range []string{text.Title, text.Basics, text.Problems, text.Causes, text.Measures} {
			if utf8.RuneCountInString(part) > MaxConsultationPart {
				return fmt.Errorf("open report %s for comment: text too long: %w", draftDetail(k), ErrInvalid)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO report_consultations
			(kind, period, unit, title, basics, problems, causes, measures, scope, open_from, open_to, open, opened_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
			ON CONFLICT (kind, period, unit) DO UPDATE SET title = excluded.title, basics = excluded.basics,
				problems = excluded.problems, causes = excluded.causes, measures = excluded.measures,
				scope = excluded.scope, open_from = excluded.open_from, open_to = excluded.open_to, open = 1,
				opened_on = excluded.opened_on
			RETURNING id`, k.Kind, k.Period, k.Unit, text.Title, text.Basics, text.Problems, text.Causes, text.Measures,
			o.Scope, o.From, o.To, day).Scan(&id)
		if err != nil {
			return fmt.Errorf("open report %s for comment: %w", draftDetail(k), mapError(err))
		}
		return audit(ctx, tx, now, actorID, "report_open_comment", "", fmt.Sprintf("%d %s %s–%s", id, draftDetail(k), o.From, o.To))
	})
	return id, err
}

// CloseReportConsultation ends the comment period of consultation id now (by actorID, audited):
// no comment arrives after it. Closing one already closed changes nothing and is no error.
func (s *Store) CloseReportConsultation(ctx context.Context, actorID, id int64) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		day := now.Format(dateLayout)
		res, err := tx.ExecContext(ctx, `UPDATE report_consultations SET open = 0,
			open_to = min(open_to, ?), open_from = min(open_from, ?) WHERE id = ? AND open = 1`, day, day, id)
		if err != nil {
			return fmt.Errorf("close report consultation %d: %w", id, mapError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := reportConsultationIn(ctx, tx, id); err != nil {
				return err
			}
			return nil
		}
		return audit(ctx, tx, now, actorID, "report_close_comment", "", strconv.FormatInt(id, 10))
	})
}

// SaveConsultationChanges keeps what the office writes it changed after the comments (at most
// plan.MaxNote characters, else ErrInvalid), audited; the issued report says it.
func (s *Store) SaveConsultationChanges(ctx context.Context, actorID, id int64, changes string) error {
	if utf8.RuneCountInString(changes) > plan.MaxNote || !utf8.ValidString(changes) {
		return fmt.Errorf("report consultation %d changes: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_consultations SET changes = ? WHERE id = ? AND changes <> ?`, changes, id, changes)
		if err != nil {
			return fmt.Errorf("report consultation %d changes: %w", id, mapError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			_, err := reportConsultationIn(ctx, tx, id) // unchanged, or not there
			return err
		}
		return audit(ctx, tx, now, actorID, "report_comment_changes", "", strconv.FormatInt(id, 10))
	})
}

const consultationColumns = `c.id, c.kind, c.period, c.unit, c.title, c.basics, c.problems, c.causes, c.measures,
	c.scope, c.open_from, c.open_to, c.open, c.changes, c.opened_on,
	(SELECT count(*) FROM report_comments k WHERE k.consultation_id = c.id)`

func scanConsultation(row interface{ Scan(...any) error }) (ReportConsultation, error) {
	var c ReportConsultation
	err := row.Scan(&c.ID, &c.Kind, &c.Period, &c.Unit, &c.Title, &c.Basics, &c.Problems, &c.Causes, &c.Measures,
		&c.Scope, &c.From, &c.To, &c.Open, &c.Changes, &c.OpenedOn, &c.Comments)
	return c, err
}

func oneConsultation(row *sql.Row, what string) (ReportConsultation, error) {
	c, err := scanConsultation(row)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("report consultation %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("report consultation %s: %w", what, err)
	}
	return c, nil
}

func reportConsultationIn(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (ReportConsultation, error) {
	return oneConsultation(q.QueryRowContext(ctx, `SELECT `+consultationColumns+` FROM report_consultations c WHERE c.id = ?`, id),
		strconv.FormatInt(id, 10))
}

// ReportConsultation reads consultation id with its count of comments; ErrNotFound if none.
func (s *Store) ReportConsultation(ctx context.Context, id int64) (ReportConsultation, error) {
	return reportConsultationIn(ctx, s.read, id)
}

// ReportConsultationFor reads the consultation of report k; ErrNotFound if its draft was never
// opened for comment (纪检's version never is).
func (s *Store) ReportConsultationFor(ctx context.Context, k ReportKey) (ReportConsultation, error) {
	if k.Discipline {
		return ReportConsultation{}, fmt.Errorf("report consultation %s: %w", draftDetail(k), ErrNotFound)
	}
	return oneConsultation(s.read.QueryRowContext(ctx, `SELECT `+consultationColumns+` FROM report_consultations c
		WHERE c.kind = ? AND c.period = ? AND c.unit = ?`, k.Kind, k.Period, k.Unit), draftDetail(k))
}

// ReportConsultationsOpen returns the report drafts open for comment on day that r may read, the
// most recently opened first.
func (s *Store) ReportConsultationsOpen(ctx context.Context, day string, r campaign.Reader) ([]ReportConsultation, error) {
	all, err := collect(ctx, s.read, func(rows *sql.Rows) (ReportConsultation, error) { return scanConsultation(rows) },
		`SELECT `+consultationColumns+` FROM report_consultations c
		WHERE c.open = 1 AND c.open_from <= ? AND ? <= c.open_to ORDER BY c.opened_on DESC, c.id DESC`, day, day)
	if err != nil {
		return nil, err
	}
	var out []ReportConsultation
	for _, c := range all {
		if campaign.CanRead(c.Scope, r) {
			out = append(out, c)
		}
	}
	return out, nil
}

// ReportConsultationComments returns the comments on consultation id that v may open, oldest day
// first (ReportConsultation.Comments counts all of them).
func (s *Store) ReportConsultationComments(ctx context.Context, id int64, v access.Viewer) ([]Opinion, error) {
	cond, args := scopeSQL(v)
	return collect(ctx, s.read, func(r *sql.Rows) (Opinion, error) { return scanOpinion(r) },
		`SELECT `+opinionColumns+opinionFrom+` JOIN report_comments c ON c.opinion_id = o.id
		WHERE c.consultation_id = ? AND `+cond+` ORDER BY o.created_on, o.id`, append([]any{id}, args...)...)
}

// consultationTakesComments checks in the opinion's transaction that consultation id takes
// comments on day; else ErrPlanClosed (the same refusal as a plan's).
func consultationTakesComments(ctx context.Context, tx *sql.Tx, id int64, day string) error {
	c, err := reportConsultationIn(ctx, tx, id)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("report consultation %d: %w", id, ErrPlanClosed)
	}
	if err != nil {
		return err
	}
	if !c.TakesComments(day) {
		return fmt.Errorf("report consultation %d %s…%s: %w", id, c.From, c.To, ErrPlanClosed)
	}
	return nil
}

// linkReportComment records in the opinion's transaction that opinion comments on consultation id.
func linkReportComment(ctx context.Context, tx *sql.Tx, id int64, opinion string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_comments (consultation_id, opinion_id) VALUES (?, ?)`, id, opinion); err != nil {
		return fmt.Errorf("link comment to report consultation %d: %w", id, err)
	}
	return nil
}

// draftTakesComments checks what n comments on (a plan, a report's draft, or nothing) takes
// comments on day, in the opinion's transaction.
func draftTakesComments(ctx context.Context, tx *sql.Tx, n NewOpinion, day string) error {
	switch {
	case n.PlanID != 0:
		return planTakesComments(ctx, tx, n.PlanID, day)
	case n.Consultation != 0:
		return consultationTakesComments(ctx, tx, n.Consultation, day)
	}
	return nil
}

// linkDraftComment links opinion id to what n comments on, in the opinion's transaction.
func linkDraftComment(ctx context.Context, tx *sql.Tx, n NewOpinion, id string) error {
	switch {
	case n.PlanID != 0:
		return linkPlanComment(ctx, tx, n.PlanID, id)
	case n.Consultation != 0:
		return linkReportComment(ctx, tx, n.Consultation, id)
	}
	return nil
}

// ConsultationOfComment returns the report draft an opinion comments on: the consultation's id
// and title, 0 if it is no comment on a report.
func (s *Store) ConsultationOfComment(ctx context.Context, opinion string) (int64, string, error) {
	var id int64
	var title string
	err := s.read.QueryRowContext(ctx, `SELECT c.id, c.title FROM report_comments k
		JOIN report_consultations c ON c.id = k.consultation_id WHERE k.opinion_id = ?`, opinion).Scan(&id, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return id, title, err
}
