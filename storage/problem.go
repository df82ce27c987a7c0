package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/redact"
)

// A problem (问题) groups the opinions that report the same thing (#11). It extends the 重复
// merge: one opinion, the carrier, holds the rectification, and the others are merged into it
// (status duplicate, merged_into = the carrier) and follow it, each keeping its own receipt,
// reply and rating. The problems table adds the problem's id, its title and its day. Every
// opinion that carries duplicates carries a problem (migration 0024 made it so for the merges
// before it; Transition's 重复 step now joins a problem). A problem may hold its carrier alone:
// 新建问题 makes one, and 移出问题 of the last member leaves one; staff can then let the carrier
// leave too, which dissolves it.
type Problem struct {
	ID        string
	Title     string
	Carrier   string // the opinion that holds the rectification
	CreatedOn string // YYYY-MM-DD
	// Count is every opinion in the problem, the carrier included: how many people raised it,
	// whoever is asking (members a viewer may not open are counted, never shown).
	Count int
	// Units and Months are those of the members the viewer may open (names, YYYY-MM), in order.
	Units  []string
	Months []string
	// The carrier's status and rectification, which every member follows.
	Status       string
	Deadline     string
	LeadUnit     string
	LeadUnitName string
}

// MaxProblemTitle is the longest title of a problem, in characters (the schema checks it too).
const MaxProblemTitle = 60

// backfillTitleLength is how much of the carrier's text a title made for staff (a migrated
// merge, a 重复 step typed by id) holds, in characters: a readable start they can rewrite.
const backfillTitleLength = 30

// Why a grouping was refused. Each is a Refusal's Reason; handlers say it in words.
const (
	RefusedSelf          = "self"           // an opinion cannot join itself
	RefusedStatus        = "status"         // its status may not become 重复 (only 待梳理, 已分类 may)
	RefusedMember        = "member"         // it is already in a problem: 移出问题 first
	RefusedCarries       = "carries"        // it carries a problem with others in it
	RefusedReport        = "report"         // a 举报 (or a discipline mailbox letter) with an ordinary one
	RefusedCarrierLeaves = "carrier_leaves" // the carrier cannot leave while others remain
	RefusedNotInProblem  = "not_in_problem" // 移出问题 of an opinion in no problem
	RefusedBothCarry     = "both_carry"     // both carry problems with others in them
	RefusedSame          = "same"           // both are in this problem already
	RefusedTitle         = "title"          // the title is empty or too long
	RefusedHasProblem    = "has_problem"    // 新建问题 for an opinion already in a problem
)

// Refusal is a grouping storage refuses, with the reason handlers show. It is ErrInvalid.
type Refusal struct {
	Reason  string // one of the Refused* codes
	Opinion string // the opinion the reason is about
}

func (r *Refusal) Error() string { return "problem: " + r.Opinion + ": " + r.Reason }

// Unwrap makes errors.Is(err, ErrInvalid) hold for every refusal.
func (r *Refusal) Unwrap() error { return ErrInvalid }

func refuse(reason, id string) error { return &Refusal{Reason: reason, Opinion: id} }

// RefusalOf returns the refusal inside err, or nil.
func RefusalOf(err error) *Refusal {
	var r *Refusal
	if errors.As(err, &r) {
		return r
	}
	return nil
}

// CleanProblemTitle trims a title as typed and reports whether it may be stored: 1 to
// MaxProblemTitle characters, valid text, no control characters.
func CleanProblemTitle(typed string) (string, bool) {
	t := strings.Join(strings.Fields(typed), " ")
	ok := t != "" && utf8.ValidString(t) && utf8.RuneCountInString(t) <= MaxProblemTitle &&
		!strings.ContainsFunc(t, unicode.IsControl)
	return t, ok
}

// backfillTitle is a title made from the carrier's text when no one wrote one: its first
// characters on one line, numbers masked as reviewers see them.
func backfillTitle(content, id string) string {
	t := strings.Join(strings.Fields(redact.Mask(content)), " ")
	if r := []rune(t); len(r) > backfillTitleLength {
		t = strings.TrimSpace(string(r[:backfillTitleLength])) + "…"
	}
	if t == "" {
		t = id
	}
	return t
}

// member is what grouping needs to know of one opinion, read inside the transaction.
type member struct {
	id, status, carrier, content, day string // carrier: merged_into, "" for none
	discipline                        bool   // a 举报 or a letter to a discipline mailbox
}

func readMember(ctx context.Context, tx *sql.Tx, id string) (member, error) {
	m := member{id: id}
	err := tx.QueryRowContext(ctx, `SELECT o.status, COALESCE(o.merged_into, ''), o.content, o.created_on,
		o.type = 'report' OR (o.mailbox_code != '' AND NOT `+ordinaryMailboxSQL+`)
		FROM opinions o WHERE o.id = ?`, id).Scan(&m.status, &m.carrier, &m.content, &m.day, &m.discipline)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	return m, err
}

// problemRow is a problem's row and how many opinions it holds, read inside a transaction.
type problemRow struct {
	id, carrier string
	count       int
}

// problemCarriedBy returns the problem opinion carrier carries; ok false when none.
func problemCarriedBy(ctx context.Context, tx *sql.Tx, carrier string) (problemRow, bool, error) {
	p := problemRow{carrier: carrier}
	err := tx.QueryRowContext(ctx, `SELECT id, 1 + (SELECT count(*) FROM opinions WHERE merged_into = ?)
		FROM problems WHERE carrier = ?`, carrier, carrier).Scan(&p.id, &p.count)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	return p, err == nil, err
}

// problemOfMember returns the problem m is in (as carrier or member); ok false when none.
func problemOfMember(ctx context.Context, tx *sql.Tx, m member) (problemRow, bool, error) {
	carrier := m.id
	if m.carrier != "" {
		carrier = m.carrier
	}
	return problemCarriedBy(ctx, tx, carrier)
}

// createProblem makes opinion m the carrier of a new problem titled title, and audits it.
func createProblem(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, m member, title string) (problemRow, error) {
	if m.carrier != "" {
		return problemRow{}, refuse(RefusedMember, m.id)
	}
	if m.status == lifecycle.Duplicate { // merged_into is set exactly for duplicates; belt and braces
		return problemRow{}, refuse(RefusedMember, m.id)
	}
	for attempt := 0; ; attempt++ {
		p := problemRow{id: newOpinionID(), carrier: m.id, count: 1}
		_, err := tx.ExecContext(ctx, `INSERT INTO problems (id, carrier, title, created_on) VALUES (?, ?, ?, ?)`,
			p.id, m.id, title, now.Format(dateLayout))
		if err == nil {
			n, err := countMerged(ctx, tx, m.id)
			p.count += n
			if err != nil {
				return p, err
			}
			return p, audit(ctx, tx, now, userID, "problem_new", m.id, p.id)
		}
		if strings.Contains(err.Error(), "problems.carrier") {
			return problemRow{}, refuse(RefusedHasProblem, m.id)
		}
		if attempt == 3 || !strings.Contains(err.Error(), "problems.id") {
			return problemRow{}, fmt.Errorf("new problem: %w", mapError(err))
		}
	}
}

func countMerged(ctx context.Context, tx *sql.Tx, carrier string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM opinions WHERE merged_into = ?`, carrier).Scan(&n)
	return n, err
}

// joinProblem makes m a member of problem p: status 重复, merged into p's carrier. It is
// refused (Refusal) when m is p's carrier or already in p, when m's status may not become 重复
// (lifecycle: only from 待梳理 and 已分类), when m carries others, and when one of the two is a
// 举报 and the other not. An opinion that carries a problem alone may join: its problem is
// dissolved in the same transaction.
func joinProblem(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, m member, p problemRow) error {
	switch {
	case m.id == p.carrier:
		return refuse(RefusedSelf, m.id)
	case m.carrier == p.carrier:
		return refuse(RefusedSame, m.id)
	case m.carrier != "" || m.status == lifecycle.Duplicate:
		return refuse(RefusedMember, m.id)
	case !lifecycle.CanMove(m.status, lifecycle.Duplicate):
		return refuse(RefusedStatus, m.id)
	}
	carrier, err := readMember(ctx, tx, p.carrier)
	if err != nil {
		return err
	}
	if carrier.discipline != m.discipline {
		return refuse(RefusedReport, m.id)
	}
	own, ok, err := problemCarriedBy(ctx, tx, m.id)
	if err != nil {
		return err
	}
	if ok && own.count > 1 {
		return refuse(RefusedCarries, m.id)
	}
	if ok {
		if err := dissolve(ctx, tx, now, userID, own); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE opinions SET status = ?, merged_into = ? WHERE id = ?`,
		lifecycle.Duplicate, p.carrier, m.id); err != nil {
		return err
	}
	if err := audit(ctx, tx, now, userID, "status", m.id, m.status+"→"+lifecycle.Duplicate); err != nil {
		return err
	}
	return audit(ctx, tx, now, userID, "problem_join", m.id, p.id)
}

// dissolve deletes a problem that holds its carrier alone.
func dissolve(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, p problemRow) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM problems WHERE id = ?`, p.id); err != nil {
		return err
	}
	return audit(ctx, tx, now, userID, "problem_dissolve", p.carrier, p.id)
}

// NewProblem makes opinion id the carrier of a new problem with the title staff wrote (新建问题),
// and returns the problem's id. An opinion already in a problem is refused (Refusal).
func (s *Store) NewProblem(ctx context.Context, userID int64, id, title string) (string, error) {
	title, ok := CleanProblemTitle(title)
	if !ok {
		return "", refuse(RefusedTitle, id)
	}
	var p problemRow
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		m, err := readMember(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, in, err := problemOfMember(ctx, tx, m); err != nil {
			return err
		} else if in {
			return refuse(RefusedHasProblem, id)
		}
		p, err = createProblem(ctx, tx, now, userID, m, title)
		return err
	})
	return p.id, err
}

// Join makes opinion id a member of problem problemID (归入同一问题): it becomes 重复, merged into
// the problem's carrier, and follows its rectification. Refusals as joinProblem's.
func (s *Store) Join(ctx context.Context, userID int64, id, problemID string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		p, err := problemByID(ctx, tx, problemID)
		if err != nil {
			return err
		}
		m, err := readMember(ctx, tx, id)
		if err != nil {
			return err
		}
		return joinProblem(ctx, tx, now, userID, m, p)
	})
}

func problemByID(ctx context.Context, tx *sql.Tx, id string) (problemRow, error) {
	p := problemRow{id: id}
	err := tx.QueryRowContext(ctx, `SELECT carrier, 1 + (SELECT count(*) FROM opinions d WHERE d.merged_into = problems.carrier)
		FROM problems WHERE id = ?`, id).Scan(&p.carrier, &p.count)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("problem %s: %w", id, ErrNotFound)
	}
	return p, err
}

// Group puts opinions a and b into one problem (归入同一问题 on the item page, a being the page's
// opinion and b the similar one), and returns the problem's id. When one of them is in a
// problem, the other joins it. When both are, and one of those holds its carrier alone, that
// one joins the other; two problems with members each are refused (RefusedBothCarry): staff
// split one first. When neither is, a problem titled title is made with the one further along
// the lifecycle as its carrier (the one that cannot become 重复, if only one can), or else the
// earlier one.
func (s *Store) Group(ctx context.Context, userID int64, a, b, title string) (string, error) {
	var problemID string
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		ma, err := readMember(ctx, tx, a)
		if err != nil {
			return err
		}
		mb, err := readMember(ctx, tx, b)
		if err != nil {
			return err
		}
		if a == b {
			return refuse(RefusedSelf, a)
		}
		pa, inA, err := problemOfMember(ctx, tx, ma)
		if err != nil {
			return err
		}
		pb, inB, err := problemOfMember(ctx, tx, mb)
		if err != nil {
			return err
		}
		switch {
		case inA && inB && pa.id == pb.id:
			return refuse(RefusedSame, a)
		case inA && inB && pa.count > 1 && pb.count > 1:
			return refuse(RefusedBothCarry, a)
		case inB && (!inA || pa.count == 1):
			problemID = pb.id
			return joinProblem(ctx, tx, now, userID, ma, pb)
		case inA:
			problemID = pa.id
			return joinProblem(ctx, tx, now, userID, mb, pa)
		}
		clean, ok := CleanProblemTitle(title)
		if !ok {
			return refuse(RefusedTitle, a)
		}
		carrier, joiner := pickCarrier(ma, mb)
		if err := checkJoinable(joiner, carrier); err != nil {
			return err
		}
		p, err := createProblem(ctx, tx, now, userID, carrier, clean)
		if err != nil {
			return err
		}
		problemID = p.id
		return joinProblem(ctx, tx, now, userID, joiner, p)
	})
	return problemID, err
}

// checkJoinable refuses, before anything is written, what joinProblem would refuse of joiner
// joining a new problem of carrier: so a refused Group leaves no problem behind (the
// transaction is rolled back anyway; this gives the clearer reason).
func checkJoinable(joiner, carrier member) error {
	switch {
	case !lifecycle.CanMove(joiner.status, lifecycle.Duplicate):
		return refuse(RefusedStatus, joiner.id)
	case joiner.discipline != carrier.discipline:
		return refuse(RefusedReport, joiner.id)
	}
	return nil
}

// pickCarrier chooses which of two opinions in no problem carries the new one: one that may not
// become 重复 (already assigned, say); else the one further along the lifecycle; else the earlier.
func pickCarrier(a, b member) (carrier, joiner member) {
	canA, canB := lifecycle.CanMove(a.status, lifecycle.Duplicate), lifecycle.CanMove(b.status, lifecycle.Duplicate)
	switch {
	case canA && !canB:
		return b, a
	case canB && !canA:
		return a, b
	}
	ra, rb := lifecycleRank(a.status), lifecycleRank(b.status)
	switch {
	case ra > rb:
		return a, b
	case rb > ra:
		return b, a
	case b.day < a.day || b.day == a.day && b.id < a.id:
		return b, a
	}
	return a, b
}

// lifecycleRank is how far along the main road of the procedure a status is (PathTo's length):
// 0 for 待梳理 and for the side exits.
func lifecycleRank(status string) int {
	if status != lifecycle.Triaged && lifecycle.CanMove(lifecycle.Received, status) {
		return 0 // 不予受理, 重复, 转办: off the road
	}
	return len(lifecycle.PathTo(status))
}

// Leave takes opinion id out of its problem (移出问题): a member goes back to 已分类 with nothing
// merged (lifecycle: 重复 → 已分类) and keeps its own receipt, reply and rating. The carrier
// cannot leave while others remain (RefusedCarrierLeaves); once alone, its leaving dissolves
// the problem. A problem whose last member leaves is kept, its carrier alone, so its title and
// rectification stay for whoever joins next; staff dissolve it by letting the carrier leave.
func (s *Store) Leave(ctx context.Context, userID int64, id string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		m, err := readMember(ctx, tx, id)
		if err != nil {
			return err
		}
		p, in, err := problemOfMember(ctx, tx, m)
		switch {
		case err != nil:
			return err
		case !in && m.status == lifecycle.Duplicate:
			// A duplicate of a carrier without a problem cannot exist after 0024's backfill;
			// leaving it is still the plain move back.
		case !in:
			return refuse(RefusedNotInProblem, id)
		case m.id == p.carrier && p.count > 1:
			return refuse(RefusedCarrierLeaves, id)
		case m.id == p.carrier:
			return dissolve(ctx, tx, now, userID, p)
		}
		if err := applyStep(ctx, tx, id, m.status, lifecycle.Step{To: lifecycle.Triaged}, now.Format(dateLayout)); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, userID, "status", id, m.status+"→"+lifecycle.Triaged); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "problem_leave", id, p.id)
	})
}

// Retitle gives problem id a new title (at most MaxProblemTitle characters), audited on its
// carrier.
func (s *Store) Retitle(ctx context.Context, userID int64, id, title string) error {
	clean, ok := CleanProblemTitle(title)
	if !ok {
		return refuse(RefusedTitle, id)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		p, err := problemByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE problems SET title = ? WHERE id = ?`, clean, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "problem_title", p.carrier, clean)
	})
}

// joinTarget is Transition's 重复 step: opinion id joins the problem of target (the one typed
// on the item page), which is made when target has none, titled from target's text.
func joinTarget(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, id, target string) error {
	if target == id {
		return refuse(RefusedSelf, id)
	}
	m, err := readMember(ctx, tx, id)
	if err != nil {
		return err
	}
	t, err := readMember(ctx, tx, target)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("merge into %s: %w", target, ErrInvalid)
	}
	if err != nil {
		return err
	}
	p, in, err := problemOfMember(ctx, tx, t)
	if err != nil {
		return err
	}
	if !in {
		if err := checkJoinable(m, t); err != nil {
			return err
		}
		if p, err = createProblem(ctx, tx, now, userID, t, backfillTitle(t.content, t.id)); err != nil {
			return err
		}
	}
	return joinProblem(ctx, tx, now, userID, m, p)
}

// problemColumns reads a problem and its carrier's status and rectification; the count is
// every opinion in it.
const problemColumns = `p.id, p.title, p.carrier, p.created_on,
	1 + (SELECT count(*) FROM opinions d WHERE d.merged_into = p.carrier) AS n,
	c.status, COALESCE(cr.deadline, ''), COALESCE(cr.lead_unit, ''), COALESCE(cu.name, '')`

const problemFrom = ` FROM problems p JOIN opinions c ON c.id = p.carrier
	LEFT JOIN rectifications cr ON cr.opinion_id = c.id LEFT JOIN units cu ON cu.code = cr.lead_unit`

func scanProblem(row scanner) (Problem, error) {
	var p Problem
	err := row.Scan(&p.ID, &p.Title, &p.Carrier, &p.CreatedOn, &p.Count, &p.Status, &p.Deadline, &p.LeadUnit, &p.LeadUnitName)
	return p, err
}

// membersWhere selects the opinions o of the problem carried by ? that scope may open.
func membersWhere(scope *access.Viewer) (string, []any) {
	where := "(o.id = ? OR o.merged_into = ?)"
	if scope == nil {
		return where, nil
	}
	cond, args := scopeSQL(*scope)
	return where + " AND " + cond, args
}

// Problem returns problem id with the units and months of the members scope may open (nil: all).
// ErrNotFound when there is no such problem; whether scope may see the problem at all is the
// caller's question (VisibleTo).
func (s *Store) Problem(ctx context.Context, id string, scope *access.Viewer) (Problem, error) {
	p, err := scanProblem(s.read.QueryRowContext(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Problem{}, fmt.Errorf("problem %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, err
	}
	return p, s.fillProblem(ctx, &p, scope)
}

// fillProblem reads the units and months of p's members that scope may open.
func (s *Store) fillProblem(ctx context.Context, p *Problem, scope *access.Viewer) error {
	where, args := membersWhere(scope)
	args = append([]any{p.Carrier, p.Carrier}, args...)
	var err error
	p.Units, err = collect(ctx, s.read, scanString, `SELECT DISTINCT u.name`+opinionFrom+` WHERE `+where+` ORDER BY u.name`, args...)
	if err != nil {
		return fmt.Errorf("units of problem %s: %w", p.ID, err)
	}
	p.Months, err = collect(ctx, s.read, scanString,
		`SELECT DISTINCT substr(o.created_on, 1, 7)`+opinionFrom+` WHERE `+where+` ORDER BY 1`, args...)
	if err != nil {
		return fmt.Errorf("months of problem %s: %w", p.ID, err)
	}
	return nil
}

func scanString(r *sql.Rows) (string, error) {
	var v string
	err := r.Scan(&v)
	return v, err
}

// ProblemOf returns the problem opinion id is in (as its carrier or a member), its units and
// months as scope may see them; ErrNotFound when it is in none.
func (s *Store) ProblemOf(ctx context.Context, id string, scope *access.Viewer) (Problem, error) {
	var pid string
	err := s.read.QueryRowContext(ctx, `SELECT p.id FROM opinions o JOIN problems p ON p.carrier = COALESCE(o.merged_into, o.id)
		WHERE o.id = ?`, id).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return Problem{}, fmt.Errorf("problem of %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Problem{}, err
	}
	return s.Problem(ctx, pid, scope)
}

// Members returns the opinions of problem id that scope may open (nil: all), the carrier first,
// then the others oldest first.
func (s *Store) Members(ctx context.Context, id string, scope *access.Viewer) ([]Opinion, error) {
	var carrier string
	err := s.read.QueryRowContext(ctx, `SELECT carrier FROM problems WHERE id = ?`, id).Scan(&carrier)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("problem %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	where, args := membersWhere(scope)
	args = append([]any{carrier, carrier}, args...)
	args = append(args, carrier)
	return collect(ctx, s.read, func(r *sql.Rows) (Opinion, error) { return scanOpinion(r) },
		`SELECT `+opinionColumns+opinionFrom+` WHERE `+where+` ORDER BY o.id = ? DESC, o.created_on, o.id`, args...)
}

// ProblemFilter narrows the list of problems.
type ProblemFilter struct {
	// Scope lists only problems with at least one member the person may open; nil for all.
	Scope *access.Viewer
	// Open lists only problems whose carrier is not yet 销号 or set aside (办结 statuses).
	Open bool
}

// ProblemCursor marks where a page of problems ended: its last row's count and id.
type ProblemCursor struct {
	Count int
	ID    string
}

// String encodes the cursor for a URL.
func (c ProblemCursor) String() string {
	if c.ID == "" {
		return ""
	}
	return fmt.Sprintf("%d_%s", c.Count, c.ID)
}

// ParseProblemCursor reads a cursor from a URL; an empty or malformed value means the first page.
func ParseProblemCursor(s string) ProblemCursor {
	var c ProblemCursor
	n, id, ok := strings.Cut(s, "_")
	if _, err := fmt.Sscanf(n, "%d", &c.Count); !ok || err != nil || id == "" || len(id) > 20 || c.Count < 1 {
		return ProblemCursor{}
	}
	c.ID = id
	return c
}

// ProblemPage is one page of the problems view.
type ProblemPage struct {
	Problems []Problem
	Next     ProblemCursor // zero on the last page
}

// ListProblems returns up to limit problems f selects, most people first (then by id, which is
// random and says nothing), after the cursor, each with the units and months of the members
// f.Scope may open.
func (s *Store) ListProblems(ctx context.Context, f ProblemFilter, after ProblemCursor, limit int) (ProblemPage, error) {
	if limit < 1 {
		limit = 1
	}
	conds, args := []string{"1 = 1"}, []any{}
	if f.Scope != nil {
		cond, scopeArgs := scopeSQL(*f.Scope)
		conds = append(conds, `EXISTS (SELECT 1 FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
			WHERE (o.id = p.carrier OR o.merged_into = p.carrier) AND `+cond+`)`)
		args = append(args, scopeArgs...)
	}
	if f.Open {
		conds = append(conds, "c.status NOT IN ('closed', 'rejected', 'forwarded')")
	}
	outer := "1 = 1"
	if after.ID != "" {
		outer = "(n < ? OR n = ? AND id > ?)"
		args = append(args, after.Count, after.Count, after.ID)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT * FROM (SELECT `+problemColumns+problemFrom+
		` WHERE `+strings.Join(conds, " AND ")+`) WHERE `+outer+` ORDER BY n DESC, id LIMIT ?`, args...)
	if err != nil {
		return ProblemPage{}, fmt.Errorf("list problems: %w", err)
	}
	var page ProblemPage
	for rows.Next() {
		p, err := scanProblem(rows)
		if err != nil {
			rows.Close()
			return ProblemPage{}, err
		}
		page.Problems = append(page.Problems, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ProblemPage{}, err
	}
	if len(page.Problems) > limit {
		page.Problems = page.Problems[:limit]
		last := page.Problems[limit-1]
		page.Next = ProblemCursor{Count: last.Count, ID: last.ID}
	}
	for i := range page.Problems {
		if err := s.fillProblem(ctx, &page.Problems[i], f.Scope); err != nil {
			return ProblemPage{}, err
		}
	}
	return page, nil
}

// fillProblemTitles writes a title for each problem that has none: those migration 0024 made
// from the merges before it. Masking is Go code, so SQL could not. Safe to repeat: once every
// problem has a title, it reads nothing.
func (s *Store) fillProblemTitles(ctx context.Context) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		type row struct{ id, carrier, content string }
		rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
			var v row
			err := r.Scan(&v.id, &v.carrier, &v.content)
			return v, err
		}, `SELECT p.id, p.carrier, o.content FROM problems p JOIN opinions o ON o.id = p.carrier WHERE p.title = ''`)
		if err != nil {
			return fmt.Errorf("problem titles: %w", err)
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `UPDATE problems SET title = ? WHERE id = ?`, backfillTitle(r.content, r.carrier), r.id); err != nil {
				return fmt.Errorf("problem title %s: %w", r.id, err)
			}
		}
		return nil
	})
}
