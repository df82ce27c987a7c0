package storage

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"

	"minsheng/fulltext"
)

// The newest matches of a full-text query, newest docid first: what a search's plan (the
// newest SearchCap+1, search.go) and a page's chunks (search_stream.go) read. Each engine reads
// them its own way, because their indexes return matches differently:
//
//   - SQLite's FTS4 stores each term's documents newest first (migration 0037) and reads them
//     incrementally: ORDER BY docid DESC LIMIT n reads n matches, whatever the word's total.
//   - PostgreSQL's GIN index returns a bitmap of every match, unordered, and the table's rows are
//     read to check a phrase's positions: the same statement reads and sorts all of a common
//     word's matches, ten times as many at 1M opinions as at 100k. So it reads the matches in
//     windows of docids from the newest down (a range of the primary key ANDed with the GIN
//     bitmap: only the window's rows are read), each window sized from the density of the
//     matches found so far, until it holds n. A word with few matches is read at once.

// unbounded as below: every docid.
const unbounded = math.MaxInt64

func (sqliteDriver) newestMatches(ctx context.Context, read *sql.DB, fts string, below int64, n int) ([]int64, error) {
	if below == unbounded {
		return collect(ctx, read, scanInt64, `SELECT docid FROM search_index WHERE search_index MATCH ?
			ORDER BY docid DESC LIMIT ?`, fts, n)
	}
	return collect(ctx, read, scanInt64, `SELECT docid FROM search_index WHERE search_index MATCH ? AND docid < ?
		ORDER BY docid DESC LIMIT ?`, fts, below, n)
}

const (
	// fewMatches: a first look reads up to this many matches below the bound, in no order;
	// when that is all there are, they are the answer (a rare word, or none: one statement).
	fewMatches = 64
	// firstWindow is the first window's width in docids, per match wanted.
	firstWindow = 4
	// windowGrowth caps how much wider each next window is than the last (for a word so rare
	// that the windows read hold none of it, they reach the oldest document in a few steps).
	windowGrowth = 8
)

func (postgresDriver) newestMatches(ctx context.Context, read *sql.DB, fts string, below int64, n int) ([]int64, error) {
	q := fulltext.TSQuery(fts)
	few, err := collect(ctx, read, scanInt64, `SELECT docid FROM search_index
		WHERE tokens @@ CAST(? AS tsquery) AND docid < ? LIMIT ?`, q, below, fewMatches+1)
	if err != nil || len(few) <= fewMatches {
		slices.SortFunc(few, func(a, b int64) int { return cmp.Compare(b, a) })
		return few[:min(len(few), n)], err
	}
	// Windows [lo, hi) from the newest down. Docids are dense in two ranges: the opinions'
	// own documents from 1, staff documents from staffDocBase+1 (search_index.go); a window
	// stops at the start of the staff range, and the next one starts at the newest opinion.
	hi := below
	if hi == unbounded {
		if err := read.QueryRowContext(ctx, `SELECT COALESCE(max(docid), 0) + 1 FROM search_index`).Scan(&hi); err != nil {
			return nil, err
		}
	}
	out := make([]int64, 0, n)
	width, spanned := int64(firstWindow*n), int64(0)
	for len(out) < n && hi > 1 {
		lo := max(hi-width, 1)
		if hi > staffDocBase+1 && lo <= staffDocBase {
			lo = staffDocBase + 1
		}
		got, err := collect(ctx, read, scanInt64, `SELECT docid FROM search_index
			WHERE tokens @@ CAST(? AS tsquery) AND docid >= ? AND docid < ? ORDER BY docid DESC LIMIT ?`,
			q, lo, hi, n-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		spanned += hi - lo
		if lo == staffDocBase+1 {
			// Below the staff documents: on from the newest opinion's document.
			if err := read.QueryRowContext(ctx, `SELECT COALESCE(max(docid), 0) + 1 FROM search_index WHERE docid <= ?`,
				staffDocBase).Scan(&hi); err != nil {
				return nil, err
			}
		} else {
			hi = lo
		}
		// The next window holds, at the density found so far, what is still wanted and a
		// quarter more; at least twice and at most windowGrowth times the last one.
		want := float64(n-len(out)) * float64(spanned) / float64(len(out)+1) * 1.25
		width = int64(min(max(want, float64(2*width)), float64(windowGrowth*width)))
	}
	return out, nil
}
