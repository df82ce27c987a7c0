package nearby

// The words that name a place, for the pair model's complaint similarity. Two different
// problems at one place (the hard different-problem pairs of the labelled files: the same
// 科室 or window, another complaint) share the place's words; two people telling one problem
// share what went wrong. The cosine of the characters with the place words left out measures
// the second. The words are data, in places.txt.

import (
	_ "embed"
	"sort"
	"strings"
	"unicode/utf8"
)

//go:embed places.txt
var placesFile string

// placeWords are the words of places.txt by their first character, longest first, so that at
// each point of a text the longest place word is the one left out (人民医院, not 医院).
var placeWords = func() map[rune][]string {
	out := map[rune][]string{}
	for _, line := range strings.Split(placesFile, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			r, _ := utf8.DecodeRuneInString(w)
			out[r] = append(out[r], w)
		}
	}
	for _, ws := range out {
		sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	}
	return out
}()

// WithoutPlaces is a folded text with every place word replaced by a space, so that no bigram
// forms across the gap: what the text says apart from where. It reads the text once, taking
// the longest place word that starts at each point.
func WithoutPlaces(text string) string {
	var b strings.Builder
	last := 0
	eachPlace(text, func(i, j int) {
		b.WriteString(text[last:i])
		b.WriteByte(' ')
		last = j
	})
	b.WriteString(text[last:])
	return b.String()
}

// eachPlace calls fn with the start and end of each place word WithoutPlaces leaves out, in
// order.
func eachPlace(text string, fn func(i, j int)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		found := ""
		for _, w := range placeWords[r] {
			if strings.HasPrefix(text[i:], w) {
				found = w
				break
			}
		}
		if found != "" {
			fn(i, i+len(found))
			i += len(found)
			continue
		}
		i += size
	}
}

// placeCharacters counts into removed (cleared first) the characters and words of text that
// WithoutPlaces leaves out, so that the counts of what remains are the text's counts less
// these. It says false when that does not hold: a place word that cuts an ASCII word (ct in
// ctx leaves a word x the text did not have).
func placeCharacters(text string, removed map[string]int) bool {
	clear(removed)
	ok := true
	cuts := func(k int) bool {
		return k > 0 && k < len(text) && IsWordChar(rune(text[k-1])) && IsWordChar(rune(text[k]))
	}
	eachPlace(text, func(i, j int) {
		if cuts(i) || cuts(j) {
			ok = false
		}
		EachScoringTerm(text[i:j], func(term string) {
			if !IsBigram(term) {
				removed[term]++
			}
		})
	})
	return ok
}
