package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/campaign"
)

// Kinds of published item (notices.kind).
const (
	NoticeNotice   = "notice"   // 通知、公告
	NoticeBrief    = "brief"    // 简报
	NoticeTaskList = "tasklist" // 整改任务书和时间表, a frozen snapshot
	NoticeResult   = "result"   // 整改结果
)

// NoticeKinds lists the kinds in the order forms offer them.
var NoticeKinds = []string{NoticeNotice, NoticeBrief, NoticeTaskList, NoticeResult}

// Limits of a notice's words, in characters (the schema checks them too).
const (
	MaxNoticeTitle = 100
	MaxNoticeBody  = 20000
)

// Bulletin is one published item of the 专栏 (feature 49), with the scope it was published to.
type Bulletin struct {
	ID          int64
	CampaignID  int64 // 0: none
	Kind        string
	Title       string
	Body        string
	Scope       string // campaign.Scopes form
	From, To    string // a task list of a period: the days of arrival it covers
	PublishedOn string
	By          string    // who published it
	WithdrawnOn string    // "" while it stands
	Tasks       []TaskRow // a task list's snapshot (Bulletin only, not lists)
}

// NewBulletin is what staff publish.
type NewBulletin struct {
	CampaignID int64
	Kind       string
	Title      string
	Body       string
	Scope      string
	From, To   string // a task list without a campaign: the period of arrival
}

// Problems says what is wrong with n, by field, as codes handlers word: "title", "body",
// "kind", "scope", "period" (a task list needs a campaign or a period, From ≤ To).
func (n NewBulletin) Problems() map[string]string {
	p := map[string]string{}
	title, body := strings.TrimSpace(n.Title), strings.TrimSpace(n.Body)
	switch {
	case title == "":
		p["title"] = "need"
	case utf8.RuneCountInString(title) > MaxNoticeTitle || !utf8.ValidString(title):
		p["title"] = "long"
	}
	switch {
	case body == "" && n.Kind != NoticeTaskList:
		p["body"] = "need"
	case utf8.RuneCountInString(body) > MaxNoticeBody || !utf8.ValidString(body):
		p["body"] = "long"
	}
	known := false
	for _, k := range NoticeKinds {
		known = known || k == n.Kind
	}
	if !known {
		p["kind"] = "need"
	}
	if !campaign.ValidScope(n.Scope) {
		p["scope"] = "need"
	}
	if n.Kind == NoticeTaskList && n.CampaignID == 0 {
		_, e1 := time.Parse(dateLayout, n.From)
		_, e2 := time.Parse(dateLayout, n.To)
		if e1 != nil || e2 != nil || n.From > n.To {
			p["period"] = "need"
		}
	}
	return p
}

// PublishBulletin publishes n and returns its id; a task list is generated from the
// rectifications (TaskList) and frozen with it in the same transaction. Audited
// notice_publish. n with Problems is ErrInvalid; an unknown campaign or unit ErrInvalid too.
func (s *Store) PublishBulletin(ctx context.Context, userID int64, n NewBulletin) (int64, error) {
	if p := n.Problems(); len(p) > 0 {
		return 0, fmt.Errorf("notice %q: %v: %w", n.Title, p, ErrInvalid)
	}
	if n.CampaignID != 0 {
		if _, err := s.Campaign(ctx, n.CampaignID); errors.Is(err, ErrNotFound) {
			return 0, fmt.Errorf("notice of campaign %d: %w", n.CampaignID, ErrInvalid)
		} else if err != nil {
			return 0, err
		}
	}
	if n.Kind != NoticeTaskList || n.CampaignID != 0 {
		n.From, n.To = "", ""
	}
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if unit := campaign.ScopeUnitCode(n.Scope); unit != "" {
			var ok bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE code = ?)`, unit).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("notice scope %q: %w", n.Scope, ErrInvalid)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO notices (campaign_id, kind, title, body, scope, period_from, period_to,
			published_on, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.CampaignID, n.Kind, strings.TrimSpace(n.Title),
			strings.TrimSpace(n.Body), n.Scope, n.From, n.To, now.Format(dateLayout), userID).Scan(&id)
		if err != nil {
			return fmt.Errorf("notice: %w", mapError(err))
		}
		if n.Kind == NoticeTaskList {
			// Read inside the transaction: the snapshot is the list as this commit sees it.
			rows, err := taskRows(ctx, tx, TaskFilter{CampaignID: n.CampaignID, From: n.From, To: n.To})
			if err != nil {
				return err
			}
			for i, t := range rows {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notice_tasks (notice_id, seq, task, lead_unit, post, name, kind,
					deadline, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i+1, t.Task, t.LeadUnit, t.Post, t.Name, t.Kind,
					t.Deadline, t.Status); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, now, userID, "notice_publish", "", bulletinDetail(id, n.Scope, n.Title))
	})
	return id, err
}

func bulletinDetail(id int64, scope, title string) string {
	return "#" + strconv.FormatInt(id, 10) + " " + scope + " " + title
}

// WithdrawBulletin takes a published item down (撤回): it leaves the 专栏 and /gongshi but is
// kept, marked withdrawn. Audited notice_withdraw. Unknown: ErrNotFound; withdrawn already:
// ErrConflict.
func (s *Store) WithdrawBulletin(ctx context.Context, userID, id int64) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var withdrawn, scope, title string
		err := tx.QueryRowContext(ctx, `SELECT withdrawn_on, scope, title FROM notices WHERE id = ?`, id).Scan(&withdrawn, &scope, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("notice %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if withdrawn != "" {
			return fmt.Errorf("notice %d withdrawn on %s: %w", id, withdrawn, ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET withdrawn_on = ? WHERE id = ?`, now.Format(dateLayout), id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "notice_withdraw", "", bulletinDetail(id, scope, title))
	})
}

// BulletinFilter chooses published items. Reader: only what campaign.CanRead lets them read.
type BulletinFilter struct {
	Reader     campaign.Reader
	CampaignID int64 // 0: every campaign
	Kind       string
	// Withdrawn includes the withdrawn items (the management page); readers never see them.
	Withdrawn bool
}

const bulletinColumns = `n.id, n.campaign_id, n.kind, n.title, n.body, n.scope, n.period_from, n.period_to,
	n.published_on, COALESCE(u.username, ''), n.withdrawn_on FROM notices n LEFT JOIN users u ON u.id = n.published_by`

func scanBulletin(row scanner) (Bulletin, error) {
	var n Bulletin
	err := row.Scan(&n.ID, &n.CampaignID, &n.Kind, &n.Title, &n.Body, &n.Scope, &n.From, &n.To, &n.PublishedOn, &n.By, &n.WithdrawnOn)
	return n, err
}

// Bulletins returns the items f chooses that f.Reader may read, newest first. They are few (a
// campaign publishes tens), so the scope is decided here by campaign.CanRead, the one rule.
func (s *Store) Bulletins(ctx context.Context, f BulletinFilter) ([]Bulletin, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.CampaignID != 0 {
		where, args = append(where, "n.campaign_id = ?"), append(args, f.CampaignID)
	}
	if f.Kind != "" {
		where, args = append(where, "n.kind = ?"), append(args, f.Kind)
	}
	if !f.Withdrawn {
		where = append(where, "n.withdrawn_on = ''")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+bulletinColumns+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY n.published_on DESC, n.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	defer rows.Close()
	var out []Bulletin
	for rows.Next() {
		n, err := scanBulletin(rows)
		if err != nil {
			return nil, err
		}
		if campaign.CanRead(n.Scope, f.Reader) {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// Bulletin returns one item that r may read, with a task list's snapshot. One that does not
// exist, is withdrawn, or that r may not read is ErrNotFound alike: its existence is not told.
func (s *Store) Bulletin(ctx context.Context, id int64, r campaign.Reader) (Bulletin, error) {
	n, err := scanBulletin(s.read.QueryRowContext(ctx, `SELECT `+bulletinColumns+` WHERE n.id = ? AND n.withdrawn_on = ''`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !campaign.CanRead(n.Scope, r) {
		return Bulletin{}, fmt.Errorf("notice %d: %w", id, ErrNotFound)
	}
	if err != nil || n.Kind != NoticeTaskList {
		return n, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT task, lead_unit, post, name, kind, deadline, status
		FROM notice_tasks WHERE notice_id = ? ORDER BY seq`, id)
	if err != nil {
		return Bulletin{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var t TaskRow
		if err := rows.Scan(&t.Task, &t.LeadUnit, &t.Post, &t.Name, &t.Kind, &t.Deadline, &t.Status); err != nil {
			return Bulletin{}, err
		}
		n.Tasks = append(n.Tasks, t)
	}
	return n, rows.Err()
}
