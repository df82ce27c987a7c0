package nearby

// The look-up by place and complaint: candidates that name the same place as the text and
// share one of its complaint words. LookupTerms takes a text's most distinctive terms, which a
// short telling of the same problem rarely holds (县医院ct预约要等一个星期 against a long text
// about the same wait): the two share only common words (县医院, 预约, 等), whose lists are
// long, so that the partner is neither among a common term's newest documents nor among those
// sharing the most look-up weight. Asking for the place AND a complaint word narrows a common
// word's list to the documents about that place.

import (
	"sort"
	"strings"
)

// Anchor is one look-up by place and complaint: the documents that hold one of Places and the
// bigram Word (one of the text's words apart from its place words). Places are one index term
// for each way of writing one unit or part the text names: the way's rarest bigram or word
// (人民医院 → 民医, 挂号窗口 → 号窗, ct), not its whole phrase: at a million opinions FTS4
// answers a conjunction of single terms, newest first, in about a millisecond, and one of
// phrases in several (a candidate need only be likely; the pair model decides).
type Anchor struct {
	Places []string
	Word   string
	// Words, when set, are the index terms of a concept's words (ConceptAnchors): the
	// documents hold one of them (Word is the first).
	Words []string
}

// MaxAnchors is how many place-and-complaint look-ups a text gets besides its LookupK terms,
// 25 index look-ups in all: on the training pairs of lines 1–1032 (TestLookupFindsPartners),
// 22 terms and 3 anchors make 0.926 of the same-problem partners candidates, against 0.894 for
// the 20 terms before, 0.914 for 22 terms and 0.916 for 25 terms alone (testdata/README.md).
const MaxAnchors = 3

// AnchorCandidates is how many documents the anchors may add to the Candidates that share the
// most look-up weight: those they find that are not already among them, the most look-up
// weight first.
const AnchorCandidates = 100

// synonyms are the ways places.txt writes each unit or part, by its key ("unit 县人民医院").
var synonyms = func() map[string][]string {
	out := map[string][]string{}
	for word, key := range placeKeys {
		out[key] = append(out[key], word)
	}
	for _, ws := range out {
		sort.Strings(ws)
	}
	return out
}()

// placeGroups are the ways of writing each unit and part a folded text names (PlacesOf; the
// parts first, being the narrower): a township's or community's health centre by its name.
func placeGroups(text string) [][]string {
	pl := PlacesOf(text)
	var groups [][]string
	for _, key := range append(append([]string{}, pl.Parts...), pl.Units...) {
		if ws, ok := synonyms[key]; ok {
			groups = append(groups, ws)
		} else {
			groups = append(groups, []string{strings.TrimPrefix(key, "unit ")})
		}
	}
	return groups
}

// PlaceTerms are the terms of every way of writing the places a folded text names, whose
// document frequencies Anchors reads (storage loads them with the text's own terms).
func PlaceTerms(text string) map[string]int {
	out := map[string]int{}
	for _, g := range placeGroups(text) {
		for _, way := range g {
			EachTerm(way, func(term string) { out[term]++ })
		}
	}
	return out
}

// anchorPlaces are the index terms of each unit or part a folded text names (the parts
// first): each way of writing it by its rarest term that some document holds.
func anchorPlaces(text string, st Stats) [][]string {
	var groups [][]string
	for _, g := range placeGroups(text) {
		var tokens []string
		for _, way := range g {
			best, bestDF := "", 0
			EachTerm(way, func(term string) {
				if df := st.DocFreq(term); df > 0 && (best == "" || df < bestDF) {
					best, bestDF = term, df
				}
			})
			if best != "" {
				tokens = appendNew(tokens, best)
			}
		}
		if len(tokens) > 0 {
			groups = append(groups, tokens)
		}
	}
	return groups
}

// Anchors picks at most n look-ups by place and complaint for a folded text with terms (as
// Terms gives them): for each unit or part it names (PlacesOf; the parts first, being the
// narrower), in turn, the commonest of its complaint bigrams (those of WithoutPlaces) that
// some other document holds and that are not too common to say anything (MaxShare, once the
// collection is large enough): the words a short telling of the same problem shares. Each
// way of writing a place is asked by its rarest term that some document holds. self is as for
// LookupTerms. A text that names no place gets none.
func Anchors(text string, terms map[string]int, st Stats, n, self int) []Anchor {
	groups := anchorPlaces(text, st)
	if len(groups) == 0 || n <= 0 {
		return nil
	}
	type word struct {
		term string
		df   int
	}
	var words []word
	docs := st.Docs()
	seen := map[string]bool{}
	EachTerm(WithoutPlaces(text), func(term string) {
		if !IsBigram(term) || seen[term] || terms[term] == 0 {
			return
		}
		seen[term] = true
		df := st.DocFreq(term)
		if df <= self || docs >= MinShareDocs && float64(df) > MaxShare*float64(docs) {
			return
		}
		words = append(words, word{term, df})
	})
	sort.Slice(words, func(i, j int) bool {
		if words[i].df != words[j].df {
			return words[i].df > words[j].df
		}
		return words[i].term < words[j].term
	})
	var out []Anchor
	// Round by round: each place's commonest word, then each place's next, so that every
	// place the text names is asked about.
	for round := 0; round < len(words) && len(out) < n; round++ {
		for _, g := range groups {
			if len(out) < n {
				out = append(out, Anchor{Places: g, Word: words[round].term})
			}
		}
	}
	return out
}

// PickCandidates is which of the documents found are scored: the Candidates that share the
// most look-up weight with the text (weight: the idf of the LookupTerms each holds), then at
// most AnchorCandidates of those the anchors found (anchored: the idf of the anchors' words
// each holds) that are not among them, by their weight and anchored weight together. Ties go
// to the newer document (the higher id). The text's own document must not be in the maps.
func PickCandidates(weight, anchored map[int64]float64) []int64 {
	order := func(ids []int64, w func(int64) float64) {
		sort.Slice(ids, func(i, j int) bool {
			if wi, wj := w(ids[i]), w(ids[j]); wi != wj {
				return wi > wj
			}
			return ids[i] > ids[j]
		})
	}
	out := make([]int64, 0, len(weight))
	for d := range weight {
		out = append(out, d)
	}
	order(out, func(d int64) float64 { return weight[d] })
	out = out[:min(len(out), Candidates)]
	in := make(map[int64]bool, len(out))
	for _, d := range out {
		in[d] = true
	}
	var more []int64
	for d := range anchored {
		if !in[d] {
			more = append(more, d)
		}
	}
	order(more, func(d int64) float64 { return weight[d] + anchored[d] })
	return append(out, more[:min(len(more), AnchorCandidates)]...)
}
