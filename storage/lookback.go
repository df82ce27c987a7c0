package storage

// 回头看 of a campaign (#14, features 39 and 41): from the campaign's 回头看 day, every open
// rectification of the campaign is on the 督导组's review list, grouped by lead unit; lagging
// ones (overdue, or near the deadline with nothing reported) carry the lead unit's 原因分析 and
// 加快措施 (lookback_notes, migration 0036).

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/access"
	"minsheng/lifecycle"
)

// LookBackBehindDays: open work whose deadline is this many calendar days away or fewer, with
// nothing reported yet, is "behind" (进度滞后) on the review list.
const LookBackBehindDays = 7

// MaxLookBackText is the longest 原因分析 or 加快措施, in characters (the schema checks it too).
const MaxLookBackText = 1000

// LookBackItem is one open rectification of a campaign as the review list shows it.
type LookBackItem struct {
	OpinionID    string
	UnitCode     string // the unit the opinion is about
	CreatedOn    string
	Status       string
	LeadUnit     string // the rectification's lead unit, "" when none was named
	LeadUnitName string
	Responsible  string
	Deadline     string
	ProblemID    string // the problem (问题) it carries, "" for none
	ProblemTitle string
	// OverdueDays is how many calendar days past the deadline it is (0: not overdue); Behind
	// says it is not overdue but due within LookBackBehindDays and not reported done.
	OverdueDays int
	Behind      bool
	// The lead unit's 原因分析 and 加快措施, "" until recorded; by whom (username) and on which day.
	Cause, Measures, RecordedOn, RecordedBy string
}

// Lagging reports whether the item must carry a cause and measures: overdue or behind.
func (it LookBackItem) Lagging() bool { return it.OverdueDays > 0 || it.Behind }

// NeedsNote reports whether it is lagging and nothing has been recorded yet.
func (it LookBackItem) NeedsNote() bool { return it.Lagging() && it.Cause == "" }

// lookBackSQL selects over o (and r) the open rectifications of campaign ?: those that arrived
// in it, and the carriers of problems an opinion of the campaign was merged into (the carrier
// holds the work).
func lookBackSQL() string {
	return `o.status IN (` + openStatuses() + `) AND (o.campaign_id = ? OR o.id IN
		(SELECT m.merged_into FROM opinions m WHERE m.campaign_id = ? AND m.merged_into IS NOT NULL))`
}

// LookBackList returns the open rectifications of campaign that v may open, with their lag on
// today, in the units' order (their lead unit's sort order) and by deadline within a unit.
// It lists them whatever the day: the caller decides from the campaign's LookBackOn whether
// the review has begun.
func (s *Store) LookBackList(ctx context.Context, campaignID int64, v access.Viewer, today string) ([]LookBackItem, error) {
	v.Today = today
	scope, scopeArgs := scopeSQL(v)
	args := append([]any{campaignID, campaignID, campaignID}, scopeArgs...)
	items, err := collect(ctx, s.read, func(rows *sql.Rows) (LookBackItem, error) {
		var it LookBackItem
		err := rows.Scan(&it.OpinionID, &it.UnitCode, &it.CreatedOn, &it.Status, &it.LeadUnit, &it.LeadUnitName,
			&it.Responsible, &it.Deadline, &it.ProblemID, &it.ProblemTitle, &it.Cause, &it.Measures, &it.RecordedOn, &it.RecordedBy)
		return it, err
	}, `SELECT o.id, o.unit_code, o.created_on, o.status, COALESCE(r.lead_unit, ''), COALESCE(lu.name, ''),
			COALESCE(r.responsible, ''), COALESCE(r.deadline, ''), COALESCE(p.id, ''), COALESCE(p.title, ''),
			COALESCE(n.cause, ''), COALESCE(n.measures, ''), COALESCE(n.recorded_on, ''), COALESCE(nu.username, '')
		FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
		LEFT JOIN units lu ON lu.code = r.lead_unit
		LEFT JOIN problems p ON p.carrier = o.id
		LEFT JOIN lookback_notes n ON n.opinion_id = o.id AND n.campaign_id = ?
		LEFT JOIN users nu ON nu.id = n.user_id
		WHERE `+lookBackSQL()+` AND `+scope+`
		ORDER BY COALESCE(lu.sort_order, 1e9), COALESCE(lu.name, ''), COALESCE(r.deadline, ''), o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("look-back list %d: %w", campaignID, err)
	}
	t, err := time.Parse(dateLayout, today)
	if err != nil {
		return nil, fmt.Errorf("look-back list: today %q: %w", today, ErrInvalid)
	}
	for i := range items {
		it := &items[i]
		d, err := time.Parse(dateLayout, it.Deadline)
		if err != nil {
			continue // no deadline (or a malformed one): neither overdue nor behind
		}
		days := int(t.Sub(d).Hours() / 24)
		switch {
		case days > 0:
			it.OverdueDays = days
		case -days <= LookBackBehindDays && (it.Status == lifecycle.Assigned || it.Status == lifecycle.Rectifying):
			it.Behind = true
		}
	}
	return items, nil
}

// LookBackNote is what the lead unit records for a lagging item: 原因分析 and 加快措施.
type LookBackNote struct {
	Cause    string
	Measures string
}

// valid reports whether both texts are there, trimmed, and at most MaxLookBackText characters
// (the form says which is wrong: handlers' lookBackForm.Validate).
func (n *LookBackNote) valid() bool {
	n.Cause, n.Measures = strings.TrimSpace(n.Cause), strings.TrimSpace(n.Measures)
	for _, text := range []string{n.Cause, n.Measures} {
		if text == "" || utf8.RuneCountInString(text) > MaxLookBackText || !utf8.ValidString(text) {
			return false
		}
	}
	return true
}

// RecordLookBackNote keeps the cause and measures userID (as v) records for opinion in
// campaign's 回头看, replacing earlier words, audited (lookback_note) in the same transaction.
// The opinion must be on v's list for the campaign (ErrNotFound otherwise); a liaison records
// for work their own unit leads only (ErrNotFound for the rest). An invalid note is ErrInvalid.
func (s *Store) RecordLookBackNote(ctx context.Context, v access.Viewer, userID, campaignID int64, opinionID string, n LookBackNote) error {
	if !n.valid() {
		return fmt.Errorf("look-back note for %s: %w", opinionID, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		v.Today = now.Format(dateLayout)
		scope, scopeArgs := scopeSQL(v)
		cond, args := lookBackSQL()+` AND `+scope, append([]any{campaignID, campaignID}, scopeArgs...)
		if v.Role == access.Liaison {
			cond, args = cond+` AND r.lead_unit = ?`, append(args, v.Unit)
		}
		var on int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
			WHERE o.id = ? AND `+cond, append([]any{opinionID}, args...)...).Scan(&on); err != nil {
			return fmt.Errorf("look-back note: %w", err)
		}
		if on == 0 {
			return fmt.Errorf("look-back note for %s in campaign %d: %w", opinionID, campaignID, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO lookback_notes (opinion_id, campaign_id, cause, measures, recorded_on, user_id)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, opinion_id) DO UPDATE SET
			cause = excluded.cause, measures = excluded.measures, recorded_on = excluded.recorded_on, user_id = excluded.user_id`,
			opinionID, campaignID, n.Cause, n.Measures, now.Format(dateLayout), userID); err != nil {
			return fmt.Errorf("look-back note: %w", err)
		}
		return audit(ctx, tx, now, userID, "lookback_note", opinionID, "campaign "+strconv.FormatInt(campaignID, 10))
	})
}

// SweepLookBacks tells the supervisors (督导组) once per campaign, on or after its 回头看 day
// while it runs, that the campaign's review is due (EventLookBackDue with no opinion: the list
// is /admin/lookback). Staff-caused (the calendar), so it may go at once. It returns how many
// campaigns it told of this time.
func (s *Store) SweepLookBacks(ctx context.Context) (int, error) {
	all, err := s.Campaigns(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep look-backs: %w", err)
	}
	today, queued := s.Today(), 0
	for _, c := range all {
		on := c.LookBackOn()
		if on == "" || today < on || today > c.EndsOn {
			continue
		}
		key := "lookback_campaign:" + strconv.FormatInt(c.ID, 10) + ":" + on
		var done int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notify_keys WHERE key = ?`, key).Scan(&done); err != nil {
			return queued, err
		}
		if done > 0 {
			continue
		}
		if err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			return s.queueEventOnce(ctx, tx, now, Event{Kind: EventLookBackDue}, key)
		}); err != nil {
			return queued, err
		}
		queued++
	}
	return queued, nil
}
