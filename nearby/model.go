package nearby

// The pair model that ranks the candidates: three similarities of two texts and the logistic
// regression over them, fitted on the project's tuning pairs (see the package comment).

import (
	"math"
	"sort"
	"unicode/utf8"
)

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
		if IsRunChar(r) {
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
