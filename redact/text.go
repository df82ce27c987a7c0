package redact

import (
	"regexp"
	"strings"
)

// emailRe is deliberately plain: a local part, "@", dot-separated labels and a letter TLD.
// Addresses people type (qq.com, 163.com, a hospital's domain) all fit; exotic quoted local
// parts are not worth a hard-to-read pattern.
var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// findEmails masks the local part (keeping its first letter when it has 4 characters or more,
// enough to tell two addresses apart) and the domain's digits, since a domain such as
// 13800138000.cn can be a phone number too.
func findEmails(n string) []hit {
	if strings.IndexByte(n, '@') < 0 { // no address without one: the expression is not run
		return nil
	}
	var hits []hit
	for _, loc := range emailRe.FindAllStringIndex(n, -1) {
		h := hit{kind: Email, s: loc[0], e: loc[1]}
		at := loc[0]
		for n[at] != '@' {
			at++
		}
		first := loc[0]
		if at-loc[0] >= 4 && isLetter(n[first]) {
			first++
		}
		for p := first; p < at; p++ {
			h.star = append(h.star, p)
		}
		for p := at + 1; p < loc[1]; p++ {
			if isDigit(n[p]) {
				h.star = append(h.star, p)
			}
		}
		hits = append(hits, h)
	}
	return hits
}

// medicalRe finds the keywords that introduce a hospital's own numbers. Bare, such numbers
// look like any other (an invoice, a bed, a date), so only a keyword makes them personal data.
var medicalRe = regexp.MustCompile(`(?:患者|病人)(?i:id)号?码?|(?:病历|病案|住院|门诊|就诊卡|就诊|诊疗卡|(?i:id))号码?`)

// medicalAt is medicalRe anchored at the start: findMedical tries it only where a keyword can
// begin. Unanchored, the regular expression's backtracker was started at every character of
// every submission, twice a submission (the warning, then the search text's mask): 5 % of the
// portal's CPU under load (#11). Tried at the same places in the same order, it finds the
// same matches (TestMedicalAtFindsWhatTheRegexpFinds).
var medicalAt = regexp.MustCompile(`^(?:` + medicalRe.String() + `)`)

// medicalWindow is more than the longest text medicalRe can match (就诊卡号码 and 病人ID号码 are
// 15 bytes): medicalAt is given no more, so that its work does not grow with the text after.
const medicalWindow = 32

// medicalMatches is medicalRe.FindAllStringIndex(n, -1), trying the anchored expression only
// where a keyword's first character stands: "i" or "I", or one of 患病住门就诊 (a lead byte of
// UTF-8 and its two continuation bytes: never inside another character).
func medicalMatches(n string) [][]int {
	var out [][]int
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case c == 'i' || c == 'I':
		case c >= 0xE4 && c <= 0xE9 && i+3 <= len(n) && startsMedical(n[i:i+3]):
		default:
			continue
		}
		if loc := medicalAt.FindStringIndex(n[i:min(len(n), i+medicalWindow)]); loc != nil {
			out = append(out, []int{i, i + loc[1]})
			i += loc[1] - 1 // no keyword is empty: the next try starts after this one
		}
	}
	return out
}

// startsMedical reports whether the three bytes c are a keyword's first character.
func startsMedical(c string) bool {
	switch c {
	case "患", "病", "住", "门", "就", "诊":
		return true
	}
	return false
}

// Value lengths of a medical record or admission number, in ASCII letters and digits.
const (
	minMedical = 6
	maxMedical = 12
)

// findMedical finds a keyword followed by optional spaces, a colon or 是/为, and then 6–12
// letters and digits (at least one digit) that are not part of a longer word. The keyword
// stays readable; the whole value is masked.
func findMedical(n string, claimed []hit) []hit {
	var hits []hit
	for _, loc := range medicalMatches(n) {
		p := skipFiller(n, loc[1])
		s := p
		digits := 0
		for p < len(n) && isAlnum(n[p]) {
			if isDigit(n[p]) {
				digits++
			}
			p++
		}
		if l := p - s; l < minMedical || l > maxMedical || digits == 0 || overlaps(claimed, s, p) {
			continue
		}
		h := hit{kind: MedicalRecord, s: s, e: p}
		for q := s; q < p; q++ {
			h.star = append(h.star, q)
		}
		hits = append(hits, h)
	}
	return hits
}

// skipFiller skips what may stand between a keyword and its value: spaces and colons around
// at most one 是 or 为 ("住院号是 12345678").
func skipFiller(n string, p int) int {
	spaces := func(p int) int {
		for p < len(n) && (n[p] == ' ' || n[p] == ':' || n[p] == '\t') {
			p++
		}
		return p
	}
	p = spaces(p)
	for _, w := range []string{"是", "为"} {
		if len(n)-p >= len(w) && n[p:p+len(w)] == w {
			return spaces(p + len(w))
		}
	}
	return p
}
