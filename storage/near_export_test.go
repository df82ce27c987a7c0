package storage

import (
	"context"

	"minsheng/access"
)

// NearDuplicatesOfText lets the benchmarks (package storage_test) ask for the near-duplicates of
// a new text without storing it: their cached databases must keep their exact contents.
func (s *Store) NearDuplicatesOfText(ctx context.Context, content string, scope *access.Viewer, limit int) ([]Near, error) {
	return s.nearDuplicatesOf(ctx, searchText(content), "", scope, limit)
}

// HasDocFreq tells whether the index counts term's documents: the benchmarks check that a
// cached database's index counts single characters.
func (s *Store) HasDocFreq(ctx context.Context, term string) (bool, error) {
	var ok bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_terms WHERE term = ?)`, term).Scan(&ok)
	return ok, err
}
