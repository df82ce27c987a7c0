package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// An opinion's place in the taxonomy: its manifestation and family tags and feature 30's
// flags, set by a reviewer (the item page's form, one suggestion accepted, a bulk action),
// each change audited in the same transaction.

// SetOpinionTags replaces the manifestation and family tags of an opinion. A tag it already
// carries may stay though retired since; a new one must be in use, else ErrInvalid, and a
// manifestation needs its style among the opinion's styles (the reviewer tags the style first,
// or in the same form: see SetStylesAndTags).
func (s *Store) SetOpinionTags(ctx context.Context, userID int64, id string, tags []string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return setOpinionTags(ctx, tx, now, userID, id, tags)
	})
}

// SetStylesAndTags replaces an opinion's styles and tags in one step, as the item page's form
// sends them; two audit rows say what changed.
func (s *Store) SetStylesAndTags(ctx context.Context, userID int64, id string, styles, tags []string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := setStyles(ctx, tx, now, userID, id, styles); err != nil {
			return err
		}
		return setOpinionTags(ctx, tx, now, userID, id, tags)
	})
}

func setOpinionTags(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, id string, tags []string) error {
	if _, err := opinionStatus(ctx, tx, id); err != nil {
		return err
	}
	had, err := codeSet(ctx, tx, `SELECT tag FROM opinion_tags WHERE opinion_id = ?`, id)
	if err != nil {
		return err
	}
	styles, err := codeSet(ctx, tx, `SELECT style FROM opinion_styles WHERE opinion_id = ?`, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM opinion_tags WHERE opinion_id = ?`, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	var kept []string
	for _, code := range tags {
		if seen[code] {
			continue
		}
		seen[code] = true
		var style, retired string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(style, ''), COALESCE(retired_on, '') FROM tags WHERE code = ?`, code).
			Scan(&style, &retired)
		if errors.Is(err, sql.ErrNoRows) || (retired != "" && !had[code]) || (style != "" && !styles[style]) {
			return fmt.Errorf("tag %s with %s: %w", id, code, ErrInvalid)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_tags (opinion_id, tag) VALUES (?, ?)`, id, code); err != nil {
			return err
		}
		kept = append(kept, code)
	}
	if sameSet(had, seen) {
		return nil
	}
	return audit(ctx, tx, now, userID, "subtag", id, strings.Join(kept, ","))
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// SetAttributes records feature 30's flags of an opinion: nature ("conduct", "work" or "") and
// reach ("common", "individual" or ""); anything else is ErrInvalid. A change is audited.
func (s *Store) SetAttributes(ctx context.Context, userID int64, id, nature, reach string) error {
	if !validAttributes(nature, reach) {
		return fmt.Errorf("attributes of %s: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return setAttributes(ctx, tx, now, userID, id, nature, reach)
	})
}

func validAttributes(nature, reach string) bool {
	return (nature == "" || nature == NatureConduct || nature == NatureWork) &&
		(reach == "" || reach == ReachCommon || reach == ReachIndividual)
}

// setAttributes writes the flags and an "attributes" audit row when they change (a form that
// saves the styles sends the flags too, mostly unchanged: no row for those).
func setAttributes(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, id, nature, reach string) error {
	var had string
	err := tx.QueryRowContext(ctx, `SELECT nature || ',' || reach FROM opinions WHERE id = ?`, id).Scan(&had)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if had == nature+","+reach {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE opinions SET nature = ?, reach = ? WHERE id = ?`, nature, reach, id); err != nil {
		return err
	}
	return audit(ctx, tx, now, userID, "attributes", id, nature+","+reach)
}

// Tagging is what the item page's tagging form sets at once: the four styles, the
// manifestation and family tags, and feature 30's flags.
type Tagging struct {
	Styles, Tags  []string
	Nature, Reach string
}

// SetTagging replaces an opinion's styles, tags and flags in one transaction, as
// SetStylesAndTags and SetAttributes would one after the other: the styles' "tag" row always,
// "subtag" and "attributes" rows when those changed. Nothing is written when any part is
// invalid (ErrInvalid).
func (s *Store) SetTagging(ctx context.Context, userID int64, id string, t Tagging) error {
	if !validAttributes(t.Nature, t.Reach) {
		return fmt.Errorf("attributes of %s: %w", id, ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := setStyles(ctx, tx, now, userID, id, t.Styles); err != nil {
			return err
		}
		if err := setOpinionTags(ctx, tx, now, userID, id, t.Tags); err != nil {
			return err
		}
		return setAttributes(ctx, tx, now, userID, id, t.Nature, t.Reach)
	})
}

// AddToOpinion gives an opinion one more style or tag, keeping what it has: a reviewer's
// accepting a suggestion. A manifestation brings its style along when the opinion lacks it.
// Each addition is audited as a manual one ("tag" "+style", "subtag" "+code"); nothing is
// written when the opinion has it already (false). An unknown code, or a tag retired, is
// ErrInvalid.
func (s *Store) AddToOpinion(ctx context.Context, userID int64, id, code string) (bool, error) {
	added := false
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		style, tag := code, ""
		if !validStyle(code) {
			var retired string
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(style, ''), COALESCE(retired_on, '') FROM tags WHERE code = ?`, code).
				Scan(&style, &retired)
			if errors.Is(err, sql.ErrNoRows) || retired != "" {
				return fmt.Errorf("add %s to %s: %w", code, id, ErrInvalid)
			}
			if err != nil {
				return err
			}
			tag = code
		}
		if style != "" {
			res, err := tx.ExecContext(ctx,
				`INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, style)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added = true
				if err := audit(ctx, tx, now, userID, "tag", id, "+"+style); err != nil {
					return err
				}
			}
		}
		if tag == "" {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO opinion_tags (opinion_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, tag)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return audit(ctx, tx, now, userID, "subtag", id, "+"+tag)
	})
	return added && err == nil, err
}

// AddOpinionTag gives an opinion one more tag, keeping the ones it has, as the queue's bulk
// tagging does: a manifestation brings its style along when the opinion lacks it. It reports
// false when the opinion already carried the tag (nothing changes, nothing is audited). A tag
// unknown or retired is ErrInvalid; an opinion unknown ErrNotFound. One transaction; the audit
// says what was added: "tag" (+style) when the style came too, and "subtag" with the opinion's
// tags afterwards, like SetOpinionTags.
func (s *Store) AddOpinionTag(ctx context.Context, userID int64, id, code string) (bool, error) {
	added := false
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := opinionStatus(ctx, tx, id); err != nil {
			return err
		}
		var style, retired string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(style, ''), COALESCE(retired_on, '') FROM tags WHERE code = ?`, code).
			Scan(&style, &retired)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("tag %s with %s: %w", id, code, ErrInvalid)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO opinion_tags (opinion_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, code)
		if err != nil {
			return fmt.Errorf("tag %s with %s: %w", id, code, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already there, retired or not
		}
		if retired != "" {
			return fmt.Errorf("tag %s with retired %s: %w", id, code, ErrInvalid)
		}
		added = true
		if style != "" {
			res, err := tx.ExecContext(ctx,
				`INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, style)
			if err != nil {
				return fmt.Errorf("tag %s: %w", style, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				if err := audit(ctx, tx, now, userID, "tag", id, "+"+style); err != nil {
					return err
				}
			}
		}
		var all string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(group_concat(tag), '') FROM (SELECT t.tag FROM opinion_tags t
			JOIN tags g ON g.code = t.tag WHERE t.opinion_id = ? ORDER BY g.position) ordered`, id).Scan(&all); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "subtag", id, all)
	})
	if err != nil {
		added = false
	}
	return added, err
}

// codeSet runs a query of one text column and returns its values as a set.
func codeSet(ctx context.Context, tx *sql.Tx, query string, args ...any) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		set[v] = true
	}
	return set, rows.Err()
}
