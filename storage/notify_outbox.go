package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Delivery policy. A message goes AT MOST ONCE: the sender claims rows with a lease (state
// sending) in one transaction, sends, and marks them sent in another. If the server dies
// between the two, nobody knows whether the mail or the robot post went out; the next claim
// finds the lease run out and marks the rows "unknown" instead of sending them again, and the
// admin sees them on the delivery page. We chose this over at-least-once because every event
// sent out is also in the recipient's inbox (durable, written with the act): a rare lost
// message after a crash leaves the work findable, while a repeated 交办 or 超期 mail would
// have people act twice or distrust the mails. A send that fails with an error is not in doubt
// for a crash and is retried with exponential backoff until maxAttempts.
const (
	maxAttempts  = 8
	firstBackoff = time.Minute
	maxBackoff   = 6 * time.Hour
	// HourlyGap is the least time between two mails to a person who chose the hourly digest.
	HourlyGap = time.Hour
)

// OutboxItem is one queued message: an event (Kind, OpinionID, EventUnit, Deadline) or a
// digest (Kind "digest", Counts).
type OutboxItem struct {
	ID        string
	Kind      string
	OpinionID string
	EventUnit string
	UnitName  string
	Deadline  string
	Counts    map[string]int
	Attempts  int
}

// Delivery is what the sender sends as one message: all the due items for one person's
// mailbox, or for one unit's robot.
type Delivery struct {
	Channel string // ChannelEmail or ChannelWebhook
	UserID  int64  // e-mail: the person
	Email   string
	Lang    string
	Unit    string // webhook: the unit
	Webhook UnitWebhook
	Items   []OutboxItem
}

// backoff is the wait before attempt n+1 after n failed attempts: 1, 2, 4 … minutes, capped.
func backoff(n int) time.Duration {
	d := firstBackoff
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// ClaimDeliveries takes the due messages for sending, with a lease of lease. Rows still
// claimed from a run whose lease ran out become "unknown" (see the policy above). E-mail to
// a person on the hourly digest waits until an hour after their last mail. Items without an
// address or a robot to go to fail at once, visibly.
func (s *Store) ClaimDeliveries(ctx context.Context, lease time.Duration, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		out = nil
		at := now.UTC().Format(timeLayout)
		if _, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'unknown', lease_until = '',
			last_error = 'the server stopped while sending: not sent again' WHERE state = 'sending' AND lease_until < ?`, at); err != nil {
			return err
		}
		hourAgo := now.Add(-HourlyGap).UTC().Format(timeLayout)
		type row struct {
			OutboxItem
			channel, email, lang, unit, url, format string
			user                                    int64
			counts                                  string
			secret                                  []byte
		}
		rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
			var x row
			err := r.Scan(&x.ID, &x.channel, &x.user, &x.unit, &x.Kind, &x.OpinionID, &x.EventUnit, &x.UnitName,
				&x.Deadline, &x.counts, &x.Attempts, &x.email, &x.lang, &x.url, &x.format, &x.secret)
			return x, err
		}, `SELECT o.id, o.channel, COALESCE(o.user_id, 0), o.unit_code, o.kind, o.opinion_id, o.event_unit,
			COALESCE((SELECT name FROM units WHERE code = o.event_unit), ''), o.deadline, o.counts, o.attempts,
			COALESCE(p.email, ''), COALESCE(u.lang, ''), COALESCE(w.url, ''), COALESCE(w.format, ''), w.secret_sealed
			FROM notify_outbox o
			LEFT JOIN notify_people p ON p.user_id = o.user_id
			LEFT JOIN users u ON u.id = o.user_id
			LEFT JOIN unit_webhooks w ON w.unit_code = o.unit_code
			WHERE o.state = 'pending' AND o.next_try_at <= ?
			  AND NOT (o.channel = 'email' AND COALESCE(p.hourly, 0) = 1 AND COALESCE(p.last_mail_at, '') > ?)
			ORDER BY o.created_at, o.id LIMIT ?`, at, hourAgo, limit)
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		byTarget := map[string]int{}
		var claimed, nowhere []string
		for _, x := range rows {
			if (x.channel == ChannelEmail && x.email == "") || (x.channel == ChannelWebhook && x.url == "") {
				nowhere = append(nowhere, x.ID)
				continue
			}
			if x.counts != "" {
				if err := json.Unmarshal([]byte(x.counts), &x.Counts); err != nil {
					return fmt.Errorf("digest %s: %w", x.ID, err)
				}
			}
			x.Attempts++
			key := x.channel + ":" + x.unit + ":" + fmt.Sprint(x.user)
			i, ok := byTarget[key]
			if !ok {
				d := Delivery{Channel: x.channel, UserID: x.user, Email: x.email, Lang: x.lang, Unit: x.unit}
				if x.channel == ChannelWebhook {
					d.Webhook = UnitWebhook{Unit: x.unit, URL: x.url, Format: x.format}
					if d.Webhook.Secret, err = s.unseal(x.secret); err != nil {
						return fmt.Errorf("robot of %s: %w", x.unit, err)
					}
				}
				i = len(out)
				byTarget[key] = i
				out = append(out, d)
			}
			out[i].Items = append(out[i].Items, x.OutboxItem)
			claimed = append(claimed, x.ID)
		}
		lease := now.Add(lease).UTC().Format(timeLayout)
		for _, id := range claimed {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'sending', lease_until = ?, attempts = attempts + 1
				WHERE id = ?`, lease, id); err != nil {
				return err
			}
		}
		for _, id := range nowhere {
			if _, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'failed', last_error = 'no address or robot to send to'
				WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// DeliveryDone records the outcome of sending d: sent, or the error (retried with backoff, or
// failed for good after maxAttempts).
func (s *Store) DeliveryDone(ctx context.Context, d Delivery, sendErr error) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		at := now.UTC().Format(timeLayout)
		for _, it := range d.Items {
			var err error
			switch {
			case sendErr == nil:
				_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'sent', sent_at = ?, lease_until = '', last_error = ''
					WHERE id = ? AND state = 'sending'`, at, it.ID)
			case it.Attempts >= maxAttempts:
				_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'failed', lease_until = '', last_error = ?
					WHERE id = ? AND state = 'sending'`, clip(sendErr.Error(), 300), it.ID)
			default:
				_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'pending', lease_until = '', last_error = ?, next_try_at = ?
					WHERE id = ? AND state = 'sending'`, clip(sendErr.Error(), 300), now.Add(backoff(it.Attempts)).UTC().Format(timeLayout), it.ID)
			}
			if err != nil {
				return err
			}
		}
		if sendErr == nil && d.Channel == ChannelEmail {
			_, err := tx.ExecContext(ctx, `UPDATE notify_people SET last_mail_at = ? WHERE user_id = ?`, at, d.UserID)
			return err
		}
		return nil
	})
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	return strings.ToValidUTF8(s, "")
}

// DeliveryProblem is an outbox row the admin should see: failed for good, in doubt after a
// crash, or still being retried after an error.
type DeliveryProblem struct {
	ID, Channel, Kind, State, LastError string
	Target                              string // the person's name or the unit's
	Attempts                            int
	Created                             time.Time
}

// DeliveryProblems returns the newest limit problem rows, newest first.
func (s *Store) DeliveryProblems(ctx context.Context, limit int) ([]DeliveryProblem, error) {
	return collect(ctx, s.read, func(r *sql.Rows) (DeliveryProblem, error) {
		var p DeliveryProblem
		var at string
		if err := r.Scan(&p.ID, &p.Channel, &p.Kind, &p.State, &p.LastError, &p.Target, &p.Attempts, &at); err != nil {
			return p, err
		}
		t, err := time.Parse(timeLayout, at)
		p.Created = t
		return p, err
	}, `SELECT o.id, o.channel, o.kind, o.state, o.last_error,
		COALESCE((SELECT username FROM users WHERE id = o.user_id), (SELECT name FROM units WHERE code = o.unit_code), ''),
		o.attempts, o.created_at
		FROM notify_outbox o WHERE o.state IN ('failed', 'unknown') OR (o.state = 'pending' AND o.last_error != '')
		ORDER BY o.created_at DESC, o.id LIMIT ?`, limit)
}

// RetryDelivery puts a failed or in-doubt message back in the queue (an admin's decision,
// audited): for an "unknown" one, the admin accepts that it may arrive twice.
func (s *Store) RetryDelivery(ctx context.Context, actorID int64, id string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET state = 'pending', attempts = 0, next_try_at = ?
			WHERE id = ? AND state IN ('failed', 'unknown')`, now.UTC().Format(timeLayout), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("delivery %s: %w", id, ErrNotFound)
		}
		return audit(ctx, tx, now, actorID, "notify_retry", "", id)
	})
}
