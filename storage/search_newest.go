package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"

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
//     word's matches (at 1M opinions 玩手机's 99 926: 66 000 buffers, 169 ms of CPU for the
//     bitmap alone). So a common word's matches among the opinions' documents are read in
//     windows of docids from the newest down, each read by the primary key with the check, and
//     sized from the density of the matches found so far, until they hold n; a word the planner
//     expects to be rare is read through the GIN index at once; the staff documents' matches
//     come from a GIN index of their own (migration 0061), where a word common in opinions
//     may be rare.

// unbounded as below: every docid.
const unbounded = math.MaxInt64

func (sqliteDriver) newestMatches(ctx context.Context, read *sql.DB, fts string, below int64, n, _ int) ([]int64, error) {
	if below == unbounded {
		return collect(ctx, read, scanInt64, `SELECT docid FROM search_index WHERE search_index MATCH ?
			ORDER BY docid DESC LIMIT ?`, fts, n)
	}
	return collect(ctx, read, scanInt64, `SELECT docid FROM search_index WHERE search_index MATCH ? AND docid < ?
		ORDER BY docid DESC LIMIT ?`, fts, below, n)
}

const (
	// rareMatches: a query the planner expects to match fewer documents than this (EXPLAIN's
	// estimate, from the tokens' frequencies) is read through the GIN index at once: its
	// bitmap and rows are few. (Store.rareMatches; tests lower it to read by windows.)
	rareMatches = 2000
	// firstWindow is the first window's width in docids, per match wanted.
	firstWindow = 4
	// windowGrowth caps how much wider each next window is than the last.
	windowGrowth = 8
)

func (postgresDriver) newestMatches(ctx context.Context, read *sql.DB, fts string, below int64, n, rare int) ([]int64, error) {
	q := fulltext.TSQuery(fts)
	out := make([]int64, 0, n)
	// The staff documents' matches first (their docids are the highest), from their own GIN
	// index (migration 0061): docid + 0 keeps the primary key out of the plan.
	if below > staffDocBase+1 {
		got, err := collect(ctx, read, scanInt64, `SELECT docid FROM search_index
			WHERE tokens @@ CAST(? AS tsquery) AND docid + 0 > 1099511627776 AND docid + 0 < ?
			ORDER BY docid DESC LIMIT ?`, q, below, n)
		if err != nil || len(got) == n {
			return got, err
		}
		out, below = append(out, got...), staffDocBase+1
	}
	// The opinions' own documents, docids 1 to the newest's.
	var plan []byte
	if err := read.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM search_index
		WHERE tokens @@ CAST(? AS tsquery)`, q).Scan(&plan); err != nil {
		return nil, err
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) == 0 || est[0].Plan.Rows < float64(rare) {
		got, err := collect(ctx, read, scanInt64, `SELECT docid FROM search_index
			WHERE tokens @@ CAST(? AS tsquery) AND docid + 0 < ? ORDER BY docid DESC LIMIT ?`, q, below, n-len(out))
		return append(out, got...), err
	}
	// A common word: windows [lo, hi) from the newest down, each read by the primary key (or
	// its range ANDed with the GIN bitmap), only as far as the matches wanted.
	hi := below
	if err := read.QueryRowContext(ctx, `SELECT COALESCE(max(docid), 0) + 1 FROM search_index WHERE docid < ?`,
		below).Scan(&hi); err != nil {
		return nil, err
	}
	width, spanned, found := int64(firstWindow*(n-len(out))), int64(0), 0
	for len(out) < n && hi > 1 {
		lo := max(hi-width, 1)
		got, err := collect(ctx, read, scanInt64, `SELECT docid FROM search_index
			WHERE tokens @@ CAST(? AS tsquery) AND docid >= ? AND docid < ? ORDER BY docid DESC LIMIT ?`,
			q, lo, hi, n-len(out))
		if err != nil {
			return nil, err
		}
		out, found, spanned, hi = append(out, got...), found+len(got), spanned+hi-lo, lo
		// The next window holds, at the density found so far, what is still wanted and a
		// quarter more; at least twice and at most windowGrowth times the last one.
		want := float64(n-len(out)) * float64(spanned) / float64(found+1) * 1.25
		width = int64(min(max(want, float64(2*width)), float64(windowGrowth*width)))
	}
	return out, nil
}
