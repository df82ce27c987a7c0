package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Notice is one line of a person's in-portal inbox: what kind of event, which unit, the
// deadline and the opinion to open. No words of the opinion.
type Notice struct {
	ID        string
	Kind      string
	OpinionID string
	Unit      string
	UnitName  string
	Deadline  string
	At        time.Time // when it was queued (staff-caused events only: they may carry times)
	Read      bool
}

// Inbox returns the newest limit lines of userID's inbox, newest first.
func (s *Store) Inbox(ctx context.Context, userID int64, limit int) ([]Notice, error) {
	list, err := collect(ctx, s.read, func(r *sql.Rows) (Notice, error) {
		var n Notice
		var at, readAt string
		if err := r.Scan(&n.ID, &n.Kind, &n.OpinionID, &n.Unit, &n.UnitName, &n.Deadline, &at, &readAt); err != nil {
			return n, err
		}
		n.Read = readAt != ""
		t, err := time.Parse(timeLayout, at)
		n.At = t.In(s.now().Location())
		return n, err
	}, `SELECT n.id, n.kind, n.opinion_id, n.unit_code, COALESCE(u.name, ''), n.deadline, n.created_at, n.read_at
		FROM notifications n LEFT JOIN units u ON u.code = n.unit_code
		WHERE n.user_id = ? ORDER BY n.created_at DESC, n.id LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("inbox of %d: %w", userID, err)
	}
	return list, nil
}

// UnreadCount is the number shown beside 消息 on every staff page: one indexed count.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = ? AND read_at = ''`, userID).Scan(&n)
	return n, err
}

// MarkRead marks one line of userID's inbox read, or all of them when id is "". Someone
// else's line is ErrNotFound. Reading one's own messages changes nothing of the office's work,
// so it is not audited.
func (s *Store) MarkRead(ctx context.Context, userID int64, id string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		at := now.UTC().Format(timeLayout)
		if id == "" {
			_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = ''`, at, userID)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = CASE WHEN read_at = '' THEN ? ELSE read_at END
			WHERE id = ? AND user_id = ?`, at, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("notification %s: %w", id, ErrNotFound)
		}
		return nil
	})
}
