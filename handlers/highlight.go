package handlers

import (
	"html/template"
	"strings"

	"minsheng/hanzi"
	"minsheng/storage"
)

// highlight is excerpt(shown, n) as HTML with every occurrence of the search typed marked
// (<mark>), found as the search finds it: folded, so 門難進 marks 门难进 and CT marks ｃｔ. shown
// is the text as this viewer sees it (personal numbers masked): what is marked is what is on
// the screen. When the first occurrence lies past the excerpt, the excerpt starts a little
// before it. Everything else is escaped.
func highlight(shown, typed string, n int) template.HTML {
	text := strings.Join(strings.Fields(shown), " ")
	runes := []rune(text)
	q := []rune(hanzi.Fold(storage.SearchQuery(typed)))
	folded := []rune(hanzi.Fold(text))
	var marks [][2]int // rune ranges of text to mark
	// Folding keeps one character for one almost always; when a phrase conversion changed the
	// count, positions would not line up: nothing is marked.
	if len(q) > 0 && len(folded) == len(runes) {
		for i := 0; i+len(q) <= len(folded); {
			if equalRunes(folded[i:i+len(q)], q) {
				marks = append(marks, [2]int{i, i + len(q)})
				i += len(q)
				continue
			}
			i++
		}
	}
	start, end := 0, min(len(runes), n)
	if len(marks) > 0 && marks[0][1] > end {
		start = max(0, marks[0][0]-10)
		end = min(len(runes), start+n)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, m := range marks {
		if m[1] <= start || m[0] >= end {
			continue
		}
		from, to := max(m[0], start), min(m[1], end)
		b.WriteString(template.HTMLEscapeString(string(runes[at:from])))
		b.WriteString("<mark>" + template.HTMLEscapeString(string(runes[from:to])) + "</mark>")
		at = to
	}
	b.WriteString(template.HTMLEscapeString(string(runes[at:end])))
	if end < len(runes) {
		b.WriteString("…")
	}
	return template.HTML(b.String()) // every piece of text above was escaped
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
