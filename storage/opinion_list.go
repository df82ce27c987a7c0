package storage

import (
	"context"
	"encoding/json"

	"fmt"
	"minsheng/access"
	"minsheng/lifecycle"
	"strings"
	"time"
)

// OpinionFilter narrows the queue and the export. Empty fields do not filter.
type OpinionFilter struct {
	Status   string
	Style    string // a sifeng code, or "none" for opinions with no style yet
	UnitCode string
	Type     string
	Month    string // YYYY-MM
	Channel  string // a vocab.Channels code
	// Submitter is a vocab.Submitters code: who spoke (患者, 职工, 行风监督员…).
	Submitter string
	Mailbox   string // a mailbox (信箱) code: the letters written to it
	Tag       string // a taxonomy tag (manifestation or family, retired ones too) the opinion carries
	Nature    string // NatureConduct or NatureWork (feature 30)
	Reach     string // ReachCommon or ReachIndividual (feature 30)
	// Text is searched for in the content as reviewers see it (personal numbers masked),
	// Traditional or Simplified alike (search.go); as typed, at most MaxSearchText characters count.
	Text string
	// Scope limits the list to what a staff member may see; nil for tools that see all.
	Scope *access.Viewer
	// Problem is a problem's id (问题): its carrier and the opinions merged into it.
	Problem string
	// Campaign is a campaign's id: the opinions that arrived in it (opinions.campaign_id);
	// Phase, with it, one of its phases by number: those that arrived within its dates.
	Campaign int64
	Phase    int
	// scan searches Text with instr() over every row's own text instead of the full-text
	// index, as before it: the benchmarks compare the two (export_test.go). walk checks every
	// row exactly, its own text and its staff text: what the index must agree with (tests).
	scan, walk bool
	// docs: where() reads o as the search documents (search_docs, migrations 0049 and 0056),
	// which hold the opinion's id as opinion_id and its styles and tags as lists.
	docs bool
	// byKey: the rows are a short list read by their keys (a search's hits): a tag is probed
	// per row, as a style is, instead of reading every opinion of the tag (search_narrow.go).
	byKey bool
}

// StyleNone in OpinionFilter.Style selects opinions that carry no style tag yet.
const StyleNone = "none"

// Cursor marks where a queue page ended: the last row's day and id. Keyset pagination reads
// the next page from the index without counting or skipping rows.
type Cursor struct {
	Day string
	ID  string
}

// String encodes the cursor for a URL.
func (c Cursor) String() string {
	if c.ID == "" {
		return ""
	}
	return c.Day + "_" + c.ID
}

// ParseCursor reads a cursor from a URL; an empty or malformed value means the first page.
func ParseCursor(s string) Cursor {
	day, id, ok := strings.Cut(s, "_")
	if _, err := time.Parse(dateLayout, day); !ok || err != nil || id == "" || len(id) > 20 {
		return Cursor{}
	}
	return Cursor{Day: day, ID: id}
}

// OpinionPage is one page of the queue.
type OpinionPage struct {
	Opinions []Opinion
	Next     Cursor // zero when this is the last page
	// Found says, for the rows a search found in what staff wrote rather than in the opinion's
	// own text, where: FoundReply, FoundRectification or FoundNote (by opinion id).
	Found map[string]string
}

// MonthRange returns the first day of month and the first day of the following month.
// It reports false when month is not YYYY-MM.
func MonthRange(month string) (from, to string, ok bool) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return "", "", false
	}
	return t.Format(dateLayout), t.AddDate(0, 1, 0).Format(dateLayout), true
}

// where turns a filter into SQL conditions and their arguments.
func (f OpinionFilter) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "o.status = ?"), append(args, f.Status)
	}
	if f.UnitCode != "" {
		conds, args = append(conds, "o.unit_code = ?"), append(args, f.UnitCode)
	}
	if f.Type != "" {
		conds, args = append(conds, "o.type = ?"), append(args, f.Type)
	}
	if f.Channel != "" {
		conds, args = append(conds, "o.channel = ?"), append(args, f.Channel)
		// Said in literals, so that the planner may use the partial opinions_by_channel,
		// which holds only the offline channels (migration 0025).
		if f.Channel != "web" && f.Channel != "qr" {
			conds = append(conds, "o.channel NOT IN ('web', 'qr')")
		}
	}
	if f.Submitter != "" {
		conds, args = append(conds, "o.submitter = ?"), append(args, f.Submitter)
	}
	if f.Mailbox != "" {
		// The literal lets the planner use the partial opinions_by_mailbox (letters in a
		// mailbox only): a bound parameter alone does not tell it the code is not ''.
		conds, args = append(conds, "o.mailbox_code = ?", "o.mailbox_code != ''"), append(args, f.Mailbox)
	}
	if f.Tag != "" {
		// A semi-join written as IN rather than a correlated EXISTS: SQLite then reads the tag's
		// opinions from opinion_tags_by_tag (tag, opinion_id) once, instead of probing every
		// opinion in the queue's order for the tag (TestTagFilterUsesIndex).
		tag := "o.id IN (SELECT t.opinion_id FROM opinion_tags t WHERE t.tag = ?)"
		switch {
		case f.docs: // the document's list: no look-up by the opinion's random key
			tag = "instr(o.tags, ' ' || ? || ' ') > 0"
		case f.byKey: // the IN above would read the whole tag (150 000 opinions at 1M) for 50 rows
			tag = "EXISTS (SELECT 1 FROM opinion_tags t WHERE t.opinion_id = o.id AND t.tag = ?)"
		}
		conds, args = append(conds, tag), append(args, f.Tag)
	}
	if f.Nature != "" {
		conds, args = append(conds, "o.nature = ?"), append(args, f.Nature)
	}
	if f.Reach != "" {
		conds, args = append(conds, "o.reach = ?"), append(args, f.Reach)
	}
	switch {
	case f.Style == "":
	case f.docs && f.Style == StyleNone:
		conds = append(conds, "o.styles = ''")
	case f.docs:
		conds, args = append(conds, "instr(o.styles, ' ' || ? || ' ') > 0"), append(args, f.Style)
	case f.Style == StyleNone:
		conds = append(conds, "NOT EXISTS (SELECT 1 FROM opinion_styles s WHERE s.opinion_id = o.id)")
	default:
		conds = append(conds, "EXISTS (SELECT 1 FROM opinion_styles s WHERE s.opinion_id = o.id AND s.style = ?)")
		args = append(args, f.Style)
	}
	if from, to, ok := MonthRange(f.Month); ok {
		conds, args = append(conds, "o.created_on >= ? AND o.created_on < ?"), append(args, from, to)
	}
	if cond, textArgs := searchCondition(f.Text); cond != "" {
		conds, args = append(conds, cond), append(args, textArgs...)
	}
	if f.Problem != "" {
		// Two look-ups by index: the carrier by its key, the members by opinions_by_merge.
		id := "o.id"
		if f.docs {
			id = "o.opinion_id"
		}
		conds = append(conds, "("+id+" IN (SELECT carrier FROM problems WHERE id = ?) OR o.merged_into IN (SELECT carrier FROM problems WHERE id = ?))")
		args = append(args, f.Problem, f.Problem)
	}
	if cond, campaignArgs := campaignSQL(f.Campaign, f.Phase); cond != "" {
		conds, args = append(conds, cond), append(args, campaignArgs...)
	}
	if f.Scope != nil {
		cond, scopeArgs := scopeSQL(*f.Scope)
		conds, args = append(conds, cond), append(args, scopeArgs...)
	}
	return strings.Join(conds, " AND "), args
}

// campaignSQL selects over opinions o those that arrived in the campaign (and, phase > 0, within
// that phase's dates); "" when campaign is 0. opinions.campaign_id has no index (migration
// 0033): the campaign's days bound created_on too, so that opinions_by_day finds the rows.
func campaignSQL(campaign int64, phase int) (string, []any) {
	if campaign == 0 {
		return "", nil
	}
	if phase > 0 {
		return `o.campaign_id = ? AND o.created_on >= (SELECT starts_on FROM campaign_phases WHERE campaign_id = ? AND seq = ?)
			AND o.created_on <= (SELECT ends_on FROM campaign_phases WHERE campaign_id = ? AND seq = ?)`,
			[]any{campaign, campaign, phase, campaign, phase}
	}
	return `o.campaign_id = ? AND o.created_on >= (SELECT min(starts_on) FROM campaign_phases WHERE campaign_id = ?)
		AND o.created_on <= (SELECT max(ends_on) FROM campaign_phases WHERE campaign_id = ?)`,
		[]any{campaign, campaign, campaign}
}

// readsRectification reports whether where()'s conditions read the rectification r: the
// scope of a liaison, a unit head or a department head does (the unit the work was handed to,
// its deadline: workScopeSQL); nothing else.
func (f OpinionFilter) readsRectification() bool { return scopeReadsRectification(f.Scope) }

// scopeReadsRectification reports whether scopeSQL(*v) reads the rectification r.
func scopeReadsRectification(v *access.Viewer) bool {
	return v != nil && (v.Role == access.Liaison || v.Role == access.UnitHead || v.Role == access.DeptHead)
}

// openStatuses lists lifecycle.Open's statuses for SQL: 'assigned', 'rectifying', ….
func openStatuses() string {
	var open []string
	for _, st := range lifecycle.Statuses {
		if lifecycle.Open(st.Code) {
			open = append(open, "'"+st.Code+"'")
		}
	}
	return strings.Join(open, ", ")
}

// scopeSQL is access.Viewer.CanSee as an SQL condition over opinions o and rectifications r,
// so that lists hold exactly what the person may open (TestScopeAgreesWithAccess checks it).
// Letters in a mailbox (信箱) go to its readers and the liaison the work is handed to; letters
// in a discipline mailbox, like 举报, to discipline alone.
func scopeSQL(v access.Viewer) (string, []any) {
	if v.Role == access.Monitor {
		return "1 = 0", nil // a citizen supervisor opens no opinion of the queue, whatever else is set
	}
	var conds []string
	var args []any
	if v.Role == access.Discipline {
		conds = append(conds, "o.type = 'report'", "(o.mailbox_code != '' AND NOT "+ordinaryMailboxSQL+")")
	}
	// Letters with no mailbox: each role's own rule.
	if rule, ruleArgs, ok := roleScopeSQL(v); ok {
		conds, args = append(conds, "(o.type != 'report' AND o.mailbox_code = '' AND "+rule+")"), append(args, ruleArgs...)
	}
	// Letters in an ordinary mailbox: its readers, and the liaison rule.
	var readers []string
	if len(v.Mailboxes) > 0 {
		readers = append(readers, "o.mailbox_code IN (?"+strings.Repeat(", ?", len(v.Mailboxes)-1)+")")
		for _, m := range v.Mailboxes {
			args = append(args, m)
		}
	}
	if rule, ruleArgs, ok := workScopeSQL(v); ok {
		readers, args = append(readers, rule), append(args, ruleArgs...)
	}
	if len(readers) > 0 {
		conds = append(conds, "(o.type != 'report' AND o.mailbox_code != '' AND "+ordinaryMailboxSQL+
			" AND ("+strings.Join(readers, " OR ")+"))")
	}
	if len(conds) == 0 {
		return "1 = 0", nil
	}
	scope := "(" + strings.Join(conds, " OR ") + ")"
	if named, namedArgs := namedSQL(v); named != "" {
		scope, args = "("+scope+" AND NOT "+named+")", append(args, namedArgs...)
	}
	if branch, branchArgs := branchSQL(v); branch != "" {
		scope, args = "("+scope+" AND "+branch+")", append(args, branchArgs...)
	}
	return scope, args
}

// namedSQL is the part of access.Viewer.NamedIn that roleScopeSQL does not already hold (the
// liaison and their unit's leadership): an opinion naming v's own post or badge in v's unit.
// "" when v's account carries neither, which is every account today: the lists' SQL is then
// as it was.
func namedSQL(v access.Viewer) (string, []any) {
	if v.Unit == "" || (v.Post == "" && v.Badge == "") {
		return "", nil
	}
	return "(o.target_kind != '' AND o.unit_code = ? AND ((? != '' AND o.target_badge = ?) OR (? != '' AND o.target_post = ?)))",
		[]any{v.Unit, v.Badge, v.Badge, v.Post, v.Post}
}

// ordinaryMailboxSQL holds when o's mailbox is a known mailbox that is not a discipline one. A
// code storage does not know counts as a discipline mailbox: the strictest reading
// (Store.Facts reads it the same way).
const ordinaryMailboxSQL = "EXISTS (SELECT 1 FROM mailboxes mb WHERE mb.code = o.mailbox_code AND mb.discipline = 0)"

// roleScopeSQL is what each role sees of the letters in no mailbox, leaving 举报 aside; ok is
// false when the role sees none of them.
func roleScopeSQL(v access.Viewer) (cond string, args []any, ok bool) {
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor:
		return "1 = 1", nil, true
	case access.Liaison, access.DeptHead:
		return workScopeSQL(v)
	case access.UnitHead:
		// The work handed to the unit, and everything about the unit but its own leadership.
		work, args, ok := workScopeSQL(v)
		if !ok {
			return "", nil, false
		}
		return "(" + work + " OR (o.unit_code = ? AND o.about_leadership = 0))", append(args, v.Unit), true
	case access.Leader:
		if len(v.Linked) == 0 {
			return "", nil, false
		}
		args := make([]any, len(v.Linked))
		for i, u := range v.Linked {
			args[i] = u
		}
		return "o.unit_code IN (?" + strings.Repeat(", ?", len(v.Linked)-1) + ")", args, true
	}
	return "", nil, false
}

// workScopeSQL is access.Viewer.worksOn as SQL: what a liaison, unit head or department head
// sees of the work handed to their unit; ok is false for every other role.
func workScopeSQL(v access.Viewer) (cond string, args []any, ok bool) {
	if v.Unit == "" {
		return "", nil, false
	}
	switch v.Role {
	case access.Liaison, access.UnitHead:
		// Work led by their unit, or overdue work led by a unit under theirs (督办).
		mine := "(r.lead_unit = ? OR (? != '' AND r.deadline != '' AND r.deadline < ? AND o.status IN (" + openStatuses() + ")" +
			" AND r.lead_unit IN (SELECT code FROM units WHERE parent_code = ?)))"
		return mine + " AND NOT (o.about_leadership = 1 AND o.unit_code = ?)",
			[]any{v.Unit, v.Today, v.Today, v.Unit, v.Unit}, true
	case access.DeptHead:
		if v.Dept == "" {
			return "", nil, false
		}
		// Work led by their unit about their 科室.
		return "(r.lead_unit = ? AND o.dept = ? AND NOT (o.about_leadership = 1 AND o.unit_code = ?))",
			[]any{v.Unit, v.Dept, v.Unit}, true
	}
	return "", nil, false
}

// ListOpinions returns up to limit opinions matching f, newest day first (and within a day in
// the order of their random ids, which says nothing about arrival), starting after the cursor.
func (s *Store) ListOpinions(ctx context.Context, f OpinionFilter, after Cursor, limit int) (OpinionPage, error) {
	if limit < 1 {
		limit = 1
	}
	sc, err := s.searchClauseFor(ctx, f, false)
	if err != nil {
		return OpinionPage{}, fmt.Errorf("list opinions: %w", err)
	}
	if sc.ts != nil && sc.ts.stream && !f.scan && !f.walk {
		// Read the page from the index's matches newest first when that settles it
		// (search_stream.go), else walk the queue's order below.
		ids, ok, err := s.streamedPage(ctx, f, sc.ts, after, limit)
		if err != nil {
			return OpinionPage{}, fmt.Errorf("list opinions: %w", err)
		}
		if ok {
			list, _ := json.Marshal(ids)
			sc = hitsClause(sc.ts, string(list), sc.ts.staffHits)
		}
	}
	f.Text = "" // searched through sc
	f.byKey = sc.hits != ""
	where, args := f.where()
	where += sc.cond
	args = append(args, sc.args...)
	if after.ID != "" {
		where += " AND (o.created_on, o.id) < (?, ?)"
		args = append(args, after.Day, after.ID)
	}
	args = append(args, limit+1) // one extra row tells whether there is a next page
	// With a search, each row says whether its own text holds the words (or only its staff text).
	own, ownArgs := `, 1`, []any{}
	if sc.ts != nil {
		own, ownArgs = `, instr(o.search_text, ?) > 0`, []any{sc.ts.q}
	}
	query := `SELECT ` + opinionColumns + own + opinionFrom + ` WHERE ` + where + ` ORDER BY o.created_on DESC, o.id DESC LIMIT ?`
	if sc.hits != "" {
		// The hits are sorted first and only the page's rows get their columns (tags, styles,
		// ratings…): SQLite would otherwise work them out for every hit before sorting.
		from, fromArgs := sc.from(` FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id`)
		query = `SELECT ` + opinionColumns + own + ` FROM (SELECT o.id AS pid` + from + ` WHERE ` + where +
			` ORDER BY o.created_on DESC, o.id DESC LIMIT ?) p CROSS JOIN opinions o ON o.id = p.pid
			JOIN units u ON u.code = o.unit_code LEFT JOIN rectifications r ON r.opinion_id = o.id
			ORDER BY o.created_on DESC, o.id DESC`
		args = append(fromArgs, args...)
	}
	rows, err := s.read.QueryContext(ctx, query, append(ownArgs, args...)...)
	if err != nil {
		return OpinionPage{}, fmt.Errorf("list opinions: %w", err)
	}
	defer rows.Close()
	var page OpinionPage
	var staffOnly []Opinion // found by their staff text alone
	for rows.Next() {
		var ownText bool
		o, err := scanOpinion(rows, &ownText)
		if err != nil {
			return OpinionPage{}, err
		}
		page.Opinions = append(page.Opinions, o)
		if !ownText && len(page.Opinions) <= limit {
			staffOnly = append(staffOnly, o)
		}
	}
	if err := rows.Err(); err != nil {
		return OpinionPage{}, err
	}
	if len(page.Opinions) > limit {
		page.Opinions = page.Opinions[:limit]
		last := page.Opinions[limit-1]
		page.Next = Cursor{Day: last.CreatedOn, ID: last.ID}
	}
	if len(staffOnly) > 0 {
		if page.Found, err = s.foundParts(ctx, sc.ts.q, staffOnly); err != nil {
			return OpinionPage{}, err
		}
	}
	return page, nil
}

// EachOpinion calls fn for every opinion matching f, oldest day first, streaming rows so that
// memory does not grow with the size of the export. It stops at fn's first error.
func (s *Store) EachOpinion(ctx context.Context, f OpinionFilter, fn func(Opinion) error) error {
	where, args := f.where()
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+opinionColumns+opinionFrom+` WHERE `+where+` ORDER BY o.created_on, o.id`, args...)
	if err != nil {
		return fmt.Errorf("export opinions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOpinion(rows)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}
