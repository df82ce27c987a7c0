package nearby

// Praise by words: whether an opinion commends someone or something (praise.txt). The tag
// suggester's probability of the family 表扬 (PraiseTopic) misses praise told plainly (做事让人
// 放心, 一点不嫌弃, 挺规范的); the words catch it. The pair model compares the two texts'
// praise (FeaturePraiseWords): a praise and a complaint of one thing are two problems.

import (
	_ "embed"
	"strings"
)

//go:embed praise.txt
var praiseFile string

// praiseWords are praise.txt's words by their first character, longest first.
var praiseWords = loadLexicon(praiseFile, func(line string, add func(string, string)) {
	for _, w := range strings.Fields(line) {
		add(w, w)
	}
})

// negations are what, just before a praise word, turns it into a complaint.
var negations = []string{"一点也不", "一点都不", "没有", "不够", "不太", "从不", "不", "没"}

// PraiseWords is how many praise words a folded text says (not negated), at most 2, halved:
// 0, 0.5 or 1.
func PraiseWords(text string) float64 {
	n := 0
	for i := 0; i < len(text) && n < 2; {
		found, size := longestAt(praiseWords, text[i:])
		if found == "" {
			i += size
			continue
		}
		negated := false
		for _, neg := range negations {
			if strings.HasSuffix(text[:i], neg) {
				negated = true
				break
			}
		}
		if !negated {
			n++
		}
		i += len(found)
	}
	return float64(n) / 2
}
