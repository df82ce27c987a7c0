package nearby

// The concepts of an opinion: what it says, whatever its words. Two people telling one problem
// pick their own words (挂不上号 / 抢号抢了五回没抢到; 态度差 / 甩脸色), which share no
// character the cosines could count; a lexicon of the field (concepts.txt, written from the
// four styles' manifestations and what a county's hospitals hear, not from the labelled
// pairs) puts both under one concept. The pair model compares the two texts' concepts, and the
// look-up asks the index for a concept's other words beside the text's place (ConceptAnchors).

import (
	_ "embed"
	"sort"
	"strings"
	"unicode/utf8"
)

//go:embed concepts.txt
var conceptsFile string

// conceptWord is one word of the lexicon and the number of the concept it says (−1: a word
// that negates a praise word inside it, taken and counted as none).
type conceptWord struct {
	word    string
	concept int
}

// conceptWords are the lexicon's words by their first character, longest first; conceptNames
// the concepts by number; conceptMembers the words of each concept.
var conceptWords, conceptNames, conceptMembers = func() (map[rune][]conceptWord, []string, [][]string) {
	var names []string
	var members [][]string
	words := loadLexicon(conceptsFile, func(line string, add func(string, conceptWord)) {
		if !strings.HasPrefix(line, "[") {
			return
		}
		end := strings.Index(line, "]")
		name := line[1:end]
		id := -1
		if !strings.HasPrefix(name, "-") {
			id = len(names)
			names = append(names, name)
			members = append(members, nil)
		}
		for _, w := range strings.Fields(line[end+1:]) {
			add(w, conceptWord{w, id})
			if id >= 0 {
				members[id] = append(members[id], w)
			}
		}
	})
	if len(names) > maxConcepts {
		panic("nearby: concepts.txt names more concepts than Concepts holds")
	}
	return words, names, members
}()

// Concepts are the concepts a folded text holds, as a bit set by number.
type Concepts [2]uint64

// maxConcepts is how many concepts a Concepts holds.
const maxConcepts = 128

// has tells whether the set holds concept c; with adds it.
func (c Concepts) has(concept int) bool { return c[concept>>6]&(1<<uint(concept&63)) != 0 }

func (c *Concepts) with(concept int) { c[concept>>6] |= 1 << uint(concept&63) }

// count is how many concepts the set holds.
func (c Concepts) count() int { return popcount(c[0]) + popcount(c[1]) }

// ConceptsOf reads a folded text once, taking at each point the longest word of the lexicon
// that starts there (so that 不耐烦 is an attitude and 不满意 no praise).
func ConceptsOf(text string) Concepts {
	var c Concepts
	eachConcept(text, func(concept int) { c.with(concept) })
	return c
}

// eachConcept calls fn with the number of each concept a folded text says, in order, repeats
// included.
func eachConcept(text string, fn func(concept int)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		found := -2
		for _, w := range conceptWords[r] {
			if strings.HasPrefix(text[i:], w.word) {
				found = w.concept
				i += len(w.word)
				break
			}
		}
		if found == -2 {
			i += size
		} else if found >= 0 {
			fn(found)
		}
	}
}

// conceptContainment is the share of the concepts of the text with fewer that the other holds,
// 0 when either has none.
func conceptContainment(a, b Concepts) float64 {
	na, nb := a.count(), b.count()
	if na == 0 || nb == 0 {
		return 0
	}
	return float64(popcount(a[0]&b[0])+popcount(a[1]&b[1])) / float64(min(na, nb))
}

func popcount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// conceptsIn are the numbers of the concepts a folded text holds, in the order
// it first says them.
func conceptsIn(text string) []int {
	var out []int
	var seen Concepts
	eachConcept(text, func(c int) {
		if !seen.has(c) {
			seen.with(c)
			out = append(out, c)
		}
	})
	return out
}

// ConceptTerms are the index terms of every word of the first n concepts a folded text holds,
// whose document frequencies ConceptAnchors reads (storage loads them with the text's own
// terms); none when the text names no place, which gets no concept anchor.
func ConceptTerms(text string, n int) map[string]int {
	out := map[string]int{}
	if n <= 0 || len(placeGroups(text)) == 0 {
		return out
	}
	for i, c := range conceptsIn(text) {
		if i >= n {
			break
		}
		for _, w := range conceptMembers[c] {
			EachTerm(w, func(term string) { out[term]++ })
		}
	}
	return out
}

// MaxConceptAnchors is how many look-ups by place and concept a text gets besides its
// LookupK terms and MaxAnchors anchors; what they find shares the anchors' AnchorCandidates.
// Two anchors of 8 words each found no more partners on the training pairs (627 of 675, as
// one of 4) and cost 2–6 CPU ms a look-up at a million opinions.
const MaxConceptAnchors = 1

// MaxConceptWords is how many of a concept's words one concept anchor asks for (joined by
// OR): the commonest that are not too common, each by its rarest index term.
const MaxConceptWords = 4

// ConceptAnchors picks at most n look-ups by place and concept for a folded text: for each
// concept it holds (in the order it says them), the documents that name one of
// its places (as Anchors) AND hold one of the concept's words it does not use itself (query
// expansion: 挂不上号 asks for 抢号, 号源, 约不上…). Each word is asked by its rarest index
// term that some document holds; of those, the MaxConceptWords commonest that are not too
// common to say anything (MaxShare). A text that names no place gets none: a concept alone
// is too common at a million opinions to narrow anything.
func ConceptAnchors(text string, st Stats, n int) []Anchor {
	if n <= 0 {
		return nil
	}
	places := anchorPlaces(text, st)
	if len(places) == 0 {
		return nil
	}
	docs := st.Docs()
	var out []Anchor
	for i, c := range conceptsIn(text) {
		if i >= n { // the first n concepts, whose words ConceptTerms gave
			break
		}
		type word struct {
			term string
			df   int
		}
		var words []word
		seen := map[string]bool{}
		for _, w := range conceptMembers[c] {
			if strings.Contains(text, w) {
				continue
			}
			best, bestDF := "", 0
			EachTerm(w, func(term string) {
				if df := st.DocFreq(term); df > 0 && (best == "" || df < bestDF) {
					best, bestDF = term, df
				}
			})
			if best == "" || seen[best] || docs >= MinShareDocs && float64(bestDF) > MaxShare*float64(docs) {
				continue
			}
			seen[best] = true
			words = append(words, word{best, bestDF})
		}
		if len(words) == 0 {
			continue
		}
		sort.Slice(words, func(i, j int) bool {
			if words[i].df != words[j].df {
				return words[i].df > words[j].df
			}
			return words[i].term < words[j].term
		})
		a := Anchor{Places: places[0]}
		for _, w := range words[:min(len(words), MaxConceptWords)] {
			a.Words = append(a.Words, w.term)
		}
		a.Word = a.Words[0]
		out = append(out, a)
	}
	return out
}
