package storage

import (
	"context"
	"fmt"
	"strings"

	"minsheng/access"
)

// DashboardFilter selects what a unit's dashboard counts: the opinions about Unit itself (each
// unit under it has a dashboard of its own), received in [From, To) — or for ratings, rated
// in it — that Viewer may open (scopeSQL: 举报 only for 纪检, a liaison's work only).
type DashboardFilter struct {
	Unit     string
	Dept     string // "" every 科室; else only the opinions naming this one, as written
	From, To string // YYYY-MM-DD, To exclusive
	Viewer   access.Viewer
}

// where is the filter's condition after the unit and span, with its arguments: the 科室 (read
// from opinions_by_unit's entries, after migration 0027) and the reader's scope.
func (f DashboardFilter) where(args []any) (string, []any) {
	cond, scopeArgs := scopeSQL(f.Viewer)
	if f.Dept != "" {
		cond, args = "o.dept = ? AND "+cond, append(args, f.Dept)
	}
	return cond, append(args, scopeArgs...)
}

// DashboardItem is one opinion as the dashboard counts it: no text but the 科室 as written.
type DashboardItem struct {
	Dept, CreatedOn, Type, Status string
	Deadline                      string   // of its rectification, "" if none
	Styles                        []string // sifeng codes
	Manifestations                []string // manifestation tag codes (not the families)
}

// dashboardItemsSQL reads the unit's opinions of a span from opinions_by_unit alone (unit_code,
// created_on, id, and after the id every column it and the scopes read: migration 0027), then
// their styles and manifestation tags by the key prefix of opinion_styles and opinion_tags.
// The opinions are put in the order of their id first (u, a sort of some 70 000 short rows at
// 1M): opinion_styles and opinion_tags are stored in that order, so the look-ups walk their
// pages forward instead of jumping about, three times faster at 1M. The deadline is looked up
// only for open work, the only work that can be overdue. The LEFT JOIN on rectifications is
// there for a liaison's scope (its lead unit); SQLite leaves it out of every other scope's
// plan, since nothing else reads it.
var dashboardItemsSQL = `
	WITH u AS MATERIALIZED (
		SELECT o.id, o.dept, o.created_on, o.type, o.status
		FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE o.unit_code = ? AND o.created_on >= ? AND o.created_on < ? AND %s
		ORDER BY o.id)
	SELECT u.dept, u.created_on, u.type, u.status,
	       CASE WHEN u.status IN (` + openStatuses() + `)
	            THEN coalesce((SELECT d.deadline FROM rectifications d WHERE d.opinion_id = u.id), '') ELSE '' END,
	       coalesce((SELECT group_concat(s.style) FROM opinion_styles s WHERE s.opinion_id = u.id), ''),
	       coalesce((SELECT group_concat(t.tag) FROM opinion_tags t JOIN tags g ON g.code = t.tag
	                 WHERE t.opinion_id = u.id AND g.kind = 'manifestation'), '')
	FROM u`

// EachDashboardItem streams the opinions f selects to fn, in no particular order. It returns
// fn's first error.
func (s *Store) EachDashboardItem(ctx context.Context, f DashboardFilter, fn func(*DashboardItem) error) error {
	cond, args := f.where([]any{f.Unit, f.From, f.To})
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(dashboardItemsSQL, cond), args...)
	if err != nil {
		return fmt.Errorf("dashboard items: %w", err)
	}
	defer rows.Close()
	var it DashboardItem
	for rows.Next() {
		var styles, tags string
		if err := rows.Scan(&it.Dept, &it.CreatedOn, &it.Type, &it.Status, &it.Deadline, &styles, &tags); err != nil {
			return fmt.Errorf("dashboard items: %w", err)
		}
		it.Styles, it.Manifestations = splitCodes(it.Styles[:0], styles), splitCodes(it.Manifestations[:0], tags)
		if err := fn(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// splitCodes appends the codes of a group_concat list to dst.
func splitCodes(dst []string, list string) []string {
	if list == "" {
		return dst
	}
	return append(dst, strings.Split(list, ",")...)
}

// DashboardRating is one rating of an opinion about the unit: its 科室 and how it was rated.
type DashboardRating struct {
	Dept, RatedOn, Rating string
}

// dashboardRatingsSQL reads the ratings given in a span to the unit's opinions. ratings has no
// index by day; the unit's opinions received before the span ends are walked in
// opinions_by_unit and their ratings found by key.
const dashboardRatingsSQL = `
	SELECT o.dept, g.rated_on, g.rating
	FROM opinions o JOIN ratings g ON g.opinion_id = o.id LEFT JOIN rectifications r ON r.opinion_id = o.id
	WHERE o.unit_code = ? AND o.created_on < ? AND g.rated_on >= ? AND g.rated_on < ? AND `

// EachDashboardRating streams the ratings f selects (by the day they were given) to fn.
func (s *Store) EachDashboardRating(ctx context.Context, f DashboardFilter, fn func(DashboardRating) error) error {
	cond, args := f.where([]any{f.Unit, f.To, f.From, f.To})
	rows, err := s.read.QueryContext(ctx, dashboardRatingsSQL+cond, args...)
	if err != nil {
		return fmt.Errorf("dashboard ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g DashboardRating
		if err := rows.Scan(&g.Dept, &g.RatedOn, &g.Rating); err != nil {
			return fmt.Errorf("dashboard ratings: %w", err)
		}
		if err := fn(g); err != nil {
			return err
		}
	}
	return rows.Err()
}
