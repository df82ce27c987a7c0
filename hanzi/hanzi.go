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

	"github.com/longbridgeapp/opencc"
)

var (
	loadOnce  sync.Once
	converter *opencc.OpenCC // nil when the dictionaries failed to load
)

// t2s returns the converter, building it on first use (a few milliseconds): a program that never
// searches never pays for it.
func t2s() *opencc.OpenCC {
	loadOnce.Do(func() {
		cc, err := opencc.New("t2s")
		if err == nil {
			converter = cc
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
	out, err := cc.Convert(s)
	if err != nil {
		return s
	}
	return out
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
