package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"time"
)

// The sidebar of a search counted from the documents' facets (migration 0049). A common word's
// sidebar counts its newest SearchCap matches; reading each match's opinion row by its random id
// cost a page of the file per match, so the whole view grew with the table (3–5 times from 10k
// to 1M opinions) although the work did not. search_docs keeps each document's opinion's
// status, type, unit, mailbox, leadership flag, day, and its rectification's lead unit and
// deadline under the opinions' and rectifications' own column names, kept in step by triggers;
// its rows lie in docid order, so the newest matches are neighbouring rows. The queue's own
// conditions (OpinionFilter.where, scopeSQL) are read over it unchanged, with search_docs as
// "o" and, for a liaison, as "r" too.

// facetsChunk is how many documents one transaction of the upgrade fills.
const facetsChunk = 5000

// facetsReport: the upgrade's progress is printed every so many documents.
const facetsReport = 200000

// fillSearchFacets gives the documents written before migration 0049 their facets, in docid
// order, a chunk per transaction, saying how far it got on progress; safe to stop, the next run
// goes on after the last chunk committed (search_state.facets_after). Documents written since
// the migration took theirs when written, and triggers keep them in step.
func (s *Store) fillSearchFacets(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	return s.fillSearchFacetsBy(ctx, progress, facetsChunk, facetsReport, timeout)
}

// fillSearchFacetsBy is fillSearchFacets with chunk documents per transaction, progress every
// report documents (tests take a few), each transaction within timeout.
func (s *Store) fillSearchFacetsBy(ctx context.Context, progress io.Writer, chunk, report int, timeout time.Duration) error {
	if err := s.ensureFacetTriggers(ctx); err != nil {
		return err
	}
	var built bool
	var after int64
	if err := s.write.QueryRowContext(ctx, `SELECT facets_built, facets_after FROM search_state WHERE id = 1`).
		Scan(&built, &after); err != nil || built {
		return err
	}
	var total int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM search_docs WHERE docid > ?`, after).Scan(&total); err != nil {
		return fmt.Errorf("search index facets: %w", err)
	}
	loud := total > chunk
	if loud {
		fmt.Fprintf(progress, "search index: writing the sidebar's facets of %d documents\n", total)
	}
	start, done := time.Now(), 0
	for {
		var n int
		next := after // moved on only once its transaction commits: a chunk that times out is retried
		err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			next = after
			var last sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT max(docid), count(*) FROM (SELECT docid FROM search_docs
				WHERE docid > ? ORDER BY docid LIMIT ?) AS chunk`, after, chunk).Scan(&last, &n); err != nil {
				return err
			}
			if n > 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE search_docs SET
					(status, type, unit_code, mailbox_code, about_leadership, created_on, lead_unit, deadline,
					 dept, target_kind, target_post, target_badge, channel, submitter, nature, reach, campaign_id,
					 merged_into, styles, tags) =
					(SELECT o.status, o.type, o.unit_code, o.mailbox_code, o.about_leadership, o.created_on, r.lead_unit, r.deadline,
					 o.dept, o.target_kind, o.target_post, o.target_badge, o.channel, o.submitter, o.nature, o.reach, o.campaign_id,
					 o.merged_into, `+stylesListSQL+`, `+tagsListSQL+`
					 FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = search_docs.opinion_id)
					WHERE docid > ? AND docid <= ?`, after, last.Int64); err != nil {
					return err
				}
				next = last.Int64
			}
			_, err := tx.ExecContext(ctx, `UPDATE search_state SET facets_after = ?, facets_built = ? WHERE id = 1`,
				next, n < chunk)
			return err
		})
		if smaller, retry := shrinkChunk(ctx, err, chunk); retry {
			chunk = smaller
			fmt.Fprintf(progress, "search index: a chunk of facets ran out of time, now %d documents per transaction\n", chunk)
			continue
		}
		if err != nil {
			return fmt.Errorf("search index facets: %w", unfinished(ctx, err))
		}
		after = next
		done += n
		if loud && n > 0 && (done%report == 0 || n < chunk) {
			fmt.Fprintf(progress, "search index: facets of %d of %d documents written (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
		if n < chunk {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// stylesListSQL and tagsListSQL are an opinion o's style codes and tag codes as migration 0056
// keeps them on its documents: each between spaces, ” for none (the fill's; the triggers say
// the same in each engine's own words).
const (
	stylesListSQL = `COALESCE((SELECT ' ' || group_concat(s.style, ' ') || ' ' FROM opinion_styles s WHERE s.opinion_id = o.id), '')`
	tagsListSQL   = `COALESCE((SELECT ' ' || group_concat(t.tag, ' ') || ' ' FROM opinion_tags t WHERE t.opinion_id = o.id), '')`
)

// facetTrigger is one CREATE TRIGGER statement of migration 0049 or 0056: its name and the rest.
var facetTrigger = regexp.MustCompile(`(?s)CREATE TRIGGER (\w+)(.*?\nEND;)`)

// facetMigrations are the migrations whose triggers keep the facets in step.
var facetMigrations = []string{"migrations/0049_search_facets.sql", "migrations/0056_search_facets_for_every_scope.sql"}

// ensureFacetTriggers writes again the triggers of migration 0049 that are missing, from that
// migration's own text. A later migration that rebuilds opinions or rectifications (CREATE TABLE
// …_new, copy, DROP, RENAME) drops their triggers with the old table, and the facets would go
// stale without a word; then every document's facets are written again (resumable, with
// progress), as after the upgrade.
func (s *Store) ensureFacetTriggers(ctx context.Context) error {
	if !s.drv.ftsUpgrades() { // PostgreSQL's triggers are functions no table rebuild drops
		return nil
	}
	var triggers [][]string
	for _, name := range facetMigrations {
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return fmt.Errorf("search index facets: %w", err)
		}
		triggers = append(triggers, facetTrigger.FindAllStringSubmatch(string(text), -1)...)
	}
	for _, m := range triggers {
		var n int
		if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?`,
			m[1]).Scan(&n); err != nil {
			return fmt.Errorf("search index facets: %w", err)
		}
		if n > 0 {
			continue
		}
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			if _, err := tx.ExecContext(ctx, "CREATE TRIGGER "+m[1]+m[2]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE search_state SET facets_built = 0, facets_after = 0 WHERE id = 1`)
			return err
		})
		if err != nil {
			return fmt.Errorf("search index facets: trigger %s: %w", m[1], err)
		}
	}
	return nil
}

// facetDocs are the documents the sidebar counts: the newest SearchCap matching documents.
type facetDocs struct {
	list   string // JSON array of docids, for json_each
	capped bool   // more documents match
}

// sidebarDocs are the documents the sidebar counts, of those read when the search was planned.
func (s *Store) sidebarDocs(ts *textSearch) *facetDocs {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.docs != nil {
		return ts.docs
	}
	docids := ts.head
	d := &facetDocs{capped: len(docids) > s.searchCap}
	b, _ := json.Marshal(docids[:min(len(docids), s.searchCap)])
	d.list = string(b)
	ts.docs = d
	return d
}

// facetsFilter: f searches through the index, and the documents carry every column its other
// conditions and every role's scope read (migrations 0049 and 0056: scopeSQL and where() with
// docs set read nothing else), so it may be read from them whatever the filter and the role.
// What still reads rows is a query the index does not answer exactly (facetsFit).
func facetsFilter(f OpinionFilter) bool {
	return f.Text != "" && !f.scan && !f.walk
}

// facetsFit: f's search ts may be read from the facets: f's conditions read only them
// (facetsFilter), the facets are built, and the index answers ts exactly (a query of Chinese
// characters), so a match's own text need not be read.
func facetsFit(f OpinionFilter, ts *textSearch) bool {
	return facetsFilter(f) && ts != nil && !ts.walk && ts.exact && ts.facets
}

// countsFromFacets is StatusCounts for a search the facets can count: a query the index
// answers exactly (Chinese characters: its own documents need no look at the row), whatever
// its other filters and the role's scope (facetsFilter). ok is false
// when they cannot (StatusCounts reads the rows). The counts are those of the rows: the same
// matches (the newest SearchCap documents, and the opinions of days not yet indexed), the same
// conditions, each opinion once however many of its documents match.
func (s *Store) countsFromFacets(ctx context.Context, f OpinionFilter) (c StatusCounts, ok bool, err error) {
	if !facetsFilter(f) {
		return c, false, nil
	}
	ts, err := s.planSearch(ctx, f.Text, false)
	if err != nil || !facetsFit(f, ts) {
		return c, false, err
	}
	docs := s.sidebarDocs(ts)
	filterRead := 0 // the filter's documents searched, when counted from its side and capped
	if narrow, read, err := s.narrowSidebarDocs(ctx, f, ts, docs.capped); err != nil {
		return c, false, fmt.Errorf("status counts: %w", err)
	} else if narrow != nil {
		docs = narrow
		if docs.capped {
			filterRead = read
		}
	}
	recent, _ := json.Marshal(ts.recent)
	if ts.recent == nil {
		recent = []byte("[]")
	}
	f.Text, f.Status = "", ""
	f.byKey = true // the rows part reads the opinions of days not yet indexed by key
	where, args := f.where()
	f.byKey, f.docs = false, true
	docsWhere, docsArgs := f.where() // the same arguments, read over the documents
	open := openStatuses()
	today := s.Today()
	// r: the rectification's columns; in the documents, the document's own.
	alsoR := ""
	if f.readsRectification() {
		alsoR = ` CROSS JOIN search_docs r ON r.docid = o.docid`
	}
	// Each opinion once: a staff document counts only when neither its opinion's own document
	// nor its row (a day not yet indexed) is counted already; no UNION, whose temporary B-tree
	// cost as much as the rest.
	query := `SELECT status, count(*), sum(overdue) FROM (
		SELECT o.status AS status,
			CASE WHEN o.deadline != '' AND o.deadline < ?1 AND o.status IN (` + open + `) THEN 1 ELSE 0 END AS overdue
		FROM json_each(?2) j CROSS JOIN search_docs o ON o.docid = CAST(j.value AS BIGINT)` + alsoR + `
		WHERE (o.kind = 'opinion' OR instr(o.text, ?3) > 0
			AND o.opinion_id NOT IN (SELECT value FROM json_each(?4))
			AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.opinion_id = o.opinion_id AND d.kind = 'opinion'
				AND d.docid IN (SELECT CAST(value AS BIGINT) FROM json_each(?2))))
			AND ` + docsWhere + `
		UNION ALL
		SELECT o.status, CASE WHEN r.deadline != '' AND r.deadline < ?1 AND o.status IN (` + open + `) THEN 1 ELSE 0 END
		FROM json_each(?4) h CROSS JOIN opinions o ON o.id = h.value LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE ` + where + `) AS matched GROUP BY status`
	all := append([]any{today, docs.list, ts.q, string(recent)}, docsArgs...)
	all = append(all, args...)
	type count struct {
		status     string
		n, overdue int
	}
	counts, err := collect(ctx, s.read, func(r *sql.Rows) (count, error) {
		var n count
		return n, r.Scan(&n.status, &n.n, &n.overdue)
	}, query, all...)
	if err != nil {
		return c, false, fmt.Errorf("status counts: %w", err)
	}
	c = StatusCounts{ByStatus: map[string]int{}, Capped: docs.capped, FilterRead: filterRead}
	for _, n := range counts {
		c.ByStatus[n.status] = n.n
		c.Total += n.n
		c.Overdue += n.overdue
	}
	return c, true, nil
}
