package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Note is an internal remark on an opinion; the submitter never sees it.
type Note struct {
	ID        int64
	Author    string
	Body      string
	CreatedAt time.Time
}

// SetStyles replaces the four-styles tags of an opinion (styles may be empty: none applies).
// Callers pass valid sifeng codes; the CHECK constraint rejects anything else.
func (s *Store) SetStyles(ctx context.Context, userID int64, id string, styles []string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return setStyles(ctx, tx, now, userID, id, styles)
	})
}

func setStyles(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, id string, styles []string) error {
	if _, err := opinionStatus(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM opinion_styles WHERE opinion_id = ?`, id); err != nil {
		return err
	}
	for _, st := range styles {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, st); err != nil {
			return fmt.Errorf("tag %s: %w", st, err)
		}
	}
	// A manifestation goes with its style: untagging the style untags its manifestations.
	res, err := tx.ExecContext(ctx, `DELETE FROM opinion_tags WHERE opinion_id = ? AND tag IN
		(SELECT code FROM tags WHERE style IS NOT NULL AND style NOT IN
		 (SELECT style FROM opinion_styles WHERE opinion_id = ?))`, id, id)
	if err != nil {
		return err
	}
	if err := audit(ctx, tx, now, userID, "tag", id, strings.Join(styles, ",")); err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		var left string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(group_concat(tag), '') FROM opinion_tags WHERE opinion_id = ?`, id).Scan(&left); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "subtag", id, left)
	}
	return nil
}

// SetReply sets the answer the submitter will see on /track and dates it today.
func (s *Store) SetReply(ctx context.Context, userID int64, id, reply string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE opinions SET reply = ?, replied_on = ? WHERE id = ?`,
			reply, now.Format(dateLayout), id); err != nil {
			return err
		}
		if err := writeStaffDoc(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "reply", id, "")
	})
}

// AddNote adds an internal note to an opinion.
func (s *Store) AddNote(ctx context.Context, userID int64, id, body string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO opinion_notes (opinion_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`,
			id, userID, body, now.UTC().Format(timeLayout)); err != nil {
			return err
		}
		if err := writeStaffDoc(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "note", id, "")
	})
}

// Notes returns an opinion's internal notes, oldest first.
func (s *Store) Notes(ctx context.Context, id string) ([]Note, error) {
	notes, err := collect(ctx, s.read, func(rows *sql.Rows) (Note, error) {
		var n Note
		var at string
		err := rows.Scan(&n.ID, &n.Author, &n.Body, &at)
		n.CreatedAt, _ = time.Parse(timeLayout, at)
		return n, err
	}, `SELECT n.id, u.username, n.body, n.created_at
		FROM opinion_notes n JOIN users u ON u.id = n.author_id
		WHERE n.opinion_id = ? ORDER BY n.id`, id)
	if err != nil {
		return nil, fmt.Errorf("notes of %s: %w", id, err)
	}
	return notes, nil
}

// opinionStatus reads an opinion's status inside tx, or returns ErrNotFound.
func opinionStatus(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM opinions WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	return status, err
}

// AddStyle adds one four-styles tag to an opinion, keeping the others; it reports false when
// the opinion had it already (nothing is written then). Unlike SetStyles it cannot lose a tag
// someone else adds at the same moment.
func (s *Store) AddStyle(ctx context.Context, userID int64, id, style string) (bool, error) {
	added := false
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			`INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, style)
		if err != nil {
			return fmt.Errorf("tag %s: %w", style, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return audit(ctx, tx, now, userID, "tag", id, "+"+style)
	})
	return added, err
}
