package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The kinds of tag in the taxonomy (汇总梳理), besides the four styles themselves.
const (
	TagManifestation = "manifestation" // a manifestation of one style (门难进脸难看事难办 …)
	TagFamily        = "family"        // a secondary family (八项规定, 乱收费, 表扬 …)
)

// The attribute flags of feature 30.
const (
	NatureConduct   = "conduct"    // 作风问题
	NatureWork      = "work"       // 工作问题
	ReachCommon     = "common"     // 共性
	ReachIndividual = "individual" // 个性
)

// Tag is one entry of the taxonomy. Retired tags stay on the opinions that carry them and in
// reports, but cannot be given to an opinion any more.
type Tag struct {
	Code      string
	Kind      string
	Style     string // a manifestation's style code; "" for a family
	Label     string // in Simplified Chinese
	LabelEn   string // in English; "" shows the Chinese
	Keywords  []string
	RetiredOn string // YYYY-MM-DD, "" while in use
	Uses      int    // how many opinions carry it (Tags fills it)
}

// Retired reports whether the tag can no longer be given.
func (t Tag) Retired() bool { return t.RetiredOn != "" }

// Tags returns the whole taxonomy in its order, retired tags included, each with its count of
// opinions.
func (s *Store) Tags(ctx context.Context) ([]Tag, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT g.code, g.kind, COALESCE(g.style, ''), g.label, g.label_en,
		g.keywords, COALESCE(g.retired_on, ''), (SELECT count(*) FROM opinion_tags t WHERE t.tag = g.code)
		FROM tags g ORDER BY g.position, g.code`)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	var tags []Tag
	for rows.Next() {
		var t Tag
		var keywords string
		if err := rows.Scan(&t.Code, &t.Kind, &t.Style, &t.Label, &t.LabelEn, &keywords, &t.RetiredOn, &t.Uses); err != nil {
			return nil, err
		}
		t.Keywords = splitKeywords(keywords)
		tags = append(tags, t)
	}
	return tags, rows.Err()
}

func splitKeywords(s string) []string {
	var out []string
	for _, w := range strings.Split(s, "\n") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// TagEdit is what an administrator writes about a tag: its words and keywords. Kind and Style
// are read only when a tag is added: a tag never changes kind or style, since opinions and
// reports already count it there.
type TagEdit struct {
	Code, Kind, Style string
	Label, LabelEn    string
	Keywords          []string
}

// Validate returns field → problem code: "required", "too_long", "bad_code", "bad_kind",
// "bad_style", "bad_keyword"; empty when the edit may be saved. The handler words them.
func (e TagEdit) Validate(adding bool) map[string]string {
	p := map[string]string{}
	if adding {
		switch {
		case e.Code == "":
			p["code"] = "required"
		case len(e.Code) > 40 || !validTagCode(e.Code):
			p["code"] = "bad_code"
		}
		switch e.Kind {
		case TagManifestation:
			if !validStyle(e.Style) {
				p["style"] = "bad_style"
			}
		case TagFamily:
		default:
			p["kind"] = "bad_kind"
		}
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(e.Label)); {
	case n == 0:
		p["label"] = "required"
	case n > 60:
		p["label"] = "too_long"
	}
	if utf8.RuneCountInString(e.LabelEn) > 120 {
		p["label_en"] = "too_long"
	}
	total := 0
	for _, w := range e.Keywords {
		total += len(w) + 1
		if utf8.RuneCountInString(w) > 30 || strings.ContainsAny(w, "\n\r\t") {
			p["keywords"] = "bad_keyword"
		}
	}
	if total > 2000 {
		p["keywords"] = "too_long"
	}
	return p
}

func validTagCode(code string) bool {
	for i, r := range code {
		ok := r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '-')
		if !ok {
			return false
		}
	}
	return code != ""
}

func validStyle(code string) bool {
	switch code {
	case "formalism", "bureaucratism", "hedonism", "extravagance":
		return true
	}
	return false
}

// AddTag adds a tag at the end of its kind (after the last manifestation of its style, or the
// last family). A code already taken is ErrConflict; an invalid edit ErrInvalid.
func (s *Store) AddTag(ctx context.Context, actorID int64, e TagEdit) error {
	if len(e.Validate(true)) > 0 {
		return fmt.Errorf("add tag: %w", ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var pos int
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) + 1 FROM tags
			WHERE kind = ? AND (? = '' OR style = ?)`, e.Kind, e.Style, e.Style).Scan(&pos)
		if err != nil {
			return err
		}
		// Make room after the last of its group, so the taxonomy keeps styles together.
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET position = position + 1 WHERE position >= ?`, pos); err != nil {
			return err
		}
		var style any
		if e.Kind == TagManifestation {
			style = e.Style
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tags (code, kind, style, label, label_en, keywords, position)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, e.Code, e.Kind, style, strings.TrimSpace(e.Label),
			strings.TrimSpace(e.LabelEn), strings.Join(e.Keywords, "\n"), pos)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") {
				return fmt.Errorf("add tag %s: %w", e.Code, ErrConflict)
			}
			return fmt.Errorf("add tag %s: %w", e.Code, mapError(err))
		}
		return audit(ctx, tx, now, actorID, "tag_add", "", e.Code)
	})
}

// EditTag renames a tag and replaces its keywords.
func (s *Store) EditTag(ctx context.Context, actorID int64, e TagEdit) error {
	if len(e.Validate(false)) > 0 {
		return fmt.Errorf("edit tag: %w", ErrInvalid)
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE tags SET label = ?, label_en = ?, keywords = ? WHERE code = ?`,
			strings.TrimSpace(e.Label), strings.TrimSpace(e.LabelEn), strings.Join(e.Keywords, "\n"), e.Code)
		if err != nil {
			return fmt.Errorf("edit tag %s: %w", e.Code, mapError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("edit tag %s: %w", e.Code, ErrNotFound)
		}
		return audit(ctx, tx, now, actorID, "tag_edit", "", e.Code)
	})
}

// SetTagRetired retires a tag (no opinion can be given it from today) or brings it back.
// Nothing is deleted: the opinions that carry it keep it.
func (s *Store) SetTagRetired(ctx context.Context, actorID int64, code string, retired bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var on any
		action := "tag_restore"
		if retired {
			on, action = now.Format(dateLayout), "tag_retire"
		}
		res, err := tx.ExecContext(ctx, `UPDATE tags SET retired_on = ? WHERE code = ?`, on, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("retire tag %s: %w", code, ErrNotFound)
		}
		return audit(ctx, tx, now, actorID, action, "", code)
	})
}

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
			JOIN tags g ON g.code = t.tag WHERE t.opinion_id = ? ORDER BY g.position)`, id).Scan(&all); err != nil {
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
