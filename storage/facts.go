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
	"minsheng/sifeng"
)

// Fact is one opinion as counting needs it: its codes, its rectification and its problem. It
// carries no text a person wrote but the 科室 (as typed on the form) and the rectification's
// note (the latest reason staff gave: why a look-back failed).
type Fact struct {
	ID, CreatedOn, Type, Channel, Submitter, UnitCode, Dept, Status string
	Styles, Tags                                                    []string // sifeng codes in sifeng order; tag codes in no order (a sort per row costs a temporary b-tree)
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
	// Campaign (0: any) keeps the opinions that arrived in that campaign, Phase (0: all) in
	// that phase of it (campaignSQL, as the queue does). For EachRating: the ratings of those.
	Campaign int64
	Phase    int
	// Public leaves out what the public never sees counted: 举报 and letters to a discipline
	// mailbox (纪检监察信箱), as the notice board always has (CountsForYear).
	Public bool
}

// where is f as SQL over opinions o (and rectifications r, which a liaison's scope reads);
// day is the column From and To bound.
func (f FactFilter) where(day string) (string, []any) {
	span, args := f.span(day)
	rest, restArgs := f.access()
	return span + " AND " + rest, append(args, restArgs...)
}

// span is the part of f an index of opinions answers: the days and the unit.
func (f FactFilter) span(day string) (string, []any) {
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
	if cond, campaignArgs := campaignSQL(f.Campaign, f.Phase); cond != "" {
		conds, args = append(conds, cond), append(args, campaignArgs...)
	}
	return strings.Join(conds, " AND "), args
}

// access is the part of f that says who may count what: the public's rule and the viewer's scope.
func (f FactFilter) access() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if f.Public {
		conds = append(conds, "o.type != 'report' AND (o.mailbox_code = '' OR "+ordinaryMailboxSQL+")")
	}
	if f.Viewer != nil {
		cond, scopeArgs := scopeSQL(*f.Viewer)
		conds, args = append(conds, cond), append(args, scopeArgs...)
	}
	return strings.Join(conds, " AND "), args
}

// factColumns are read by EachFact: the codes of a fact joined into one text (every code is
// checked by the schema to hold letters, digits, '-', '_' or ',' only: char(31) is never in
// one), then the texts, then the flags as bits (SQLite's | and << bind alike: hence the brackets). Six columns rather than twenty-seven: the driver
// crosses into C two or three times per column and row, which at a hundred thousand rows was a
// third of a report's time. Styles and tags come from correlated subqueries (one statement,
// a key look-up per row, no query per opinion); the problem is found by its carrier's unique
// key, which is the opinion itself or the one it is merged into. The rectification's note is
// read only when the look-back failed: it is the cause the report lists.
var factColumns = strings.ReplaceAll(`o.id || {US} || o.created_on || {US} || o.type || {US} || o.channel || {US} ||
	o.submitter || {US} || o.unit_code || {US} || o.status || {US} ||
	COALESCE((SELECT group_concat(style) FROM opinion_styles WHERE opinion_id = o.id), '') || {US} ||
	COALESCE((SELECT group_concat(tag) FROM opinion_tags WHERE opinion_id = o.id), '') || {US} ||
	COALESCE(r.level, '') || {US} || COALESCE(r.lead_unit, '') || {US} || COALESCE(r.ledger, '') || {US} ||
	COALESCE(r.kind, '') || {US} || COALESCE(r.deadline, '') || {US} || COALESCE(r.closed_on, '') || {US} ||
	COALESCE(r.checked, '') || {US} || COALESCE(o.merged_into, '') || {US} || COALESCE(p.id, ''),
	o.dept, o.mailbox_code, CASE WHEN r.checked = 'failed' THEN r.note ELSE '' END, COALESCE(p.title, ''),
	CAST((o.mailbox_code != '' AND NOT `+ordinaryMailboxSQL+`) AS INTEGER) | (o.about_leadership << 1) |
	(COALESCE(r.accountability, 0) << 2) | (COALESCE(r.unfounded, 0) << 3) | (COALESCE(r.substantiated, 0) << 4)`,
	"{US}", sqlUnitSep) // {US}: the unit separator

// noLimit is a LIMIT that limits nothing, in a spelling both engines take (SQLite's -1 is
// refused by PostgreSQL, whose ALL SQLite does not know).
const noLimit = "9223372036854775807"

// factFlags are the bits of factColumns' last column.
const (
	flagDisciplineMailbox = 1 << iota
	flagAboutLeadership
	flagAccountability
	flagUnfounded
	flagSubstantiated
)

// factsSQL reads the facts f selects: the ids of the span from an index that holds them (the
// days, the unit), sorted by id, then each row by its key in that order (CROSS JOIN keeps it).
// The tables an opinion's fact is read from (opinions, WITHOUT ROWID; its styles, its tags, the
// rectifications' key) are all ordered by opinion id, which is random: a month's opinions lie
// a row or two per page all over the file. Read in the index's order of days, every row costs
// a descent through pages the cache no longer holds, in each of those tables; read in id order,
// each descent follows the last one through the same inner pages, and consecutive rows often
// share a page of styles or tags. At a million opinions, for a month of 100 000: 1.8–2.0 s of
// CPU in the day's order, 0.8–0.9 s in id order (sqlite3 shell, the same statement).
// A LIMIT keeps the sort: without one, SQLite drops an ORDER BY of a subquery in FROM. The
// join's condition is in WHERE, not in an ON of the CROSS JOIN (SQLite's way of fixing the
// order of the loops), which PostgreSQL does not take; for an inner join SQLite plans both
// alike.
func factsSQL(f FactFilter) (string, []any) {
	span, args := f.span("o.created_on")
	rest, restArgs := f.access()
	return `SELECT ` + factColumns + ` FROM (SELECT o.id AS pid FROM opinions o WHERE ` + span + ` ORDER BY o.id LIMIT ` + noLimit + `) ids
		CROSS JOIN opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
		LEFT JOIN problems p ON p.carrier = COALESCE(o.merged_into, o.id)
		WHERE o.id = ids.pid AND ` + rest, append(args, restArgs...)
}

// cancelCheck is how many rows EachFact and EachRating read between looks at their context.
// They query with a context that cannot be cancelled: given one that can, the driver starts a
// goroutine and a channel for every row it steps (go-sqlite3's SQLiteRows.Next), which at a
// hundred thousand rows was most of the garbage and much of the time of a report. Looking every
// 1 024 rows stops a cancelled report a few milliseconds late.
const cancelCheck = 1024

// EachFact calls fn for every opinion f selects, in no particular order, streaming the rows:
// memory does not grow with the number of opinions. fn gets the same *Fact each time, refilled:
// it must copy what it keeps. It stops at fn's first error and returns it.
func (s *Store) EachFact(ctx context.Context, f FactFilter, fn func(*Fact) error) error {
	query, args := factsSQL(f)
	rows, err := s.read.QueryContext(context.WithoutCancel(ctx), query, args...)
	if err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	defer rows.Close()
	var fact Fact
	var codes, styles, tags string
	var flags int
	// Where each code goes, in factColumns' order; made once, not per row.
	fields := [...]*string{&fact.ID, &fact.CreatedOn, &fact.Type, &fact.Channel, &fact.Submitter,
		&fact.UnitCode, &fact.Status, &styles, &tags, &fact.Level, &fact.LeadUnit, &fact.Ledger, &fact.Kind,
		&fact.Deadline, &fact.ClosedOn, &fact.Checked, &fact.MergedInto, &fact.ProblemID}
	for n := 1; rows.Next(); n++ {
		if n%cancelCheck == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := rows.Scan(&codes, &fact.Dept, &fact.MailboxCode, &fact.Note, &fact.ProblemTitle, &flags); err != nil {
			return fmt.Errorf("facts: %w", err)
		}
		for i, dst := range fields {
			var ok bool
			if *dst, codes, ok = strings.Cut(codes, "\x1f"); !ok && i < len(fields)-1 {
				return fmt.Errorf("facts: a row of %d codes, want %d", i+1, len(fields))
			}
		}
		fact.DisciplineMailbox = flags&flagDisciplineMailbox != 0
		fact.AboutLeadership = flags&flagAboutLeadership != 0
		fact.Accountability = flags&flagAccountability != 0
		fact.Unfounded = flags&flagUnfounded != 0
		fact.Substantiated = flags&flagSubstantiated != 0
		fact.Styles = appendStyles(fact.Styles[:0], styles)
		fact.Tags = fact.Tags[:0]
		for tags != "" {
			var tag string
			tag, tags, _ = strings.Cut(tags, ",")
			fact.Tags = append(fact.Tags, tag)
		}
		if err := fn(&fact); err != nil {
			return err
		}
	}
	return rows.Err()
}

// appendStyles appends the styles of "hedonism,formalism" to dst in sifeng's order, without
// allocating (a row has at most four).
func appendStyles(dst []string, joined string) []string {
	for _, st := range sifeng.Styles {
		for rest := joined; rest != ""; {
			var code string
			code, rest, _ = strings.Cut(rest, ",")
			if code == st.Code {
				dst = append(dst, st.Code)
				break
			}
		}
	}
	return dst
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
	// CROSS JOIN keeps ratings the outer loop: the ratings of the span are picked from the
	// ratings table (a small row each) and only their opinions are read. Left to itself SQLite
	// walked every opinion of the index and read each row for its 科室: 40 s at a million.
	rows, err := s.read.QueryContext(context.WithoutCancel(ctx), ratingFactsSQL(where), args...)
	if err != nil {
		return fmt.Errorf("rating facts: %w", err)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if n%cancelCheck == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
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

// ratingFactsSQL is EachRating's statement: the span's ratings found in ratings_by_day
// (migration 0028), then their opinions by key.
func ratingFactsSQL(where string) string {
	return `SELECT g.opinion_id, o.unit_code, o.dept, g.rating, g.rated_on, g.round
		FROM ratings g CROSS JOIN opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE o.id = g.opinion_id AND ` + where
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
	rows, err := s.read.QueryContext(ctx, monthCountsSQL(where, f, s.drv.name()), args...)
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

func monthCountsSQL(where string, f FactFilter, engine string) string {
	// INDEXED BY: with a unit named (a leader's 联系点, a unit's report) SQLite would rather
	// take opinions_by_unit and then read each row for its type and mailbox. PostgreSQL has no
	// such hint (its planner chooses alone).
	from := ` FROM opinions o`
	if engine == "sqlite" {
		from += ` INDEXED BY opinions_by_status`
	}
	if scopeReadsRectification(f.Viewer) {
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
