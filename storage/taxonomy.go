package storage

import (
	"context"
	"database/sql"
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
	Uses      int    // how many opinions carry it (TagsWithUses fills it)
	// OptionalFamily is the optional family the tag belongs to (DiagnosticFamily), "" for the
	// taxonomy's own tags: the administrator turns such a family on or off as a whole.
	OptionalFamily string
}

// Retired reports whether the tag can no longer be given.
func (t Tag) Retired() bool { return t.RetiredOn != "" }

// Tags returns the whole taxonomy in its order, retired tags included. Every page that shows a
// tag reads it, so it counts nothing: TagsWithUses does, for the taxonomy page alone.
func (s *Store) Tags(ctx context.Context) ([]Tag, error) {
	return s.tags(ctx, `0`)
}

// TagsWithUses is Tags with each tag's count of opinions, for the page that edits the taxonomy.
func (s *Store) TagsWithUses(ctx context.Context) ([]Tag, error) {
	return s.tags(ctx, `(SELECT count(*) FROM opinion_tags t WHERE t.tag = g.code)`)
}

func (s *Store) tags(ctx context.Context, uses string) ([]Tag, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT g.code, g.kind, COALESCE(g.style, ''), g.label, g.label_en,
		g.keywords, COALESCE(g.retired_on, ''), `+uses+`, g.optional_family
		FROM tags g ORDER BY g.position, g.code`)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	var tags []Tag
	for rows.Next() {
		var t Tag
		var keywords string
		if err := rows.Scan(&t.Code, &t.Kind, &t.Style, &t.Label, &t.LabelEn, &keywords, &t.RetiredOn, &t.Uses, &t.OptionalFamily); err != nil {
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

// DiagnosticFamily is the optional family of feature 28 (migration 0042): 五查五看, 四面镜子,
// 为民 / 务实 / 清廉 and 不方便 / 不放心 / 不满意. It is off until an administrator turns it on.
const DiagnosticFamily = "diagnostic"

// OptionalFamilyOn reports whether the optional family is on: some tag of it is in use.
func (s *Store) OptionalFamilyOn(ctx context.Context, family string) (bool, error) {
	var on bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tags WHERE optional_family = ? AND retired_on IS NULL)`,
		family).Scan(&on)
	return on, err
}

// SetOptionalFamily turns an optional family on (every tag of it in use) or off (every tag of
// it retired, kept on the opinions that carry it), audited as one act. A tag of it retired on
// its own comes back with the family. ErrNotFound: no such family.
func (s *Store) SetOptionalFamily(ctx context.Context, actorID int64, family string, on bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var retired any = now.Format(dateLayout)
		detail := family + " off"
		if on {
			retired, detail = nil, family+" on"
		}
		res, err := tx.ExecContext(ctx, `UPDATE tags SET retired_on = ? WHERE optional_family = ? AND optional_family != ''`,
			retired, family)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("optional family %q: %w", family, ErrNotFound)
		}
		return audit(ctx, tx, now, actorID, "tag_family", "", detail)
	})
}
