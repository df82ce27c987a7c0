package nearby

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"minsheng/hanzi"
	"minsheng/redact"
	"minsheng/suggest"
)

// The labelled pairs and the background they are measured against (testdata/README.md).

// pair is one line of a pairs file: two opinions and whether they report the same problem.
type pair struct {
	same bool
	a, b string
}

// fold prepares a text as storage does before it is compared: masked, then folded.
func fold(text string) string { return hanzi.Fold(redact.Mask(text)) }

func readPairs(t *testing.T, name string) []pair {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 || fields[0] != "same" && fields[0] != "different" || fields[1] == "" || fields[2] == "" {
			t.Fatalf("%s:%d: want same|different, text, text (tab-separated)", name, line)
		}
		out = append(out, pair{fields[0] == "same", fields[1], fields[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readBackground reads the opinions of the tag suggester's training files (suggest/corpus, written
// by the project for issue #10): thousands of opinions about everything a county health system
// hears, for the document frequencies and as distractors.
func readBackground(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "suggest", "corpus", "train*.jsonl"))
	if err != nil || len(names) == 0 {
		t.Fatalf("background files: %v %v", names, err)
	}
	var out []string
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var row struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out = append(out, row.Text)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// collection is the background and every pair text, as the portal's index would hold them:
// terms, document frequencies and an inverted index from term to documents.
type collection struct {
	texts     []string // folded
	terms     []map[string]int
	stats     Counts
	postings  map[string][]int
	partner   map[int]int  // pair text b → its a
	same      map[int]bool // pair text b → labelled same
	queries   []int        // the b texts, in file order
	firstPair int          // documents before this are the background
	// conceptAnchors is how many look-ups by place and concept a text gets (MaxConceptAnchors
	// unless a measurement sets it: TestLookupFindsPartners compares).
	conceptAnchors int
}

func newCollection(background []string, pairs []pair) *collection {
	c := &collection{postings: map[string][]int{}, partner: map[int]int{}, same: map[int]bool{},
		conceptAnchors: MaxConceptAnchors}
	add := func(text string) int {
		id := len(c.terms)
		terms := Terms(fold(text))
		c.texts = append(c.texts, fold(text))
		c.terms = append(c.terms, terms)
		c.stats.Add(terms)
		for term := range terms {
			c.postings[term] = append(c.postings[term], id)
		}
		return id
	}
	for _, text := range background {
		add(text)
	}
	c.firstPair = len(c.terms)
	for _, p := range pairs {
		a := add(p.a)
		b := add(p.b)
		c.partner[b], c.same[b] = a, p.same
		c.queries = append(c.queries, b)
	}
	return c
}

// candidates is the portal's look-up for one document (storage.NearDuplicates): its look-up
// terms and the newest PerTerm documents holding each, its anchors (a place and a complaint
// word) and the newest PerTerm documents holding both, and PickCandidates of them. The pair
// texts come last, so they are the newest.
func (c *collection) candidates(id int) []int64 {
	weight, anchored := map[int64]float64{}, map[int64]float64{}
	for _, term := range LookupTerms(c.terms[id], &c.stats, LookupK, 1) {
		w := idf(&c.stats, term)
		docs := c.postings[term]
		for _, other := range docs[max(0, len(docs)-PerTerm):] {
			weight[int64(other)] += w
		}
	}
	anchors := Anchors(c.texts[id], c.terms[id], &c.stats, MaxAnchors, 1)
	anchors = append(anchors, ConceptAnchors(c.texts[id], &c.stats, c.conceptAnchors)...)
	for _, a := range anchors {
		words := a.Words
		if len(words) == 0 {
			words = []string{a.Word}
		}
		held := map[int]bool{}
		for _, word := range words {
			for _, d := range c.postings[word] {
				held[d] = true
			}
		}
		var docs []int
		for d := range held {
			for _, place := range a.Places {
				if c.terms[d][place] > 0 {
					docs = append(docs, d)
					break
				}
			}
		}
		sort.Ints(docs)
		w := idf(&c.stats, a.Word)
		for _, other := range docs[max(0, len(docs)-PerTerm):] {
			anchored[int64(other)] += w
		}
	}
	delete(weight, int64(id))
	delete(anchored, int64(id))
	return PickCandidates(weight, anchored)
}

// suggest is the portal's pipeline for one document (storage.NearDuplicates): its candidates
// scored by Similarity, those ≥ threshold, most similar first, at most limit.
func (c *collection) suggest(id int, threshold float64, limit int) []int {
	type scored struct {
		id    int
		score float64
	}
	var cands []scored
	for _, d := range c.candidates(id) {
		cands = append(cands, scored{int(d), 0})
	}
	scorer := NewScorer(c.texts[id], &c.stats, startingTopics)
	texts := make([]string, len(cands))
	for i, cand := range cands {
		texts[i] = c.texts[cand.id]
	}
	var found []scored
	for _, f := range scorer.Best(texts, threshold, limit) {
		found = append(found, scored{cands[f.Index].id, f.Score})
	}
	out := make([]int, len(found))
	for i, f := range found {
		out[i] = f.id
	}
	return out
}

// startingTopics is the shipped tag suggester's scores, as storage passes them, remembered by
// text: the sweeps ask for the same texts' vectors many times.
func startingTopics(text string) []float64 {
	topicsMu.Lock()
	defer topicsMu.Unlock()
	if v, ok := topicsMemo[text]; ok {
		return v
	}
	m, err := suggest.Starting()
	if err != nil {
		panic(err)
	}
	v := m.Scores(text)
	topicsMemo[text] = v
	return v
}

var (
	topicsMu   sync.Mutex
	topicsMemo = map[string][]float64{}
)

// figures are what the measurement counts over the pairs' second texts.
type figures struct {
	samePairs, found int // same-problem pairs, and those whose partner was suggested
	wrongPartner     int // different-problem pairs whose partner was suggested
	otherPairs       int // texts of other pairs suggested (not labelled against this one)
	background       int // background opinions suggested (not labelled)
	queries          int
}

// recall: of the same-problem pairs, the share whose partner is suggested.
func (f figures) recall() float64 { return float64(f.found) / float64(f.samePairs) }

// precision: of the labelled partners suggested, the share that are the same problem.
func (f figures) precision() float64 {
	if f.found+f.wrongPartner == 0 {
		return 1
	}
	return float64(f.found) / float64(f.found+f.wrongPartner)
}

// strict counts every suggestion that is not a same-problem partner as wrong, unlabelled ones
// included: a lower bound, since many background opinions (written about the same county's
// hospitals) do report the same problem as a pair text.
func (f figures) strict() float64 {
	all := f.found + f.wrongPartner + f.otherPairs + f.background
	if all == 0 {
		return 1
	}
	return float64(f.found) / float64(all)
}

func (f figures) String() string {
	return fmt.Sprintf("recall %.3f (%d/%d), precision %.3f (%d different-problem partners suggested), strict precision %.3f (%.2f unlabelled suggestions a text: %d other pairs', %d background)",
		f.recall(), f.found, f.samePairs, f.precision(), f.wrongPartner, f.strict(),
		float64(f.otherPairs+f.background)/float64(f.queries), f.otherPairs, f.background)
}

// suggestLimit is how many suggestions the item page lists.
const suggestLimit = 10

// measure asks, for each pair's second text, what the pipeline suggests among the background and
// every pair text: whether its partner is among them, and what else.
func (c *collection) measure(threshold float64) figures {
	return c.measureAt(threshold)[0]
}

// measureAt is measure at each of the thresholds, from one pass at the lowest: the ten most
// similar at or above a threshold are those of the ten at or above a lower one that reach it.
func (c *collection) measureAt(thresholds ...float64) []figures {
	low := thresholds[0]
	for _, th := range thresholds {
		low = min(low, th)
	}
	out := make([]figures, len(thresholds))
	for _, b := range c.queries {
		scorer := NewScorer(c.texts[b], &c.stats, startingTopics)
		got := c.suggest(b, low, suggestLimit)
		for i, th := range thresholds {
			f := &out[i]
			f.queries++
			if c.same[b] {
				f.samePairs++
			}
			for _, d := range got {
				if scorer.Score(c.texts[d]) < th {
					continue
				}
				switch {
				case d == c.partner[b] && c.same[b]:
					f.found++
				case d == c.partner[b]:
					f.wrongPartner++
				case d < c.firstPair:
					f.background++
				default:
					f.otherPairs++
				}
			}
		}
	}
	return out
}

// count is how many pairs of each kind a file holds.
func count(ps []pair) (same, diff int) {
	for _, p := range ps {
		if p.same {
			same++
		} else {
			diff++
		}
	}
	return
}

// TestPairsFiles checks the training file: well formed, both kinds well represented.
func TestPairsFiles(t *testing.T) {
	ts, td := count(readPairs(t, "tuning.tsv"))
	if ts < 150 || td < 150 {
		t.Errorf("training pairs: %d same, %d different; want ≥ 150 of each kind", ts, td)
	}
}

// heldOutFile is the held-out pairs' file. It is written by another engineer in another branch
// and joins this one only when the lead merges it (testdata/README.md). Without it the tests
// that read it skip, saying why (the model's branch never holds it: each file that has been
// measured once joins the training pairs before the model changes); TestHeldOutAbsentOnlyWhenSaid
// keeps the skip from hiding a file that should be there.
const heldOutFile = "heldout.tsv"

// readHeldOut reads the held-out pairs, skipping the test with what to do when the file is not
// there.
func readHeldOut(t *testing.T) []pair {
	t.Helper()
	if _, err := os.Stat(filepath.Join("testdata", heldOutFile)); err != nil {
		t.Skipf("testdata/%s is not in this branch (%v): the held-out pairs are written in another branch and measured once, by the lead, after merging it (testdata/README.md); never write or tune on it here", heldOutFile, err)
	}
	return readPairs(t, heldOutFile)
}

// TestHeldOutAbsentOnlyWhenSaid: the held-out tests skip without the file, so the README's
// table must say whether it is there; a merge that brings the file updates the README's row,
// and a branch that moves it into the training pairs says so, so that a measurement is never
// silently missing.
func TestHeldOutAbsentOnlyWhenSaid(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, statErr := os.Stat(filepath.Join("testdata", heldOutFile))
	saysAbsent := strings.Contains(string(readme), "| `heldout.tsv` | (not in this branch) |")
	if present := statErr == nil; present == saysAbsent {
		t.Errorf("testdata/%s present: %v, but the README's table says it is absent: %v; make them agree", heldOutFile, present, saysAbsent)
	}
}

// TestPairsFilesHeldOut checks the held-out file: well formed, both kinds well represented, and
// no text of it also in the training file.
func TestPairsFilesHeldOut(t *testing.T) {
	heldout := readHeldOut(t)
	tuning := readPairs(t, "tuning.tsv")
	hs, hd := count(heldout)
	if hs < 75 || hd < 75 {
		t.Errorf("held-out pairs: %d same, %d different; want ≥ 75 of each kind", hs, hd)
	}
	texts := map[string]bool{}
	for _, p := range tuning {
		texts[fold(p.a)], texts[fold(p.b)] = true, true
	}
	for _, p := range heldout {
		for _, x := range []string{p.a, p.b} {
			if texts[fold(x)] {
				t.Errorf("held-out text %q is also in the tuning file", x)
			}
		}
	}
}

// TestThresholdOnTuningPairs shows, with -v, the figures at thresholds around Threshold on the
// tuning pairs (the only pairs Threshold was chosen on) and holds what it was chosen at.
func TestThresholdOnTuningPairs(t *testing.T) {
	c := newCollection(readBackground(t), readPairs(t, "tuning.tsv"))
	ths := []float64{Threshold, 0.50, 0.60, 0.64, 0.65, 0.66, 0.68, 0.70, 0.72, 0.75}
	all := c.measureAt(ths...)
	for i, th := range ths[1:] {
		t.Logf("tuning, threshold %.3f: %v", th, all[i+1])
	}
	f := all[0]
	t.Logf("tuning, Threshold %.3f: %v", Threshold, f)
	if f.recall() < 0.63 || f.precision() < 0.9 {
		t.Errorf("tuning pairs at Threshold %.3f: recall %.3f, precision %.3f; want ≥ 0.63 and ≥ 0.9 (when chosen: 0.716, 0.916 at 0.63)", Threshold, f.recall(), f.precision())
	}
}

// TestNearDuplicatesOnHeldOutPairs measures the near-duplicate pipeline on the held-out pairs,
// which nothing else reads and nothing was tuned on: for each pair's second text, the look-up
// terms find candidates among the background and every held-out pair text, Similarity ≥
// Threshold keeps some, at most ten, most similar first.
//
// The held-out file is the eighth (the seventh joined the training pairs): written by another
// engineer without sight of the model's changes, in another branch, and merged by the lead, who
// measures it once. The seventh, measured once (recall 0.750, precision 0.950 at 0.64), joined
// the training pairs (testdata/README.md). The issue asks precision ≥ 0.9 at recall ≥ 0.8.
// Without the file the test skips, saying so (readHeldOut). The floors are a little below the
// third to seventh files' one measurements.
func TestNearDuplicatesOnHeldOutPairs(t *testing.T) {
	c := newCollection(readBackground(t), readHeldOut(t))
	f := c.measure(Threshold)
	t.Logf("held-out, threshold %.2f: %v", Threshold, f)
	t.Logf("issue #11's target (precision ≥ 0.9 at recall ≥ 0.8) met: %v", f.precision() >= 0.9 && f.recall() >= 0.8)
	const recallFloor, precisionFloor = 0.58, 0.80
	if f.recall() < recallFloor || f.precision() < precisionFloor {
		t.Errorf("held-out pairs: recall %.3f, precision %.3f; want ≥ %.2f and ≥ %.2f", f.recall(), f.precision(), recallFloor, precisionFloor)
	}
}

// TestLookupFindsPartners measures the look-up alone on the training pairs: the share of
// same-problem pairs whose first text is among the second's candidates (PickCandidates of the
// look-up terms, the anchors and the concept anchors), among the background and every pair
// text, without and with the concept anchors. No scorer can suggest a partner that is not a
// candidate, so this caps the pipeline's recall. On the 675 same-problem pairs of the 1358:
// 0.920 without the concept anchors, 0.929 with them; on the 829 of the 1669 (the fifth file
// in), 0.925 and 0.932; on the 979 of the 1980 (the sixth file in, the concept lexicon grown),
// 0.931 and 0.935 (testdata/README.md).
func TestLookupFindsPartners(t *testing.T) {
	c := newCollection(readBackground(t), readPairs(t, "tuning.tsv"))
	for _, k := range []int{0, MaxConceptAnchors} {
		c.conceptAnchors = k
		for _, part := range []struct {
			name     string
			from, to int
		}{{"all", 0, len(c.queries)}, {"1–1032", 0, copiesFrom}, {"fourth file", fourthFileFrom, fifthFileFrom}, {"fifth file", fifthFileFrom, sixthFileFrom}, {"sixth file", sixthFileFrom, len(c.queries)}} {
			found, same, total := 0, 0, 0
			for _, b := range c.queries[part.from:part.to] {
				if !c.same[b] {
					continue
				}
				same++
				cands := c.candidates(b)
				total += len(cands)
				for _, d := range cands {
					if int(d) == c.partner[b] {
						found++
						break
					}
				}
			}
			r := float64(found) / float64(same)
			t.Logf("%d concept anchors, %-11s same-problem partners among the candidates: %d/%d = %.3f (%.0f candidates a text)", k, part.name, found, same, r, float64(total)/float64(same))
			if k == MaxConceptAnchors && part.name == "all" && r < 0.91 {
				t.Errorf("candidate recall %.3f on the training pairs; want ≥ 0.91 (0.926 when the anchors were added)", r)
			}
		}
	}
}
