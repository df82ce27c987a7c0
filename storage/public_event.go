package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// What a member of the public does (submits an opinion, rates its rectification, answers a
// survey, fills in a 民主评议表) is kept with its date only, everywhere: in the rows it writes and
// in the opinion's history. A time of day would let an insider match the act to whoever stood at
// the kiosk, the ward or the meeting at that minute. This file is the one place that decides what
// is kept of the time of a public act: publicWriteTx gives those writes the day, never the time.

// publicDay is all that is kept of when a member of the public did something: the calendar day,
// in the store's time zone.
func publicDay(now time.Time) string { return now.Format(dateLayout) }

// publicWriteTx runs fn in one write transaction for something a member of the public did. fn is
// given the day and not the time, so nothing it writes can carry a time of day.
func (s *Store) publicWriteTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, day string) error) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return fn(ctx, tx, publicDay(now))
	})
}

// recordPublic adds to an opinion's history something its submitter did, with the day alone.
// These events are not in audit_log: a row there is numbered in order of arrival among staff
// actions that carry their time, and its place between them would date it to the minute. Here
// the key is random and the table has no rowid (migration 0016), so a day's events have no order.
func recordPublic(ctx context.Context, tx *sql.Tx, day, action, opinionID, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO public_events (id, opinion_id, action, detail, day) VALUES (?, ?, ?, ?, ?)`,
		newOpinionID()+newOpinionID(), opinionID, action, detail, day)
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// publicEventsOf returns what submitters did to one opinion, by day.
func (s *Store) publicEventsOf(ctx context.Context, opinionID string) ([]AuditEntry, error) {
	return collect(ctx, s.read, func(rows *sql.Rows) (AuditEntry, error) {
		e := AuditEntry{Public: true}
		err := rows.Scan(&e.Day, &e.Action, &e.Detail)
		return e, err
	}, `SELECT day, action, detail FROM public_events WHERE opinion_id = ? ORDER BY day, id`, opinionID)
}

// withPublicEvents places the public events among the staff entries (oldest first): each after
// the staff entries of its day and before those of later days. Its place within its day says
// nothing, since nothing recorded when in the day it happened.
func withPublicEvents(staff, public []AuditEntry, loc *time.Location) []AuditEntry {
	out := make([]AuditEntry, 0, len(staff)+len(public))
	out = append(out, staff...)
	for i := range out {
		out[i].Day = out[i].At.In(loc).Format(dateLayout)
	}
	for _, p := range public {
		at := sort.Search(len(out), func(i int) bool { return out[i].Day > p.Day })
		out = append(out[:at], append([]AuditEntry{p}, out[at:]...)...)
	}
	return out
}
