// Package fulltext turns folded, masked text (storage's search_text: hanzi.Fold of redact.Mask)
// into what SQLite's FTS4 indexes, and what someone typed into a query for it. FTS4's default
// "simple" tokenizer splits at ASCII characters other than letters and digits and takes every
// byte from 0x80 up as part of a token: a run of Chinese would be one long token, useless for
// search. So the text is written for it as tokens separated by spaces, the way the CJK analysers
// of the big search engines do without a word segmenter (Lucene's CJKBigramFilter):
//
//   - each run of Chinese characters gives its character bigrams, then its last character alone
//     (门难进 → 门难 难进 进), so that every occurrence of a character starts a token and a
//     one-character query is the prefix query 进*;
//   - each run of ASCII letters and digits is one token, a word.
//
// These are package nearby's terms (nearby.EachTerm) plus the lone last characters: every
// nearby term is a token, so the near-duplicate look-up can find documents by its terms.
package fulltext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"minsheng/nearby"
)

// part is one run of a text: a run of Chinese characters or an ASCII word, with its byte offsets.
type part struct {
	han        bool
	start, end int
}

// parts splits text into its runs, in order, with nearby.EachTerm's classes of characters.
func parts(text string) []part {
	var out []part
	cur := part{start: -1}
	flush := func(end int) {
		if cur.start >= 0 {
			cur.end = end
			out = append(out, cur)
		}
		cur = part{start: -1}
	}
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case nearby.IsWordChar(r):
			if cur.start >= 0 && cur.han {
				flush(i)
			}
			if cur.start < 0 {
				cur = part{han: false, start: i}
			}
		case nearby.IsRunChar(r):
			if cur.start >= 0 && !cur.han {
				flush(i)
			}
			if cur.start < 0 {
				cur = part{han: true, start: i}
			}
		default:
			flush(i)
		}
		i += w
	}
	flush(len(text))
	return out
}

// Tokens returns the token stream of a folded text for the FTS4 table: tokens separated by
// single spaces, in the text's order (positions matter: a query's bigrams are a phrase).
func Tokens(text string) string {
	var b strings.Builder
	b.Grow(len(text) * 3)
	add := func(tok string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(tok))
	}
	for _, p := range parts(text) {
		s := text[p.start:p.end]
		if !p.han {
			add(s)
			continue
		}
		// Bigrams, then the run's last character alone (a run of one gives just that).
		prev := -1 // byte offset of the previous character
		for i := range s {
			if prev >= 0 {
				_, w := utf8.DecodeRuneInString(s[i:])
				add(s[prev : i+w])
			}
			prev = i
		}
		add(s[prev:])
	}
	return b.String()
}

// Query turns a folded query into an FTS4 MATCH expression that every text containing the
// query (as a substring) matches, or "" when the query has nothing to look up (only spaces and
// punctuation): the index narrows, and the caller's exact substring check decides.
//
//   - A run of two or more Chinese characters is the phrase of its bigrams ("门难 难进"):
//     inside a longer run of the text they stand at consecutive positions.
//   - A single Chinese character is a prefix ("进*"): every occurrence starts a token.
//   - An ASCII word is a prefix ("ct*"): the text's word may go on after it. A word at the
//     very start of the query may also be the end of a longer word (the query "ct" inside
//     "fact"), which no token shows; it is left to the exact check when the query has anything
//     else to look up. A query that is nothing but such a word finds it at the start of words.
//
// The parts are ANDed (FTS4's implicit AND).
func Query(q string) string {
	ps := parts(q)
	var terms []string
	for _, p := range ps {
		s := q[p.start:p.end]
		if !p.han {
			if p.start == 0 && len(ps) > 1 {
				continue
			}
			terms = append(terms, `"`+strings.ToLower(s)+`*"`)
			continue
		}
		if utf8.RuneCountInString(s) == 1 {
			terms = append(terms, `"`+s+`*"`)
			continue
		}
		bigrams := strings.Fields(Tokens(s))
		terms = append(terms, `"`+strings.Join(bigrams[:len(bigrams)-1], " ")+`"`)
	}
	return strings.Join(terms, " ")
}

// Exact reports whether every text that Query(q) matches holds q itself, so that no exact check
// is needed after the index: q is nothing but Chinese characters (Han). Two or more are the
// phrase of their bigrams, which stand at consecutive positions only inside one run of the text
// (a run's last bigram is followed by its lone last character); one is the prefix of the tokens
// that start with it, which are exactly its occurrences. Anything else (a Latin word, found at
// the start of a word; punctuation, which the index does not hold; letters that have a case)
// leaves a superset to the exact check.
func Exact(q string) bool {
	if q == "" {
		return false
	}
	for _, r := range q {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// TokensPattern is what the token text of a document (Tokens, with a space added at each end)
// holds exactly when Query(q) matches the document, for a q that is Exact: the phrase of q's
// bigrams as consecutive whole tokens (" 玩手 手机 "), or, for one character, a token that
// starts with it (" 贵"). ok is false for any other q. It lets a caller check the word on one
// document it already has in hand (its indexed token text) instead of reading the word's
// whole list of documents from the index.
func TokensPattern(q string) (pattern string, ok bool) {
	if !Exact(q) {
		return "", false
	}
	if utf8.RuneCountInString(q) == 1 {
		return " " + q, true
	}
	bigrams := strings.Fields(Tokens(q))
	return " " + strings.Join(bigrams[:len(bigrams)-1], " ") + " ", true
}
