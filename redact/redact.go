// Package redact finds Chinese personal data in free text — 居民身份证号, 手机号, 固定电话,
// 病历号/住院号, 银行卡号, 电子邮箱 — and masks it. It is pure (the standard library, and the
// catalog for the kinds' names): the handlers decide who sees the original, this package only
// says what is in a text.
//
// Masking scheme ("前 3 后 2"): a number keeps its first 3 and last 2 digits and every other
// digit becomes "*", in place, so separators and length survive and two numbers in one text can
// still be told apart:
//
//	身份证 11010519491231002X  → 110*************2X
//	手机   138 0013 8000       → 138 **** **00     (+86 and 86 prefixes are kept as written)
//	银行卡 6222 0212 3456 7890 → 622* **** **** **90
//	固话   0551-12345678       → 0551-******78     (the area code names a city, not a person)
//	病历号 住院号：ZY20240012    → 住院号：**********  (short values: keeping any of it is too much)
//	邮箱   zhangsan@163.com    → z*******@***.com   (first letter kept from 4 characters on)
//
// Three digits of an ID are the province and city, three of a mobile the carrier: neither
// narrows the person down; the birth date, the serial number and the subscriber part are gone.
//
// 15-digit first-generation IDs are not detected: they carry no check digit, so every 15-digit
// order or invoice number with a plausible date would be masked, and they have not been valid
// documents since 2013.
//
// Full-width input (０-９, Ａ-Ｚ, ：－（）＋＠．, the ideographic space, dashes) is matched on a
// folded copy of the text whose offsets map back to the original; Mask replaces original
// characters, so an ID typed in full-width digits is masked in full-width where it is kept.
package redact

import (
	"sort"
	"strings"
	"unicode/utf8"

	"minsheng/locale"
)

// Kind is a kind of personal data.
type Kind string

// The kinds, in the order messages list them.
const (
	IDCard        Kind = "id_card"
	Mobile        Kind = "mobile"
	Landline      Kind = "landline"
	MedicalRecord Kind = "medical_record"
	BankCard      Kind = "bank_card"
	Email         Kind = "email"
)

// Kinds lists every kind in message order.
var Kinds = []Kind{IDCard, Mobile, Landline, MedicalRecord, BankCard, Email}

// keys are the catalog messages naming each kind (居民身份证号, 手机号 …).
var keys = map[Kind]string{
	IDCard:        "redact.id_card",
	Mobile:        "redact.mobile",
	Landline:      "redact.landline",
	MedicalRecord: "redact.medical_record",
	BankCard:      "redact.bank_card",
	Email:         "redact.email",
}

// In is the kind's name in the printer's language, for messages; "" for an unknown kind.
func (k Kind) In(p *locale.Printer) string {
	key, ok := keys[k]
	if !ok {
		return ""
	}
	return p.T(key)
}

// Match is one piece of personal data: Start and End are byte offsets into the text given to
// Find, and Text is text[Start:End].
type Match struct {
	Kind       Kind
	Start, End int
	Text       string
}

// Find returns the personal data in text, in order and never overlapping.
func Find(text string) []Match {
	n, offs := fold(text)
	hits := find(n)
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		s, e := offs[h.s], offs[h.e]
		out = append(out, Match{Kind: h.kind, Start: s, End: e, Text: text[s:e]})
	}
	return out
}

// KindsIn lists the kinds found in text, each once, in message order.
// Every submission asks (the form's warning), so it runs the detectors on the folded text
// alone: no offsets back into text, no matches, no map (#11).
func KindsIn(text string) []Kind {
	hits := find(folded(text))
	if len(hits) == 0 {
		return nil
	}
	var out []Kind
	for _, k := range Kinds {
		for _, h := range hits {
			if h.kind == k {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// Mask returns text with every match masked (see the package comment). Text without personal
// data comes back byte for byte, invalid UTF-8 included. Mask(Mask(x)) == Mask(x): a mask
// leaves "*" inside the number, and a number with a "*" inside is never matched again.
func Mask(text string) string {
	n := folded(text)
	hits := find(n)
	if len(hits) == 0 {
		return text
	}
	star := make([]bool, len(n))
	for _, h := range hits {
		for _, p := range h.star {
			star[p] = true
		}
	}
	var b strings.Builder
	b.Grow(len(text))
	k := 0 // the position in n of the rune at text[i:]
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		nw := w
		if _, ok := foldRune(r, w); ok {
			nw = 1
		}
		if star[k] {
			b.WriteByte('*')
		} else {
			b.WriteString(text[i : i+w])
		}
		i, k = i+w, k+nw
	}
	return b.String()
}

// hit is a match in the folded text: its span and the positions Mask turns into "*" (each the
// position of an ASCII byte, so one original character).
type hit struct {
	kind Kind
	s, e int
	star []int
}

// find runs the detectors on the folded text n. E-mail comes first (its local part may be a
// phone number, and then the whole address is what matters), then numbers introduced by a
// medical keyword, then bare numbers, each skipping what an earlier one claimed.
func find(n string) []hit {
	hits := findEmails(n)
	hits = append(hits, findMedical(n, hits)...)
	hits = append(hits, findNumbers(n, hits)...)
	sort.Slice(hits, func(i, j int) bool { return hits[i].s < hits[j].s })
	return hits
}

// overlaps reports whether [s, e) meets any of hits.
func overlaps(hits []hit, s, e int) bool {
	for _, h := range hits {
		if s < h.e && h.s < e {
			return true
		}
	}
	return false
}

// fold returns a copy of text with full-width forms folded to ASCII, and for every byte of the
// copy the offset of its character in text (plus a final len(text)). A folded character is
// one ASCII byte standing for a multi-byte rune; everything else, invalid bytes included, is
// copied as it is.
func fold(text string) (string, []int) {
	var b strings.Builder
	b.Grow(len(text))
	offs := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if c, ok := foldRune(r, w); ok {
			b.WriteByte(c)
			offs = append(offs, i)
		} else {
			b.WriteString(text[i : i+w])
			for j := 0; j < w; j++ {
				offs = append(offs, i)
			}
		}
		i += w
	}
	return b.String(), append(offs, len(text))
}

// folded is fold's copy alone, for Mask and KindsIn, which need no offsets: text itself when
// nothing in it folds (no copy), else the copy fold makes (FuzzFoldedIsFold).
func folded(text string) string {
	first := -1
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if _, ok := foldRune(r, w); ok {
			first = i
			break
		}
		i += w
	}
	if first < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	b.WriteString(text[:first])
	for i := first; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if c, ok := foldRune(r, w); ok {
			b.WriteByte(c)
		} else {
			b.WriteString(text[i : i+w])
		}
		i += w
	}
	return b.String()
}

// foldRune maps a multi-byte rune that people type for an ASCII one (a Chinese keyboard in
// full-width mode, a dash from a word processor) to that ASCII byte.
func foldRune(r rune, w int) (byte, bool) {
	if w < 2 {
		return 0, false
	}
	switch {
	case r >= '０' && r <= '９':
		return byte('0' + r - '０'), true
	case r >= 'Ａ' && r <= 'Ｚ':
		return byte('A' + r - 'Ａ'), true
	case r >= 'ａ' && r <= 'ｚ':
		return byte('a' + r - 'ａ'), true
	}
	switch r {
	case '：':
		return ':', true
	case '－', '‐', '‑', '‒', '–', '—', '―', '−':
		return '-', true
	case '（':
		return '(', true
	case '）':
		return ')', true
	case '＋':
		return '+', true
	case '＠':
		return '@', true
	case '．':
		return '.', true
	case '＿':
		return '_', true
	case '＊':
		return '*', true
	case '\u3000', '\u00a0':
		return ' ', true
	}
	return 0, false
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
