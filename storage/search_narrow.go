package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"minsheng/access"
	"minsheng/fulltext"
)

// A narrow filter over a common word, walked from the filter's side. The page of a search reads
// the word's matches newest first until the page is full (search_stream.go); when the filter
// holds few of them — a department head's 科室, a rare tag — that walk reads as many matches as
// the table has before 50 fit: about 7 000 of 玩手机's 100 000 at a million opinions for a
// department head, against the word's 1 000 at 10 000, so the view grew with the table. The big
// search engines answer a selective filter over a common term from the filter's side: walk the
// filter's own documents newest first and check the term on each. Here the filter's list is an
// index of the documents' facets (migration 0063: lead unit and 科室, then docid) or the tag's
// rows (opinion_tags_by_tag), and the word is checked on each candidate's indexed tokens
// (search_bodies, fulltext.TokensPattern), which say exactly what the index's MATCH says. Which
// side walks is chosen by their estimated sizes: the page needs about as many reads from a side
// as that side is long times 50 over the matches in the filter, which both sides share.

// narrowSample is how many of a filter's newest documents estimate its size (and are the first
// candidates walked).
const narrowSample = 64

// narrowTagMost: a tag with more opinions is not narrow; its list is read whole (sorted by
// docid) for each step, so only a short one drives.
const narrowTagMost = SearchCap

// How streamedPage chooses its walk; tests force either side (Store.narrow).
const (
	narrowByCost   = iota // the shorter side, by estimated size
	narrowByWord          // always the word's matches
	narrowByFilter        // the filter's documents whenever the filter has a list
)

// filterWalk is a filter's own list of documents, newest first.
type filterWalk struct {
	// list selects docid, the filter's documents below a docid (the next argument) newest
	// first, LIMIT the last argument.
	list string
	args []any
	// whole: the list is sorted for every read (a tag's); it is read in one step.
	whole bool
	// pattern is what a candidate's tokens hold when it matches the word (fulltext.TokensPattern).
	pattern string
	// first is how many candidates the first step reads: about enough for a page when the
	// word is as frequent among them as among all documents (0: the page's own size).
	first int
}

// filterWalkFor is f's filter's own list, when it has one that holds every document f may
// find: a department head's scope (all of it is the work their unit leads about their 科室,
// unless they also read a mailbox), or a tag.
func filterWalkFor(f OpinionFilter) (filterWalk, bool) {
	if v := f.Scope; v != nil && v.Role == access.DeptHead && v.Unit != "" && v.Dept != "" && len(v.Mailboxes) == 0 {
		return filterWalk{list: `SELECT docid FROM search_docs WHERE lead_unit = ? AND dept = ? AND docid < ?
			ORDER BY docid DESC LIMIT ?`, args: []any{v.Unit, v.Dept}}, true
	}
	if f.Tag != "" {
		return filterWalk{list: `SELECT d.docid FROM opinion_tags t CROSS JOIN search_docs d ON d.opinion_id = t.opinion_id AND d.kind = 'opinion'
			WHERE t.tag = ? AND d.docid < ? ORDER BY d.docid DESC LIMIT ?`, args: []any{f.Tag}, whole: true}, true
	}
	return filterWalk{}, false
}

// narrowWalk is the filter's walk when it should drive f's page (of limit rows) of the search
// ts, else nil (the word's matches drive, as before). ts is planned and fits the facets
// (facetsFit).
func (s *Store) narrowWalk(ctx context.Context, f OpinionFilter, ts *textSearch, limit int) (*filterWalk, error) {
	w, ok := filterWalkFor(f)
	if !ok || s.narrow == narrowByWord {
		return nil, nil
	}
	if w.pattern, ok = fulltext.TokensPattern(ts.q); !ok {
		return nil, nil
	}
	if s.narrow == narrowByFilter {
		return &w, nil
	}
	words := wordEstimate(ts, s.searchCap)
	var size int64
	if w.whole {
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM opinion_tags WHERE tag = ? LIMIT ?) AS c`,
			f.Tag, narrowTagMost+1).Scan(&size); err != nil {
			return nil, fmt.Errorf("search %q: %w", ts.q, err)
		}
		if size > narrowTagMost {
			return nil, nil
		}
	} else {
		newest, err := collect(ctx, s.read, scanInt64, w.list, append(w.args, int64(staffDocBase), narrowSample)...)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", ts.q, err)
		}
		size = densityEstimate(newest, narrowSample, ts.opinionDocs)
	}
	if size >= words || words == 0 {
		return nil, nil
	}
	w.first = int(min(int64(s.streamChunk), int64(limit+1)*max(ts.opinionDocs, 1)/words))
	return &w, nil
}

// wordEstimate is how many opinions' own documents hold the word: all of them when ts.head
// holds every match, else estimated from how densely its newest matches lie among the newest
// documents.
func wordEstimate(ts *textSearch, cap int) int64 {
	i := 0
	for i < len(ts.head) && ts.head[i] > staffDocBase {
		i++ // staff documents first
	}
	if len(ts.head) <= cap { // every match
		return int64(len(ts.head) - i)
	}
	return densityEstimate(ts.head[i:], len(ts.head)-i, ts.opinionDocs)
}

// densityEstimate: newest are the newest documents of a list (docids newest first, at most
// asked of them); when there are that many, the list is estimated to hold as many of all the
// docs opinion documents as it holds of those from its last one on.
func densityEstimate(newest []int64, asked int, docs int64) int64 {
	if len(newest) < asked || len(newest) == 0 {
		return int64(len(newest)) // the whole list
	}
	span := docs - newest[len(newest)-1] + 1
	if span < 1 {
		span = 1
	}
	return int64(len(newest)) * max(docs, span) / span
}

// filterBelow reads the filter's documents with docids under below, newest first, size of them
// (all of them, up to narrowTagMost, for a whole list), and returns those that hold the word, the
// last docid read, how many were read, and whether the list is read to its end. What is read
// from the list's top is kept with the planned search (filterRead), so the sidebar, which counts
// the filter's newest documents (search_narrow_counts.go), reads again none of those the page read.
func (s *Store) filterBelow(ctx context.Context, ts *textSearch, w *filterWalk, below int64, size int) (matches []int64, last int64, read int, done bool, err error) {
	if w.whole {
		size = narrowTagMost + 1
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	top := ts.filterTop(w)
	var list []candidate
	// From the top, or from within what was read from it (a next page, a next step): served from
	// it, and read on past it when it holds too few.
	if end := top.end(); below == staffDocBase || end != 0 && below >= end {
		i := sort.Search(len(top.read), func(i int) bool { return top.read[i].docid < below })
		if want := size - (len(top.read) - i); want > 0 && !top.done {
			more, err := s.filterRows(ctx, w, top.from(), want)
			if err != nil {
				return nil, 0, 0, false, err
			}
			top.read = append(top.read, more...)
			top.done = len(more) < want
		}
		list = top.read[i:min(len(top.read), i+size)]
		done = top.done && i+size >= len(top.read)
	} else { // below a cursor in the middle of the list: read, not kept
		if list, err = s.filterRows(ctx, w, below, size); err != nil {
			return nil, 0, 0, false, err
		}
		done = len(list) < size
	}
	matches = []int64{}
	for _, c := range list {
		if c.holds {
			matches = append(matches, c.docid)
		}
	}
	if len(list) > 0 {
		last = list[len(list)-1].docid
	}
	return matches, last, len(list), done, nil
}

// candidate is one of a filter's documents and whether it holds the word.
type candidate struct {
	docid int64
	holds bool
}

// filterRead is what a planned search read of a filter's list from its top (docids under
// staffDocBase), newest first, and whether that is the whole list.
type filterRead struct {
	read []candidate
	done bool
}

// filterTop is what ts read of w's list from its top; ts.mu is held.
func (ts *textSearch) filterTop(w *filterWalk) *filterRead {
	key := fmt.Sprint(w.list, w.args, w.pattern)
	top := ts.walked[key]
	if top == nil {
		top = &filterRead{}
		if ts.walked == nil {
			ts.walked = map[string]*filterRead{}
		}
		ts.walked[key] = top
	}
	return top
}

// end is the last docid read (0 when none).
func (r *filterRead) end() int64 {
	if len(r.read) == 0 {
		return 0
	}
	return r.read[len(r.read)-1].docid
}

// from is the docid the next read goes on under.
func (r *filterRead) from() int64 {
	if len(r.read) == 0 {
		return staffDocBase
	}
	return r.end()
}

// filterRows reads size of the filter's documents under below, newest first, each with whether
// its tokens hold the word.
func (s *Store) filterRows(ctx context.Context, w *filterWalk, below int64, size int) ([]candidate, error) {
	return collect(ctx, s.read, func(r *sql.Rows) (candidate, error) {
		var c candidate
		return c, r.Scan(&c.docid, &c.holds)
	}, `SELECT c.docid, instr(' ' || b.body || ' ', ?) > 0 FROM (`+w.list+`) AS c
		CROSS JOIN search_bodies b ON b.docid = c.docid ORDER BY c.docid DESC`,
		append(append([]any{w.pattern}, w.args...), below, size)...)
}
