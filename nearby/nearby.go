// Package nearby finds opinions that say nearly the same thing (汇总梳理: many people report the
// same window, the same doctor, the same canteen). It is the scoring half of the "more like this"
// method of the big search engines (Lucene's MoreLikeThis, Elasticsearch's more_like_this): pick
// the most distinctive terms of a text, look up the documents that share them in the inverted
// index, and rank those candidates by the cosine of their tf-idf vectors. The index and the
// look-up live in storage; this package only reads text and numbers, so its figures can be
// measured on the project's labelled pairs without a database.
//
// A text's terms are of three kinds. Each run of Chinese characters gives its character bigrams
// and its single characters; each run of ASCII letters and digits is one word. The bigrams and
// words are what the full-text index holds (package fulltext writes them), so candidates are
// looked up by them (LookupTerms). The candidates are then ranked by a small pair model
// (Similarity: a logistic regression fitted on the project's tuning pairs) of three
// similarities: the cosine of the two texts' characters and words, the cosine of their bigrams,
// and how alike their topics are by the tag suggester's scores (a Topics function the caller
// passes, so that this package does not load the model). Characters carry most of it: two
// people telling the same problem rarely use the same two-character words (排了半个小时 /
// 排队半小时), while two different problems at the same place share the place's whole phrase
// (三楼挂号窗口…), which is why the bigram cosine counts against a pair; the topics compare what
// the texts are about (the styles, manifestations and families the suggester sees in each),
// which shared characters miss. testdata/README.md has the figures. Texts are expected folded and masked (hanzi.Fold of redact.Mask): Traditional and
// Simplified give the same terms, and a phone number is never a term.
package nearby

import (
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Terms returns the terms of a folded text with their counts: those EachTerm gives (bigrams and
// words) and every Chinese character.
func Terms(text string) map[string]int {
	out := map[string]int{}
	EachTerm(text, func(term string) {
		if !isCharacter(term) { // a run of one character: counted below with the others
			out[term]++
		}
	})
	for _, r := range text {
		if isHan(r) {
			out[string(r)]++
		}
	}
	return out
}

// EachTerm calls fn for every term of text the full-text index holds, in order, repeats
// included: the bigrams of each run of Chinese characters (a run of one character is itself a
// term) and each ASCII word. Terms adds the single characters.
func EachTerm(text string, fn func(term string)) {
	var run []rune // the current run of Chinese characters
	flushHan := func() {
		switch len(run) {
		case 0:
		case 1:
			fn(string(run))
		default:
			for i := 0; i+1 < len(run); i++ {
				fn(string(run[i : i+2]))
			}
		}
		run = run[:0]
	}
	word := -1 // start of the current ASCII word, or -1
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case isWordByte(r):
			flushHan()
			if word < 0 {
				word = i
			}
		default:
			if word >= 0 {
				fn(text[word:i])
				word = -1
			}
			if isHan(r) {
				run = append(run, r)
			} else {
				flushHan()
			}
		}
		i += w
	}
	if word >= 0 {
		fn(text[word:])
	}
	flushHan()
}

// isWordByte: ASCII letters and digits make words (folded text has them in lower case).
func isWordByte(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// isHan: the characters whose bigrams are terms. Letters of other scripts count as Chinese
// characters would: a run of them gives bigrams.
func isHan(r rune) bool {
	return r >= utf8.RuneSelf && (unicode.Is(unicode.Han, r) || unicode.IsLetter(r))
}

// Stats are the document frequencies of the collection being searched.
type Stats interface {
	// Docs is how many documents the collection holds.
	Docs() int
	// DocFreq is how many of them hold term at least once.
	DocFreq(term string) int
}

// idf is the inverse document frequency of a term that df of n documents hold, smoothed so that
// a term absent from the collection (a new opinion's own word) weighs the most and never divides
// by zero.
func idf(st Stats, term string) float64 {
	n := float64(st.Docs())
	df := float64(st.DocFreq(term))
	return math.Log((n+1)/(df+1)) + 1
}

// weight is a term's tf-idf weight: counts dampened by a logarithm, so that a complaint repeating
// one word does not drown its other words.
func weight(count int, idf float64) float64 {
	return (1 + math.Log(float64(count))) * idf
}

// IsBigram tells a bigram of Chinese characters from a single character or an ASCII word.
func IsBigram(term string) bool {
	r, w := utf8.DecodeRuneInString(term)
	return r >= utf8.RuneSelf && w < len(term)
}

// isCharacter: a single Chinese character (or letter of another script).
func isCharacter(term string) bool {
	r, w := utf8.DecodeRuneInString(term)
	return r >= utf8.RuneSelf && w == len(term)
}

// Topics gives a text's topic vector: non-negative numbers of a fixed length, one for each
// thing a classifier can tell about an opinion. Storage passes the shipped tag suggester's
// calibrated probabilities of every style, manifestation and family (suggest.Starting().Scores);
// this package only compares the vectors, so it stays free of the model.
type Topics func(text string) []float64

// The pair model: the probability that two texts report the same problem is
//
//	1 / (1 + exp(-(Bias + WeightCharacters·c + WeightBigrams·b + WeightTopics·t)))
//
// of three similarities that are about what the texts say (CharacterCosine, BigramCosine,
// TopicAffinity). The three were chosen, and the weights fitted, on the tuning pairs only
// (testdata/tuning.tsv; testdata/README.md has the figures): among the similarities tried,
// cross-validated (20 times five folds) logistic regression on these three ranked same-problem
// pairs above different-problem pairs best (TestPairModelCrossValidated: area under the ROC
// curve 0.915 and precision at recall 0.8 of 0.909, against 0.890 and 0.877 for the character
// cosine alone; with the plain cosine of the topic vectors instead of TopicAffinity, or without
// the bigram cosine, both were lower). The bigram weight is negative: at equal characters, a
// pair sharing more two-character words is LESS likely the same problem, because two different
// problems at one place share the place's whole phrase (三楼挂号窗口) while two people telling
// one problem pick their own words; an exact copy still scores high (0.94), its characters
// outweighing it. The length of the texts is left out on purpose:
// with it the tuning pairs scored 0.99, but only because of how they were written (a
// same-problem pair's second text is often the longer), not because of anything real opinions
// show. TestPairModelWeights fits them again from the tuning pairs (logistic regression by
// Newton's method, L2 penalty PairModelPenalty on the three weights) and checks these constants.
const (
	Bias             = -5.4354
	WeightCharacters = 10.2420
	WeightBigrams    = -4.0979 // negative: see above
	WeightTopics     = 2.9000
)

// PairModelPenalty is the L2 penalty (on the mean log-loss) the weights were fitted with: small,
// only to keep the fit unique.
const PairModelPenalty = 1e-3

// Similarity is the pair model's probability that two folded texts report the same problem,
// between 0 and 1. topics may be nil (tests): the topic affinity then counts as 0.
func Similarity(a, b string, st Stats, topics Topics) float64 {
	return NewScorer(a, st, topics).Score(b)
}

// Scorer gives the Similarity of many texts with one, working out the one text's weights once
// and each term's inverse document frequency once: the near-duplicate look-up scores hundreds
// of candidates against one opinion. It asks for a candidate's topic vector (the costly part,
// about 80 µs a text) only when the candidate's other similarities could still reach the
// threshold with the best possible topic affinity (Above), and for the one text's own vector
// once, when first needed.
type Scorer struct {
	st        Stats
	idfs      map[string]float64
	chars     map[string]float64 // the one text's character and word weights (√idf)
	bigrams   map[string]float64 // the one text's bigram weights (idf)
	charNorm  float64
	bigNorm   float64
	text      string
	topics    Topics
	topic     []float64      // the one text's topic vector, square roots, unit length; nil until needed
	counts    map[string]int // a candidate's counts, reused
	haveTopic bool
}

// NewScorer prepares the comparison of texts with the folded text given.
func NewScorer(text string, st Stats, topics Topics) *Scorer {
	sc := &Scorer{st: st, idfs: map[string]float64{}, text: text, topics: topics, counts: map[string]int{}}
	countTerms(text, sc.counts)
	sc.chars, sc.charNorm = sc.vector(sc.counts, false)
	sc.bigrams, sc.bigNorm = sc.vector(sc.counts, true)
	return sc
}

// vector is the weights of the bigrams (or the characters and words) of a text's counts, and
// their length.
func (sc *Scorer) vector(counts map[string]int, bigrams bool) (map[string]float64, float64) {
	out := map[string]float64{}
	var sum float64
	for term, count := range counts {
		if IsBigram(term) != bigrams {
			continue
		}
		x := sc.weight(term, count)
		out[term] = x
		sum += x * x
	}
	return out, math.Sqrt(sum)
}

// weight: characters and words are weighted by the square root of their idf, bigrams by their
// idf. On the tuning pairs √idf ranked pairs better for characters (area under the curve 0.886
// against 0.859): a character's plain idf let one rare shared character (a ward's number, a
// surname) outweigh the meaning the common ones carry together.
func (sc *Scorer) weight(term string, count int) float64 {
	w, ok := sc.idfs[term]
	if !ok {
		w = idf(sc.st, term)
		if !IsBigram(term) {
			w = math.Sqrt(w)
		}
		sc.idfs[term] = w
	}
	return weight(count, w)
}

// countTerms counts text's terms (as Terms) into counts, cleared first.
func countTerms(text string, counts map[string]int) {
	clear(counts)
	EachScoringTerm(text, func(term string) { counts[term]++ })
}

// EachScoringTerm calls fn for every term of text that the pair model compares, repeats
// included: those of Terms (bigrams, words and single characters), without building a map.
func EachScoringTerm(text string, fn func(term string)) {
	EachTerm(text, func(term string) {
		if !isCharacter(term) {
			fn(term)
		}
	})
	for i, r := range text {
		if isHan(r) {
			fn(text[i : i+utf8.RuneLen(r)])
		}
	}
}

// Features are the pair model's three similarities of the one text with text: the cosines of
// their characters and words (√idf-weighted), of their bigrams (idf-weighted), and their topic
// affinity (0 without Topics).
func (sc *Scorer) Features(text string) (chars, bigrams, topic float64) {
	chars, bigrams = sc.lexical(text)
	return chars, bigrams, sc.topicAffinity(text)
}

// lexical is the two cosines of the one text's terms with text's.
func (sc *Scorer) lexical(text string) (chars, bigrams float64) {
	countTerms(text, sc.counts)
	var cSum, cDot, bSum, bDot float64
	for term, count := range sc.counts {
		x := sc.weight(term, count)
		if IsBigram(term) {
			bSum += x * x
			bDot += x * sc.bigrams[term]
		} else {
			cSum += x * x
			cDot += x * sc.chars[term]
		}
	}
	if cSum > 0 && sc.charNorm > 0 {
		chars = cDot / (sc.charNorm * math.Sqrt(cSum))
	}
	if bSum > 0 && sc.bigNorm > 0 {
		bigrams = bDot / (sc.bigNorm * math.Sqrt(bSum))
	}
	return chars, bigrams
}

// TopicAffinity is how alike two topic vectors are: the cosine of their square roots (the
// Bhattacharyya coefficient of the vectors taken as distributions), between 0 and 1. On the
// tuning pairs it served the pair model better than the plain cosine of the vectors (see the
// weights' comment): the square root keeps one confident label from deciding alone.
func TopicAffinity(a, b []float64) float64 {
	return cosine(roots(a), roots(b))
}

func roots(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Sqrt(max(x, 0))
	}
	return out
}

func cosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += a[i] * b[i]
	}
	for _, x := range a {
		na += x * x
	}
	for _, x := range b {
		nb += x * x
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

func (sc *Scorer) topicAffinity(text string) float64 {
	if sc.topics == nil {
		return 0
	}
	if !sc.haveTopic {
		sc.topic, sc.haveTopic = roots(sc.topics(sc.text)), true
	}
	return cosine(sc.topic, roots(sc.topics(text)))
}

// Probability is the pair model's probability for the three similarities.
func Probability(chars, bigrams, topic float64) float64 {
	return 1 / (1 + math.Exp(-(Bias + WeightCharacters*chars + WeightBigrams*bigrams + WeightTopics*topic)))
}

// Score is the Similarity of the one text with a folded text.
func (sc *Scorer) Score(text string) float64 {
	return Probability(sc.Features(text))
}

// Above tells whether text's Similarity with the one text reaches threshold, and if so what it
// is. The topic affinity lies between 0 and 1, so when the other two similarities fall short of
// threshold even with an affinity of 1 (and WeightTopics is positive), the text cannot reach it
// and its topic vector is not worked out: an exact bound, not a guess.
func (sc *Scorer) Above(text string, threshold float64) (float64, bool) {
	chars, bigrams := sc.lexical(text)
	if Probability(chars, bigrams, max(0, math.Copysign(1, WeightTopics))) < threshold {
		return 0, false
	}
	p := Probability(chars, bigrams, sc.topicAffinity(text))
	return p, p >= threshold
}

// Threshold is the pair model's probability from which a pair is suggested as the same
// problem. Chosen on the tuning pairs only, through the whole look-up pipeline
// (TestThresholdOnTuningPairs prints the sweep); measured on the held-out pairs
// (TestNearDuplicatesOnHeldOutPairs). On the tuning pairs (weights fitted on them, so a little
// flattering) no threshold met precision 0.9 at recall 0.8: 0.50 gave recall 0.79 at precision
// 0.89, 0.55 recall 0.78 at precision 0.91 with a quarter fewer unlabelled suggestions (3.5 a
// text against 4.7), 0.60 recall 0.73. 0.55 is the lowest threshold with precision ≥ 0.9.
const Threshold = 0.55

// MaxShare: a term held by more than this share of the documents is too common to look
// candidates up by (的问题, 医生): its list is long and says little.
const MaxShare = 0.05

// LookupK is how many terms a near-duplicate look-up asks the index for: enough that a paraphrase
// sharing a few of a text's words is still found, few enough that the look-up stays quick.
const LookupK = 20

// PerTerm is how many documents one look-up term brings, newest first: a rare term brings all of
// its few, a common one only its newest, so that a text of common words stays fast at a million
// opinions.
const PerTerm = 400

// Candidates is how many of the documents found are scored: those sharing the most look-up
// weight (the idf of the look-up terms they hold) with the text.
const Candidates = 300

// MinLookup is how many look-up terms a text gets even when all its terms are common: many
// people writing the same short complaint in the same common words (挂号排队太久) is the very
// case near-duplicates are for. The store reads only the newest documents of each term, so a
// common term costs no more than a rare one.
const MinLookup = 3

// LookupTerms picks at most k terms of a text to look candidates up by: the most distinctive
// (highest tf-idf weight) of its bigrams and words that the collection holds, leaving out those
// more than MaxShare of the documents hold once the collection is large enough for shares to
// mean something, unless that leaves fewer than MinLookup. Single characters are left out: the
// index holds most of them only inside bigrams, and a character's list of documents is long.
func LookupTerms(terms map[string]int, st Stats, k int) []string {
	type scored struct {
		term string
		w    float64
	}
	n := st.Docs()
	var cands, common []scored
	for term, count := range terms {
		if isCharacter(term) {
			continue
		}
		df := st.DocFreq(term)
		if df == 0 {
			continue // nothing else holds it: no candidate to find by it
		}
		sc := scored{term, weight(count, idf(st, term))}
		if n >= 200 && float64(df) > MaxShare*float64(n) {
			common = append(common, sc)
			continue
		}
		cands = append(cands, sc)
	}
	byWeight := func(xs []scored) {
		sort.Slice(xs, func(i, j int) bool {
			if xs[i].w != xs[j].w {
				return xs[i].w > xs[j].w
			}
			return xs[i].term < xs[j].term
		})
	}
	byWeight(cands)
	if len(cands) < MinLookup {
		byWeight(common)
		cands = append(cands, common[:min(len(common), MinLookup-len(cands))]...)
	}
	if len(cands) > k {
		cands = cands[:k]
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.term
	}
	return out
}

// Counts is Stats held in memory: a term → document count table and the number of documents.
// Tests and the labelled-pair measurement use it; storage answers from the index instead.
type Counts struct {
	N  int
	DF map[string]int
}

// Add counts one more document with the given terms.
func (c *Counts) Add(terms map[string]int) {
	if c.DF == nil {
		c.DF = map[string]int{}
	}
	c.N++
	for term := range terms {
		c.DF[term]++
	}
}

func (c *Counts) Docs() int               { return c.N }
func (c *Counts) DocFreq(term string) int { return c.DF[term] }

// Found is one of the texts Best keeps: its place in the texts given, and its Similarity.
type Found struct {
	Index int
	Score float64
}

// Best returns the at most limit texts whose Similarity with the one text is highest and at
// least threshold, highest first (ties: the earlier text first). It works out the cheap
// similarities of every text, then the topic vectors in order of the best each text could
// still score, and stops when no text left could enter the list: when many near-copies are
// found, a few topic vectors settle it. The result is exactly what scoring every text would
// give.
func (sc *Scorer) Best(texts []string, threshold float64, limit int) []Found {
	type bound struct {
		i              int
		chars, bigrams float64
		upper          float64
	}
	best := max(0, math.Copysign(1, WeightTopics)) // the topic affinity that scores highest
	var todo []bound
	for i, text := range texts {
		c, b := sc.lexical(text)
		if u := Probability(c, b, best); u >= threshold {
			todo = append(todo, bound{i, c, b, u})
		}
	}
	sort.SliceStable(todo, func(a, b int) bool { return todo[a].upper > todo[b].upper })
	var out []Found
	for _, t := range todo {
		if len(out) >= limit && t.upper < out[len(out)-1].Score {
			break // neither this text nor any after it can score more than the last kept
		}
		p := Probability(t.chars, t.bigrams, sc.topicAffinity(texts[t.i]))
		if p < threshold {
			continue
		}
		out = append(out, Found{t.i, p})
		sort.SliceStable(out, func(a, b int) bool {
			if out[a].Score != out[b].Score {
				return out[a].Score > out[b].Score
			}
			return out[a].Index < out[b].Index
		})
		if len(out) > limit {
			out = out[:limit]
		}
	}
	return out
}
