package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Survey scales: three levels (满意 3 / 基本满意 2 / 不满意 1) or 1 to 5 points.
const (
	ScaleThree = "three"
	ScaleFive  = "five"
)

// Limits of a survey, in characters or counts; the migration holds the same.
const (
	MaxSurveyTitle   = 100
	MaxSurveyItem    = 100
	MaxSurveyItems   = 30
	MaxSurveyComment = 1000
	MaxSurveyDept    = 50
	// SurveyMinAnswers is the fewest answers a rate is shown and judged on; fewer show "<5".
	SurveyMinAnswers = 5
)

// ErrSurveyClosed means the survey is not open on the day of the answer.
var ErrSurveyClosed = errors.New("survey closed")

// Survey is one questionnaire (满意度测评).
type Survey struct {
	ID               int64
	Title            string
	StartsOn, EndsOn string // YYYY-MM-DD, both included
	Scale            string
	FreeText         string // the optional free-text question; "" for none
	ItemThreshold    int    // percent every item should reach
	OverallThreshold int    // percent the overall rate should reach
	Items            []SurveyItem
	Units            []Unit // the units it covers
	Responses        int    // filled by Surveys
	// CampaignID is the campaign it belongs to (0: none): outside the campaign's collection
	// window it takes no answers, whatever its own dates.
	CampaignID int64
	// Branch is the root unit of the branch it belongs to (#15, 0057): made by an administrator
	// limited to that branch, it covers the branch's units only; "" is the whole portal's.
	Branch string
}

// SurveyItem is one question answered on the survey's scale.
type SurveyItem struct {
	ID       int64
	Position int
	Text     string
}

// Open reports whether the survey takes answers on day (YYYY-MM-DD).
func (sv Survey) Open(day string) bool { return sv.StartsOn <= day && day <= sv.EndsOn }

// Covers reports whether the survey covers the unit with code.
func (sv Survey) Covers(code string) bool {
	for _, u := range sv.Units {
		if u.Code == code {
			return true
		}
	}
	return false
}

// MaxValue is the highest answer on the survey's scale.
func (sv Survey) MaxValue() int {
	if sv.Scale == ScaleFive {
		return 5
	}
	return 3
}

// NewSurvey is what an administrator fills in.
type NewSurvey struct {
	Title, StartsOn, EndsOn, Scale, FreeText string
	Units                                    []string
	Items                                    []string
	ItemThreshold, OverallThreshold          int
	CampaignID                               int64  // 0: none; else a campaign that exists
	Branch                                   string // "" the whole portal; else every unit is in it
}

// CreateSurvey stores a survey with its units and items and returns its id. Units must be active
// and not departments; anything else wrong is ErrInvalid.
func (s *Store) CreateSurvey(ctx context.Context, userID int64, n NewSurvey) (int64, error) {
	if n.Scale != ScaleThree && n.Scale != ScaleFive || len(n.Units) == 0 || len(n.Items) == 0 ||
		len(n.Items) > MaxSurveyItems {
		return 0, fmt.Errorf("survey %q: %w", n.Title, ErrInvalid)
	}
	if err := s.knownCampaign(ctx, n.CampaignID); err != nil {
		return 0, err
	}
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := unitsInBranch(ctx, tx, n.Branch, n.Units); err != nil {
			return fmt.Errorf("survey %q: %w", n.Title, err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO surveys (title, starts_on, ends_on, scale, free_text,
			item_threshold, overall_threshold, created_by, created_at, campaign_id, branch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.Title, n.StartsOn, n.EndsOn, n.Scale, n.FreeText, n.ItemThreshold, n.OverallThreshold,
			nullID(userID), now.UTC().Format(timeLayout), n.CampaignID, n.Branch).Scan(&id)
		if isConstraint(err) {
			return fmt.Errorf("survey %q: %v: %w", n.Title, err, ErrInvalid)
		} else if err != nil {
			return fmt.Errorf("insert survey: %w", err)
		}
		for _, code := range n.Units {
			res, err := tx.ExecContext(ctx, `INSERT INTO survey_units (survey_id, unit_code)
				SELECT ?, code FROM units WHERE code = ? AND active = 1 AND kind != 'dept' ON CONFLICT DO NOTHING`, id, code)
			if err != nil {
				return fmt.Errorf("insert survey unit: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return fmt.Errorf("survey unit %q: %w", code, ErrInvalid)
			}
		}
		for i, text := range n.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO survey_items (survey_id, position, text) VALUES (?, ?, ?)`,
				id, i+1, text); isConstraint(err) {
				return fmt.Errorf("survey item %q: %v: %w", text, err, ErrInvalid)
			} else if err != nil {
				return fmt.Errorf("insert survey item: %w", err)
			}
		}
		return auditUnit(ctx, tx, now, userID, "survey_add", n.Branch, fmt.Sprintf("%d %s", id, n.Title))
	})
	return id, err
}

// SetSurveyThresholds changes a survey's pass marks (percent, 0–100): the seeds' 85 % per item
// and 90 % overall are where most surveys start, but a campaign may raise or lower them after
// the survey went out. Results are judged on the marks at the time they are read. An unknown
// survey is ErrNotFound; a mark outside 0–100 is ErrInvalid.
func (s *Store) SetSurveyThresholds(ctx context.Context, userID, id int64, item, overall int) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE surveys SET item_threshold = ?, overall_threshold = ? WHERE id = ?`,
			item, overall, id)
		if err != nil {
			return fmt.Errorf("survey %d thresholds: %w", id, invalidIfConstraint(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("survey %d: %w", id, ErrNotFound)
		}
		var branch string
		if err := tx.QueryRowContext(ctx, `SELECT branch FROM surveys WHERE id = ?`, id).Scan(&branch); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, userID, "survey_thresholds", branch, fmt.Sprintf("%d %d%% %d%%", id, item, overall))
	})
}

// Surveys returns every survey, newest first, with its units and number of responses (no items).
func (s *Store) Surveys(ctx context.Context) ([]Survey, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+surveyColumns+`,
		(SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id)
		FROM surveys s ORDER BY s.starts_on DESC, s.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	var out []Survey
	for rows.Next() {
		var sv Survey
		if err := rows.Scan(append(sv.fields(), &sv.Responses)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, sv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Units, err = s.surveyUnits(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const surveyColumns = `s.id, s.title, s.starts_on, s.ends_on, s.scale, s.free_text, s.item_threshold, s.overall_threshold,
	s.campaign_id, s.branch`

func (sv *Survey) fields() []any {
	return []any{&sv.ID, &sv.Title, &sv.StartsOn, &sv.EndsOn, &sv.Scale, &sv.FreeText, &sv.ItemThreshold, &sv.OverallThreshold, &sv.CampaignID, &sv.Branch}
}

// Survey returns one survey with its items and units, or ErrNotFound.
func (s *Store) Survey(ctx context.Context, id int64) (Survey, error) {
	var sv Survey
	err := s.read.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys s WHERE s.id = ?`, id).Scan(sv.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Survey{}, fmt.Errorf("survey %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Survey{}, fmt.Errorf("read survey: %w", err)
	}
	if sv.Units, err = s.surveyUnits(ctx, id); err != nil {
		return Survey{}, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, position, text FROM survey_items WHERE survey_id = ? ORDER BY position`, id)
	if err != nil {
		return Survey{}, fmt.Errorf("read survey items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it SurveyItem
		if err := rows.Scan(&it.ID, &it.Position, &it.Text); err != nil {
			return Survey{}, err
		}
		sv.Items = append(sv.Items, it)
	}
	return sv, rows.Err()
}

func (s *Store) surveyUnits(ctx context.Context, id int64) ([]Unit, error) {
	units, err := collect(ctx, s.read, scanUnit, `SELECT u.code, u.name, COALESCE(u.parent_code, '')
		FROM survey_units su JOIN units u ON u.code = su.unit_code WHERE su.survey_id = ? ORDER BY u.sort_order, u.code`, id)
	if err != nil {
		return nil, fmt.Errorf("read survey units: %w", err)
	}
	return units, nil
}

// SurveyAnswer is one person's answers: item id → value on the survey's scale.
type SurveyAnswer struct {
	SurveyID int64
	UnitCode string
	Dept     string
	Values   map[int64]int
	Comment  string
	// Token is the captcha the person answered right, spent in the response's own transaction
	// (as NewOpinion.Token: one write per submission), or nil. Spent before, by any process:
	// ErrTokenSpent and nothing stored; a transaction that fails rolls the spend back with it.
	Token *Token
}

// AnswerSurvey stores one response, dated today and nothing finer, with an answer to every item.
// ErrSurveyClosed outside the period; ErrInvalid for a unit the survey does not cover, a missing
// item, an item of another survey or a value off the scale; ErrTokenSpent for a captcha spent
// before. No audit row: its time would date the answer more finely than the day.
func (s *Store) AnswerSurvey(ctx context.Context, a SurveyAnswer) error {
	sv, err := s.Survey(ctx, a.SurveyID)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(a.Dept) > MaxSurveyDept || utf8.RuneCountInString(a.Comment) > MaxSurveyComment ||
		!sv.Covers(a.UnitCode) || len(a.Values) != len(sv.Items) || a.Token != nil && len(a.Token.Hash) != sha256.Size {
		return fmt.Errorf("answer to survey %d: %w", sv.ID, ErrInvalid)
	}
	for _, it := range sv.Items {
		if v, ok := a.Values[it.ID]; !ok || v < 1 || v > sv.MaxValue() {
			return fmt.Errorf("answer to survey %d item %d: %w", sv.ID, it.ID, ErrInvalid)
		}
	}
	// The campaign's window is read from memory before the write (campaigns are cached).
	if closed, err := s.CampaignWindowClosed(ctx, sv.CampaignID, s.Today()); err != nil {
		return err
	} else if closed {
		return fmt.Errorf("survey %d: campaign %d window closed: %w", sv.ID, sv.CampaignID, ErrSurveyClosed)
	}
	return s.publicWriteTx(ctx, func(ctx context.Context, tx *sql.Tx, day string) error {
		// The captcha first, as the opinion writer does: whatever refuses the answer after it
		// rolls the spend back with the rest.
		if t := a.Token; t != nil {
			if fresh, err := s.spendIn(ctx, tx, t.Hash, t.Expires); err != nil {
				return err
			} else if !fresh {
				return fmt.Errorf("answer to survey %d: %w", sv.ID, ErrTokenSpent)
			}
		}
		var start, end string
		if err := tx.QueryRowContext(ctx, `SELECT starts_on, ends_on FROM surveys WHERE id = ?`, sv.ID).Scan(&start, &end); err != nil {
			return fmt.Errorf("read survey period: %w", err)
		}
		if day < start || day > end {
			return fmt.Errorf("survey %d on %s: %w", sv.ID, day, ErrSurveyClosed)
		}
		id := newOpinionID() + newOpinionID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (id, survey_id, unit_code, dept, answered_on, comment)
			VALUES (?, ?, ?, ?, ?, ?)`, id, sv.ID, a.UnitCode, a.Dept, day, a.Comment); err != nil {
			return fmt.Errorf("insert survey response: %w", invalidIfConstraint(err))
		}
		for item, v := range a.Values {
			if _, err := tx.ExecContext(ctx, `INSERT INTO survey_answers (response_id, survey_id, item_id, value)
				VALUES (?, ?, ?, ?)`, id, sv.ID, item, v); err != nil {
				return fmt.Errorf("insert survey answer: %w", invalidIfConstraint(err))
			}
		}
		return nil
	})
}

func invalidIfConstraint(err error) error {
	if isConstraint(err) {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	return err
}
