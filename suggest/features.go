package suggest

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"minsheng/hanzi"
	"minsheng/sifeng"
)

// Features are read from the folded text (hanzi.Fold: Traditional as Simplified, full-width as
// ASCII, lower case), so 門難進 and 门难进 are the same features and a Traditional copy of an
// opinion scores as its Simplified original does.
//
// Chinese needs no word segmenter here: the features are the character bigrams and trigrams of
// each run of Han characters (the way the CJK analysers of search engines index), every Latin
// word and number, and one feature per style whose dictionary word the text contains (the
// seeds' keyword list, sifeng.Suggest), so the classifier starts from what the office already
// knows and learns how much to trust it.

// gram is one feature found in a text, with where it starts and how long it is in runes of the
// folded text, to say which words drove a suggestion.
type gram struct {
	name       string
	start, end int // rune offsets in the folded text
}

// Keywords are a tag's dictionary words (the taxonomy's, which administrators keep): a text
// containing one has the feature "kwt:" + the tag's code. Words are folded like the text.
type Keywords struct {
	Code  string
	Words []string
}

// foldKeywords folds every keyword as texts are folded, so extract compares like with like.
func foldKeywords(ks []Keywords) []Keywords {
	out := make([]Keywords, len(ks))
	for i, k := range ks {
		out[i] = Keywords{Code: k.Code, Words: make([]string, len(k.Words))}
		for j, w := range k.Words {
			out[i].Words[j] = hanzi.Fold(w)
		}
	}
	return out
}

// extract returns the distinct features of text with their first place, keywords given
// folded (foldKeywords). folded is the folded text the places refer to.
// With unigrams, single characters are features too: they carry much of what a new wording
// shares with the examples (酒, 车, 礼, 表, 会), where bigrams of a text written afresh rarely
// match.
func extract(text string, keywords []Keywords, unigrams bool) (grams []gram, folded []rune) {
	folded = []rune(hanzi.Fold(text))
	seen := map[string]bool{}
	add := func(name string, start, end int) {
		if !seen[name] {
			seen[name] = true
			grams = append(grams, gram{name, start, end})
		}
	}
	for i := 0; i < len(folded); {
		r := folded[i]
		switch {
		case unicode.Is(unicode.Han, r):
			j := i
			for j < len(folded) && unicode.Is(unicode.Han, folded[j]) {
				j++
			}
			for k := i; k < j; k++ {
				if unigrams {
					add(string(folded[k:k+1]), k, k+1)
				}
				if k+2 <= j {
					add(string(folded[k:k+2]), k, k+2)
				}
				if k+3 <= j {
					add(string(folded[k:k+3]), k, k+3)
				}
			}
			if j-i == 1 && !unigrams { // a lone character between punctuation still says something
				add(string(folded[i:j]), i, j)
			}
			i = j
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			// Latin words (CT, B超, app) count; numbers do not: a number says little about a
			// style, and a phone or record number must never become part of a stored model.
			j := i
			for j < len(folded) && folded[j] < unicode.MaxASCII && unicode.IsLetter(folded[j]) {
				j++
			}
			add("w:"+string(folded[i:j]), i, j)
			i = j
		default:
			i++
		}
	}
	for _, h := range sifeng.Suggest(text) {
		add("kw:"+h.Style, 0, 0)
	}
	if len(keywords) > 0 {
		fs := string(folded)
		for _, k := range keywords {
			for _, w := range k.Words {
				if i := strings.Index(fs, w); w != "" && i >= 0 {
					start := utf8.RuneCountInString(fs[:i])
					add("kwt:"+k.Code, start, start+utf8.RuneCountInString(w))
					break
				}
			}
		}
	}
	return grams, folded
}

// vector is a text's features as model indexes with their values: each present feature its
// inverse document frequency (a character in every other opinion says little), scaled so the
// vector has length 1 (a long letter does not outweigh a short one).
type vector struct {
	idx []int32
	val []float64
}

func (m *Model) vectorize(grams []gram) (vector, []gram) {
	var v vector
	var kept []gram
	norm := 0.0
	for _, g := range grams {
		if i, ok := m.index[g.name]; ok {
			w := float64(m.IDF[i])
			v.idx = append(v.idx, i)
			v.val = append(v.val, w)
			norm += w * w
			kept = append(kept, g)
		}
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for k := range v.val {
			v.val[k] /= norm
		}
	}
	return v, kept
}

// vocabulary chooses the features a model keeps: those found in at least minDocs texts, so
// that a feature seen once (a name, a typo) does not become a rule; and each one's inverse
// document frequency, log((1+n)/(1+df))+1.
func vocabulary(texts [][]gram, minDocs int) ([]string, []float32) {
	docs := map[string]int{}
	for _, grams := range texts {
		for _, g := range grams {
			docs[g.name]++
		}
	}
	var names []string
	for name, n := range docs {
		if n >= minDocs || strings.HasPrefix(name, "kw") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	idf := make([]float32, len(names))
	for i, name := range names {
		idf[i] = float32(math.Log(float64(1+len(texts))/float64(1+docs[name])) + 1)
	}
	return names, idf
}
