package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minsheng/hanzi"
	"minsheng/redact"
)

// MaxSearchText is the longest text the queue searches for, in characters; longer input is cut.
const MaxSearchText = 50

// searchText is what the queue's search compares for an opinion's content: masked as reviewers
// see it (so a search cannot probe for a phone or ID number), then folded (门难进 = 門難進).
func searchText(content string) string {
	return hanzi.Fold(redact.Mask(content))
}

// SearchQuery cleans what someone typed into the search box: spaces around it and control
// characters removed, invalid bytes dropped, cut to MaxSearchText characters. It is not folded:
// the box shows it back as typed, and where() folds it.
func SearchQuery(typed string) string {
	s := strings.ToValidUTF8(typed, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxSearchText {
		s = string([]rune(s)[:MaxSearchText])
	}
	return strings.TrimSpace(s)
}

// searchCondition is the filter's text search as SQL, or "" when there is nothing to search.
func searchCondition(typed string) (string, []any) {
	q := hanzi.Fold(SearchQuery(typed))
	if q == "" {
		return "", nil
	}
	return "instr(o.search_text, ?) > 0", []any{q}
}

// searchFillBatch is how many opinions one backfill transaction handles: short enough that a
// submission waiting for the write connection is not held up for long.
const searchFillBatch = 500

// fillSearchText gives search_text to opinions that have none: those stored before migration
// 0014 (and any a tool inserted without it). It runs at Open, before the portal takes requests;
// once everything is filled it is one look into an empty partial index. Safe to repeat.
func (s *Store) fillSearchText(ctx context.Context) error {
	after := ""
	for {
		var last string
		var n int
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			var err error
			last, n, err = fillSearchBatch(ctx, tx, after)
			return err
		})
		if err != nil {
			return fmt.Errorf("fill search text: %w", err)
		}
		if n < searchFillBatch {
			return nil
		}
		after = last
	}
}

// fillSearchBatch fills up to searchFillBatch opinions with ids after the given one, in id order
// (so the loop ends even if a text folded to nothing), and returns the last id and the count.
func fillSearchBatch(ctx context.Context, tx *sql.Tx, after string) (last string, n int, err error) {
	type row struct{ id, content string }
	rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
		var v row
		err := r.Scan(&v.id, &v.content)
		return v, err
	}, `SELECT id, content FROM opinions WHERE search_text = '' AND content != '' AND id > ? ORDER BY id LIMIT ?`,
		after, searchFillBatch)
	if err != nil {
		return "", 0, err
	}
	if len(rows) == 0 {
		return after, 0, nil
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE opinions SET search_text = ? WHERE id = ?`)
	if err != nil {
		return "", 0, err
	}
	defer upd.Close()
	for _, r := range rows {
		if _, err := upd.ExecContext(ctx, searchText(r.content), r.id); err != nil {
			return "", 0, err
		}
	}
	return rows[len(rows)-1].id, len(rows), nil
}
