package storage

import (
	"context"
	"encoding/json"
)

// The sidebar of a narrow filter over a common word, counted from the filter's side. The word's
// side counts the newest SearchCap matches of the word that the filter keeps: at a million
// opinions a department head's 科室 holds 18 of 玩手机's newest 2 000 matches, shown as "18+"
// beside a full page of 50, although the page was read from the 科室's own documents
// (search_narrow.go). When the page walks the filter's side, the sidebar counts that side too:
// the filter's newest documents that hold the word, those the page read (kept with the planned
// search: textSearch.walked, so none is read twice) and at least narrowCount. Their counts are
// exact when the filter has no more documents (a short tag, a small 科室), else at least these,
// and the sidebar says of how many of the filter's documents (StatusCounts.FilterRead).

// narrowCount is how many of a filter's newest documents the sidebar searches at least
// (Store.narrowCount); past it, those the page read. Each costs a look at its tokens, a page of
// the file at a million opinions: the page of a department head's common word reads about 600
// there, and 1 000 (110 matches counted instead of 60) cost as much again as the word's side
// did (its newest 2 000 matches' facets), all of a 科室 at a million opinions (6 744 documents)
// about 10 ms, more than the rest of the view. So the sidebar counts what the page read, and no
// fewer than this when it was read without the page (a plan of its own).
const narrowCount = 200

// narrowSidebarDocs are the documents the sidebar of f's search ts counts when they are read
// from the filter's side, and how many of the filter's documents were read; nil when the word's
// side counts (the page walks the word's matches; the word's side is exact and the filter's is
// not; a month, whose stretch of the filter the walk does not start at; staff documents too many
// to be all in ts.head). wordCapped: the word's side counts its newest matches only.
func (s *Store) narrowSidebarDocs(ctx context.Context, f OpinionFilter, ts *textSearch, wordCapped bool) (*facetDocs, int, error) {
	if f.Month != "" || !ts.stream {
		return nil, 0, nil
	}
	w, err := s.narrowWalk(ctx, f, ts, s.narrowCount)
	if err != nil || w == nil {
		return nil, 0, err
	}
	// At least as far as the page read (a filter that holds few of the word: the page may read
	// past narrowCount), so that the counts are never fewer than the pages hold.
	ts.mu.Lock()
	size := max(s.narrowCount, len(ts.filterTop(w).read))
	ts.mu.Unlock()
	matches, _, read, done, err := s.filterBelow(ctx, ts, w, staffDocBase, size)
	if err != nil || !done && !wordCapped {
		return nil, 0, err
	}
	// The staff documents that match are all among the newest matches (ts.stream); their
	// opinions' facets say whether the filter keeps them, as on the word's side.
	docids := []int64{}
	for _, d := range ts.head {
		if d <= staffDocBase {
			break
		}
		docids = append(docids, d)
	}
	b, _ := json.Marshal(append(docids, matches...))
	return &facetDocs{list: string(b), capped: !done}, read, nil
}
