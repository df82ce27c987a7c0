package chart

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The SVG is drawn with the reader's own sans-serif font, so text widths can only be
// estimated: a Chinese character (or any wide character) is one em, a Latin letter or digit
// about 0.6 em. The estimates err wide so that labels do not run into the bars.

// runeWidth is the estimated width of r in ems.
func runeWidth(r rune) float64 {
	switch {
	case wide(r):
		return 1
	case r == ' ' || r == '.' || r == ',' || r == ':' || r == 'i' || r == 'l' || r == '|':
		return 0.32
	case unicode.IsUpper(r) || r == '%' || r == 'm' || r == 'w':
		return 0.75
	case r >= '0' && r <= '9':
		return 0.62
	default:
		return 0.6
	}
}

// wide reports whether r is set a full em wide: Han, kana, hangul, CJK punctuation, full-width forms.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60 || r >= 0x2E80 && r <= 0x2FDF
}

// textWidth is the estimated width of s at size.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w * size
}

// fitSize is the font size at which the widest of ss fits in width, at most fontSize.
func fitSize(ss []string, width float64) float64 {
	size := fontSize
	for _, s := range ss {
		if w := textWidth(s, 1); w > 0 && width/w < size {
			size = width / w
		}
	}
	if size < 6 {
		size = 6
	}
	return size
}

// wrap cuts s into at most max lines of at most width at size. Chinese has no spaces, so a
// line may break between any two characters, but a Latin word or number is kept whole when it
// can be. A text still too long ends its last line with an ellipsis.
func wrap(s string, size, width float64, max int) []string {
	s = strings.TrimSpace(s)
	if textWidth(s, size) <= width {
		return []string{s}
	}
	var lines []string
	rest := s
	for len(lines) < max && rest != "" {
		if len(lines) == max-1 {
			lines = append(lines, ellipsize(rest, size, width))
			break
		}
		cut := breakAt(rest, size, width)
		lines = append(lines, strings.TrimSpace(rest[:cut]))
		rest = strings.TrimSpace(rest[cut:])
	}
	return lines
}

// breakAt is the byte offset at which to end a line of s no wider than width.
func breakAt(s string, size, width float64) int {
	w, last, lastGood := 0.0, 0, 0
	for i, r := range s {
		w += runeWidth(r) * size
		if w > width {
			if lastGood > 0 {
				return lastGood
			}
			if last == 0 { // not even one character fits: take it anyway
				return i + utf8.RuneLen(r)
			}
			return last
		}
		last = i + utf8.RuneLen(r)
		// A break is good after a wide character or a space, and before one.
		next, _ := utf8.DecodeRuneInString(s[last:])
		if wide(r) || r == ' ' || wide(next) || next == ' ' || r == '/' || r == '-' {
			lastGood = last
		}
	}
	return len(s)
}

// ellipsize shortens s to width, ending it with "…" when it had to be cut.
func ellipsize(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	limit := width - textWidth("…", size)
	w := 0.0
	for i, r := range s {
		w += runeWidth(r) * size
		if w > limit {
			return strings.TrimSpace(s[:i]) + "…"
		}
	}
	return s
}
