package storage

import (
	"context"
	"fmt"
	"strings"
)

// TaskRow is one line of the 整改任务书和时间表 (feature 38): a rectification as the public may
// read it. Task is the reviewer's public title from the notice board (公示), never the
// submitter's text; the person's name is there only when staff chose to publish it.
type TaskRow struct {
	OpinionID string // for staff pages only; a published snapshot does not keep it
	Task      string
	LeadUnit  string // the unit's name
	Post      string // the responsible post (责任岗位)
	Name      string // the responsible person, "" unless PublishName was ticked
	Kind      string // lifecycle.Kinds code, "" before the work started
	Deadline  string // YYYY-MM-DD
	Status    string // lifecycle status code
}

// TaskFilter chooses the rectifications of a task list: those of a campaign (the opinions
// that arrived in it), or with CampaignID 0 those that arrived from From to To (YYYY-MM-DD).
type TaskFilter struct {
	CampaignID int64
	From, To   string
}

// TaskList returns the task list as it stands: every rectification of the filter that has a
// public title on the notice board (assigned work the reviewer published; never a 举报 or a
// discipline-mailbox letter, which Publish refuses), by deadline. Work without a public title
// has no words the public may read and is counted by Untitled instead.
func (s *Store) TaskList(ctx context.Context, f TaskFilter) ([]TaskRow, error) {
	return taskRows(ctx, s.read, f)
}

func taskRows(ctx context.Context, q queryer, f TaskFilter) ([]TaskRow, error) {
	where, args := taskWhere(f)
	rows, err := q.QueryContext(ctx, `
		SELECT p.opinion_id, p.title, COALESCE(u.name, ''), r.post,
		       CASE WHEN r.publish_name = 1 THEN r.responsible ELSE '' END, r.kind, r.deadline, o.status
		FROM publications p JOIN opinions o ON o.id = p.opinion_id
		JOIN rectifications r ON r.opinion_id = p.opinion_id LEFT JOIN units u ON u.code = r.lead_unit
		WHERE `+where+` ORDER BY r.deadline, p.opinion_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("task list: %w", err)
	}
	defer rows.Close()
	var out []TaskRow
	for rows.Next() {
		var t TaskRow
		if err := rows.Scan(&t.OpinionID, &t.Task, &t.LeadUnit, &t.Post, &t.Name, &t.Kind, &t.Deadline, &t.Status); err != nil {
			return nil, err
		}
		t.Name = strings.TrimSpace(t.Name)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Untitled counts the assigned rectifications of the filter that are not on the notice board,
// so the staff preview can say how many the task list leaves out and why.
func (s *Store) Untitled(ctx context.Context, f TaskFilter) (int, error) {
	where, args := taskWhere(f)
	var n int
	err := s.read.QueryRowContext(ctx, `
		SELECT count(*) FROM rectifications r JOIN opinions o ON o.id = r.opinion_id
		WHERE r.lead_unit IS NOT NULL AND o.merged_into IS NULL AND o.type != 'report'
		  AND (o.mailbox_code = '' OR `+ordinaryMailboxSQL+`) AND `+where+`
		  AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.opinion_id = r.opinion_id)`, args...).Scan(&n)
	return n, err
}

func taskWhere(f TaskFilter) (string, []any) {
	if f.CampaignID != 0 {
		return "o.campaign_id = ?", []any{f.CampaignID}
	}
	return "o.created_on BETWEEN ? AND ?", []any{f.From, f.To}
}
