package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"minsheng/fulltext"
	"minsheng/nearby"
)

// The full-text index (migration 0023). An opinion's own text is indexed by the indexer a whole
// finished day at a time, never in its submission's transaction: FTS4 writes a segment per
// commit, which would record the order in which a day's opinions arrived. Its documents get the
// docids 1, 2, … in (created_on, id) order, dense. Staff text (reply, rectification text,
// internal notes) is the staff's own audited action: its document is written in the staff
// action's transaction, docids from staffDocBase up.

// staffDocBase: staff documents have docids above it, opinions' own documents below.
const staffDocBase = 1 << 40

// indexChunk is how many opinions one indexing transaction takes: a few thousand, so that the
// writer is never held for long while the portal serves.
const indexChunk = 3000

// postgresIndexChunk is indexChunk on PostgreSQL, where each document written also runs the
// facet trigger's UPDATE (migration 0049's twin) and adds to a GIN index: 3 000 took longer
// than a write transaction may on the shared benchmark machine (load 40 on two cores).
const postgresIndexChunk = 500

// indexChunkSize is how many opinions one indexing transaction takes on s's engine.
func (s *Store) indexChunkSize() int {
	if s.drv.name() == "postgres" {
		return postgresIndexChunk
	}
	return indexChunk
}

// chunkFloor is the fewest rows a chunk of the indexer or the facets fill is cut down to when
// chunks run out of the write timeout; one that still does gives up (ErrIndexUnfinished).
const chunkFloor = 50

// ErrIndexUnfinished: a chunk of the indexer (search text, the copy into the newest-first
// index, facets, opinions' documents, staff documents) ran out of the write timeout even at
// chunkFloor rows (a machine far too busy). Nothing is wrong: the chunks committed stay,
// searches read the rows of what is not indexed yet, and the next IndexSearch goes on. Open
// starts regardless.
var ErrIndexUnfinished = errors.New("search index unfinished: its chunks ran out of the write timeout")

// shrinkChunk decides what follows a chunk's transaction that ended with err: when the
// transaction ran out of its own time (not the caller's ctx), a chunk half as big (retry), down
// to chunkFloor.
func shrinkChunk(ctx context.Context, err error, chunk int) (int, bool) {
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || chunk <= chunkFloor {
		return chunk, false
	}
	return max(chunk/2, chunkFloor), true
}

// unfinished turns a transaction's own timeout at the floor into ErrIndexUnfinished.
func unfinished(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("%w: %v", ErrIndexUnfinished, err)
	}
	return err
}

// indexState is the row of search_state.
type indexState struct {
	through    string // every opinion created on or before this day has its document
	docs       int64  // opinion documents, the last docid given
	staffBuilt bool
	rebuild    bool
	// facetsBuilt: every document carries its opinion's facets (migration 0049,
	// search_facets.go), so the sidebar may count from them.
	facetsBuilt bool
}

func readIndexState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (indexState, error) {
	var st indexState
	err := q.QueryRowContext(ctx, `SELECT indexed_through, docs, staff_built, rebuild, facets_built FROM search_state WHERE id = 1`).
		Scan(&st.through, &st.docs, &st.staffBuilt, &st.rebuild, &st.facetsBuilt)
	if err != nil {
		return st, fmt.Errorf("search index state: %w", err)
	}
	return st, nil
}

// IndexSearch indexes the opinions of every finished day not yet indexed (today's wait for
// tomorrow: the queue reads their rows), in chunks of indexChunk per transaction in docid
// order, and writes the staff documents the index lacks after an upgrade or a rebuild. It says
// how far it got on progress (nil: silent) when there is much to do. Safe to repeat, and to
// stop: the next run goes on from the last chunk committed.
func (s *Store) IndexSearch(ctx context.Context, progress io.Writer) error {
	return s.indexSearch(ctx, progress, s.txTimeout)
}

// indexSearch is IndexSearch with timeout for each of its transactions (Open's may differ).
func (s *Store) indexSearch(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	if progress == nil {
		progress = io.Discard
	}
	if err := s.reorderSearchIndex(ctx, progress, timeout); err != nil {
		return err
	}
	// Indexed text is search_text: an opinion still without it would be indexed empty.
	if err := s.fillSearchText(ctx, progress, timeout); err != nil {
		return err
	}
	st, err := readIndexState(ctx, s.write)
	if err != nil {
		return err
	}
	if st.rebuild {
		if err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error { return wipeSearchIndex(ctx, tx, s.drv) }); err != nil {
			return fmt.Errorf("rebuild search index: %w", unfinished(ctx, err))
		}
	}
	if err := s.fillSearchFacets(ctx, progress, timeout); err != nil {
		return err
	}
	var todo int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM opinions WHERE created_on >= ? AND created_on < ?`,
		st.through, s.Today()).Scan(&todo); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	chunk := s.indexChunkSize()
	loud := todo > chunk
	if loud {
		fmt.Fprintf(progress, "search index: indexing %d opinions of finished days\n", todo)
	}
	start, done := time.Now(), 0
	for {
		var n int
		err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			var err error
			n, err = indexChunkOf(ctx, tx, now.Format(dateLayout), chunk)
			return err
		})
		if smaller, retry := shrinkChunk(ctx, err, chunk); retry {
			chunk = smaller
			fmt.Fprintf(progress, "search index: a chunk ran out of time, now %d opinions per transaction\n", chunk)
			continue
		}
		if err != nil {
			return fmt.Errorf("search index: %w", unfinished(ctx, err))
		}
		done += n
		if loud && n > 0 {
			fmt.Fprintf(progress, "search index: %d of %d opinions (%s)\n", done, todo, time.Since(start).Round(time.Second))
		}
		if n < chunk {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := s.buildStaffDocs(ctx, progress, timeout); err != nil {
		return err
	}
	if loud { // many chunks, many segments: merge them (at start-up, or a night of thousands)
		fmt.Fprintf(progress, "search index: merging its segments\n")
		if err := s.optimizeSearchIndex(ctx); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// indexChunkOf indexes up to chunk opinions created before today that follow the last one
// indexed, in (created_on, id) order, and returns how many it indexed.
func indexChunkOf(ctx context.Context, tx *sql.Tx, today string, chunk int) (int, error) {
	st, err := readIndexState(ctx, tx)
	if err != nil {
		return 0, err
	}
	var lastDay, lastID string
	if st.docs > 0 {
		err := tx.QueryRowContext(ctx, `SELECT o.created_on, o.id FROM search_docs d JOIN opinions o ON o.id = d.opinion_id
			WHERE d.docid = ?`, st.docs).Scan(&lastDay, &lastID)
		if err != nil {
			return 0, fmt.Errorf("last indexed opinion: %w", err)
		}
	}
	type row struct{ id, day, text string }
	rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
		var v row
		return v, r.Scan(&v.id, &v.day, &v.text)
	}, `SELECT id, created_on, search_text FROM opinions
		WHERE (created_on, id) > (?, ?) AND created_on < ? ORDER BY created_on, id LIMIT ?`, lastDay, lastID, today, chunk)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	ins, err := prepareDocWrite(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	doc, err := tx.PrepareContext(ctx, `INSERT INTO search_docs (docid, opinion_id, kind) VALUES (?, ?, 'opinion')`)
	if err != nil {
		return 0, err
	}
	defer doc.Close()
	df := map[string]int{}
	docid := st.docs
	for _, r := range rows {
		docid++
		if err := ins.put(ctx, docid, fulltext.Tokens(r.text)); err != nil {
			return 0, err
		}
		if _, err := doc.ExecContext(ctx, docid, r.id); err != nil {
			return 0, err
		}
		for term := range nearby.Terms(r.text) {
			df[term]++
		}
	}
	if err := addDocFreqs(ctx, tx, df); err != nil {
		return 0, err
	}
	// The last row's day is whole only if this chunk ended before the limit; otherwise its rest
	// comes with the next chunk, and until then the queue reads that day's rows.
	through := rows[len(rows)-1].day
	if len(rows) == chunk {
		through = dayBefore(through)
	}
	_, err = tx.ExecContext(ctx, `UPDATE search_state SET docs = ?, indexed_through = max(indexed_through, ?) WHERE id = 1`,
		docid, through)
	return len(rows), err
}

// dayBefore is the calendar day before day (YYYY-MM-DD).
func dayBefore(day string) string {
	t, err := time.Parse(dateLayout, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -1).Format(dateLayout)
}

// addDocFreqs adds counts to search_terms (negative counts take away; a term no document
// holds any more is removed).
func addDocFreqs(ctx context.Context, tx *sql.Tx, df map[string]int) error {
	up, err := tx.PrepareContext(ctx, `INSERT INTO search_terms (term, docs) VALUES (?, ?)
		ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + excluded.docs`)
	if err != nil {
		return err
	}
	defer up.Close()
	for term, n := range df {
		if n < 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM search_terms WHERE term = ? AND docs + ? <= 0`, term, n); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE search_terms SET docs = docs + ? WHERE term = ?`, n, term); err != nil {
				return err
			}
			continue
		}
		if _, err := up.ExecContext(ctx, term, n); err != nil {
			return err
		}
	}
	return nil
}

// wipeSearchIndex empties the index and its tables, and asks for every staff document again.
// FTS4 would delete its documents one by one (tokenizing each to write deletion markers), so its
// own tables and its content (search_bodies) are emptied instead: they hold nothing else.
func wipeSearchIndex(ctx context.Context, tx *sql.Tx, drv driver) error {
	qs := []string{`DELETE FROM search_bodies`}
	for _, t := range drv.ftsShadowTables() {
		qs = append(qs, `DELETE FROM `+t)
	}
	qs = append(qs, `DELETE FROM search_docs`, `DELETE FROM search_terms`,
		// Every document written from now on takes its facets from its opinion (migration 0049).
		`UPDATE search_state SET indexed_through = '', docs = 0, staff_built = 0, rebuild = 0, facets_after = 0, facets_built = 1 WHERE id = 1`)
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// RebuildSearchIndex makes the next IndexSearch start again from nothing: for tools that insert
// opinions into days already indexed (the seed tool, the benchmarks' builders).
func (s *Store) RebuildSearchIndex(ctx context.Context) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, `UPDATE search_state SET rebuild = 1 WHERE id = 1`)
		return err
	})
}

// buildStaffDocs writes the staff document of every opinion that has staff text, once after
// the migration (or a rebuild): staff actions keep them up to date afterwards. In id order,
// a chunk per transaction.
func (s *Store) buildStaffDocs(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	st, err := readIndexState(ctx, s.write)
	if err != nil || st.staffBuilt {
		return err
	}
	after, done, chunk := "", 0, s.indexChunkSize()
	for {
		var ids []string
		err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			var err error
			ids, err = collect(ctx, tx, func(r *sql.Rows) (string, error) {
				var id string
				return id, r.Scan(&id)
			}, `SELECT id FROM opinions WHERE id > ? ORDER BY id LIMIT ?`, after, chunk)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := writeStaffDoc(ctx, tx, id); err != nil {
					return err
				}
			}
			if len(ids) < chunk {
				_, err = tx.ExecContext(ctx, `UPDATE search_state SET staff_built = 1 WHERE id = 1`)
			}
			return err
		})
		if smaller, retry := shrinkChunk(ctx, err, chunk); retry {
			chunk = smaller
			fmt.Fprintf(progress, "search index: a chunk of staff text ran out of time, now %d opinions per transaction\n", chunk)
			continue
		}
		if err != nil { // the next run reads them again from the first: writeStaffDoc repeats safely
			return fmt.Errorf("search index, staff text: %w", unfinished(ctx, err))
		}
		done += len(ids)
		if done > chunk || len(ids) == chunk {
			fmt.Fprintf(progress, "search index: staff text of %d opinions read\n", done)
		}
		if len(ids) < chunk {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// staffText is what staff wrote about an opinion, as the index compares it (masked and folded):
// the reply, the rectification's measures, explanation, report and note, the internal notes and
// the staff's messages to the submitter (the submitter's answers are public text: indexing them
// in their own transaction would date them, see above), each on its own line so that no word runs from one into the next.
func staffText(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var reply, measures, explanation, report, note, notes, messages string
	err := tx.QueryRowContext(ctx, `SELECT o.reply, COALESCE(r.measures, ''), COALESCE(r.explanation, ''),
		COALESCE(r.report, ''), COALESCE(r.note, ''),
		COALESCE((SELECT group_concat(n.body, `+sqlNewline+`) FROM opinion_notes n WHERE n.opinion_id = o.id), ''),
		COALESCE((SELECT group_concat(m.body, `+sqlNewline+` ORDER BY m.seq) FROM opinion_messages m
			WHERE m.opinion_id = o.id AND m.side = 'staff'), '')
		FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = ?`, id).
		Scan(&reply, &measures, &explanation, &report, &note, &notes, &messages)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", err
	}
	if words, ok := DissatisfiedWords(note); ok {
		note = words // the code says who sent it back, not what
	}
	var parts []string
	for _, p := range []string{reply, measures, explanation, report, note, notes, messages} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return searchText(strings.Join(parts, "\n")), nil
}

// writeStaffDoc brings the staff document of opinion id in step with its staff text, in the
// staff action's transaction: written, replaced or removed, untouched when the text is the same.
func writeStaffDoc(ctx context.Context, tx *sql.Tx, id string) error {
	text, err := staffText(ctx, tx, id)
	if err != nil {
		return err
	}
	var docid int64
	var old string
	err = tx.QueryRowContext(ctx, `SELECT docid, text FROM search_docs WHERE opinion_id = ? AND kind = 'staff'`, id).Scan(&docid, &old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if text == "" {
			return nil
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(docid), ?) + 1 FROM search_docs WHERE docid > ?`,
			staffDocBase, staffDocBase).Scan(&docid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_docs (docid, opinion_id, kind, text) VALUES (?, ?, 'staff', ?)`,
			docid, id, text); err != nil {
			return err
		}
	case err != nil:
		return err
	case old == text:
		return nil
	default:
		if err := dropDoc(ctx, tx, docid); err != nil {
			return err
		}
		if text == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE docid = ?`, docid)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE search_docs SET text = ? WHERE docid = ?`, text, docid); err != nil {
			return err
		}
	}
	return putDoc(ctx, tx, docid, fulltext.Tokens(text))
}

// reindexOpinionText brings opinion id's own document and the term counts in step with its
// search_text after its content changed (an edit or a redaction), in that change's transaction.
// An opinion of a day not yet indexed has no document: the indexer reads its new text later.
func reindexOpinionText(ctx context.Context, tx *sql.Tx, id, oldText string) error {
	var docid int64
	err := tx.QueryRowContext(ctx, `SELECT docid FROM search_docs WHERE opinion_id = ? AND kind = 'opinion'`, id).Scan(&docid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var text string
	if err := tx.QueryRowContext(ctx, `SELECT search_text FROM opinions WHERE id = ?`, id).Scan(&text); err != nil {
		return err
	}
	if err := dropDoc(ctx, tx, docid); err != nil {
		return err
	}
	if err := putDoc(ctx, tx, docid, fulltext.Tokens(text)); err != nil {
		return err
	}
	df := map[string]int{}
	for term := range nearby.Terms(oldText) {
		df[term]--
	}
	for term := range nearby.Terms(text) {
		df[term]++
	}
	for term, n := range df {
		if n == 0 {
			delete(df, term)
		}
	}
	return addDocFreqs(ctx, tx, df)
}

// indexDelay is how long after midnight the nightly indexing waits: a submission that took
// its day just before midnight has long committed by then.
const indexDelay = 5 * time.Minute

// UntilNightlyIndex is how long from now until the indexer should next run (IndexSearch): a few
// minutes after the coming midnight in the store's time zone, when the day just ended is whole.
func (s *Store) UntilNightlyIndex() time.Duration {
	now := s.now()
	next := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, now.Location()).Add(indexDelay)
	return next.Sub(now)
}

// SearchIndexedThrough is the last day whose opinions are all in the full-text index ("" when
// none are): later days are searched by reading their rows.
func (s *Store) SearchIndexedThrough(ctx context.Context) (string, error) {
	st, err := readIndexState(ctx, s.read)
	return st.through, err
}
