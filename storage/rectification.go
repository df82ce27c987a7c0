package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minsheng/lifecycle"
)

// ErrInvalid means a change lacks what its step needs (a deadline for 交办, a reason for
// 不予受理); handlers check first and show which field, storage refuses anyway.
var ErrInvalid = errors.New("invalid")

// Rectification is the 整改 of an opinion: who leads it, by when, how, and how it went.
type Rectification struct {
	Level          string // lifecycle.Levels
	LeadUnit       string // units.code
	LeadUnitName   string
	Responsible    string
	Post           string // the responsible post the public task list names (责任岗位)
	PublishName    bool   // the task list may name Responsible too
	Measures       string
	Ledger         string // lifecycle.Ledgers
	Deadline       string // YYYY-MM-DD
	Kind           string // lifecycle.Kinds
	Explanation    string // for the public
	Report         string // the unit's account
	Note           string // the latest reason given
	Checked        string // lifecycle.Checks: the result of the latest 核验 or 回头看, "" before any
	VisitRound     int    // the 满意度回访 round it is in or last went through, 0 before the first
	ClosedOn       string
	Published      bool
	Accountability bool
	Unfounded      bool
	Substantiated  bool
}

// MaxPost is the longest responsible post, in characters (the schema checks it too).
const MaxPost = 50

// Rectification returns the rectification details of an opinion; the zero value when it has
// none yet.
func (s *Store) Rectification(ctx context.Context, id string) (Rectification, error) {
	var r Rectification
	err := s.read.QueryRowContext(ctx, `
		SELECT r.level, COALESCE(r.lead_unit, ''), COALESCE(u.name, ''), r.responsible, r.post, r.publish_name, r.measures, r.ledger,
		       r.deadline, r.kind, r.explanation, r.report, r.note, r.checked, r.visit_round, r.closed_on,
		       r.published, r.accountability, r.unfounded, r.substantiated
		FROM rectifications r LEFT JOIN units u ON u.code = r.lead_unit WHERE r.opinion_id = ?`, id).
		Scan(&r.Level, &r.LeadUnit, &r.LeadUnitName, &r.Responsible, &r.Post, &r.PublishName, &r.Measures, &r.Ledger, &r.Deadline, &r.Kind,
			&r.Explanation, &r.Report, &r.Note, &r.Checked, &r.VisitRound, &r.ClosedOn,
			&r.Published, &r.Accountability, &r.Unfounded, &r.Substantiated)
	if errors.Is(err, sql.ErrNoRows) {
		return Rectification{}, nil
	}
	return r, err
}

// ensureRectification makes sure the opinion has a rectification row to update.
func ensureRectification(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rectifications (opinion_id) VALUES (?) ON CONFLICT DO NOTHING`, id)
	return err
}

// Classify records the level of the problem and whether it is about the unit's own
// leadership; an opinion still waiting to be sorted becomes 已分类.
func (s *Store) Classify(ctx context.Context, userID int64, id, level string, aboutLeadership bool) error {
	if level != "" && !lifecycle.ValidTerm(lifecycle.Levels, level) {
		return fmt.Errorf("level %q: %w", level, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		from, err := opinionStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := ensureRectification(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET level = ? WHERE opinion_id = ?`, level, id); err != nil {
			return err
		}
		to := from
		if from == lifecycle.Received {
			to = lifecycle.Triaged
		}
		if _, err := tx.ExecContext(ctx, `UPDATE opinions SET about_leadership = ?, status = ? WHERE id = ?`,
			aboutLeadership, to, id); err != nil {
			return err
		}
		detail := "level=" + level
		if aboutLeadership {
			detail += " " + AboutLeadership
		}
		return audit(ctx, tx, now, userID, "classify", id, detail)
	})
}

// Transition moves an opinion one step along the lifecycle with what that step needs, and
// audits it. A move the lifecycle does not allow is ErrConflict; a step missing what it needs
// is ErrInvalid, and so is 销号 while a new 满意度回访 round after a 不满意 has no answer yet
// (step.Visit is read here, whatever the caller put in it).
func (s *Store) Transition(ctx context.Context, userID int64, id string, step lifecycle.Step) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		from, err := opinionStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if !lifecycle.CanMove(from, step.To) {
			return fmt.Errorf("status %s → %s: %w", from, step.To, ErrConflict)
		}
		today := now.Format(dateLayout)
		if step.Visit, err = visitOf(ctx, tx, id); err != nil {
			return err
		}
		if p := step.Problems(from, today); len(p) > 0 {
			return fmt.Errorf("status %s → %s: %v: %w", from, step.To, p, ErrInvalid)
		}
		if step.To == lifecycle.Duplicate {
			// 重复 is joining the problem of the opinion typed (problem.go): one way to group.
			return joinTarget(ctx, tx, now, userID, id, step.MergeInto)
		}
		problem := ""
		if from == lifecycle.Duplicate { // back to 已分类: it leaves its problem (移出问题)
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT p.id FROM problems p JOIN opinions o
				ON o.merged_into = p.carrier WHERE o.id = ?), '')`, id).Scan(&problem); err != nil {
				return err
			}
		}
		if err := applyStep(ctx, tx, id, from, step, today); err != nil {
			return err
		}
		// A step may write a reply or rectification text: the staff document follows. (A
		// submitter's 不满意 writes a note too, but a public request never writes to the index:
		// the next staff step on the opinion brings its document up to date.)
		if err := writeStaffDoc(ctx, tx, id); err != nil {
			return err
		}
		if err := s.queueStepEvent(ctx, tx, now, id, step); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, userID, "status", id, from+"→"+step.To); err != nil || problem == "" {
			return err
		}
		return audit(ctx, tx, now, userID, "problem_leave", id, problem)
	})
}

// applyStep writes the status and what the step carries.
func applyStep(ctx context.Context, tx *sql.Tx, id, from string, step lifecycle.Step, today string) error {
	trim := strings.TrimSpace
	exec := func(query string, args ...any) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return mapError(err)
	}
	if err := ensureRectification(ctx, tx, id); err != nil {
		return err
	}
	if check := lifecycle.CheckOf(from, step.To); check != "" {
		if err := exec(`UPDATE rectifications SET checked = ? WHERE opinion_id = ?`, check, id); err != nil {
			return err
		}
	}
	switch step.To {
	case lifecycle.Satisfaction:
		// Each visit is a new round: the submitters are asked again, and 销号 after a rework
		// waits for an answer given in this round (lifecycle.Visit).
		if err := exec(`UPDATE rectifications SET visit_round = visit_round + 1 WHERE opinion_id = ?`, id); err != nil {
			return err
		}
	case lifecycle.Assigned:
		if err := exec(`UPDATE rectifications SET lead_unit = ?, responsible = ?, post = ?, publish_name = ?, measures = ?,
			ledger = ?, deadline = ? WHERE opinion_id = ?`, step.LeadUnit, trim(step.Responsible), trim(step.Post), step.PublishName,
			trim(step.Measures), step.Ledger, step.Deadline, id); err != nil {
			return fmt.Errorf("assign: %w", err)
		}
	case lifecycle.Rectifying:
		if from == lifecycle.Assigned {
			if err := exec(`UPDATE rectifications SET kind = ?, explanation = ?, note = ? WHERE opinion_id = ?`,
				step.Kind, trim(step.Explanation), trim(step.Note), id); err != nil {
				return err
			}
		} else if err := exec(`UPDATE rectifications SET note = ?, closed_on = '' WHERE opinion_id = ?`, trim(step.Note), id); err != nil {
			return err
		}
	case lifecycle.Reported:
		if err := exec(`UPDATE rectifications SET report = ? WHERE opinion_id = ?`, trim(step.Report), id); err != nil {
			return err
		}
	case lifecycle.Closed:
		if err := exec(`UPDATE rectifications SET closed_on = ?, note = CASE WHEN ? = '' THEN note ELSE ? END
			WHERE opinion_id = ?`, today, trim(step.Note), trim(step.Note), id); err != nil {
			return err
		}
	case lifecycle.Rejected, lifecycle.Forwarded:
		if err := exec(`UPDATE opinions SET reply = ?, replied_on = ? WHERE id = ?`, trim(step.Reason), today, id); err != nil {
			return err
		}
	}
	// 重复 never comes here: Transition joins a problem instead (joinTarget).
	return exec(`UPDATE opinions SET status = ?, merged_into = NULL WHERE id = ?`, step.To, id)
}

// Rating is a submitter's answer to "are you satisfied?".
type Rating struct {
	Rating  string
	Words   string
	RatedOn string
	Round   int  // the 满意度回访 round it answered
	Current bool // given in the round the work is in now; false: a new round asks again
}

// RatingOf returns the latest rating left with one receipt; the zero value when none.
func (s *Store) RatingOf(ctx context.Context, id string) (Rating, error) {
	var r Rating
	err := s.read.QueryRowContext(ctx, `SELECT g.rating, g.words, g.rated_on, g.round,
		g.round = COALESCE((SELECT visit_round FROM rectifications WHERE opinion_id = COALESCE(o.merged_into, o.id)), 0)
		FROM ratings g JOIN opinions o ON o.id = g.opinion_id
		WHERE g.opinion_id = ? ORDER BY g.round DESC LIMIT 1`, id).
		Scan(&r.Rating, &r.Words, &r.RatedOn, &r.Round, &r.Current)
	if errors.Is(err, sql.ErrNoRows) {
		return Rating{}, nil
	}
	return r, err
}

// Rate records a submitter's rating for opinion id (theirs, found by its receipt). It is
// accepted only while the opinion that carries the work (id itself, or what it was merged
// into) is in 满意度回访, once per receipt and round. 不满意 sends the work back to 整改中
// (补课返工) with the submitter's words as the reason; when it comes back to 满意度回访, that is
// a new round and the receipt may answer again. Otherwise ErrConflict.
func (s *Store) Rate(ctx context.Context, id, rating, words string) error {
	if !lifecycle.ValidTerm(lifecycle.Ratings, rating) {
		return fmt.Errorf("rating %q: %w", rating, ErrInvalid)
	}
	return s.publicWriteTx(ctx, func(ctx context.Context, tx *sql.Tx, day string) error {
		carrier := id
		var merged sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT merged_into FROM opinions WHERE id = ?`, id).Scan(&merged); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("opinion %s: %w", id, ErrNotFound)
			}
			return err
		}
		if merged.Valid {
			carrier = merged.String
		}
		status, err := opinionStatus(ctx, tx, carrier)
		if err != nil {
			return err
		}
		if status != lifecycle.Satisfaction {
			return fmt.Errorf("rate %s in status %s: %w", id, status, ErrConflict)
		}
		round, err := currentRound(ctx, tx, carrier)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ratings (opinion_id, round, rating, words, rated_on) VALUES (?, ?, ?, ?, ?)`,
			id, round, rating, strings.TrimSpace(words), day); err != nil {
			return fmt.Errorf("rate %s: %w", id, mapError(err))
		}
		if rating == lifecycle.RatingDissatisfied {
			reason := DissatisfiedNote
			if w := strings.TrimSpace(words); w != "" {
				reason += "\n" + w
			}
			if err := applyStep(ctx, tx, carrier, status, lifecycle.Step{To: lifecycle.Rectifying, Note: reason}, day); err != nil {
				return err
			}
		}
		return recordPublic(ctx, tx, day, "rate", carrier, rating)
	})
}

// DissatisfiedNote is the note of a rectification sent back by a submitter's 不满意 (留言人不满意，
// 补课返工): a code, then the submitter's words on the next line if they wrote any. Pages say
// it in their reader's language (DissatisfiedWords).
const DissatisfiedNote = "rating=dissatisfied"

// DissatisfiedWords reports whether note is a DissatisfiedNote, and the submitter's words in it.
func DissatisfiedWords(note string) (words string, ok bool) {
	rest, ok := strings.CutPrefix(note, DissatisfiedNote)
	if !ok || rest != "" && rest[0] != '\n' {
		return "", false
	}
	return strings.TrimPrefix(rest, "\n"), true
}

// The codes audit details carry (pages word them): a classification's leadership box
// ("level=department about_leadership") and the marks of SetFlags ("unfounded,accountability").
const (
	AboutLeadership    = "about_leadership"
	FlagAccountability = "accountability"
	FlagUnfounded      = "unfounded"
	FlagSubstantiated  = "substantiated"
)

// Flags are the marks a rectification can carry besides its status.
type Flags struct {
	Accountability bool // 追责: someone is held to account
	Unfounded      bool // 查无实据: checked, nothing found; no one is blamed
	Substantiated  bool // 举报属实: a misconduct report proved true
}

// SetFlags records the marks of an opinion's rectification. Unfounded and substantiated
// contradict each other: ErrInvalid.
func (s *Store) SetFlags(ctx context.Context, userID int64, id string, f Flags) error {
	if f.Unfounded && f.Substantiated {
		return fmt.Errorf("flags of %s: unfounded and substantiated at once: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		if err := ensureRectification(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET accountability = ?, unfounded = ?, substantiated = ?
			WHERE opinion_id = ?`, f.Accountability, f.Unfounded, f.Substantiated, id); err != nil {
			return err
		}
		// What the check found, then whether anyone is held to account: the order the
		// details had when they were written in Chinese, so old and new rows read alike.
		var marks []string
		for _, m := range []struct {
			code string
			on   bool
		}{{FlagSubstantiated, f.Substantiated}, {FlagUnfounded, f.Unfounded}, {FlagAccountability, f.Accountability}} {
			if m.on {
				marks = append(marks, m.code)
			}
		}
		return audit(ctx, tx, now, userID, "flags", id, strings.Join(marks, ","))
	})
}
