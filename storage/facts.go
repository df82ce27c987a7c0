package storage

// What package stats counts: every opinion of a span as counting needs it (EachFact), every
// rating given in a span (EachRating) and the number of opinions per month (MonthCounts).
// Storage only selects and streams; what each figure means is decided in stats, once.

import (
	"context"
	"fmt"
	"strings"

	"minsheng/access"
	"minsheng/lifecycle"
)

// Fact is one opinion as counting needs it: its codes, its rectification and its problem. It
// carries no text a person wrote but the 科室 (as typed on the form) and the rectification's
// note (the latest reason staff gave: why a look-back failed).
type Fact struct {
	ID, CreatedOn, Type, Channel, Submitter, UnitCode, Dept, Status string
	Styles, Tags                                                    []string // sifeng codes in sifeng order; tag codes in taxonomy order
	// From the rectification, "" when the opinion has none.
	Level, LeadUnit, Ledger, Kind, Deadline, ClosedOn, Checked, Note string
	// MergedInto is the carrier a member of a problem follows; ProblemID and ProblemTitle are
	// the problem the opinion is in, as its carrier or a member, "" for none.
	MergedInto, ProblemID, ProblemTitle string
	MailboxCode                         string
	DisciplineMailbox                   bool // a letter to a mailbox only 纪检 reads (an unknown mailbox counts as one)
	AboutLeadership                     bool
	Accountability, Unfounded           bool
	Substantiated                       bool
}

// FactFilter selects the opinions (or ratings) to count.
type FactFilter struct {
	From, To string // created_on in [From, To); for EachRating the day the rating was given. Empty: no bound.
	// Unit is "" for every unit, else this unit and every unit under it (units.parent_code).
	Unit string
	// Viewer limits the rows to what that person may open (scopeSQL, as the queue does); nil
	// for everything, which only the office's own tools use.
	Viewer *access.Viewer
	// Public leaves out what the public never sees counted: 举报 and letters to a discipline
	// mailbox (纪检监察信箱), as the notice board always has (CountsForYear).
	Public bool
}

// where is f as SQL over opinions o (and rectifications r, which a liaison's scope reads);
// day is the column From and To bound.
func (f FactFilter) where(day string) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if f.From != "" {
		conds, args = append(conds, day+" >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, day+" < ?"), append(args, f.To)
	}
	if f.Unit != "" {
		// The unit and its descendants; a loop in parent_code (only by hand) ends because UNION
		// keeps each code once.
		conds = append(conds, `o.unit_code IN (WITH RECURSIVE sub(code) AS (SELECT ? UNION
			SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code) SELECT code FROM sub)`)
		args = append(args, f.Unit)
	}
	if f.Public {
		conds = append(conds, "o.type != 'report' AND (o.mailbox_code = '' OR "+ordinaryMailboxSQL+")")
	}
	if f.Viewer != nil {
		cond, scopeArgs := scopeSQL(*f.Viewer)
		conds, args = append(conds, cond), append(args, scopeArgs...)
	}
	return strings.Join(conds, " AND "), args
}

// factColumns are read by scanFact. Styles and tags come as one string each from a correlated
// subquery (one statement, a key look-up per row, no query per opinion); the problem is found
// by its carrier's unique key, which is the opinion itself or the one it is merged into.
const factColumns = `o.id, o.created_on, o.type, o.channel, o.submitter, o.unit_code, o.dept, o.status,
	COALESCE((SELECT group_concat(style) FROM opinion_styles WHERE opinion_id = o.id), ''),
	COALESCE((SELECT group_concat(tag) FROM (SELECT t.tag FROM opinion_tags t JOIN tags g ON g.code = t.tag
	          WHERE t.opinion_id = o.id ORDER BY g.position)), ''),
	COALESCE(r.level, ''), COALESCE(r.lead_unit, ''), COALESCE(r.ledger, ''), COALESCE(r.kind, ''),
	COALESCE(r.deadline, ''), COALESCE(r.closed_on, ''), COALESCE(r.checked, ''), COALESCE(r.note, ''),
	COALESCE(o.merged_into, ''), COALESCE(p.id, ''), COALESCE(p.title, ''),
	o.mailbox_code, o.mailbox_code != '' AND NOT ` + ordinaryMailboxSQL + `, o.about_leadership,
	COALESCE(r.accountability, 0), COALESCE(r.unfounded, 0), COALESCE(r.substantiated, 0)
	FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
	LEFT JOIN problems p ON p.carrier = COALESCE(o.merged_into, o.id)`

// EachFact calls fn for every opinion f selects, in no particular order, streaming the rows:
// memory does not grow with the number of opinions. fn gets the same *Fact each time, refilled:
// it must copy what it keeps. It stops at fn's first error and returns it.
func (s *Store) EachFact(ctx context.Context, f FactFilter, fn func(*Fact) error) error {
	where, args := f.where("o.created_on")
	rows, err := s.read.QueryContext(ctx, `SELECT `+factColumns+` WHERE `+where, args...)
	if err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	defer rows.Close()
	var fact Fact
	var styles, tags string
	for rows.Next() {
		if err := rows.Scan(&fact.ID, &fact.CreatedOn, &fact.Type, &fact.Channel, &fact.Submitter, &fact.UnitCode,
			&fact.Dept, &fact.Status, &styles, &tags, &fact.Level, &fact.LeadUnit, &fact.Ledger, &fact.Kind,
			&fact.Deadline, &fact.ClosedOn, &fact.Checked, &fact.Note, &fact.MergedInto, &fact.ProblemID,
			&fact.ProblemTitle, &fact.MailboxCode, &fact.DisciplineMailbox, &fact.AboutLeadership,
			&fact.Accountability, &fact.Unfounded, &fact.Substantiated); err != nil {
			return fmt.Errorf("facts: %w", err)
		}
		fact.Styles = appendStyles(fact.Styles[:0], styles)
		fact.Tags = fact.Tags[:0]
		if tags != "" {
			fact.Tags = append(fact.Tags, strings.Split(tags, ",")...)
		}
		if err := fn(&fact); err != nil {
			return err
		}
	}
	return rows.Err()
}

// appendStyles appends the styles of "hedonism,formalism" to dst in sifeng's order.
func appendStyles(dst []string, joined string) []string {
	if joined == "" {
		return dst
	}
	return append(dst, orderStyles(joined)...)
}

// RatingFact is one rating as counting needs it: the answer of one 满意度回访 round.
type RatingFact struct {
	OpinionID, UnitCode, Dept, Rating, RatedOn string
	Round                                      int
}

// EachRating calls fn for every rating given in [f.From, f.To) (by the day it was given) to an
// opinion the rest of f selects, streaming the rows.
func (s *Store) EachRating(ctx context.Context, f FactFilter, fn func(RatingFact) error) error {
	where, args := f.where("g.rated_on")
	rows, err := s.read.QueryContext(ctx, `SELECT g.opinion_id, o.unit_code, o.dept, g.rating, g.rated_on, g.round
		FROM ratings g JOIN opinions o ON o.id = g.opinion_id LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE `+where, args...)
	if err != nil {
		return fmt.Errorf("rating facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g RatingFact
		if err := rows.Scan(&g.OpinionID, &g.UnitCode, &g.Dept, &g.Rating, &g.RatedOn, &g.Round); err != nil {
			return fmt.Errorf("rating facts: %w", err)
		}
		if err := fn(g); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MonthCount is how many opinions arrived in a month ("YYYY-MM").
type MonthCount struct {
	Month string
	N     int
}

// MonthCounts counts the opinions f selects by the month they arrived, months in order (those
// with none left out). It reads the index opinions_by_status alone, whose entries hold the
// status, day, type, mailbox and unit (migration 0025): naming every status lets SQLite read
// one range of it per status instead of the table's rows, so a year of a million opinions costs
// a scan of small index entries. A liaison's scope reads the rectification too.
func (s *Store) MonthCounts(ctx context.Context, f FactFilter) ([]MonthCount, error) {
	where, args := f.where("o.created_on")
	rows, err := s.read.QueryContext(ctx, monthCountsSQL(where, f), args...)
	if err != nil {
		return nil, fmt.Errorf("month counts: %w", err)
	}
	defer rows.Close()
	var out []MonthCount
	for rows.Next() {
		var m MonthCount
		if err := rows.Scan(&m.Month, &m.N); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func monthCountsSQL(where string, f FactFilter) string {
	// INDEXED BY: with a unit named (a leader's 联系点, a unit's report) SQLite would rather
	// take opinions_by_unit and then read each row for its type and mailbox.
	from := ` FROM opinions o INDEXED BY opinions_by_status`
	if f.Viewer != nil && f.Viewer.Role == access.Liaison {
		from += ` LEFT JOIN rectifications r ON r.opinion_id = o.id`
	}
	return `SELECT substr(o.created_on, 1, 7), count(*)` + from + ` WHERE o.status IN (` + allStatuses() + `) AND ` +
		where + ` GROUP BY 1 ORDER BY 1`
}

// allStatuses lists every lifecycle status for SQL: 'received', 'triaged', ….
func allStatuses() string {
	all := make([]string, len(lifecycle.Statuses))
	for i, st := range lifecycle.Statuses {
		all[i] = "'" + st.Code + "'"
	}
	return strings.Join(all, ", ")
}
