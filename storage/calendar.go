package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/workday"
)

// MaxOverrideName is the longest name of a calendar override, in characters ("国庆节、中秋节").
const MaxOverrideName = 20

// CalendarOverrides returns the days the administrator set as worked or off, for
// workday.New.
func (s *Store) CalendarOverrides(ctx context.Context) (map[workday.Date]workday.Override, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT day, work, name FROM calendar_overrides`)
	if err != nil {
		return nil, fmt.Errorf("read calendar overrides: %w", err)
	}
	defer rows.Close()
	out := map[workday.Date]workday.Override{}
	for rows.Next() {
		var day string
		var o workday.Override
		if err := rows.Scan(&day, &o.Work, &o.Name); err != nil {
			return nil, err
		}
		d, err := workday.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("calendar override: %w", err)
		}
		out[d] = o
	}
	return out, rows.Err()
}

// SetCalendarOverride makes day worked or off, replacing what was set for it before. The name
// is trimmed and may be empty; longer than MaxOverrideName is ErrInvalid.
func (s *Store) SetCalendarOverride(ctx context.Context, actorID int64, day workday.Date, o workday.Override) error {
	o.Name = strings.TrimSpace(o.Name)
	if !utf8.ValidString(o.Name) || utf8.RuneCountInString(o.Name) > MaxOverrideName {
		return fmt.Errorf("override name %q: %w", o.Name, ErrInvalid)
	}
	key := day.String() // normalised: 2027-02-30 is stored as 2027-03-02, as workday reads it
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO calendar_overrides (day, work, name) VALUES (?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET work = excluded.work, name = excluded.name`,
			key, o.Work, o.Name); err != nil {
			return fmt.Errorf("set calendar override %s: %w", key, err)
		}
		// "DAY off|work NAME": codes, and the name as typed (data), for any language to word.
		kind := "off"
		if o.Work {
			kind = "work"
		}
		if err := bump(ctx, tx, GenCalendar); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "calendar_set", "", strings.TrimSpace(key+" "+kind+" "+o.Name))
	})
}

// DeleteCalendarOverride removes what was set for day, so the library and the weekday rule
// decide it again. A day with no override is ErrNotFound.
func (s *Store) DeleteCalendarOverride(ctx context.Context, actorID int64, day workday.Date) error {
	key := day.String()
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_overrides WHERE day = ?`, key)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("calendar override %s: %w", key, ErrNotFound)
		}
		if err := bump(ctx, tx, GenCalendar); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "calendar_delete", "", key)
	})
}
