package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
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
// (newest first), in docid order, a chunk per transaction (within timeout, halved down to
// chunkFloor when one runs out of it), saying how far it got on progress; then drops the old
// table. The docids stay, so search_docs and search_terms stay right. Safe to stop: the next run
// copies the documents not copied yet. Until it is done searches walk the rows (reordering), and
// a chunk still out of time at the floor leaves it to the next run (ErrIndexUnfinished).
func (s *Store) reorderSearchIndex(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	if !s.drv.ftsUpgrades() {
		return nil
	}
	old, err := s.oldIndexLeft(ctx, s.write)
	if err != nil || !old {
		return err
	}
	var total int64
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM search_index_asc_content`).Scan(&total); err != nil {
		return fmt.Errorf("search index order: %w", err)
	}
	loud := total > reorderChunk
	if loud {
		fmt.Fprintf(progress, "search index: rewriting %d documents newest first\n", total)
	}
	start, done, chunk := time.Now(), 0, reorderChunk
	var after int64 = -1
	for {
		var n int
		var last sql.NullInt64
		err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			return reorderChunkOf(ctx, tx, after, chunk, &last, &n)
		})
		if smaller, retry := shrinkChunk(ctx, err, chunk); retry {
			chunk = smaller
			fmt.Fprintf(progress, "search index: a chunk of the rewrite ran out of time, now %d documents per transaction\n", chunk)
			continue
		}
		if err != nil {
			return fmt.Errorf("search index order: %w", unfinished(ctx, err))
		}
		if n > 0 {
			after = last.Int64
		}
		done += n
		if loud && n > 0 && (done%reorderReport == 0 || n < chunk) {
			fmt.Fprintf(progress, "search index: %d of %d documents rewritten (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
		if n < chunk {
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
	s.reordering.Store(false)
	if loud {
		fmt.Fprintf(progress, "search index: newest first (%s)\n", time.Since(start).Round(time.Second))
	}
	return nil
}

// oldIndexLeft says whether migration 0037's old table is still there, and keeps reordering in
// step with it (another process may have finished the copy).
func (s *Store) oldIndexLeft(ctx context.Context, q *sql.DB) (bool, error) {
	var old int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'search_index_asc'`).Scan(&old); err != nil {
		return false, fmt.Errorf("search index order: %w", err)
	}
	s.reordering.Store(old > 0)
	return old > 0, nil
}

// reorderChunkOf copies up to chunk documents after docid after that the new index lacks: a
// staff action while the copy was unfinished may have written its document there already (the
// newer text), or removed it (no row in search_docs); neither is copied over.
func reorderChunkOf(ctx context.Context, tx *sql.Tx, after int64, chunk int, last *sql.NullInt64, n *int) error {
	const todo = `FROM search_index_asc_content a WHERE a.docid > ? AND a.docid <= ?
		AND NOT EXISTS (SELECT 1 FROM search_bodies b WHERE b.docid = a.docid)
		AND EXISTS (SELECT 1 FROM search_docs d WHERE d.docid = a.docid)`
	if err := tx.QueryRowContext(ctx, `SELECT max(docid), count(*) FROM (SELECT a.docid `+todo+`
		ORDER BY a.docid LIMIT ?) AS chunk`, after, int64(math.MaxInt64), chunk).Scan(last, n); err != nil || *n == 0 {
		return err
	}
	// The index first, while search_bodies still says which documents it lacks.
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_index (docid, body) SELECT a.docid, a.c0body `+todo+` ORDER BY a.docid`,
		after, last.Int64); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_bodies (docid, body) SELECT a.docid, a.c0body `+todo+` ORDER BY a.docid`,
		after, last.Int64)
	return err
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
