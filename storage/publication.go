package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minsheng/access"
)

// Publication is what the public notice board (公示) shows of one rectification.
type Publication struct {
	OpinionID   string
	Title       string
	Body        string
	Result      string
	PublishedOn string
	// From the rectification, for the board.
	Status       string
	LeadUnitName string
	Deadline     string
	Kind         string
	Explanation  string // 列入计划: why it cannot be fixed now, written for the public
	ClosedOn     string
	UnitCode     string // the unit the opinion is about, for a board of one branch (#15)
}

// Publish puts a rectification on the notice board, or updates what it says there. Only work
// that has been assigned can be published, and never a 举报. The board's words are the
// reviewer's; the submitter's text is not copied.
func (s *Store) Publish(ctx context.Context, userID int64, id, title, body, result string) error {
	title, body, result = strings.TrimSpace(title), strings.TrimSpace(body), strings.TrimSpace(result)
	if title == "" || body == "" {
		return fmt.Errorf("publish %s: a title and a text are needed: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var typ string
		var lead sql.NullString
		var ordinary bool // not a letter to a discipline mailbox (纪检监察信箱)
		err := tx.QueryRowContext(ctx, `SELECT o.type, r.lead_unit, o.mailbox_code = '' OR `+ordinaryMailboxSQL+`
			FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = ?`, id).Scan(&typ, &lead, &ordinary)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("opinion %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if typ == access.ReportType || !ordinary || !lead.Valid {
			return fmt.Errorf("publish %s: only assigned work, never a misconduct report or a letter to the discipline mailbox: %w", id, ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO publications (opinion_id, title, body, result, published_on) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (opinion_id) DO UPDATE SET title = excluded.title, body = excluded.body, result = excluded.result`,
			id, title, body, result, now.Format(dateLayout)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET published = 1 WHERE opinion_id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "publish", id, title)
	})
}

// Unpublish takes a rectification off the notice board.
func (s *Store) Unpublish(ctx context.Context, userID int64, id string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM publications WHERE opinion_id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("publication of %s: %w", id, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET published = 0 WHERE opinion_id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "unpublish", id, "")
	})
}

const publicationColumns = `p.opinion_id, p.title, p.body, p.result, p.published_on, o.status,
	COALESCE(u.name, ''), r.deadline, r.kind, r.explanation, r.closed_on, o.unit_code
	FROM publications p JOIN opinions o ON o.id = p.opinion_id
	JOIN rectifications r ON r.opinion_id = p.opinion_id LEFT JOIN units u ON u.code = r.lead_unit`

func scanPublication(row scanner) (Publication, error) {
	var p Publication
	err := row.Scan(&p.OpinionID, &p.Title, &p.Body, &p.Result, &p.PublishedOn, &p.Status, &p.LeadUnitName,
		&p.Deadline, &p.Kind, &p.Explanation, &p.ClosedOn, &p.UnitCode)
	return p, err
}

// PublicationOf returns what the board says of one opinion; the zero value when unpublished.
func (s *Store) PublicationOf(ctx context.Context, id string) (Publication, error) {
	p, err := scanPublication(s.read.QueryRowContext(ctx, `SELECT `+publicationColumns+` WHERE p.opinion_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Publication{}, nil
	}
	return p, err
}

// Publications returns the whole notice board, newest first.
func (s *Store) Publications(ctx context.Context) ([]Publication, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+publicationColumns+` ORDER BY p.published_on DESC, p.opinion_id`)
	if err != nil {
		return nil, fmt.Errorf("publications: %w", err)
	}
	defer rows.Close()
	var out []Publication
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
