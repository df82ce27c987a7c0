package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"minsheng/access"
	"minsheng/nearby"
	"minsheng/suggest"
)

// Near-duplicates (汇总梳理): the opinions that say nearly the same as one, for staff to gather
// into one problem. The method is the "more like this" of the big search engines: the text's most
// distinctive terms (nearby.LookupTerms) are looked up in the full-text index, the documents that
// share the most of them, with some that name the same place and share a complaint word
// (nearby.Anchors), are scored against the text (nearby's pair model: character, bigram,
// complaint and complaint-coverage similarities, the containments of bigrams and of the
// complaint, whether the texts name two different units or 科室 or the same 科室, their
// concepts, and topics and how far apart they are in praising, with the index's document
// frequencies) and those at nearby.Threshold or above are suggested, after the shift the office's
// own grouping decisions taught (near_learn.go), leaving out those the office took apart.
// Nothing is grouped here: staff decide.

// Near is an opinion that says nearly the same as the one asked about.
type Near struct {
	Opinion Opinion
	// Score is the pair model's probability (nearby.Similarity) that this opinion reports the same
	// problem as the one asked about, 0..1, at least nearby.Threshold, with its log-odds shifted
	// by what the office's own grouping decisions taught (LearnNearDuplicates; 0 before any). Cross-validated
	// on the project's training pairs, nine in ten of the partners suggested were the same
	// problem, and seven in ten of the same-problem partners were suggested
	// (nearby/testdata/README.md; the held-out figure is measured after merging): a hint for
	// staff, who decide.
	Score float64
}

// startingTopics is the topic vector the pair model was fitted with: the shipped starting tag
// suggester's calibrated scores (suggest.Starting, decoded once per process by its
// sync.OnceValues). Not the office's retrained model: nearby's weights and threshold were fitted
// on the starting model's vectors, and a retrained model's scores are calibrated on other
// examples (and may have other labels), so the same pair would score differently after each
// retraining and the threshold would no longer mean what it was measured to mean.
func startingTopics() (nearby.Topics, error) {
	m, err := suggest.Starting()
	if err != nil {
		return nil, err
	}
	return m.Scores, nil
}

const (
	// nearToday is how many opinions of days not yet indexed are read and scored, newest days
	// first. Today's opinions are not in the index (it takes whole finished days, so that it
	// records no order of arrival); at any real volume a day holds far fewer, and past the
	// cap a day's remaining rows (ordered by their random ids, not by arrival) are left out.
	nearToday = 3000
)

// nearLookups is how many look-up terms, anchors (look-ups by place and complaint) and
// concept anchors (by place and a concept's other words) a look-up takes: nearby's LookupK,
// MaxAnchors and MaxConceptAnchors. Only the benchmarks change it, to measure the look-up
// before the concept anchors in the same run.
var nearLookups = struct{ terms, anchors, concepts int }{nearby.LookupK, nearby.MaxAnchors, nearby.MaxConceptAnchors}

// NearDuplicates returns up to limit other opinions that say nearly the same as opinion id,
// only those scope may open (nil: all), most similar first, each scoring ≥ nearby.Threshold.
// An unknown id is ErrNotFound.
func (s *Store) NearDuplicates(ctx context.Context, id string, scope *access.Viewer, limit int) ([]Near, error) {
	var text string
	var indexed bool // the opinion's own document is in the index: its terms count it
	err := s.read.QueryRowContext(ctx, `SELECT o.search_text, EXISTS (SELECT 1 FROM search_docs d
		WHERE d.opinion_id = o.id AND d.kind = 'opinion') FROM opinions o WHERE o.id = ?`, id).Scan(&text, &indexed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("near-duplicates of %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("near-duplicates of %s: %w", id, err)
	}
	own := 0
	if indexed {
		own = 1
	}
	return s.nearDuplicatesOf(ctx, text, id, own, scope, limit)
}

// nearDuplicatesOf is NearDuplicates for a folded, masked text, leaving out opinion id ("": a
// text not stored); indexed is 1 when the index counts the text's own document, else 0.
//
// Without a full-text index (an engine without one: driver.go) there are no candidates to
// score, and none is suggested.
func (s *Store) nearDuplicatesOf(ctx context.Context, text, id string, indexed int, scope *access.Viewer, limit int) ([]Near, error) {
	if !s.drv.fullText() {
		return nil, nil
	}
	terms := nearby.Terms(text)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	st, err := readIndexState(ctx, s.read)
	if err != nil {
		return nil, err
	}
	stats := &indexStats{docs: int(st.docs), df: map[string]int{}}
	known := nearby.PlaceTerms(text)                                    // for the anchors: how common each way of naming its places is
	for term := range nearby.ConceptTerms(text, nearLookups.concepts) { // for the concept anchors: how common each word is
		known[term] = 0
	}
	for term := range terms {
		known[term] = terms[term]
	}
	if err := stats.load(ctx, s.read, known); err != nil {
		return nil, err
	}
	scopeCond, scopeArgs := "1 = 1", []any(nil)
	if scope != nil {
		scopeCond, scopeArgs = scopeSQL(*scope)
	}

	anchors := nearby.Anchors(text, terms, stats, nearLookups.anchors, indexed)
	anchors = append(anchors, nearby.ConceptAnchors(text, stats, nearLookups.concepts)...)
	docids, err := s.nearCandidates(ctx, nearby.LookupTerms(terms, stats, nearLookups.terms, indexed), anchors, stats)
	if err != nil {
		return nil, err
	}
	list, _ := json.Marshal(docids)
	// The candidates' texts, those scope may open: the indexed ones found by their terms, and
	// the opinions of days not yet indexed, read row by row.
	args := append([]any{string(list), id}, scopeArgs...)
	args = append(args, st.through, id)
	args = append(args, scopeArgs...)
	args = append(args, nearToday)
	type cand struct{ id, text string }
	cands, err := collect(ctx, s.read, func(r *sql.Rows) (cand, error) {
		var c cand
		return c, r.Scan(&c.id, &c.text)
	}, `SELECT o.id, o.search_text FROM json_each(?) j CROSS JOIN search_docs d ON d.docid = CAST(j.value AS BIGINT)
		CROSS JOIN opinions o ON o.id = d.opinion_id LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE o.id != ? AND `+scopeCond+`
		UNION ALL
		SELECT * FROM (SELECT o.id, o.search_text FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE o.created_on > ? AND o.id != ? AND `+scopeCond+`
		ORDER BY o.created_on DESC, o.id LIMIT ?) AS recent`, args...)
	if err != nil {
		return nil, fmt.Errorf("near-duplicates of %s: %w", id, err)
	}
	// The document frequencies of the candidates' terms, in one query.
	texts := make([]string, len(cands))
	for i, c := range cands {
		texts[i] = c.text
	}
	if err := stats.loadScoring(ctx, s.read, texts); err != nil {
		return nil, err
	}
	topics, err := startingTopics()
	if err != nil {
		return nil, fmt.Errorf("near-duplicates: %w", err)
	}
	// The office's own decisions (near_learn.go): the shift its grouping taught, and the
	// opinions it took apart from this one, never suggested again.
	shift, err := nearAdjustmentShift(ctx, s.read)
	if err != nil {
		return nil, err
	}
	apart, err := nearApart(ctx, s.read, id)
	if err != nil {
		return nil, err
	}
	scorer := nearby.NewScorer(text, stats, topics)
	texts = texts[:0]
	kept := cands[:0:0]
	for _, c := range cands {
		if !apart[c.id] {
			texts = append(texts, c.text)
			kept = append(kept, c)
		}
	}
	type scored struct {
		id    string
		score float64
	}
	var found []scored
	for _, f := range scorer.Best(texts, nearby.ThresholdFor(shift), limit) {
		found = append(found, scored{kept[f.Index].id, nearby.Shifted(f.Score, shift)})
	}
	// The opinions found, read in one query (a prepared statement per opinion cost more than
	// the rest of the look-up), then put in order of similarity.
	ids := make([]string, len(found))
	for i, f := range found {
		ids[i] = f.id
	}
	idList, _ := json.Marshal(ids)
	ops, err := collect(ctx, s.read, func(r *sql.Rows) (Opinion, error) { return scanOpinion(r) },
		`SELECT `+opinionColumns+opinionFrom+` WHERE o.id IN (SELECT value FROM json_each(?))`, string(idList))
	if err != nil {
		return nil, fmt.Errorf("near-duplicates of %s: %w", id, err)
	}
	byID := make(map[string]Opinion, len(ops))
	for _, o := range ops {
		byID[o.ID] = o
	}
	out := make([]Near, 0, len(found))
	for _, f := range found {
		if o, ok := byID[f.id]; ok {
			out = append(out, Near{Opinion: o, Score: f.score})
		}
	}
	return out, nil
}

// nearCandidates looks each term up in the index (the opinions' own documents only, newest
// first, at most nearby.PerTerm each), and each anchor (the documents naming its place in any
// of its ways and holding its word, newest first, at most nearby.PerTerm), and returns the
// docids nearby.PickCandidates keeps: those sharing the most look-up weight with the text,
// then some the anchors found.
func (s *Store) nearCandidates(ctx context.Context, lookup []string, anchors []nearby.Anchor, stats *indexStats) ([]int64, error) {
	if len(lookup) == 0 && len(anchors) == 0 {
		return nil, nil
	}
	stmt, err := s.read.PrepareContext(ctx, `SELECT docid FROM search_index WHERE `+s.drv.matchSQL()+` AND docid < ?
		ORDER BY docid DESC LIMIT ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	weight, anchored := map[int64]float64{}, map[int64]float64{}
	for _, term := range lookup {
		if err := lookUp(ctx, stmt, s.drv.matchArg(ftsPhrase(term)), stats.idf(term), weight); err != nil {
			return nil, fmt.Errorf("near-duplicates: look up %q: %w", term, err)
		}
	}
	for _, a := range anchors {
		if anchorQuery(a) == "" {
			continue
		}
		if err := lookUp(ctx, stmt, s.drv.matchArg(anchorQuery(a)), stats.idf(a.Word), anchored); err != nil {
			return nil, fmt.Errorf("near-duplicates: look up %v: %w", a, err)
		}
	}
	return nearby.PickCandidates(weight, anchored), nil
}

// anchorQuery is an anchor as an FTS4 query: any of its places' terms (joined by OR, in
// parentheses: go-sqlite3 builds FTS4 with the enhanced query syntax, where AND binds tighter
// than OR), and its word, or any of its words (a concept anchor's).
func anchorQuery(a nearby.Anchor) string {
	if len(a.Places) == 0 {
		return ""
	}
	if len(a.Words) == 0 {
		return anyOf(a.Places) + " " + ftsPhrase(a.Word)
	}
	return anyOf(a.Places) + " " + anyOf(a.Words)
}

// anyOf is index tokens joined by OR, in parentheses.
func anyOf(tokens []string) string {
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, ftsPhrase(t))
	}
	return "(" + strings.Join(out, " OR ") + ")"
}

// lookUp adds w to the weight of each document the look-up statement finds for the FTS4
// query match.
func lookUp(ctx context.Context, stmt *sql.Stmt, match string, w float64, weight map[int64]float64) error {
	rows, err := stmt.QueryContext(ctx, match, int64(staffDocBase), nearby.PerTerm)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return err
		}
		weight[d] += w
	}
	return rows.Err()
}

// ftsPhrase is one index token as an FTS4 query: quoted, so that a word like "or" is a word.
// Tokens hold no quotes (they are letters, digits and Chinese characters).
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, ``) + `"`
}

// indexStats answers nearby.Stats from the index's search_terms table: the terms asked are
// loaded in one query each time (load), then read from memory.
type indexStats struct {
	docs int
	df   map[string]int
}

func (st *indexStats) Docs() int               { return st.docs }
func (st *indexStats) DocFreq(term string) int { return st.df[term] }

// idf is the look-up weight of a term: rarer terms say more about which opinions are alike.
func (st *indexStats) idf(term string) float64 {
	return math.Log(float64(st.docs+1)/float64(st.df[term]+1)) + 1
}

// loadScoring reads the document frequencies of the terms the pair model scores texts by
// (nearby.EachScoringTerm), in one query.
func (st *indexStats) loadScoring(ctx context.Context, q queryer, texts []string) error {
	terms := map[string]int{}
	for _, text := range texts {
		nearby.EachScoringTerm(text, func(term string) { terms[term] = 0 })
	}
	return st.load(ctx, q, terms)
}

// load reads the document frequencies of the terms not yet known.
func (st *indexStats) load(ctx context.Context, q queryer, terms map[string]int) error {
	var want []string
	for term := range terms {
		if _, ok := st.df[term]; !ok {
			want = append(want, term)
			st.df[term] = 0
		}
	}
	if len(want) == 0 {
		return nil
	}
	list, _ := json.Marshal(want)
	rows, err := collect(ctx, q, func(r *sql.Rows) (struct {
		term string
		docs int
	}, error) {
		var v struct {
			term string
			docs int
		}
		return v, r.Scan(&v.term, &v.docs)
	}, `SELECT t.term, t.docs FROM json_each(?) j JOIN search_terms t ON t.term = j.value`, string(list))
	if err != nil {
		return fmt.Errorf("document frequencies: %w", err)
	}
	for _, r := range rows {
		st.df[r.term] = r.docs
	}
	return nil
}
