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
