package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// A page of a search, read from the index newest first. Walking the queue's order with the
// exact check reads, for a narrow scope (a liaison's), tens of thousands of rows before 50 are in
// the scope; reading every match and sorting them costs as much as the word is common.
// Opinions' own documents have docids in (created_on, id) order, the queue's order (the indexer
// gives them a finished day at a time, search_index.go), and the index stores each term's
// documents newest first (migration 0037), so the matches read newest docid first, a chunk at a
// time (SELECT … ORDER BY docid DESC LIMIT n reads only as far as it returns), come in the
// queue's order: the page is read from them with the other filters and the scope until it is
// full and no match not yet read could come before its last row. The opinions of days not yet
// indexed and those found by their staff text are all read with the first chunk.

const (
	// streamChunk is how many matches one step reads at the most.
	streamChunk = 2000
	// streamMost is how many matches a page reads: past them it walks the queue's order instead
	// (a scope or filter that holds almost none of a very common word's matches).
	streamMost = 20000
)

// dayID is a row's place in the queue's order.
type dayID struct{ day, id string }

func (a dayID) before(b dayID) bool { // a comes first in the queue: newer day, then higher id
	return a.day > b.day || a.day == b.day && a.id > b.id
}

// streamedPage returns the ids of the first limit+1 opinions of f's queue after the cursor that
// the search ts finds, in the queue's order; ok is false when it cannot be sure of
// them within the matches read (the caller walks the queue's order instead).
func (s *Store) streamedPage(ctx context.Context, f OpinionFilter, ts *textSearch, after Cursor, limit int) (ids []string, ok bool, err error) {
	if !ts.stream {
		return nil, false, nil
	}
	// Start at the cursor, or at the chosen month's end, whichever comes later in the queue,
	// and end at the month's start: the matches outside are not read.
	from, to := dayID{}, dayID{}
	if after.ID != "" {
		from = dayID{after.Day, after.ID}
	}
	if start, end, ok := MonthRange(f.Month); ok {
		if end := (dayID{end, ""}); from.day == "" || from.before(end) {
			from = end
		}
		to = dayID{start, ""}
	}
	below := int64(staffDocBase) // read the opinions' documents with docids under it
	if from.day != "" {
		err := s.read.QueryRowContext(ctx, `SELECT d.docid + 1 FROM opinions o JOIN search_docs d ON d.opinion_id = o.id AND d.kind = 'opinion'
			WHERE (o.created_on, o.id) < (?, ?) ORDER BY o.created_on DESC, o.id DESC LIMIT 1`, from.day, from.id).Scan(&below)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			below = 0 // no indexed opinion comes after the start
		case err != nil:
			return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
		}
	}
	var first []string // read with the first chunk: days not yet indexed, staff text
	if err := json.Unmarshal([]byte(ts.staffHits), &first); err != nil {
		return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
	}
	first = append(first, ts.recent...)

	// With the facets (search_facets.go), a chunk's matches are filtered and placed from their
	// documents, without reading their opinions' rows.
	facets := facetsFit(f, ts)
	f.Text, f.scan, f.walk = "", false, false // searched here
	f.byKey = true                            // the opinions read below are the few found
	where, args := f.where()
	var facetQuery string
	var facetArgs []any
	if facets {
		d := f
		d.docs, d.byKey = true, false
		where, args := d.where() // over the documents
		alsoR := ""
		if f.readsRectification() {
			alsoR = ` CROSS JOIN search_docs r ON r.docid = o.docid`
		}
		facetQuery = `SELECT o.created_on, o.opinion_id FROM json_each(?) j CROSS JOIN search_docs o ON o.docid = CAST(j.value AS BIGINT)` + alsoR +
			` WHERE ` + where
		facetArgs = append(facetArgs, args...)
		if after.ID != "" {
			facetQuery += ` AND (o.created_on, o.opinion_id) < (?, ?)`
			facetArgs = append(facetArgs, after.Day, after.ID)
		}
		facetQuery += ` ORDER BY o.created_on DESC, o.opinion_id DESC LIMIT ?`
		facetArgs = append(facetArgs, limit+1)
	}
	if !ts.exact {
		where += " AND " + hitsSQL
		args = append(args, ts.q, ts.staffHits)
	}
	if after.ID != "" {
		where += " AND (o.created_on, o.id) < (?, ?)"
		args = append(args, after.Day, after.ID)
	}
	args = append(args, limit+1)
	query := `SELECT o.created_on, o.id FROM json_each(?) h CROSS JOIN opinions o ON o.id = h.value
		LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE ` + where + ` ORDER BY o.created_on DESC, o.id DESC LIMIT ?`

	var narrow *filterWalk // the filter's documents drive instead of the word's matches (search_narrow.go)
	if facets {
		if narrow, err = s.narrowWalk(ctx, f, ts, limit); err != nil {
			return nil, false, err
		}
	}

	var found []dayID
	seen := map[string]bool{}
	// The first chunk holds a page's worth: enough when the matches are in the scope; each next
	// one is twice as long, up to streamChunk, for a scope that holds few of them. A filter's
	// walk starts with what a page needs at the word's density (nextStep goes on from there).
	size, read := min(limit+1, s.streamChunk), 0
	if narrow != nil && narrow.first > size {
		size = narrow.first
	}
	for step := 0; ; step, size = step+1, nextStep(narrow, size, read, len(found), limit, s.streamChunk) {
		chunk := []int64{}
		last, examined, done := int64(0), 0, true // the oldest document read, how many, and whether all
		switch {
		case below > 0 && narrow != nil:
			if chunk, last, examined, done, err = s.filterBelow(ctx, ts, narrow, below, size); err != nil {
				return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
			}
		case below > 0:
			if chunk, err = s.matchesBelow(ctx, ts, below, size); err != nil {
				return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
			}
			if examined, done = len(chunk), len(chunk) < size; examined > 0 {
				last = chunk[examined-1]
			}
		}
		read += examined
		list, _ := json.Marshal(chunk)
		var rows []dayID
		var chunkIDs []string
		if facets {
			filtered, err := collect(ctx, s.read, scanDayID, facetQuery, append([]any{string(list)}, facetArgs...)...)
			if err != nil {
				return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
			}
			for _, k := range filtered {
				if !seen[k.id] { // not already read with the first chunk's others
					seen[k.id] = true
					rows = append(rows, k)
				}
			}
		} else if chunkIDs, err = collect(ctx, s.read, scanString,
			`SELECT d.opinion_id FROM json_each(?) j CROSS JOIN search_docs d ON d.docid = CAST(j.value AS BIGINT)`, string(list)); err != nil {
			return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
		}
		if step == 0 {
			chunkIDs = append(chunkIDs, first...)
		}
		fresh := []string{}
		for _, id := range chunkIDs {
			if !seen[id] {
				seen[id] = true
				fresh = append(fresh, id)
			}
		}
		if len(fresh) > 0 {
			freshList, _ := json.Marshal(fresh)
			more, err := collect(ctx, s.read, scanDayID, query, append([]any{string(freshList)}, args...)...)
			if err != nil {
				return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
			}
			rows = append(rows, more...)
		}
		found = append(found, rows...)
		sort.Slice(found, func(i, j int) bool { return found[i].before(found[j]) })
		if len(found) > limit+1 {
			found = found[:limit+1]
		}
		if done {
			break // every match read
		}
		if read >= s.streamMost {
			return nil, false, nil // streamMost read and the page may go on past them
		}
		below = last
		// The oldest match read: every one not yet read comes after it in the queue.
		var oldest dayID
		oldestQuery := `SELECT o.created_on, o.id FROM search_docs d JOIN opinions o ON o.id = d.opinion_id WHERE d.docid = ?`
		if facets { // the document's own facets: no opinion row read by its random id
			oldestQuery = `SELECT created_on, opinion_id FROM search_docs WHERE docid = ?`
		}
		if err := s.read.QueryRowContext(ctx, oldestQuery, below).Scan(&oldest.day, &oldest.id); errors.Is(err, sql.ErrNoRows) {
			return nil, false, nil // a document whose opinion is gone: walk rather than guess
		} else if err != nil {
			return nil, false, fmt.Errorf("search %q: %w", ts.q, err)
		}
		if len(found) == limit+1 && !oldest.before(found[limit]) || to.day != "" && to.before(oldest) {
			break // the page is settled, or the matches left are before the month
		}
	}
	ids = make([]string, len(found))
	for i, k := range found {
		ids[i] = k.id
	}
	return ids, true, nil
}

// nextStep is how many documents the next step reads: twice as many as the last, or, walking a
// filter's documents, about as many as the rows still wanted need at the rate found so far
// (a quarter more, at least a page's worth): doubling would read up to twice what the page needs.
func nextStep(narrow *filterWalk, size, read, found, limit, most int) int {
	if narrow == nil || found == 0 || found > limit {
		return min(2*size, most)
	}
	want := (limit + 1 - found) * read / found
	return max(limit+1, min(want+want/4, 2*size, most))
}

func scanDayID(r *sql.Rows) (dayID, error) {
	var k dayID
	return k, r.Scan(&k.day, &k.id)
}

// matchesBelow returns up to size matching documents with docids under below, newest first:
// from those read when the search was planned (ts.head) when they hold them, else from the
// index.
func (s *Store) matchesBelow(ctx context.Context, ts *textSearch, below int64, size int) ([]int64, error) {
	i := sort.Search(len(ts.head), func(i int) bool { return ts.head[i] < below })
	if rest := ts.head[i:]; len(rest) >= size || len(ts.head) <= s.searchCap {
		return rest[:min(len(rest), size)], nil // enough of them, or every match there is
	}
	return s.drv.newestMatches(ctx, s.read, ts.expr, below, size, s.rareMatches)
}
