package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"
)

// reorderChunk is how many documents one transaction copies from the oldest-first index into
// the newest-first one (migration 0037): under a second's work on a quiet machine, well within
// the write timeout on a busy one (20 000 took over 15 s with a load average of 25).
const reorderChunk = 5000

// reorderReport: progress is printed every so many documents.
const reorderReport = 200000

// reorderSearchIndex copies the documents of the index that migration 0037 set aside
// (search_index_asc, which stores each term's documents oldest first) into search_index
// (newest first), in docid order, a chunk per transaction, saying how far it got on progress;
// then drops the old table. The docids stay, so search_docs and search_terms stay right. Safe to
// stop: the next run goes on after the last docid copied. Nothing to do once it is gone.
func (s *Store) reorderSearchIndex(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	if !s.drv.ftsUpgrades() {
		return nil
	}
	var old int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'search_index_asc'`).Scan(&old); err != nil {
		return fmt.Errorf("search index order: %w", err)
	}
	if old == 0 {
		return nil
	}
	var total, after int64
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM search_index_asc_content`).Scan(&total); err != nil {
		return fmt.Errorf("search index order: %w", err)
	}
	if err := s.write.QueryRowContext(ctx, `SELECT COALESCE(max(docid), -1) FROM search_bodies`).Scan(&after); err != nil {
		return fmt.Errorf("search index order: %w", err)
	}
	loud := total > reorderChunk
	if loud {
		fmt.Fprintf(progress, "search index: rewriting %d documents newest first\n", total)
	}
	start, done := time.Now(), 0
	for {
		var n int
		err := s.writeTxWithin(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			var last sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT max(docid), count(*) FROM (SELECT docid FROM search_index_asc_content
				WHERE docid > ? ORDER BY docid LIMIT ?) AS chunk`, after, reorderChunk).Scan(&last, &n); err != nil || n == 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_bodies (docid, body)
				SELECT docid, c0body FROM search_index_asc_content WHERE docid > ? AND docid <= ? ORDER BY docid`,
				after, last.Int64); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_index (docid, body)
				SELECT docid, body FROM search_bodies WHERE docid > ? AND docid <= ? ORDER BY docid`,
				after, last.Int64); err != nil {
				return err
			}
			after = last.Int64
			return nil
		})
		if err != nil {
			return fmt.Errorf("search index order: %w", err)
		}
		done += n
		if loud && n > 0 && (done%reorderReport == 0 || n < reorderChunk) {
			fmt.Fprintf(progress, "search index: %d of %d documents rewritten (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
		if n < reorderChunk {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if loud {
		fmt.Fprintf(progress, "search index: merging its segments (%s)\n", time.Since(start).Round(time.Second))
	}
	if err := s.optimizeSearchIndex(ctx); err != nil {
		return fmt.Errorf("search index order: %w", err)
	}
	if loud {
		fmt.Fprintf(progress, "search index: removing the old index (%s)\n", time.Since(start).Round(time.Second))
	}
	// One statement, committed on its own: with secure_delete and auto_vacuum, freeing a big
	// index takes longer than a write transaction may.
	if _, err := s.write.ExecContext(ctx, `DROP TABLE search_index_asc`); err != nil {
		return fmt.Errorf("search index order: drop the old index: %w", err)
	}
	if loud {
		fmt.Fprintf(progress, "search index: newest first (%s)\n", time.Since(start).Round(time.Second))
	}
	return nil
}

// optimizeSearchIndex lets the engine tidy its index after much was written (driver.go).
func (s *Store) optimizeSearchIndex(ctx context.Context) error {
	return s.drv.optimizeSearchIndex(ctx, s.write)
}

// The index's documents: their token text is kept in search_bodies (migration 0037: FTS4's
// "external content"), which FTS4 reads to remove a document's tokens. So a document is written
// to both, and removed from search_index while its body is still the one indexed.

// putDoc indexes docid with the token text body (fulltext.Tokens).
func putDoc(ctx context.Context, tx *sql.Tx, docid int64, body string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_bodies (docid, body) VALUES (?, ?)`, docid, body); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_index (docid, body) VALUES (?, ?)`, docid, body)
	return err
}

// dropDoc removes docid from the index, then its body.
func dropDoc(ctx context.Context, tx *sql.Tx, docid int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_index WHERE docid = ?`, docid); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM search_bodies WHERE docid = ?`, docid)
	return err
}

// docWriter is putDoc with its statements prepared, for the indexer's chunks.
type docWriter struct{ body, index *sql.Stmt }

func prepareDocWrite(ctx context.Context, tx *sql.Tx) (*docWriter, error) {
	body, err := tx.PrepareContext(ctx, `INSERT INTO search_bodies (docid, body) VALUES (?, ?)`)
	if err != nil {
		return nil, err
	}
	index, err := tx.PrepareContext(ctx, `INSERT INTO search_index (docid, body) VALUES (?, ?)`)
	if err != nil {
		body.Close()
		return nil, err
	}
	return &docWriter{body, index}, nil
}

func (w *docWriter) put(ctx context.Context, docid int64, text string) error {
	if _, err := w.body.ExecContext(ctx, docid, text); err != nil {
		return err
	}
	_, err := w.index.ExecContext(ctx, docid, text)
	return err
}

func (w *docWriter) Close() {
	w.body.Close()
	w.index.Close()
}
