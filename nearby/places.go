package nearby

// The words that name a place, for the pair model's complaint similarity. Two different
// problems at one place (the hard different-problem pairs of the labelled files: the same
// 科室 or window, another complaint) share the place's words; two people telling one problem
// share what went wrong. The cosine of the characters with the place words left out measures
// the second. The words are data, in places.txt.

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed places.txt
var placesFile string

// placeWords are the words of places.txt by their first character, longest first, so that at
// each point of a text the longest place word is the one left out (人民医院, not 医院);
// placeKeys name the unit or part each grouped word stands for ("unit 县人民医院");
// nameAnchors are the place words after which a township's or community's health centre gives
// its name (the [named] line: 石桥镇, 石桥卫生院, 城南社区); notInNames the characters that
// make no name (the [not-in-names] line: what stands before 卫生院 in 我们卫生院 is no name).
var placeWords, placeKeys, nameAnchors, notInNames = func() (map[rune][]string, map[string]string, map[string]bool, string) {
	keys, anchors, notNames := map[string]string{}, map[string]bool{}, ""
	out := loadLexicon(placesFile, func(line string, add func(string, string)) {
		if rest, ok := strings.CutPrefix(line, "[not-in-names]"); ok {
			notNames += strings.Join(strings.Fields(rest), "")
			return
		}
		kind := ""
		for _, k := range []string{"unit", "part", "named"} {
			if rest, ok := strings.CutPrefix(line, "["+k+"]"); ok {
				kind, line = k, rest
			}
		}
		words := strings.Fields(line)
		for _, w := range words {
			add(w, w)
			switch kind {
			case "unit", "part":
				keys[w] = kind + " " + words[0]
			case "named":
				anchors[w] = true
			}
		}
	})
	return out, keys, anchors, notNames
}()

// Places are the units and the parts of units (科室, windows, services) a text names, each
// however it is written (县医院 = 人民医院, 化验室 = 检验科, 石桥镇卫生院 = 石桥卫生院).
type Places struct {
	Units, Parts []string
}

// PlacesOf is the units and parts a folded text names.
func PlacesOf(text string) Places {
	var pl Places
	pl.read(text, nil)
	return pl
}

// read sets the places text names and, when fn is not nil, calls it with each place word's
// start and end as eachPlace does.
func (pl *Places) read(text string, fn func(i, j int)) {
	pl.Units, pl.Parts = pl.Units[:0], pl.Parts[:0]
	last := 0 // the end of the last place word
	eachPlace(text, func(i, j int) {
		if fn != nil {
			fn(i, j)
		}
		word := text[i:j]
		switch key := placeKeys[word]; {
		case strings.HasPrefix(key, "unit "):
			pl.Units = appendNew(pl.Units, key)
		case key != "":
			pl.Parts = appendNew(pl.Parts, key)
		case nameAnchors[word]:
			if name := nameBefore(text[last:i]); name != "" {
				pl.Units = appendNew(pl.Units, "unit "+name)
			}
		}
		last = j
	})
}

// nameBefore is the two Chinese characters at the end of text if they can be a unit's name.
func nameBefore(text string) string {
	second, n := utf8.DecodeLastRuneInString(text)
	first, m := utf8.DecodeLastRuneInString(text[:len(text)-n])
	for _, r := range []rune{first, second} {
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(notInNames, r) {
			return ""
		}
	}
	return text[len(text)-n-m:]
}

func appendNew(keys []string, key string) []string {
	for _, k := range keys {
		if k == key {
			return keys
		}
	}
	return append(keys, key)
}

// differ tells whether two lists of places both name some and share none.
func differ(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return false
			}
		}
	}
	return true
}

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
		found, size := longestAt(placeWords, text[i:])
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
// these, and sets the places it names (pl). It says false when the counts do not hold: a
// place word that cuts an ASCII word (ct in ctx leaves a word x the text did not have).
func placeCharacters(text string, removed map[string]int, pl *Places) bool {
	clear(removed)
	ok := true
	cuts := func(k int) bool {
		return k > 0 && k < len(text) && IsWordChar(rune(text[k-1])) && IsWordChar(rune(text[k]))
	}
	pl.read(text, func(i, j int) {
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

// longestAt is the longest of words (by first character, longest first) that text starts with,
// "" when none, and the size of text's first character.
func longestAt(words map[rune][]string, text string) (found string, size int) {
	r, size := utf8.DecodeRuneInString(text)
	for _, w := range words[r] {
		if strings.HasPrefix(text, w) {
			return w, size
		}
	}
	return "", size
}
