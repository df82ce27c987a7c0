package nearby

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// loadLexicon reads one of the package's word lists (concepts.txt, places.txt, details.txt,
// praise.txt: one entry a line, `#` starts a comment line) into its words by their first
// character, longest first, so that at each point of a text the longest word is the one taken.
// parse reads one line (trimmed, not empty, not a comment) and calls add for each word it
// holds, with what the word stands for; whatever else a line says (names, kinds), parse keeps.
func loadLexicon[T any](file string, parse func(line string, add func(word string, v T))) map[rune][]T {
	type entry struct {
		word string
		v    T
	}
	entries := map[rune][]entry{}
	add := func(word string, v T) {
		r, _ := utf8.DecodeRuneInString(word)
		entries[r] = append(entries[r], entry{word, v})
	}
	for _, line := range strings.Split(file, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parse(line, add)
	}
	out := make(map[rune][]T, len(entries))
	for r, es := range entries {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].word) > len(es[j].word) })
		vs := make([]T, len(es))
		for i, e := range es {
			vs[i] = e.v
		}
		out[r] = vs
	}
	return out
}
