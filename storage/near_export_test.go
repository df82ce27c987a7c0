package storage

import (
	"context"
	"database/sql"
	"time"

	"minsheng/access"
	"minsheng/nearby"
)

// NearDuplicatesOfText lets the benchmarks (package storage_test) ask for the near-duplicates of
// a new text without storing it: their cached databases must keep their exact contents.
func (s *Store) NearDuplicatesOfText(ctx context.Context, content string, scope *access.Viewer, limit int) ([]Near, error) {
	return s.nearDuplicatesOf(ctx, searchText(content), "", 0, scope, limit)
}

// NearLookupsBefore makes the look-up what it was before the concept anchors (no look-up by
// place and a concept's words) until the function it returns is called: the benchmarks
// measure both in one run.
func NearLookupsBefore() (restore func()) {
	was := nearLookups
	nearLookups.concepts = 0
	return func() { nearLookups = was }
}

// HasDocFreq tells whether the index counts term's documents: the benchmarks check that a
// cached database's index counts single characters.
func (s *Store) HasDocFreq(ctx context.Context, term string) (bool, error) {
	var ok bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_terms WHERE term = ?)`, term).Scan(&ok)
	return ok, err
}

// RecountDocFreqs counts search_terms again from the indexed opinions' texts, leaving the
// full-text index as it is: for a benchmark database indexed before nearby counted single
// characters (the index's tokens did not change, only the terms whose documents are counted).
func (s *Store) RecountDocFreqs(ctx context.Context) error {
	df := map[string]int{}
	rows, err := s.read.QueryContext(ctx, `SELECT o.search_text FROM search_docs d JOIN opinions o ON o.id = d.opinion_id
		WHERE d.kind = 'opinion'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return err
		}
		for term := range nearby.Terms(text) {
			df[term]++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_terms`); err != nil {
			return err
		}
		return addDocFreqs(ctx, tx, df)
	})
}
