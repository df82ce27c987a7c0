// Package invisible removes the characters a reader cannot see from what people type.
//
// Unicode's format characters (category Cf) draw nothing. The bidirectional controls among them
// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) make a screen show text in another
// order than it is stored: "退款‮元005" reads as 退款500元 to the reviewer. The zero-width ones
// (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen and the Unicode tag characters hide text
// from search and from the eye: a name split by U+200B is not found by the queue's search, and
// tag characters can carry a whole invisible sentence. None of them belongs in an opinion, a
// reply or a unit's name, so every form value is passed through Remove before anything reads it
// (handlers.cleanForms).
//
// Removal rather than refusal: the person cannot see these characters, so a message about them
// could only puzzle a tired patient; they mostly arrive unnoticed, pasted from a chat app.
//
// One exception: U+200D ZERO WIDTH JOINER between two emoji is kept. It is how 👩‍⚕️ (a woman
// health worker) or a family is written; it cannot reorder or hide text, and removing it would
// split the picture the person chose into two. Everywhere else it is removed.
package invisible

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const zeroWidthJoiner = '\u200D'

// Remove returns s without its invisible format characters (see the package comment). Text
// without any is returned as it is, without copying.
func Remove(s string) string {
	if strings.IndexFunc(s, isFormat) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1) // the last rune kept
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		keep := !isFormat(r) || r == zeroWidthJoiner && joinsEmoji(prev, s[i+size:])
		if keep {
			// The bytes as they came: an invalid sequence stays invalid for the form's own check
			// to refuse, rather than turning into U+FFFD here.
			b.WriteString(s[i : i+size])
			prev = r
		}
		i += size
	}
	return b.String()
}

// isFormat reports whether r is a format character (Cf). Every form value of every request is
// scanned with it (handlers.cleanForms), a Chinese text rune by rune, so the ranges that hold no
// format character (ASCII and Latin-1 up to the soft hyphen; U+2070–U+FEFE, where CJK, its
// punctuation and Hangul are; the full-width forms before U+FFF9) answer without unicode.Is's
// search of the table (TestIsFormatIsCf checks every rune).
func isFormat(r rune) bool {
	switch {
	case r < 0xAD, r >= 0x2070 && r < 0xFEFF, r > 0xFEFF && r < 0xFFF9:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// joinsEmoji reports whether a joiner after prev and before rest sits inside an emoji sequence.
func joinsEmoji(prev rune, rest string) bool {
	next, _ := utf8.DecodeRuneInString(rest)
	return (isEmoji(prev) || prev == '\uFE0F') && isEmoji(next)
}

// isEmoji is true for the blocks emoji come from: pictographs, emoticons, transport, symbols
// and dingbats (♀ ♂ ⚕ ❤ are there), skin-tone modifiers included. It need not be exact: a
// joiner between two such symbols is harmless either way.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r >= 0x2300 && r <= 0x23FF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF:
		return true
	}
	return false
}
