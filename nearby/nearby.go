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
// looked up by them (LookupTerms), and by a place the text names together with one of its
// complaint words (Anchors), for the short tellings that share only common words with it. The
// candidates are then ranked by a small pair model
// (Similarity: a logistic regression fitted on the project's training pairs) of similarities:
// the cosine of the two texts' characters and words, the cosine of their bigrams, the cosine of
// their characters with the words that name a place left out (what they say apart from where)
// and how much of the shorter's such characters the longer holds beyond chance, the
// containments of the texts' bigrams (shingles) and of their complaint's characters, whether
// they name two different units or two different parts of a unit (科室, windows: PlacesOf) or
// the same part, and how
// alike their topics are by the tag suggester's scores and how far apart they are in praising
// (a Topics function the caller passes, so that this package does not load the model), whether
// one text says words of praise and the other none (praise.txt), and which specific things
// both name (a document, a drug, a time of day, a doctor by surname, an amount: details.txt):
// two facts on one topic name different ones. Characters carry much of it: two people
// telling the same problem rarely use the same two-character words (排了半个小时 / 排队半小时),
// while two different problems at the same place share the place's whole phrase
// (三楼挂号窗口…), which is why the bigram cosine counts against a pair, and why what the texts
// say apart from the place counts for it; the same complaint at another township's 卫生院 or
// another 科室 is another problem, which the place agreement tells; the topics compare what
// the texts are about (the styles, manifestations and families the suggester sees in each),
// which shared characters miss. testdata/README.md has the figures. The pair model is in
// model.go, the place words and the places they name in places.txt.
//
// Texts are expected folded and masked (hanzi.Fold of redact.Mask): Traditional and Simplified
// give the same terms, and a phone number is never a term.
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
		if IsRunChar(r) {
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
		case IsWordChar(r):
			flushHan()
			if word < 0 {
				word = i
			}
		default:
			if word >= 0 {
				fn(text[word:i])
				word = -1
			}
			if IsRunChar(r) {
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

// IsWordChar: ASCII letters and digits make words (folded text has them in lower case).
// Package fulltext cuts texts for the index with the same classes, so that every term here is
// a token there.
func IsWordChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// IsRunChar: the characters whose bigrams are terms. Letters of other scripts count as Chinese
// characters would: a run of them gives bigrams.
func IsRunChar(r rune) bool {
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

// MaxShare: a term held by more than this share of the documents is too common to look
// candidates up by (的问题, 医生): its list is long and says little.
const MaxShare = 0.05

// MinShareDocs is how many documents a collection needs before the share of them that hold a
// term means something: below it LookupTerms leaves no term out for being common, and
// Coverage counts no chance level (in a collection of two opinions, every term they share is
// held by all of them).
const MinShareDocs = 200

// LookupK is how many terms a near-duplicate look-up asks the index for: enough that a paraphrase
// sharing a few of a text's words is still found, few enough that the look-up stays quick. With
// the MaxAnchors look-ups by place and complaint (Anchors), 25 look-ups a text.
const LookupK = 22

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
// (highest tf-idf weight) of its bigrams and words that some other document of the collection
// holds, leaving out those
// more than MaxShare of the documents hold once the collection is large enough for shares to
// mean something, unless that leaves fewer than MinLookup. Single characters are left out: the
// index holds most of them only inside bigrams, and a character's list of documents is long.
// self is 1 when the text's own document is among those st counts (a stored opinion already
// indexed), else 0: a term that only the text itself holds would find nothing else, and
// being the rarest it would take the place of one that does (on the training pairs, one
// same-problem partner in twelve went unfound that way).
func LookupTerms(terms map[string]int, st Stats, k, self int) []string {
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
		if df <= self {
			continue // nothing else holds it: no candidate to find by it
		}
		sc := scored{term, weight(count, idf(st, term))}
		if n >= MinShareDocs && float64(df) > MaxShare*float64(n) {
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
