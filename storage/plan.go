package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"minsheng/campaign"
	"minsheng/plan"
)

// PlanSummary is what lists show of a plan (两方案一计划, #14).
type PlanSummary struct {
	ID          int64
	CampaignID  int64
	Kind        string // "rectification" 整改方案 | "special" 专项整治方案 | "system" 制度建设计划
	Title       string
	Status      string // draft, comment, review, returned, approved, published, done
	Scope       string // campaign scope of the published plan
	PublishedOn string
}

// Plan is one plan with its text, its tasks and where it stands.
type Plan struct {
	PlanSummary
	Body         string
	CommentScope string // who may read and comment on the draft while it is open for comment
	CommentFrom  string // the comment period, YYYY-MM-DD; "" if never opened
	CommentTo    string
	ReviewNote   string // the 督导组's words when it last returned the plan
	ChangesNote  string // what changed after the comments, said on publication
	CreatedOn    string
	UpdatedOn    string
	ApprovedOn   string
	DoneOn       string
	Tasks        []plan.Task
	Comments     int // how many comments (opinions) the draft received
}

const planColumns = `p.id, p.campaign_id, p.kind, p.title, p.status, p.scope, p.published_on`

func scanPlanSummary(r *sql.Rows) (PlanSummary, error) {
	var p PlanSummary
	err := r.Scan(&p.ID, &p.CampaignID, &p.Kind, &p.Title, &p.Status, &p.Scope, &p.PublishedOn)
	return p, err
}

// PublishedPlans returns the plans of campaign (0: every campaign) published (已公示 or 已完成)
// that r may read, newest first.
func (s *Store) PublishedPlans(ctx context.Context, campaignID int64, r campaign.Reader) ([]PlanSummary, error) {
	all, err := collect(ctx, s.read, scanPlanSummary, `SELECT `+planColumns+` FROM plans p
		WHERE p.status IN ('published', 'done') AND (? = 0 OR p.campaign_id = ?)
		ORDER BY p.published_on DESC, p.id DESC`, campaignID, campaignID)
	if err != nil {
		return nil, fmt.Errorf("published plans: %w", err)
	}
	out := all[:0]
	for _, p := range all {
		if campaign.CanRead(p.Scope, r) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Plans returns the plans of campaign (0: every campaign) in status ("": any), the newest first.
// The caller decides which of them a viewer may open (plan.Visible).
func (s *Store) Plans(ctx context.Context, campaignID int64, status string) ([]PlanListed, error) {
	return collect(ctx, s.read, func(r *sql.Rows) (PlanListed, error) {
		var p PlanListed
		err := r.Scan(&p.ID, &p.CampaignID, &p.Kind, &p.Title, &p.Status, &p.Scope, &p.PublishedOn,
			&p.CommentScope, &p.CommentFrom, &p.CommentTo, &p.UpdatedOn, &p.Comments)
		return p, err
	}, `SELECT `+planColumns+`, p.comment_scope, p.comment_from, p.comment_to, p.updated_on,
		(SELECT count(*) FROM plan_comments c WHERE c.plan_id = p.id)
		FROM plans p WHERE (? = 0 OR p.campaign_id = ?) AND (? = '' OR p.status = ?)
		ORDER BY p.id DESC`, campaignID, campaignID, status, status)
}

// PlanListed is a line of the staff's list of plans.
type PlanListed struct {
	PlanSummary
	CommentScope, CommentFrom, CommentTo, UpdatedOn string
	Comments                                        int
}

// Plan returns one plan with its tasks and the count of comments; ErrNotFound if none.
func (s *Store) Plan(ctx context.Context, id int64) (Plan, error) {
	var p Plan
	err := s.read.QueryRowContext(ctx, `SELECT `+planColumns+`, p.body, p.comment_scope, p.comment_from,
		p.comment_to, p.review_note, p.changes_note, p.created_on, p.updated_on, p.approved_on, p.done_on,
		(SELECT count(*) FROM plan_comments c WHERE c.plan_id = p.id)
		FROM plans p WHERE p.id = ?`, id).Scan(&p.ID, &p.CampaignID, &p.Kind, &p.Title, &p.Status, &p.Scope,
		&p.PublishedOn, &p.Body, &p.CommentScope, &p.CommentFrom, &p.CommentTo, &p.ReviewNote, &p.ChangesNote,
		&p.CreatedOn, &p.UpdatedOn, &p.ApprovedOn, &p.DoneOn, &p.Comments)
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, fmt.Errorf("plan %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("plan %d: %w", id, err)
	}
	if p.Tasks, err = s.planTasks(ctx, id); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// CreatePlan writes a new draft (草稿) by the 活动办 and returns its id. A role other than
// admin or reviewer is ErrConflict; a text with Problems, or an unknown campaign, ErrInvalid.
func (s *Store) CreatePlan(ctx context.Context, actorID int64, role string, t plan.Text) (int64, error) {
	t.Normalize()
	if len(t.Problems()) > 0 {
		return 0, fmt.Errorf("plan %q: %w", t.Title, ErrInvalid)
	}
	if !plan.Editable(plan.Draft, role) {
		return 0, fmt.Errorf("plan: role %s may not draft: %w", role, ErrConflict)
	}
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := campaignExists(ctx, tx, t.CampaignID); err != nil {
			return err
		}
		day := now.Format(dateLayout)
		err := tx.QueryRowContext(ctx, `INSERT INTO plans (campaign_id, kind, title, body, created_on, updated_on)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.CampaignID, t.Kind, t.Title, t.Body, day, day).Scan(&id)
		if err != nil {
			return fmt.Errorf("create plan: %w", mapError(err))
		}
		if err := planStep(ctx, tx, now, id, actorID, "create", "", plan.Draft, ""); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "plan_create", "", fmt.Sprintf("%d %s", id, t.Title))
	})
	return id, err
}

// EditPlan replaces a plan's kind, title and text (its campaign stays). Only the 活动办 may,
// and only while the plan is a draft or returned (plan.Editable); else ErrConflict.
func (s *Store) EditPlan(ctx context.Context, actorID int64, role string, id int64, t plan.Text) error {
	t.Normalize()
	if len(t.Problems()) > 0 {
		return fmt.Errorf("plan %d: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := editablePlan(ctx, tx, id, role); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET kind = ?, title = ?, body = ?, updated_on = ? WHERE id = ?`,
			t.Kind, t.Title, t.Body, now.Format(dateLayout), id); err != nil {
			return fmt.Errorf("edit plan %d: %w", id, mapError(err))
		}
		return audit(ctx, tx, now, actorID, "plan_edit", "", fmt.Sprintf("%d %s", id, t.Title))
	})
}

// editablePlan reads a plan's status in tx and checks that role may edit it now: ErrNotFound
// for no plan, ErrConflict when it may not.
func editablePlan(ctx context.Context, tx *sql.Tx, id int64, role string) (string, error) {
	status, err := planStatus(ctx, tx, id)
	if err != nil {
		return "", err
	}
	if !plan.Editable(status, role) {
		return "", fmt.Errorf("plan %d is %s: role %s may not edit it: %w", id, status, role, ErrConflict)
	}
	return status, nil
}

func planStatus(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM plans WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("plan %d: %w", id, ErrNotFound)
	}
	return status, err
}

func campaignExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM campaigns WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("campaign %d: %w", id, ErrInvalid)
	}
	return nil
}
