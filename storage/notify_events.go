package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minsheng/access"
)

// Event is something that happened which staff should be told of. It carries no words of the
// opinion: a notification says its kind, its unit, its deadline and links to it, nothing more.
type Event struct {
	Kind      string // one of the Event* constants
	OpinionID string // "" for none
	Unit      string // unit code concerned, "" for none
	UserID    int64  // the one person concerned (assigned to), 0: by the kind's rule
}

// The kinds of event. The first five are caused by staff acts or by the calendar and may be
// sent at once; the hot spot (预警) is found by the daily sweep in the figures up to yesterday
// and sent one by one from DigestHour (notify_hotspot.go); the others are caused by the public
// and never are sent one by one (see PublicKind).
const (
	EventAssigned          = "assigned"
	EventDeadlineSoon      = "deadline_soon"
	EventDeadlineToday     = "deadline_today"
	EventOverdue           = "overdue"
	EventLookBackDue       = "lookback_due"
	EventHotSpot           = "hot_spot"
	EventNewOpinion        = "new_opinion"
	EventReport            = "report"
	EventDissatisfied      = "dissatisfied"
	EventSubmitterAnswered = "submitter_answered"
)

// StaffKinds are the kinds sent one by one; PublicKinds go out only in the daily digest.
var (
	StaffKinds  = []string{EventAssigned, EventDeadlineSoon, EventDeadlineToday, EventOverdue, EventLookBackDue, EventHotSpot}
	PublicKinds = []string{EventNewOpinion, EventReport, EventDissatisfied, EventSubmitterAnswered}
)

// Notification channels.
const (
	ChannelInbox   = "inbox"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// Channels lists the channels in the order the preferences page shows them.
var Channels = []string{ChannelInbox, ChannelEmail, ChannelWebhook}

// PublicKind reports whether kind is caused by a member of the public (M7/A6: never sent per
// item, never stored per item with a time).
func PublicKind(kind string) bool {
	for _, k := range PublicKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// KnownKind reports whether kind is one of the Event* constants.
func KnownKind(kind string) bool {
	for _, k := range StaffKinds {
		if k == kind {
			return true
		}
	}
	return PublicKind(kind)
}

// queueEvent records ev in tx (the same transaction as the act that caused it).
//
// A staff-caused event becomes one inbox line per recipient who wants it there, one e-mail in
// the outbox per recipient who wants mail, and one post per unit robot that some recipient
// wants. A public-caused event writes NOTHING: the act was a public request, and a row written
// now would record when it came. The daily digest and the inbox derive those from the data by
// day, so callers may call queueEvent for every kind without thinking about it.
func (s *Store) queueEvent(ctx context.Context, tx *sql.Tx, now time.Time, ev Event) error {
	return s.queueEventOnce(ctx, tx, now, ev, "")
}

// queueEventOnce is queueEvent with an idempotence key: a second event with the same key
// (a reminder the sweep queued on an earlier run) writes nothing.
func (s *Store) queueEventOnce(ctx context.Context, tx *sql.Tx, now time.Time, ev Event, key string) error {
	if !KnownKind(ev.Kind) {
		return fmt.Errorf("queue event %q: unknown kind: %w", ev.Kind, ErrInvalid)
	}
	if PublicKind(ev.Kind) {
		return nil
	}
	if key != "" {
		res, err := tx.ExecContext(ctx, `INSERT INTO notify_keys (key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			key, now.UTC().Format(timeLayout))
		if err != nil {
			return fmt.Errorf("queue event key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
	}
	// A 举报 (or a letter to the 纪检 mailbox) goes to 纪检 alone, and what is sent out of the
	// portal for it does not even name the unit: only 纪检's own inbox does.
	secret, err := secretOpinion(ctx, tx, ev.OpinionID)
	if err != nil {
		return fmt.Errorf("queue event %s: %w", ev.Kind, err)
	}
	outUnit := ev.Unit
	if secret {
		outUnit = ""
	}
	people, err := eventRecipients(ctx, tx, ev)
	if err != nil {
		return fmt.Errorf("queue event %s: recipients: %w", ev.Kind, err)
	}
	deadline, err := eventDeadline(ctx, tx, ev.OpinionID)
	if err != nil {
		return fmt.Errorf("queue event %s: deadline: %w", ev.Kind, err)
	}
	at := now.UTC().Format(timeLayout)
	robots := map[string]bool{}
	for _, p := range people {
		robot, err := queueFor(ctx, tx, at, p, ev, outUnit, deadline)
		if err != nil {
			return err
		}
		if robot && p.Unit != "" && !secret {
			robots[p.Unit] = true
		}
	}
	for unit := range robots {
		if err := queueRobot(ctx, tx, at, unit, ev, deadline); err != nil {
			return err
		}
	}
	return nil
}

// queueFor writes ev for one person as they chose: a line in their inbox, a mail in the
// outbox (outUnit is the unit the mail may name). It reports whether they want it posted to
// their unit's robot, which the caller does once per unit.
func queueFor(ctx context.Context, tx *sql.Tx, at string, p recipient, ev Event, outUnit, deadline string) (bool, error) {
	want, err := wantedChannels(ctx, tx, p, ev.Kind)
	if err != nil {
		return false, fmt.Errorf("queue event %s: preferences: %w", ev.Kind, err)
	}
	if want[ChannelInbox] {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, user_id, kind, opinion_id, unit_code, deadline, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, randomToken(12), p.ID, ev.Kind, ev.OpinionID, ev.Unit, deadline, at); err != nil {
			return false, fmt.Errorf("queue event %s: inbox: %w", ev.Kind, err)
		}
	}
	if want[ChannelEmail] && p.Email != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_outbox (id, channel, user_id, kind, opinion_id, event_unit, deadline, next_try_at, created_at)
			VALUES (?, 'email', ?, ?, ?, ?, ?, ?, ?)`, randomToken(12), p.ID, ev.Kind, ev.OpinionID, outUnit, deadline, at, at); err != nil {
			return false, fmt.Errorf("queue event %s: mail: %w", ev.Kind, err)
		}
	}
	return want[ChannelWebhook], nil
}

// queueRobot posts ev to unit's group robot, if the unit has one.
func queueRobot(ctx context.Context, tx *sql.Tx, at, unit string, ev Event, deadline string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM unit_webhooks WHERE unit_code = ?`, unit).Scan(&one)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("queue event %s: robot: %w", ev.Kind, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notify_outbox (id, channel, unit_code, kind, opinion_id, event_unit, deadline, next_try_at, created_at)
		VALUES (?, 'webhook', ?, ?, ?, ?, ?, ?, ?)`, randomToken(12), unit, ev.Kind, ev.OpinionID, ev.Unit, deadline, at, at); err != nil {
		return fmt.Errorf("queue event %s: webhook: %w", ev.Kind, err)
	}
	return nil
}

// recipient is a person an event goes to, with what their preferences depend on.
type recipient struct {
	ID    int64
	Role  string
	Unit  string // a liaison's unit: the robot their webhook preference posts to
	Email string // "" when they gave none: no mail is queued for them
}

// eventRecipients applies the kind's rule: the person named, else the liaisons of the unit
// (for 超期 also those of its parent unit, for 督办), or the supervisors for 回头看.
func eventRecipients(ctx context.Context, tx *sql.Tx, ev Event) ([]recipient, error) {
	scan := func(rows *sql.Rows) (recipient, error) {
		var r recipient
		err := rows.Scan(&r.ID, &r.Role, &r.Unit, &r.Email)
		return r, err
	}
	const cols = `SELECT id, role, COALESCE(unit_code, ''), COALESCE((SELECT email FROM notify_people p WHERE p.user_id = users.id), '')
		FROM users WHERE disabled = 0 AND `
	secret, err := secretOpinion(ctx, tx, ev.OpinionID)
	if err != nil {
		return nil, err
	}
	switch {
	case secret && ev.UserID != 0:
		return collect(ctx, tx, scan, cols+`id = ? AND role = ?`, ev.UserID, access.Discipline)
	case secret:
		// A 举报 (or a letter to the 纪检 mailbox) is 纪检's alone: no liaison or supervisor
		// hears of it, not even that it exists.
		return collect(ctx, tx, scan, cols+`role = ? ORDER BY id`, access.Discipline)
	case ev.UserID != 0:
		return collect(ctx, tx, scan, cols+`id = ?`, ev.UserID)
	case ev.Kind == EventLookBackDue:
		return collect(ctx, tx, scan, cols+`role = ? ORDER BY id`, access.Supervisor)
	case ev.Unit == "":
		return nil, nil
	case ev.Kind == EventOverdue:
		// The liaisons and the unit heads of the unit and of its parent (督办); the department
		// head of the 科室 the work is about.
		heads, args := headsSQL(ev.Unit, ev.OpinionID, true)
		return collect(ctx, tx, scan, cols+`(role = ? AND (unit_code = ? OR unit_code =
			(SELECT parent_code FROM units WHERE code = ?)) OR (`+heads+`)) ORDER BY id`,
			append([]any{access.Liaison, ev.Unit, ev.Unit}, args...)...)
	default:
		// The unit's liaisons, and the heads whose work it is (#16): its unit head, and the head
		// of the 科室 the opinion names; neither when it concerns the unit's own leadership,
		// which they never see (access.Viewer.CanSee).
		heads, args := headsSQL(ev.Unit, ev.OpinionID, false)
		return collect(ctx, tx, scan, cols+`(role = ? AND unit_code = ? OR (`+heads+`)) ORDER BY id`,
			append([]any{access.Liaison, ev.Unit}, args...)...)
	}
}

// headsSQL selects, among users, the unit head of unit (for overdue work, also the one of its
// parent: 督办) and the department head of the opinion's 科室 in unit, unless the opinion
// concerns their unit's own leadership, with its arguments.
func headsSQL(unit, opinionID string, overdue bool) (string, []any) {
	units, args := "unit_code = ?", []any{unit}
	if overdue {
		units, args = "(unit_code = ? OR unit_code = (SELECT parent_code FROM units WHERE code = ?))", []any{unit, unit}
	}
	return `(role = 'unit_head' AND ` + units + `
		OR role = 'dept_head' AND unit_code = ? AND dept != '' AND dept = (SELECT o.dept FROM opinions o WHERE o.id = ?))
		AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.id = ? AND o.about_leadership = 1 AND o.unit_code = users.unit_code)`,
		append(args, unit, opinionID, opinionID)
}

// secretOpinion reports whether the opinion is one only 纪检 may see.
func secretOpinion(ctx context.Context, tx *sql.Tx, opinionID string) (bool, error) {
	if opinionID == "" {
		return false, nil
	}
	var secret bool
	err := tx.QueryRowContext(ctx, `SELECT o.type = ? OR EXISTS (SELECT 1 FROM mailboxes m
		WHERE m.code = o.mailbox_code AND m.discipline = 1) FROM opinions o WHERE o.id = ?`,
		access.ReportType, opinionID).Scan(&secret)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return secret, err
}

// eventDeadline is the opinion's rectification deadline, "" when it has none.
func eventDeadline(ctx context.Context, tx *sql.Tx, opinionID string) (string, error) {
	if opinionID == "" {
		return "", nil
	}
	var d string
	err := tx.QueryRowContext(ctx, `SELECT deadline FROM rectifications WHERE opinion_id = ?`, opinionID).Scan(&d)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return d, err
}

// defaultWants is the built-in preference: every event in the inbox, nothing sent out.
func defaultWants(channel string) bool { return channel == ChannelInbox }

// wantedChannels resolves p's preference for kind on each channel: the person's own choice,
// else the admin's default for the role, else the built-in default.
func wantedChannels(ctx context.Context, q queryer, p recipient, kind string) (map[string]bool, error) {
	want := map[string]bool{}
	for _, ch := range Channels {
		want[ch] = defaultWants(ch)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT channel, enabled, 0 FROM notify_role_defaults WHERE role = ? AND kind = ?
		UNION ALL
		SELECT channel, enabled, 1 FROM notify_prefs WHERE user_id = ? AND kind = ?
		ORDER BY 3`, p.Role, kind, p.ID, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ch string
		var on bool
		var own int
		if err := rows.Scan(&ch, &on, &own); err != nil {
			return nil, err
		}
		want[ch] = on
	}
	return want, rows.Err()
}
