package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minsheng/plan"
)

// PlanStep is a step taken on a plan (package plan's actions) with what it needs: an opening
// for OpenComment, a publication for Publish, a note for Return (required) or Approve.
type PlanStep struct {
	Action      string
	Note        string
	Opening     plan.Opening
	Publication plan.Publication
}

// PlanHistoryEntry is one line of a plan's history.
type PlanHistoryEntry struct {
	At       time.Time
	Username string
	Action   string // create, or one of package plan's actions
	From, To string // states
	Note     string
}

// StepPlan takes step st on plan id by a staff member of role, in one transaction with its
// history line and its audit row. A step the role may not take from the plan's state
// (plan.Next) is ErrConflict; what the step needs missing or wrong, ErrInvalid; no plan,
// ErrNotFound.
func (s *Store) StepPlan(ctx context.Context, actorID int64, role string, id int64, st PlanStep) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		from, err := planStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		to, ok := plan.Next(from, st.Action, role)
		if !ok {
			return fmt.Errorf("plan %d is %s: role %s may not %s: %w", id, from, role, st.Action, ErrConflict)
		}
		day := now.Format(dateLayout)
		if len(plan.NoteProblems(st.Action, st.Note)) > 0 {
			return fmt.Errorf("plan %d %s note: %w", id, st.Action, ErrInvalid)
		}
		note := st.Note
		set, args := `status = ?, updated_on = ?`, []any{to, day}
		switch st.Action {
		case plan.OpenComment:
			o := st.Opening
			if len(o.Problems(day)) > 0 {
				return fmt.Errorf("plan %d opening: %w", id, ErrInvalid)
			}
			set += `, comment_scope = ?, comment_from = ?, comment_to = ?`
			args = append(args, o.Scope, o.From, o.To)
			note = o.From + " – " + o.To
		case plan.CloseComment:
			// The period ends today at the latest: no comment arrives after the office closed it.
			set += `, comment_to = min(comment_to, ?), comment_from = min(comment_from, ?)`
			args = append(args, day, day)
		case plan.Return:
			set += `, review_note = ?`
			args = append(args, st.Note)
		case plan.Approve:
			set += `, approved_on = ?`
			args = append(args, day)
		case plan.Publish:
			pub := st.Publication
			if len(pub.Problems()) > 0 {
				return fmt.Errorf("plan %d publication: %w", id, ErrInvalid)
			}
			set += `, scope = ?, changes_note = ?, published_on = ?`
			args = append(args, pub.Scope, pub.Changes, day)
		case plan.Finish:
			set += `, done_on = ?`
			args = append(args, day)
		}
		if from == plan.Comment && st.Action == plan.Submit {
			// Submitting ends the comment period too.
			set += `, comment_to = min(comment_to, ?), comment_from = min(comment_from, ?)`
			args = append(args, day, day)
		}
		res, err := tx.ExecContext(ctx, `UPDATE plans SET `+set+` WHERE id = ? AND status = ?`, append(args, id, from)...)
		if err != nil {
			return fmt.Errorf("plan %d %s: %w", id, st.Action, mapError(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("plan %d changed meanwhile: %w", id, ErrConflict)
		}
		if err := planStep(ctx, tx, now, id, actorID, st.Action, from, to, note); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, planAuditAction(st.Action), "", fmt.Sprintf("%d %s→%s", id, from, to))
	})
}

// planAuditAction is the audit log's action for a step (each written out, so that the audit
// page's labels are checked against them).
func planAuditAction(step string) string {
	action := "plan_step"
	switch step {
	case plan.OpenComment:
		action = "plan_open_comment"
	case plan.CloseComment:
		action = "plan_close_comment"
	case plan.Submit:
		action = "plan_submit"
	case plan.Approve:
		action = "plan_approve"
	case plan.Return:
		action = "plan_return"
	case plan.Publish:
		action = "plan_publish"
	case plan.Finish:
		action = "plan_finish"
	}
	return action
}

// planStep writes one line of a plan's history in tx.
func planStep(ctx context.Context, tx *sql.Tx, now time.Time, id, actorID int64, action, from, to, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_steps (plan_id, seq, at, user_id, action, from_status, to_status, note)
		VALUES (?, (SELECT COALESCE(max(seq), 0) + 1 FROM plan_steps WHERE plan_id = ?), ?, ?, ?, ?, ?, ?)`,
		id, id, now.UTC().Format(timeLayout), nullID(actorID), action, from, to, note)
	if err != nil {
		return fmt.Errorf("plan %d history: %w", id, err)
	}
	return nil
}

// PlanHistory returns a plan's history, oldest first.
func (s *Store) PlanHistory(ctx context.Context, id int64) ([]PlanHistoryEntry, error) {
	return collect(ctx, s.read, func(r *sql.Rows) (PlanHistoryEntry, error) {
		var e PlanHistoryEntry
		var at string
		if err := r.Scan(&at, &e.Username, &e.Action, &e.From, &e.To, &e.Note); err != nil {
			return e, err
		}
		t, err := time.Parse(timeLayout, at)
		e.At = t.In(s.now().Location())
		return e, err
	}, `SELECT h.at, COALESCE(u.username, ''), h.action, h.from_status, h.to_status, h.note
		FROM plan_steps h LEFT JOIN users u ON u.id = h.user_id WHERE h.plan_id = ? ORDER BY h.seq`, id)
}
