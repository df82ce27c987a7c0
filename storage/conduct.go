package storage

// The conduct record (医德医风档案, feature 64): for one 科室 of one unit — or, where the
// administrator turns it on, one badge number (挂牌上岗) — each month, the VERIFIED items only,
// for the monthly 考评. Off until an administrator turns it on.
//
// What "verified" is, from what the portal records today:
//   - 举报属实: a 举报 whose rectification is marked substantiated (SetFlags);
//   - a complaint confirmed: a complaint not marked 查无实据 (unfounded) that is marked
//     substantiated, or whose reported work passed 核验 or 回头看 (rectifications.checked
//     verified or passed: the office checked the unit's account of fixing what was complained of);
//   - praise (表扬): praise not rejected (不予受理) or merged as a duplicate.
// Everything else — complaints not yet checked, or checked and found unfounded — is never
// counted. Counts only: the record names no opinion and quotes no one.

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ConductMonth is one month of a department's record.
type ConductMonth struct {
	Month      string // YYYY-MM
	Praise     int
	Complaints int // complaints confirmed
	Reports    int // 举报属实
}

// ConductSettings are the administrator's switches: the record at all, and by badge number.
type ConductSettings struct {
	Enabled bool
	Badges  bool // only with Enabled
}

// ConductSettings returns the switches.
func (s *Store) ConductSettings(ctx context.Context) (ConductSettings, error) {
	var c ConductSettings
	err := s.read.QueryRowContext(ctx, `SELECT enabled, badges FROM conduct_settings WHERE id = 1`).Scan(&c.Enabled, &c.Badges)
	return c, err
}

// SetConductSettings sets the switches, audited; turning the record off turns the badge
// record off as well.
func (s *Store) SetConductSettings(ctx context.Context, userID int64, c ConductSettings) error {
	c.Badges = c.Badges && c.Enabled
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE conduct_settings SET enabled = ?, badges = ? WHERE id = 1`, c.Enabled, c.Badges); err != nil {
			return err
		}
		action := "conduct_off"
		if c.Enabled {
			action = "conduct_on"
		}
		detail := ""
		if c.Badges {
			detail = "badges"
		}
		return audit(ctx, tx, now, userID, action, "", detail)
	})
}

// ConductSubject is whose record: a 科室 of a unit (Dept), or a badge number in a unit (Badge).
type ConductSubject struct {
	Unit, Dept, Badge string
}

// where is the subject as SQL over opinions o.
func (c ConductSubject) where() (string, []any) {
	if c.Badge != "" {
		return "o.unit_code = ? AND o.target_badge = ?", []any{c.Unit, c.Badge}
	}
	return "o.unit_code = ? AND o.dept = ?", []any{c.Unit, c.Dept}
}

// ConductRecord returns the months from..to (YYYY-MM, inclusive) of the record of subject,
// every month listed, zeros included. The reading is audited in the same transaction (who read
// whose record, for which months). Callers check who may read which subject and the switches.
func (s *Store) ConductRecord(ctx context.Context, userID int64, subject ConductSubject, from, to string) ([]ConductMonth, error) {
	cond, args := subject.where()
	var months []ConductMonth
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		byMonth := map[string]*ConductMonth{}
		rows, err := tx.QueryContext(ctx, `SELECT substr(o.created_on, 1, 7) AS m,
			sum(CASE WHEN o.type = 'praise' AND o.status NOT IN ('rejected', 'duplicate') THEN 1 ELSE 0 END),
			sum(CASE WHEN o.type = 'complaint' AND COALESCE(r.unfounded, 0) = 0
			    AND (COALESCE(r.substantiated, 0) = 1 OR COALESCE(r.checked, '') IN ('verified', 'passed')) THEN 1 ELSE 0 END),
			sum(CASE WHEN o.type = 'report' AND COALESCE(r.substantiated, 0) = 1 THEN 1 ELSE 0 END)
			FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
			WHERE `+cond+` AND o.created_on >= ? AND o.created_on < ?
			GROUP BY m`, append(args, from+"-01", nextMonth(to)+"-01")...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m ConductMonth
			if err := rows.Scan(&m.Month, &m.Praise, &m.Complaints, &m.Reports); err != nil {
				return err
			}
			byMonth[m.Month] = &m
		}
		if err := rows.Err(); err != nil {
			return err
		}
		months = months[:0]
		for m := from; m <= to; m = nextMonth(m) {
			if got, ok := byMonth[m]; ok {
				months = append(months, *got)
			} else {
				months = append(months, ConductMonth{Month: m})
			}
		}
		who := subject.Dept
		if subject.Badge != "" {
			who = "#" + subject.Badge
		}
		return audit(ctx, tx, now, userID, "conduct_view", "", subject.Unit+" "+who+" "+from+".."+to)
	})
	if err != nil {
		return nil, fmt.Errorf("conduct record: %w", err)
	}
	return months, nil
}

// nextMonth is the month after m (YYYY-MM); a malformed m gives "9999-12", which ends loops.
func nextMonth(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return "9999-12"
	}
	return t.AddDate(0, 1, 0).Format("2006-01")
}
