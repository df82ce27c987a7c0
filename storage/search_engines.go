package storage

import (
	"context"
	"database/sql"

	"minsheng/fulltext"
)

// The full-text index on each engine (driver.go): SQLite's FTS4 table search_index (migrations
// 0023, 0037), and on PostgreSQL a plain table of the same documents whose tokens column is a
// tsvector of the same tokens with a GIN index (migration 0059). Everything else about the
// index (which documents, their docids, when they are written) is the shared code's.

func (sqliteDriver) fullText() bool   { return true }
func (postgresDriver) fullText() bool { return true }

func (sqliteDriver) matchSQL() string             { return `search_index MATCH ?` }
func (sqliteDriver) matchArg(fts string) string   { return fts }
func (postgresDriver) matchSQL() string           { return `search_index.tokens @@ CAST(? AS tsquery)` }
func (postgresDriver) matchArg(fts string) string { return fulltext.TSQuery(fts) }

func (sqliteDriver) ftsShadowTables() []string {
	return []string{`search_index_segments`, `search_index_segdir`, `search_index_stat`}
}
func (postgresDriver) ftsShadowTables() []string { return []string{`search_index`} }

func (sqliteDriver) ftsUpgrades() bool   { return true }
func (postgresDriver) ftsUpgrades() bool { return false }

// optimizeSearchIndex merges the index's segments into one (FTS4's 'optimize'): FTS4 writes a
// segment per transaction and merges them sixteen at a time, and a query reads every segment's
// part of a term's list of documents, so a common word's first page costs a few times more in
// twenty segments than in one. Seconds at a million opinions, in one transaction: only where the
// portal does not yet serve (after a rebuild or an upgrade, at start-up).
func (sqliteDriver) optimizeSearchIndex(ctx context.Context, write *sql.DB) error {
	// One statement, committed on its own: no write timeout, which it may pass in a big file.
	_, err := write.ExecContext(ctx, `INSERT INTO search_index (search_index) VALUES ('optimize')`)
	return err
}

// optimizeSearchIndex on PostgreSQL: the indexer's documents wait in the GIN index's pending
// list (fastupdate), unsorted, which every search reads whole (at 100k opinions a word matching
// nothing read 90 buffers before the merge, 8 after); gin_clean_pending_list merges them, as
// autovacuum would later. ANALYZE gives the planner the tokens' frequencies at once, so that
// it chooses between the GIN index and reading docids newest first for a common word.
func (postgresDriver) optimizeSearchIndex(ctx context.Context, write *sql.DB) error {
	for _, index := range []string{"search_index_tokens", "search_index_staff_tokens"} {
		if _, err := write.ExecContext(ctx, `SELECT gin_clean_pending_list(CAST(? AS regclass))`, index); err != nil {
			return err
		}
	}
	_, err := write.ExecContext(ctx, `ANALYZE search_index`)
	return err
}
