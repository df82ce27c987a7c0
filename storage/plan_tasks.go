package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minsheng/plan"
)

// planTasks reads a plan's tasks in order, with their units' names.
func (s *Store) planTasks(ctx context.Context, id int64) ([]plan.Task, error) {
	tasks, err := collect(ctx, s.read, func(r *sql.Rows) (plan.Task, error) {
		var t plan.Task
		err := r.Scan(&t.Seq, &t.What, &t.Goal, &t.Measures, &t.LeaderPost, &t.LeaderName, &t.PublishName,
			&t.Unit, &t.UnitName, &t.Commitment, &t.Acceptance, &t.Deadline, &t.OpinionID, &t.ProblemID)
		return t, err
	}, `SELECT t.seq, t.what, t.goal, t.measures, t.leader_post, t.leader_name, t.publish_name,
		COALESCE(t.unit_code, ''), COALESCE(u.name, ''), t.commitment, t.acceptance, t.deadline,
		COALESCE(t.opinion_id, ''), COALESCE(t.problem_id, '')
		FROM plan_tasks t LEFT JOIN units u ON u.code = t.unit_code WHERE t.plan_id = ? ORDER BY t.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("plan %d tasks: %w", id, err)
	}
	return tasks, nil
}

// SavePlanTask adds a task to plan id (t.Seq 0: at the end) or replaces task t.Seq, and
// returns its number. Only while the plan is editable by role (else ErrConflict); a task with
// Problems, an unknown unit, opinion or problem, ErrInvalid; no such task, ErrNotFound.
func (s *Store) SavePlanTask(ctx context.Context, actorID int64, role string, id int64, t plan.Task) (int, error) {
	t.Normalize()
	if len(t.Problems()) > 0 {
		return 0, fmt.Errorf("plan %d task: %w", id, ErrInvalid)
	}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := editablePlan(ctx, tx, id, role); err != nil {
			return err
		}
		cols := []any{t.What, t.Goal, t.Measures, t.LeaderPost, t.LeaderName, t.PublishName, nullString(t.Unit),
			t.Commitment, t.Acceptance, t.Deadline, nullString(t.OpinionID), nullString(t.ProblemID)}
		action := "plan_task_edit"
		if t.Seq == 0 {
			action = "plan_task_add"
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) + 1, count(*) FROM plan_tasks WHERE plan_id = ?`, id).
				Scan(&t.Seq, &n); err != nil {
				return err
			}
			if n >= plan.MaxTasks {
				return fmt.Errorf("plan %d has %d tasks: %w", id, n, ErrInvalid)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_tasks (plan_id, seq, what, goal, measures, leader_post,
				leader_name, publish_name, unit_code, commitment, acceptance, deadline, opinion_id, problem_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{id, t.Seq}, cols...)...); err != nil {
				return fmt.Errorf("add plan %d task: %w", id, taskError(err))
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE plan_tasks SET what = ?, goal = ?, measures = ?, leader_post = ?,
				leader_name = ?, publish_name = ?, unit_code = ?, commitment = ?, acceptance = ?, deadline = ?,
				opinion_id = ?, problem_id = ? WHERE plan_id = ? AND seq = ?`, append(cols, id, t.Seq)...)
			if err != nil {
				return fmt.Errorf("edit plan %d task %d: %w", id, t.Seq, taskError(err))
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("plan %d task %d: %w", id, t.Seq, ErrNotFound)
			}
		}
		if err := touchPlan(ctx, tx, now, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, action, "", fmt.Sprintf("%d #%d %s", id, t.Seq, t.What))
	})
	return t.Seq, err
}

// RemovePlanTask removes task seq of plan id (the others keep their numbers), while the plan
// is editable by role (else ErrConflict); no such task, ErrNotFound.
func (s *Store) RemovePlanTask(ctx context.Context, actorID int64, role string, id int64, seq int) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := editablePlan(ctx, tx, id, role); err != nil {
			return err
		}
		var what string
		err := tx.QueryRowContext(ctx, `DELETE FROM plan_tasks WHERE plan_id = ? AND seq = ? RETURNING what`, id, seq).Scan(&what)
		if err == sql.ErrNoRows {
			return fmt.Errorf("plan %d task %d: %w", id, seq, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := touchPlan(ctx, tx, now, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "plan_task_remove", "", fmt.Sprintf("%d #%d %s", id, seq, what))
	})
}

func touchPlan(ctx context.Context, tx *sql.Tx, now time.Time, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE plans SET updated_on = ? WHERE id = ?`, now.Format(dateLayout), id)
	return err
}

// taskError makes a broken reference (an unknown unit, opinion or problem) ErrInvalid.
func taskError(err error) error {
	if isConstraint(err) {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	return mapError(err)
}
