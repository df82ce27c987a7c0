// Package hanzi normalises Chinese text for matching: Traditional characters become Simplified,
// so that 門難進 and 门难进 are the same words to search and to the style hints, and full-width
// Latin letters and digits become ordinary lower-case ones. It is pure: the text people wrote is
// never changed, only the copy that is compared.
//
// The Traditional → Simplified table is OpenCC's (github.com/longbridgeapp/opencc, its
// dictionaries embedded), phrase-aware: 頭髮 → 头发 but 發現 → 发现, where a character table
// alone cannot choose. Note the library registers a flag "dir" on flag.CommandLine when it is
// imported; minsheng's commands use FlagSets of their own, so it is never parsed.
package hanzi

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

var (
	loadOnce  sync.Once
	converter *opencc.OpenCC // nil when the dictionaries failed to load
	// starters are, for each group of converter's DictChains, the characters of the Basic
	// Multilingual Plane that startsKey says yes to, one bit each (startersOf).
	starters []*starterSet
)

// starterSet holds one bit per character U+0000–U+FFFF.
type starterSet [0x10000 / 64]uint64

func (set *starterSet) has(r rune) bool { return set[r>>6]&(1<<(r&63)) != 0 }

// startersOf asks startsKey once for every character of the Basic Multilingual Plane and each
// group of cc, when the converter is built (a few milliseconds more, once): every stored
// opinion is folded, and asking the dictionaries' tries for each of its characters was most of
// the folding's CPU (#11). TestStartersAreStartsKey compares every bit with startsKey.
func startersOf(cc *opencc.OpenCC) []*starterSet {
	sets := make([]*starterSet, len(cc.DictChains))
	var enc [utf8.UTFMax]byte
	for i, group := range cc.DictChains {
		set := new(starterSet)
		for r := rune(0); r < 0x10000; r++ {
			if n := utf8.EncodeRune(enc[:], r); startsKey(group, enc[:n]) {
				set[r>>6] |= 1 << (r & 63)
			}
		}
		sets[i] = set
	}
	return sets
}

// t2s returns the converter, building it on first use (a few milliseconds): a program that never
// searches never pays for it.
func t2s() *opencc.OpenCC {
	loadOnce.Do(func() {
		cc, err := opencc.New("t2s")
		if err == nil {
			converter = cc
			starters = startersOf(cc)
		}
	})
	return converter
}

// Simplify returns s with Traditional characters and phrases written in Simplified. Text that is
// already Simplified, Latin letters, digits and punctuation come back unchanged. If the
// converter cannot be used, s comes back unchanged: a search must never fail over this.
func Simplify(s string) string {
	if isASCII(s) {
		return s
	}
	cc := t2s()
	if cc == nil {
		return s
	}
	out, err := convert(cc, s)
	if err != nil {
		return s
	}
	return out
}

// convertWindow is how many characters OpenCC's Convert offers its dictionaries at a time.
const convertWindow = 10

// convert is OpenCC's Convert, the same greedy walk: at each character, the longest key of the
// first dictionary of the group that has one starting there is replaced by its first value,
// else the character is kept. The difference is only in cost: a character with which no key of
// the group begins is kept without asking the dictionaries (most characters of a Simplified
// text, each of which cost Convert a string, a byte slice and a map per dictionary). Under a
// flood of submissions folding was a twentieth of the portal's CPU (#11); TestConvertIsOpenCCs
// checks the output against Convert's.
func convert(cc *opencc.OpenCC, in string) (string, error) {
	var enc [utf8.UTFMax]byte
	for gi, group := range cc.DictChains {
		var set *starterSet // the group's characters as bits, for the converter they were built for
		if cc == converter && gi < len(starters) {
			set = starters[gi]
		}
		starts := func(c rune) bool {
			if set != nil && c < 0x10000 {
				return set.has(c)
			}
			n := utf8.EncodeRune(enc[:], c)
			return startsKey(group, enc[:n])
		}
		r := []rune(in)
		var b strings.Builder
		b.Grow(len(in))
		for i := 0; i < len(r); {
			if !starts(r[i]) {
				b.WriteRune(r[i])
				i++
				continue
			}
			window := string(r[i:min(len(r), i+convertWindow)])
			matched := false
			for _, dict := range group.Dicts {
				found, err := dict.PrefixMatch(window)
				if err != nil {
					return "", err
				}
				if len(found) == 0 {
					continue
				}
				longest, token := "", ""
				for key, values := range found {
					if len(key) > len(longest) {
						longest, token = key, values[0]
					}
				}
				b.WriteString(token)
				i += utf8.RuneCountInString(longest)
				matched = true
				break
			}
			if !matched {
				b.WriteRune(r[i])
				i++
			}
		}
		in = b.String()
	}
	return in, nil
}

// startsKey reports whether some key of group's dictionaries begins with the bytes of one
// character: whether their tries have that path from the root (a dictionary without a trie
// says yes, so that Convert's own error comes back).
func startsKey(group *opencc.Group, char []byte) bool {
	for _, dict := range group.Dicts {
		if dict.Trie == nil {
			return true
		}
		if _, err := dict.Trie.Jump(char, 0); err == nil {
			return true
		}
	}
	return false
}

// Fold is the one normalisation used for both the stored text and what is searched for:
// Simplify, then full-width ASCII (ＡＢＣ１２３, the ideographic space) to its ordinary form, then
// ASCII letters to lower case. Chinese punctuation other than the full-width ASCII block
// (，！？：（） are in it; 。、“” are not) is kept.
func Fold(s string) string {
	s = Simplify(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune maps one full-width ASCII character or upper-case ASCII letter.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // ！ … ～, the full-width forms of ! … ~
		r -= 0xFF01 - '!'
	case r == 0x3000: // ideographic space
		r = ' '
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var (
	s2tOnce sync.Once
	s2tConv *opencc.OpenCC // nil when the dictionaries failed to load
)

// Traditionalize returns s written in Traditional characters, phrase-aware (OpenCC's s2t), for
// the zh-Hant catalog, which is made from the zh-CN one at start-up rather than kept by hand.
// Unlike Simplify it reports a failure: a catalog that cannot be converted must stop the start.
func Traditionalize(s string) (string, error) {
	if isASCII(s) {
		return s, nil
	}
	s2tOnce.Do(func() {
		cc, err := opencc.New("s2t")
		if err == nil {
			s2tConv = cc
		}
	})
	if s2tConv == nil {
		return "", errors.New("hanzi: OpenCC s2t dictionaries did not load")
	}
	return s2tConv.Convert(s)
}
