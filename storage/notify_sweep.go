package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/workday"
)

// DigestHour is the hour (in the store's time zone) from which the day's digest of yesterday's
// public-caused events goes out: one fixed hour for everyone, so that the time a mail is sent
// says nothing about when any opinion came.
const DigestHour = 8

// SoonWorkdays: a deadline this many working days away (or fewer) is "soon".
const SoonWorkdays = 3

// queueStepEvent queues what a lifecycle step tells staff: 交办 tells the lead unit's liaisons,
// a report of the work done (待回头看) tells the supervisors a 回头看 is due.
func (s *Store) queueStepEvent(ctx context.Context, tx *sql.Tx, now time.Time, id string, step lifecycle.Step) error {
	switch step.To {
	case lifecycle.Assigned:
		return s.queueEvent(ctx, tx, now, Event{Kind: EventAssigned, OpinionID: id, Unit: step.LeadUnit})
	case lifecycle.Reported:
		var unit string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(lead_unit, '') FROM rectifications WHERE opinion_id = ?`, id).Scan(&unit); err != nil {
			return fmt.Errorf("look-back event: %w", err)
		}
		return s.queueEvent(ctx, tx, now, Event{Kind: EventLookBackDue, OpinionID: id, Unit: unit})
	}
	return nil
}

// SweepDeadlines queues the deadline reminders due today for work being rectified (交办 or
// 整改中): SoonWorkdays working days ahead or fewer, the day itself, overdue. Each is queued once
// per opinion and deadline (a new deadline is reminded of anew), however often the sweep runs.
// It returns how many it queued this time.
func (s *Store) SweepDeadlines(ctx context.Context, cal *workday.Calendar) (int, error) {
	type due struct{ id, unit, deadline string }
	today := s.Today()
	list, err := collect(ctx, s.read, func(r *sql.Rows) (due, error) {
		var d due
		return d, r.Scan(&d.id, &d.unit, &d.deadline)
	}, `SELECT o.id, r.lead_unit, r.deadline FROM rectifications r JOIN opinions o ON o.id = r.opinion_id
		WHERE r.deadline != '' AND r.lead_unit IS NOT NULL AND o.status IN (?, ?) ORDER BY r.deadline`,
		lifecycle.Assigned, lifecycle.Rectifying)
	if err != nil {
		return 0, fmt.Errorf("sweep deadlines: %w", err)
	}
	t, err := workday.ParseDate(today)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, d := range list {
		dl, err := workday.ParseDate(d.deadline)
		if err != nil {
			continue // a malformed deadline is the step code's problem, not a reminder's
		}
		kind := ""
		switch {
		case d.deadline == today:
			kind = EventDeadlineToday
		case d.deadline < today:
			kind = EventOverdue
		case cal.WorkdaysBetween(t, dl) <= SoonWorkdays:
			kind = EventDeadlineSoon
		default:
			continue
		}
		ev, key := Event{Kind: kind, OpinionID: d.id, Unit: d.unit}, kind+":"+d.id+":"+d.deadline
		var done int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notify_keys WHERE key = ?`, key).Scan(&done); err != nil {
			return queued, err
		}
		if done > 0 {
			continue // reminded already: no write transaction for it (queueEventOnce checks again)
		}
		if err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			return s.queueEventOnce(ctx, tx, now, ev, key)
		}); err != nil {
			return queued, err
		}
		queued++
	}
	return queued, nil
}

// PublicCounts returns, for each public-caused kind, how many such events of day the viewer
// may open: derived from the data by day (nothing is stored per event, so nothing records when
// it came).
func (s *Store) PublicCounts(ctx context.Context, v access.Viewer, day string) (map[string]int, error) {
	v.Today = day
	scope, args := scopeSQL(v)
	out := map[string]int{}
	count := func(kind, query string, extra ...any) error {
		var n int
		if err := s.read.QueryRowContext(ctx, query, append(append([]any{}, args...), extra...)...).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", kind, err)
		}
		out[kind] = n
		return nil
	}
	from := ` FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE ` + scope
	if err := count(EventNewOpinion, `SELECT count(*)`+from+` AND o.created_on = ? AND o.type != ?`, day, access.ReportType); err != nil {
		return nil, err
	}
	if err := count(EventReport, `SELECT count(*)`+from+` AND o.created_on = ? AND o.type = ?`, day, access.ReportType); err != nil {
		return nil, err
	}
	if err := count(EventDissatisfied, `SELECT count(*)`+from+` AND EXISTS (SELECT 1 FROM ratings g
		WHERE g.opinion_id = o.id AND g.rated_on = ? AND g.rating = 'dissatisfied')`, day); err != nil {
		return nil, err
	}
	// The submitters' messages of the day (opinion_messages, by the day they carry; no words read).
	if err := count(EventSubmitterAnswered, `SELECT count(*) FROM opinion_messages m JOIN opinions o ON o.id = m.opinion_id
		LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE `+scope+` AND m.side = 'submitter' AND m.day = ?`, day); err != nil {
		return nil, err
	}
	return out, nil
}

// viewerOf is the scope of user id as a session would give it.
func (s *Store) viewerOf(ctx context.Context, u User) (access.Viewer, error) {
	if err := s.loadLinks(ctx, &u); err != nil {
		return access.Viewer{}, err
	}
	boxes, err := s.MailboxesReadBy(ctx, u.ID, u.Role)
	if err != nil {
		return access.Viewer{}, err
	}
	u.Mailboxes = boxes
	return u.Viewer(), nil
}

// QueueDigest queues, once a day from DigestHour on, each person's digest of yesterday's
// public-caused events: one mail with the counts of the kinds they take by e-mail, and one
// post per unit robot some liaison of the unit takes them by. Counts and a link only. It
// reports whether it queued today's (false: too early, or done already).
func (s *Store) QueueDigest(ctx context.Context) (bool, error) {
	now := s.now()
	if now.Hour() < DigestHour {
		return false, nil
	}
	today := now.Format(dateLayout)
	yesterday := now.AddDate(0, 0, -1).Format(dateLayout)
	var done int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notify_digest_days WHERE day = ?`, today).Scan(&done); err != nil {
		return false, err
	}
	if done > 0 {
		return false, nil
	}
	users, err := s.Users(ctx)
	if err != nil {
		return false, err
	}
	type post struct {
		user   int64
		unit   string
		counts map[string]int
	}
	var posts []post
	robots := map[string]map[string]int{}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		v, err := s.viewerOf(ctx, u)
		if err != nil {
			return false, err
		}
		counts, err := s.PublicCounts(ctx, v, yesterday)
		if err != nil {
			return false, err
		}
		person, err := s.NotifyPersonOf(ctx, u.ID)
		if err != nil {
			return false, err
		}
		mail := map[string]int{}
		for _, kind := range PublicKinds {
			if counts[kind] == 0 {
				continue
			}
			want, err := wantedChannels(ctx, s.read, recipient{ID: u.ID, Role: u.Role, Unit: u.Unit}, kind)
			if err != nil {
				return false, err
			}
			if want[ChannelEmail] && person.Email != "" {
				mail[kind] = counts[kind]
			}
			if want[ChannelWebhook] && u.Unit != "" {
				if robots[u.Unit] == nil {
					robots[u.Unit] = map[string]int{}
				}
				robots[u.Unit][kind] = max(robots[u.Unit][kind], counts[kind])
			}
		}
		if len(mail) > 0 {
			posts = append(posts, post{user: u.ID, counts: mail})
		}
	}
	for unit, counts := range robots {
		posts = append(posts, post{unit: unit, counts: counts})
	}
	err = s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notify_digest_days (day) VALUES (?) ON CONFLICT DO NOTHING`, today)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another sweep was quicker
		}
		at := now.UTC().Format(timeLayout)
		for _, p := range posts {
			counts, _ := json.Marshal(p.counts)
			channel, user := ChannelEmail, any(p.user)
			if p.unit != "" {
				channel, user = ChannelWebhook, nil
				var one int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM unit_webhooks WHERE unit_code = ?`, p.unit).Scan(&one); err != nil || one == 0 {
					if err != nil {
						return err
					}
					continue
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO notify_outbox (id, channel, user_id, unit_code, kind, deadline, counts, next_try_at, created_at)
				VALUES (?, ?, ?, ?, 'digest', '', ?, ?, ?)`, randomToken(12), channel, user, p.unit, string(counts), at, at); err != nil {
				return fmt.Errorf("queue digest: %w", err)
			}
		}
		return nil
	})
	return err == nil, err
}
