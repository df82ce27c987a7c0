package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"minsheng/receipt"
)

// Limits of a democratic evaluation (民主评议表), in characters or counts; the migration holds
// the same.
const (
	MaxEvaluationTitle   = 60
	MaxEvaluationMeeting = 60
	MaxEvaluationCodes   = 500 // codes printed in one go
	MaxEvaluationText    = 2000
	MaxEvaluationOther   = 200 // "other problems" written under one style
	// EvaluationMinAnswers is the fewest answers shares are shown on; fewer show counts only.
	EvaluationMinAnswers = 5
)

var (
	// ErrEvaluationClosed means the evaluation does not take answers today: before it opens,
	// after it closes, or closed early.
	ErrEvaluationClosed = errors.New("evaluation not open")
	// ErrCodeUsed means a one-time code has already let an answer in.
	ErrCodeUsed = fmt.Errorf("one-time code already used: %w", ErrConflict)
)

// Evaluation is one democratic evaluation: a meeting's attendees rate a unit's leadership group.
type Evaluation struct {
	ID                int64
	Title             string
	Meeting           string // e.g. "县卫生健康局党委班子 动员大会"; may be empty
	UnitCode          string // the unit whose leadership group is evaluated
	UnitName          string
	OpensOn, ClosesOn string // YYYY-MM-DD, both included
	CreatedOn         string
	Closed            bool // closed early by the administrator
	Issued, Used      int  // one-time codes printed and used
	// CampaignID is the campaign it belongs to (0: none): outside the campaign's collection
	// window it takes no answers, whatever its own dates.
	CampaignID int64
	// Branch is the root unit of the branch it belongs to (#15, 0057), "" the whole portal's:
	// made by an administrator limited to a branch, about a unit of it.
	Branch string
}

// Open reports whether the evaluation takes answers on day (YYYY-MM-DD).
func (ev Evaluation) Open(day string) bool {
	return !ev.Closed && ev.OpensOn <= day && day <= ev.ClosesOn
}

// Ended reports whether the evaluation will take no more answers after day.
func (ev Evaluation) Ended(day string) bool { return ev.Closed || day > ev.ClosesOn }

// NewEvaluation is what an administrator fills in.
type NewEvaluation struct {
	Title, Meeting, UnitCode, OpensOn, ClosesOn string
	CampaignID                                  int64  // 0: none; else a campaign that exists
	Branch                                      string // "" the whole portal; else the unit is in it
}

// CreateEvaluation stores an evaluation and returns its id. The unit must be active and not a
// department; anything else wrong is ErrInvalid.
func (s *Store) CreateEvaluation(ctx context.Context, userID int64, n NewEvaluation) (int64, error) {
	if err := s.knownCampaign(ctx, n.CampaignID); err != nil {
		return 0, err
	}
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := unitsInBranch(ctx, tx, n.Branch, []string{n.UnitCode}); err != nil {
			return fmt.Errorf("evaluation %q: %w", n.Title, err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO evaluations (title, meeting, unit_code, opens_on, closes_on, created_by, created_on,
			campaign_id, branch)
			SELECT ?, ?, code, ?, ?, ?, ?, ?, ? FROM units WHERE code = ? AND active = 1 AND kind != 'dept' RETURNING id`,
			n.Title, n.Meeting, n.OpensOn, n.ClosesOn, nullID(userID), now.Format(dateLayout), n.CampaignID, n.Branch, n.UnitCode).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("evaluation unit %q: %w", n.UnitCode, ErrInvalid)
		}
		if err != nil {
			return fmt.Errorf("insert evaluation %q: %w", n.Title, invalidIfConstraint(err))
		}
		return auditUnit(ctx, tx, now, userID, "evaluation_add", n.UnitCode, fmt.Sprintf("%d %s", id, n.Title))
	})
	return id, err
}

const evaluationColumns = `e.id, e.title, e.meeting, e.unit_code, u.name, e.opens_on, e.closes_on, e.created_on, e.closed,
	(SELECT count(*) FROM evaluation_codes c WHERE c.evaluation_id = e.id),
	(SELECT count(*) FROM evaluation_codes c WHERE c.evaluation_id = e.id AND c.used = 1), e.campaign_id, e.branch`

const evaluationFrom = ` FROM evaluations e JOIN units u ON u.code = e.unit_code`

func scanEvaluation(row interface{ Scan(...any) error }) (Evaluation, error) {
	var ev Evaluation
	err := row.Scan(&ev.ID, &ev.Title, &ev.Meeting, &ev.UnitCode, &ev.UnitName, &ev.OpensOn, &ev.ClosesOn,
		&ev.CreatedOn, &ev.Closed, &ev.Issued, &ev.Used, &ev.CampaignID, &ev.Branch)
	return ev, err
}

// Evaluations returns every evaluation with its code counts, newest first.
func (s *Store) Evaluations(ctx context.Context) ([]Evaluation, error) {
	evs, err := collect(ctx, s.read, func(r *sql.Rows) (Evaluation, error) { return scanEvaluation(r) },
		`SELECT `+evaluationColumns+evaluationFrom+` ORDER BY e.opens_on DESC, e.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list evaluations: %w", err)
	}
	return evs, nil
}

// Evaluation returns one evaluation with its code counts, or ErrNotFound.
func (s *Store) Evaluation(ctx context.Context, id int64) (Evaluation, error) {
	ev, err := scanEvaluation(s.read.QueryRowContext(ctx, `SELECT `+evaluationColumns+evaluationFrom+` WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Evaluation{}, fmt.Errorf("evaluation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Evaluation{}, fmt.Errorf("read evaluation %d: %w", id, err)
	}
	return ev, nil
}

// IssueCodes makes n fresh one-time codes (1 to MaxEvaluationCodes) for evaluation id, stores
// their hashes and returns the codes in display form. This is the only time they exist in
// plain text: the caller prints them at once. An evaluation that has ended takes no more codes
// (ErrEvaluationClosed).
func (s *Store) IssueCodes(ctx context.Context, userID, id int64, n int, h *receipt.Hasher) ([]string, error) {
	if n < 1 || n > MaxEvaluationCodes {
		return nil, fmt.Errorf("issue %d codes: %w", n, ErrInvalid)
	}
	codes := make([]string, n)
	hashes := make([][]byte, n)
	for i := range codes {
		codes[i] = receipt.New()
		normalised, err := receipt.Parse(codes[i])
		if err != nil {
			return nil, err
		}
		hashes[i] = h.Hash(normalised)
	}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		ev, err := evaluationPeriod(ctx, tx, id)
		if err != nil {
			return err
		}
		if ev.Ended(now.Format(dateLayout)) {
			return fmt.Errorf("codes for evaluation %d: %w", id, ErrEvaluationClosed)
		}
		for _, hash := range hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_codes (code_hash, evaluation_id) VALUES (?, ?)`,
				hash, id); err != nil {
				return fmt.Errorf("insert evaluation code: %w", mapError(err))
			}
		}
		return auditUnit(ctx, tx, now, userID, "evaluation_codes", evaluationUnit(ctx, tx, id), fmt.Sprintf("%d +%d", id, n))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// CloseEvaluation ends evaluation id at once, before its last day. Closing twice is harmless.
func (s *Store) CloseEvaluation(ctx context.Context, userID, id int64) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE evaluations SET closed = 1 WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("close evaluation %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return fmt.Errorf("evaluation %d: %w", id, ErrNotFound)
		}
		return auditUnit(ctx, tx, now, userID, "evaluation_close", evaluationUnit(ctx, tx, id), strconv.FormatInt(id, 10))
	})
}

// evaluationUnit is the unit evaluation id is about, for its audit entries ("" if unknown:
// the entry is then attributed to no branch).
func evaluationUnit(ctx context.Context, tx *sql.Tx, id int64) string {
	var unit string
	_ = tx.QueryRowContext(ctx, `SELECT unit_code FROM evaluations WHERE id = ?`, id).Scan(&unit)
	return unit
}

// evaluationPeriod reads what decides whether evaluation id is open, inside tx.
func evaluationPeriod(ctx context.Context, tx *sql.Tx, id int64) (Evaluation, error) {
	ev := Evaluation{ID: id}
	err := tx.QueryRowContext(ctx, `SELECT opens_on, closes_on, closed, campaign_id FROM evaluations WHERE id = ?`, id).
		Scan(&ev.OpensOn, &ev.ClosesOn, &ev.Closed, &ev.CampaignID)
	if errors.Is(err, sql.ErrNoRows) {
		return ev, fmt.Errorf("evaluation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ev, fmt.Errorf("read evaluation %d: %w", id, err)
	}
	return ev, nil
}

// EvaluationByCode finds the evaluation a one-time code (its hash) belongs to. An unknown code
// is ErrNotFound; a used one ErrCodeUsed; an evaluation not open today ErrEvaluationClosed. The
// evaluation is returned with the last two, so the page can say which it was.
func (s *Store) EvaluationByCode(ctx context.Context, codeHash []byte) (Evaluation, error) {
	var id int64
	var used bool
	err := s.read.QueryRowContext(ctx, `SELECT evaluation_id, used FROM evaluation_codes WHERE code_hash = ?`, codeHash).
		Scan(&id, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return Evaluation{}, fmt.Errorf("evaluation code: %w", ErrNotFound)
	}
	if err != nil {
		return Evaluation{}, fmt.Errorf("read evaluation code: %w", err)
	}
	ev, err := s.Evaluation(ctx, id)
	switch {
	case err != nil:
		return Evaluation{}, err
	case used:
		return ev, fmt.Errorf("evaluation %d: %w", id, ErrCodeUsed)
	case !ev.Open(s.Today()):
		return ev, fmt.Errorf("evaluation %d on %s: %w", id, s.Today(), ErrEvaluationClosed)
	}
	if closed, err := s.CampaignWindowClosed(ctx, ev.CampaignID, s.Today()); err != nil {
		return ev, err
	} else if closed {
		return ev, fmt.Errorf("evaluation %d: campaign %d window closed: %w", id, ev.CampaignID, ErrEvaluationClosed)
	}
	return ev, nil
}
