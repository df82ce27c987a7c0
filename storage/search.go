package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"minsheng/fulltext"
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

// searchCondition is the filter's text search as SQL, or "" when there is nothing to search:
// instr() over every row's own text. The export (EachOpinion) reads every matching row anyway
// and uses it; the queue's list and counts search through the index (searchClauseFor).
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
// 0014 (and any a tool inserted without it). It runs first in the indexer (at Open, and each
// night), a batch per transaction within timeout, halved down to chunkFloor when one runs out of
// it; one still out of time there leaves the rest to the next run (ErrIndexUnfinished), and
// until then those opinions are not found by their text (nothing else reads search_text). Once
// everything is filled it is one look into an empty partial index. Safe to repeat.
func (s *Store) fillSearchText(ctx context.Context, progress io.Writer, timeout time.Duration) error {
	var todo int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM opinions
		WHERE search_text = '' AND content != '' LIMIT 1) AS one`).Scan(&todo); err != nil || todo == 0 {
		return err
	}
	after, chunk := "", searchFillBatch
	for {
		var last string
		var n int
		err := s.writeTxFor(ctx, timeout, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
			var err error
			last, n, err = fillSearchBatch(ctx, tx, after, chunk)
			return err
		})
		if smaller, retry := shrinkChunk(ctx, err, chunk); retry {
			chunk = smaller
			fmt.Fprintf(progress, "search text: a batch ran out of time, now %d opinions per transaction\n", chunk)
			continue
		}
		if err != nil {
			return fmt.Errorf("fill search text: %w", unfinished(ctx, err))
		}
		if n < chunk {
			return nil
		}
		after = last
	}
}

// fillSearchBatch fills up to chunk opinions with ids after the given one, in id order (so the
// loop ends even if a text folded to nothing), and returns the last id and the count.
func fillSearchBatch(ctx context.Context, tx *sql.Tx, after string, chunk int) (last string, n int, err error) {
	type row struct{ id, content string }
	rows, err := collect(ctx, tx, func(r *sql.Rows) (row, error) {
		var v row
		err := r.Scan(&v.id, &v.content)
		return v, err
	}, `SELECT id, content FROM opinions WHERE search_text = '' AND content != '' AND id > ? ORDER BY id LIMIT ?`,
		after, chunk)
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

// SearchCap is how many full-text matches the sidebar counts read before they call a word
// common: up to it the counts are exact (the index narrows, the exact check decides, the other
// filters and the scope apply to those few opinions); past it they count the newest SearchCap
// matches only (shown as "2000+"). The index is read newest docid first: staff documents
// (docids from 2^40) and then opinions newest day first, as the queue reads. The page does not
// read them: it reads the matches newest first until it is full (search_stream.go).
const SearchCap = 2000

// textSearch is a search planned for one look at the queue (page and sidebar).
type textSearch struct {
	q    string // folded: what the exact check looks for
	expr string // the MATCH expression ("" when walk)
	// exact: what the index matches holds q (fulltext.Exact): the matches of opinions' own
	// documents need no exact check.
	exact bool
	// walk: read the queue's order with the exact check (the scan of the benchmarks, or a query
	// of nothing but punctuation, which the index cannot look up).
	walk bool
	// stream: the page is read from the matches newest first (search_stream.go); false when so
	// many staff documents match that the page walks the queue's order instead.
	stream bool
	// staffHits is a JSON array of the ids of the opinions whose staff text holds q (checked
	// exactly), every one of them when stream.
	staffHits string
	// recent: the ids of the matching opinions of days not yet indexed.
	recent []string
	// head: the newest SearchCap+1 matching documents, newest first (all of them when fewer):
	// read once when planned, for the page (matchesBelow) and the sidebar.
	head []int64
	// opinionDocs is how many opinions' own documents there are (their docids are 1 to it).
	opinionDocs int64

	// facets: every document carries its opinion's facets (migration 0049): the sidebar may
	// count the matching documents without reading their opinions (search_facets.go).
	facets bool

	mu      sync.Mutex  // the sidebar's matches, read on demand once (sidebarHits, sidebarDocs), and walked
	sidebar *searchHits // nil until read
	docs    *facetDocs  // nil until read
	// walked: each filter's documents read from its list's top (search_narrow.go), by filter.
	walked map[string]*filterRead
}

// searchHits are the matches the sidebar counts: every one, or the newest SearchCap (capped).
type searchHits struct {
	hits   string // JSON array of opinion ids, for json_each
	staff  string // JSON array: those among hits found by their staff text (exactly)
	capped bool
}

// planSearch looks typed up in the full-text index. nil when there is nothing to search.
// scan forces today's instr() scan over every row (benchmarks compare it with the index).
func (s *Store) planSearch(ctx context.Context, typed string, scan bool) (*textSearch, error) {
	q := hanzi.Fold(SearchQuery(typed))
	if q == "" {
		return nil, nil
	}
	expr := fulltext.Query(q)
	// Without a full-text index (an engine without one, driver.go) every search walks the
	// queue's order with the exact check: right, and as slow as SQLite's before the index.
	if expr == "" || scan || !s.drv.fullText() {
		return &textSearch{q: q, walk: true}, nil
	}
	// An index whose documents are still being copied into it (search_reorder.go) would miss
	// some: the rows are walked until it is whole.
	if s.reordering.Load() {
		if old, err := s.oldIndexLeft(ctx, s.read); err != nil || old {
			return &textSearch{q: q, walk: true}, err
		}
	}
	key := fmt.Sprint(s.searchCap, " ", s.streamMost, " ", s.commits.Load(), " ", q)
	if ts := s.plans.get(key); ts != nil {
		return ts, nil
	}
	ts, err := s.lookUp(ctx, q, expr)
	if err == nil {
		s.plans.put(key, ts)
	}
	return ts, err
}

// lookUp plans the search for q (folded) through its MATCH expression: the opinions whose staff
// text holds it, and those of days not yet indexed. Their own indexed text is read by the page
// and the sidebar as they need it.
func (s *Store) lookUp(ctx context.Context, q, expr string) (*textSearch, error) {
	ts := &textSearch{q: q, expr: expr, exact: fulltext.Exact(q)}
	// One read of the index for the whole view: the newest SearchCap+1 matching documents (staff
	// documents first: their docids are the highest) serve the plan, the page's first chunks and
	// the sidebar. At a million opinions each read of a common word's list costs a millisecond or
	// two whatever its length, as much as the rest of the view.
	head, err := s.drv.newestMatches(ctx, s.read, expr, unbounded, s.searchCap+1, s.rareMatches)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", expr, err)
	}
	ts.head = head
	staffDocs := []int64{}
	for _, d := range head {
		if d <= staffDocBase {
			break
		}
		staffDocs = append(staffDocs, d)
	}
	ts.stream = len(staffDocs) <= s.searchCap
	staffDocs = staffDocs[:min(len(staffDocs), s.searchCap)]
	st, err := readIndexState(ctx, s.read)
	if err != nil {
		return nil, err
	}
	ts.facets = st.facetsBuilt
	ts.opinionDocs = st.docs
	list, _ := json.Marshal(staffDocs)
	type match struct {
		id     string
		recent bool
	}
	matches, err := collect(ctx, s.read, func(r *sql.Rows) (match, error) {
		var m match
		return m, r.Scan(&m.id, &m.recent)
	}, `SELECT d.opinion_id, 0 FROM json_each(?1) j JOIN search_docs d ON d.docid = CAST(j.value AS BIGINT) WHERE instr(d.text, ?2) > 0
		UNION ALL
		SELECT id, 1 FROM opinions WHERE created_on > ?3 AND instr(search_text, ?2) > 0`, string(list), q, st.through)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	staff := []string{}
	for _, m := range matches {
		if m.recent {
			ts.recent = append(ts.recent, m.id)
		} else {
			staff = append(staff, m.id)
		}
	}
	b, _ := json.Marshal(staff)
	ts.staffHits = string(b)
	return ts, nil
}

// sidebarHits reads the matches the sidebar counts, once per planned search: the newest
// SearchCap documents (staff documents first, then opinions' own, newest first), by opinion,
// and the opinions of days not yet indexed.
func (s *Store) sidebarHits(ctx context.Context, ts *textSearch) (*searchHits, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.sidebar != nil {
		return ts.sidebar, nil
	}
	docids := ts.head
	h := &searchHits{capped: len(docids) > s.searchCap}
	docids = docids[:min(len(docids), s.searchCap)]
	list, _ := json.Marshal(docids)
	// Candidates by their own text (the exact check comes with the query that reads their
	// rows anyway), and those whose staff text holds q, checked here where that text is.
	type match struct {
		id    string
		staff bool
	}
	matches, err := collect(ctx, s.read, func(r *sql.Rows) (match, error) {
		var m match
		return m, r.Scan(&m.id, &m.staff)
	}, `SELECT d.opinion_id, d.kind = 'staff' FROM json_each(?1) j JOIN search_docs d ON d.docid = CAST(j.value AS BIGINT)
		WHERE d.kind = 'opinion' OR instr(d.text, ?2) > 0`, string(list), ts.q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", ts.q, err)
	}
	ids, staff := []string{}, []string{}
	seen := make(map[string]bool, len(matches)+len(ts.recent))
	for _, m := range matches {
		if !seen[m.id] { // found by its own text and its staff text
			seen[m.id] = true
			ids = append(ids, m.id)
		}
		if m.staff {
			staff = append(staff, m.id)
		}
	}
	for _, id := range ts.recent {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	b, _ := json.Marshal(ids)
	h.hits = string(b)
	b, _ = json.Marshal(staff)
	h.staff = string(b)
	ts.sidebar = h
	return h, nil
}

func scanInt64(r *sql.Rows) (int64, error) {
	var v int64
	return v, r.Scan(&v)
}

// exactSQL is the exact check of a walk over the queue's order: the opinion's own text, or its
// staff document's.
const exactSQL = `(instr(o.search_text, ?) > 0 OR EXISTS (SELECT 1 FROM search_docs sd
	WHERE sd.opinion_id = o.id AND sd.kind = 'staff' AND instr(sd.text, ?) > 0))`

// hitsSQL is the exact check of the hits: their own text, or found by their staff text.
const hitsSQL = `(instr(o.search_text, ?) > 0 OR o.id IN (SELECT value FROM json_each(?)))`

// searchClause is a filter's search as SQL for a list or a count.
type searchClause struct {
	ts *textSearch // nil: no search
	// hits: the FROM starts at these opinions (a JSON array for json_each, the first argument);
	// "" when it does not.
	hits   string
	capped bool   // the hits are the newest SearchCap matches only
	cond   string // " AND " + the exact check (of the hits, or of a walk)
	args   []any  // cond's arguments
}

// hitsClause is the search of ts over the opinions of hits, found by their staff text when
// staff holds them. When the index is exact, every hit holds q: the index found it by its own
// text, or the exact check by its staff text or its row (days not yet indexed).
func hitsClause(ts *textSearch, hits, staff string) searchClause {
	if ts.exact {
		return searchClause{ts: ts, hits: hits}
	}
	return searchClause{ts: ts, hits: hits, cond: " AND " + hitsSQL, args: []any{ts.q, staff}}
}

// from is base ("… FROM opinions o …") driven by the hits when they drive it: SQLite reads the
// few opinions found by their key (CROSS JOIN keeps that order of the join) and sorts them.
func (c searchClause) from(base string) (string, []any) {
	if c.hits == "" {
		return base, nil
	}
	return strings.Replace(base, " FROM opinions o", " FROM json_each(?) h CROSS JOIN opinions o ON o.id = h.value", 1),
		[]any{c.hits}
}

// searchClauseFor plans f's search. countsOnly: the sidebar, which counts the matches (capped
// for a common word) rather than walk every row; the page walks unless ListOpinions reads it
// from the matches (streamedPage).
func (s *Store) searchClauseFor(ctx context.Context, f OpinionFilter, countsOnly bool) (searchClause, error) {
	ts, err := s.planSearch(ctx, f.Text, f.scan || f.walk)
	if err != nil || ts == nil {
		return searchClause{}, err
	}
	if f.scan { // as before the index: the opinions' own text, every row
		return searchClause{ts: ts, cond: " AND instr(o.search_text, ?) > 0", args: []any{ts.q}}, nil
	}
	if countsOnly && !ts.walk {
		h, err := s.sidebarHits(ctx, ts)
		if err != nil {
			return searchClause{}, err
		}
		c := hitsClause(ts, h.hits, h.staff)
		c.capped = h.capped
		return c, nil
	}
	return searchClause{ts: ts, cond: " AND " + exactSQL, args: []any{ts.q, ts.q}}, nil
}

// Where a search found an opinion when not in its own text (OpinionPage.Found).
const (
	FoundReply         = "reply"
	FoundRectification = "rectification"
	FoundNote          = "note"
)

// foundParts says where the search for q found each of ops, whose own text does not hold it:
// the first of the reply, the rectification text and the internal notes that holds q.
func (s *Store) foundParts(ctx context.Context, q string, ops []Opinion) (map[string]string, error) {
	var out map[string]string
	for _, o := range ops {
		var measures, explanation, report, note, notes string
		err := s.read.QueryRowContext(ctx, `SELECT COALESCE(r.measures, ''), COALESCE(r.explanation, ''),
			COALESCE(r.report, ''), COALESCE(r.note, ''),
			COALESCE((SELECT group_concat(n.body, `+sqlNewline+`) FROM opinion_notes n WHERE n.opinion_id = o.id), '')
			FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = ?`, o.ID).
			Scan(&measures, &explanation, &report, &note, &notes)
		if err != nil {
			return nil, fmt.Errorf("where the search found %s: %w", o.ID, err)
		}
		if words, ok := DissatisfiedWords(note); ok {
			note = words
		}
		part := ""
		switch {
		case strings.Contains(searchText(o.Reply), q):
			part = FoundReply
		case strings.Contains(searchText(strings.Join([]string{measures, explanation, report, note}, "\n")), q):
			part = FoundRectification
		case strings.Contains(searchText(notes), q):
			part = FoundNote
		default:
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[o.ID] = part
	}
	return out, nil
}

// planCacheTime is how long a planned search is reused: a queue view asks for its page and then
// its counts, which plan the same search. The key holds the count of commits, so anything
// written since (an opinion, a reply) is searched afresh.
const planCacheTime = 2 * time.Second

// planCache keeps the searches planned in the last planCacheTime, by cap, commits and folded
// query.
type planCache struct {
	mu    sync.Mutex
	plans map[string]cachedPlan
}

type cachedPlan struct {
	ts *textSearch
	at time.Time
}

func (c *planCache) get(key string) *textSearch {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.plans[key]
	if !ok || time.Since(p.at) > planCacheTime {
		return nil
	}
	return p.ts
}

func (c *planCache) put(key string, ts *textSearch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil || len(c.plans) >= 64 {
		c.plans = map[string]cachedPlan{} // a handful of people search at once: start again
	}
	c.plans[key] = cachedPlan{ts: ts, at: time.Now()}
}
