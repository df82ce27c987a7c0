package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minsheng/sifeng"
	"minsheng/vocab"
)

// Opinion is one anonymous opinion as staff see it. It holds no receipt code (only its hash is
// stored) and no trace of the device or network it came from. CreatedOn is a date, not a time,
// so that an opinion cannot be matched to who stood at a box at a given minute.
type Opinion struct {
	ID        string   // reference shown to staff: the day, then random (opinion_id.go), e.g. "9KD7Q2M9XDH"; never sequential
	Type      string   // vocab.Types code
	UnitCode  string   // units.code
	UnitName  string   // filled on read
	Dept      string   // free-text department (科室), may be empty
	Submitter string   // vocab.Submitters code
	Content   string   // what the person wrote
	Contact   string   // optional way to reach them, given by choice
	Status    string   // lifecycle status code
	Reply     string   // the office's answer, shown on /track
	RepliedOn string   // YYYY-MM-DD of the latest reply, empty when none
	CreatedOn string   // YYYY-MM-DD
	Styles    []string // sifeng codes, in sifeng order
	// Tags are its manifestation and family tags (tags table codes), in the taxonomy's order;
	// Nature is 作风问题 "conduct" or 工作问题 "work", Reach 共性 "common" or 个性
	// "individual", each "" until a reviewer decides.
	Tags          []string
	Nature, Reach string

	AboutLeadership bool   // about the unit's own leadership: never shown to that unit's liaison
	MergedInto      string // for a duplicate: the opinion that carries the work
	Level           string // lifecycle.Levels code, set at triage
	LeadUnit        string // from the rectification, for lists: "" until assigned
	LeadParent      string // the lead unit's parent, which follows up overdue work (督办)
	// Dissatisfied: a submitter (of this opinion or of one merged into it) answered 不满意, so
	// the work was sent back (补课返工); the queue shows it.
	Dissatisfied bool
	Deadline     string // YYYY-MM-DD, "" until assigned

	Channel    string // vocab.Channels code: how it reached the portal (web, qr, box, letter…)
	ReceivedOn string // YYYY-MM-DD a transcribed paper or phone item arrived; "" for the web
	Site       string // which box or place, free text; may be empty
	// MailboxCode is the mailbox (信箱) the letter was written to, "" for none: only the
	// mailbox's readers see it. SiteCode is the registered site (box, poster, kiosk) it came
	// from, "" for none.
	MailboxCode string
	SiteCode    string
	MailboxName string // filled on read; "" for none
	// CampaignID is the campaign (#14) it arrived in, 0 for none: the one running on the day
	// it arrived (for a transcribed item, the day it was received) that covers its unit.
	CampaignID int64
	// Target names whom it is about besides the unit (挂牌上岗): see NewOpinion.
	Target
	Segment string // vocab.Segments code a staff member gave, "" for none (always "" for others)
}

// Target is whom an opinion is about besides its unit (feature 5), never by name: Kind is
// vocab.TargetKinds' "leadership" or "staff" ("" for the unit as a whole), Post a post
// (院长, 收费窗口) and Badge a badge number (工号, digits and letters, ≤ 20). Who may not see it
// is access.Viewer.NamedIn's rule; a leadership target is also stored as AboutLeadership.
type Target struct {
	Kind, Post, Badge string
}

// NewOpinion is what a person submits. Handlers validate it before it reaches storage; storage
// still checks the unit and the CHECK constraints guard the codes.
type NewOpinion struct {
	Type      string
	UnitCode  string
	Dept      string
	Submitter string
	Content   string
	Contact   string
	// AboutLeadership: the person says it concerns the unit's own leadership, so the unit's
	// liaison must never see it (it goes to the bureau).
	AboutLeadership bool
	// Channel is a vocab.Channels code; "" means "web". Handlers decide it: the public form
	// only ever sets web or qr, the staff transcription form only the offline channels.
	Channel    string
	ReceivedOn string // YYYY-MM-DD, only for items staff transcribed from paper or a call
	Site       string // which box or place, ≤ 50 characters
	// MailboxCode and SiteCode must name an active mailbox and a registered site, or be "".
	MailboxCode string
	SiteCode    string
	// TranscribedBy is the staff member who typed a paper or phone item in (0 for the public
	// form). The writer records it in the audit log in the same transaction as the opinion.
	TranscribedBy int64
	// Files are kept with the opinion in its transaction: at most MaxAttachments, each cleaned
	// by scrub.Clean before (checkAttachments).
	Files []NewAttachment
	// PlanID is the draft plan (两方案一计划) the opinion comments on, 0 for none: the link is
	// written in the opinion's transaction, which refuses it (ErrPlanClosed) unless the plan is
	// open for comment that day.
	PlanID int64
	// Consultation is the report draft opened for comment (report_consultation.go) the opinion
	// comments on, 0 for none; linked and refused as PlanID is.
	Consultation int64
	// MonitorID is the citizen supervisor (access.Monitor) who submitted it, 0 for anyone else:
	// the link is kept apart, in the opinion's transaction (monitor.go), never on the row.
	MonitorID int64
	// Answers are the person's answers to the questions of the campaign the opinion arrives in
	// (#14), kept in its transaction; empty answers are not given.
	Answers []CampaignAnswer
	// AnsweredCampaign is the campaign whose questions Answers answer, 0 for none. The writer
	// records the opinion in it if it runs that day and covers the unit (the person spoke in
	// that campaign), else in campaign.For(the day it arrived, the unit).
	AnsweredCampaign int64
	// Segment is the staff member's segment (vocab.Segments), "" for none; the CHECK refuses it
	// for any other submitter. Target is whom it is about; a leadership target is about the
	// leadership (the insert sets about_leadership).
	Segment string
	Target  Target
	// Token is a single-use token to spend in the opinion's own transaction — the captcha the
	// person answered right — or nil. Spent there, the submission is one write instead of two
	// (#11); one spent before, by any process, refuses the opinion with ErrTokenSpent and
	// nothing is stored.
	Token *Token
}

// Token is a single-use token by the SHA-256 hash of its text, valid until Expires (see Spend).
type Token struct {
	Hash    []byte
	Expires time.Time
}

// CampaignAnswer is one answer to a campaign's question: the question's number (from 1) and
// its words as they were asked, so that a later edit of the campaign does not change what the
// person answered.
type CampaignAnswer struct {
	No       int
	Question string
	Answer   string
}

// opinionInserter inserts opinions inside one transaction with one prepared statement, so a
// batch of submissions costs one statement preparation, not one per submission.
type opinionInserter struct {
	stmt    *sql.Stmt
	day     string // created_on: an opinion keeps the day it arrived, never the time
	dayCode string // what the day's ids begin with (opinion_id.go)
	// savepoint wraps each INSERT in a savepoint (PostgreSQL: a failed statement there aborts
	// the whole transaction, where SQLite undoes only the statement), so that one bad
	// submission still fails alone.
	savepoint bool
	tx        *sql.Tx
	// manySQL is the statement insertMany runs ("": insertOpinionsAtOnce); only the writer's
	// benchmark gives another, the statement of before, to measure both in one run.
	manySQL string
}

// insertNeedsSavepoint reports whether a failed statement spoils the transaction around it.
func (d postgresDriver) insertNeedsSavepoint() bool { return true }
func (d sqliteDriver) insertNeedsSavepoint() bool   { return false }

// newOpinionInserter starts inserting opinions in tx. prepared, when not nil, is
// insertOpinionSQL prepared on the write pool (the writer's, reused batch after batch); else the
// statement is prepared in tx.
func newOpinionInserter(ctx context.Context, tx *sql.Tx, day, dayCode string, savepoint bool, prepared *sql.Stmt) (*opinionInserter, error) {
	var stmt *sql.Stmt
	var err error
	if prepared != nil {
		stmt = tx.StmtContext(ctx, prepared) // the same connection's statement, not prepared again
	} else {
		stmt, err = tx.PrepareContext(ctx, insertOpinionSQL)
	}
	if err != nil {
		return nil, err
	}
	return &opinionInserter{stmt: stmt, day: day, dayCode: dayCode, savepoint: savepoint, tx: tx}, nil
}

// insertOpinionSQL inserts one opinion. The unit, mailbox and site are checked by the INSERT
// itself: no row is inserted for an unknown or retired one, which RowsAffected reports.
const insertOpinionSQL = `
		INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership, created_on,
		                      channel, received_on, site, mailbox_code, site_code, search_text, campaign_id,
		                      segment, target_kind, target_post, target_badge)
		SELECT ?, ?, ?, code, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM units WHERE code = ? AND active = 1
		  AND (? = '' OR EXISTS (SELECT 1 FROM mailboxes WHERE code = ? AND active = 1))
		  AND (? = '' OR EXISTS (SELECT 1 FROM sites WHERE code = ?))`

// insert adds one opinion, with search its searchText, and returns its reference. An unknown or
// retired unit (or mailbox, or an unknown site) is ErrNotFound; a receipt hash already stored
// is ErrConflict. A failed INSERT undoes only itself (SQLite's default ABORT; a savepoint on
// PostgreSQL), so the rest of the transaction stands.
func (ins *opinionInserter) insert(ctx context.Context, n NewOpinion, receiptHash []byte, search string, campaignID int64) (string, error) {
	channel := n.Channel
	if channel == "" {
		channel = "web"
	}
	// A leadership member named is about the leadership: routed as that always was.
	aboutLeadership := n.AboutLeadership || n.Target.Kind == vocab.TargetLeadership
	// The day's code and 40 random bits (opinion_id.go): two of a day's ids collide about once
	// in two million days of a thousand opinions each; draw again if they do.
	for attempt := 0; ; attempt++ {
		id := newDayOpinionID(ins.dayCode)
		if ins.savepoint {
			if _, err := ins.tx.ExecContext(ctx, `SAVEPOINT submission`); err != nil {
				return "", fmt.Errorf("insert opinion: %w", mapError(err))
			}
		}
		res, err := ins.stmt.ExecContext(ctx, id, receiptHash, n.Type, n.Dept, n.Submitter, n.Content, n.Contact,
			aboutLeadership, ins.day, channel, n.ReceivedOn, n.Site, n.MailboxCode, n.SiteCode,
			search, campaignID, n.Segment, n.Target.Kind, n.Target.Post, n.Target.Badge, n.UnitCode, n.MailboxCode, n.MailboxCode, n.SiteCode, n.SiteCode)
		if ins.savepoint {
			end := `RELEASE SAVEPOINT submission`
			if err != nil {
				end = `ROLLBACK TO SAVEPOINT submission`
			}
			if _, serr := ins.tx.ExecContext(ctx, end); serr != nil {
				return "", fmt.Errorf("insert opinion: %w", mapError(serr))
			}
		}
		if err == nil {
			if rows, _ := res.RowsAffected(); rows == 0 {
				return "", fmt.Errorf("unit %q, mailbox %q or site %q: %w", n.UnitCode, n.MailboxCode, n.SiteCode, ErrNotFound)
			}
			return id, nil
		}
		// SQLite names the column, PostgreSQL the primary key's index.
		if attempt == 3 || !(strings.Contains(err.Error(), "opinions.id") || strings.Contains(err.Error(), "opinions_pkey")) {
			return "", fmt.Errorf("insert opinion: %w", mapError(err))
		}
	}
}

func (ins *opinionInserter) close() error { return ins.stmt.Close() }

// newOpinionID returns 10 Crockford base-32 characters (50 random bits): the opinions' ids
// before newDayOpinionID, and still the ids of problems, events, messages and the like.
func newOpinionID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = crockford[b[i]&31]
	}
	return string(b[:])
}

// opinionColumns is the column list every opinion query reads, in scanOpinion's order.
// Styles come back as one comma-separated string and are put in order in Go.
const opinionColumns = `o.id, o.type, o.unit_code, u.name, o.dept, o.submitter, o.content, o.contact,
	o.status, o.reply, o.replied_on, o.created_on,
	COALESCE((SELECT group_concat(style) FROM opinion_styles WHERE opinion_id = o.id), ''),
	o.about_leadership, COALESCE(o.merged_into, ''), COALESCE(r.level, ''), COALESCE(r.lead_unit, ''),
	COALESCE(r.deadline, ''),
	COALESCE((SELECT parent_code FROM units WHERE code = r.lead_unit), ''),
	EXISTS (SELECT 1 FROM ratings g WHERE g.opinion_id = o.id AND g.rating = 'dissatisfied')
	  OR EXISTS (SELECT 1 FROM opinions d JOIN ratings g ON g.opinion_id = d.id
	             WHERE d.merged_into = o.id AND g.rating = 'dissatisfied'),
	o.channel, o.received_on, o.site, o.mailbox_code, o.site_code,
	COALESCE((SELECT name FROM mailboxes WHERE code = o.mailbox_code), ''),
	COALESCE((SELECT group_concat(tag) FROM (SELECT t.tag FROM opinion_tags t JOIN tags g ON g.code = t.tag
	          WHERE t.opinion_id = o.id ORDER BY g.position) ordered), ''),
	o.nature, o.reach, o.campaign_id, o.segment, o.target_kind, o.target_post, o.target_badge`

const opinionFrom = ` FROM opinions o JOIN units u ON u.code = o.unit_code
	LEFT JOIN rectifications r ON r.opinion_id = o.id`

type scanner interface{ Scan(dest ...any) error }

// scanOpinion reads one row of opinionColumns, then any extra columns into extra.
func scanOpinion(row scanner, extra ...any) (Opinion, error) {
	var o Opinion
	var styles, tags string
	dest := append([]any{&o.ID, &o.Type, &o.UnitCode, &o.UnitName, &o.Dept, &o.Submitter, &o.Content,
		&o.Contact, &o.Status, &o.Reply, &o.RepliedOn, &o.CreatedOn, &styles,
		&o.AboutLeadership, &o.MergedInto, &o.Level, &o.LeadUnit, &o.Deadline, &o.LeadParent, &o.Dissatisfied,
		&o.Channel, &o.ReceivedOn, &o.Site, &o.MailboxCode, &o.SiteCode, &o.MailboxName, &tags, &o.Nature, &o.Reach, &o.CampaignID,
		&o.Segment, &o.Target.Kind, &o.Target.Post, &o.Target.Badge}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Opinion{}, err
	}
	o.Styles = orderStyles(styles)
	if tags != "" {
		o.Tags = strings.Split(tags, ",")
	}
	return o, nil
}

// orderStyles splits "hedonism,formalism" and returns it in the taxonomy's order.
func orderStyles(joined string) []string {
	if joined == "" {
		return nil
	}
	set := map[string]bool{}
	for _, s := range strings.Split(joined, ",") {
		set[s] = true
	}
	var out []string
	for _, st := range sifeng.Styles {
		if set[st.Code] {
			out = append(out, st.Code)
		}
	}
	return out
}

// Opinion returns the opinion with id, or ErrNotFound.
func (s *Store) Opinion(ctx context.Context, id string) (Opinion, error) {
	o, err := scanOpinion(s.read.QueryRowContext(ctx, `SELECT `+opinionColumns+opinionFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Opinion{}, fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	return o, err
}

// OpinionByReceipt returns the opinion whose receipt code hashes to hash, or ErrNotFound.
func (s *Store) OpinionByReceipt(ctx context.Context, hash []byte) (Opinion, error) {
	o, err := scanOpinion(s.read.QueryRowContext(ctx,
		`SELECT `+opinionColumns+opinionFrom+` WHERE o.receipt_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Opinion{}, fmt.Errorf("opinion by receipt: %w", ErrNotFound)
	}
	return o, err
}
