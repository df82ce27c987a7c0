package redact

import "time"

// A number in running text is a run of digit groups: "13800138000", "138 0013 8000",
// "0551-12345678", "(0551)1234567", "6222 0212 3456 7890". findNumbers cuts the text into such
// runs (groups joined by at most 3 spaces or dashes), then takes from each run, left to right,
// the longest sequence of whole groups that is a valid number. A number is never a piece of a
// group, so 11 digits inside a 20-digit order number are not a phone number; nor is a run glued
// to ASCII letters ("DD20240415…", a hex code) a number.
//
// A "*" between digits keeps a run together and spoils it: masked output ("138 **** **00")
// is never matched again, which is what makes Mask idempotent.

// group is one digit group of a run.
type group struct {
	s, e  int   // span in the folded text, "(" and ")" included
	chars []int // positions of its digits (and of a final X)
	paren bool  // written as "(0551)"
	star  bool  // holds a "*"
}

// maxDigits is the longest number looked for: a 19-digit bank card.
const maxDigits = 19

// findNumbers finds IDs, bank cards, mobiles and landlines in n, skipping what claimed holds.
func findNumbers(n string, claimed []hit) []hit {
	var hits []hit
	for p := 0; p < len(n); {
		if !isDigit(n[p]) && parenArea(n, p) == 0 {
			p++
			continue
		}
		groups := readRun(n, p)
		end := groups[len(groups)-1].e
		hits = append(hits, runNumbers(n, groups, claimed)...)
		p = end
	}
	return hits
}

// runNumbers takes the numbers out of one run, greedily from the left.
func runNumbers(n string, groups []group, claimed []hit) []hit {
	for _, g := range groups {
		if g.star {
			return nil
		}
	}
	leftGlued := groups[0].s > 0 && isLetter(n[groups[0].s-1])
	end := groups[len(groups)-1].e
	rightGlued := end < len(n) && isLetter(n[end])
	var hits []hit
	for i := 0; i < len(groups); {
		last, total := i-1, 0
		for j := i; j < len(groups); j++ {
			if total += len(groups[j].chars); total > maxDigits {
				break
			}
			last = j
		}
		found := false
		for j := last; j >= i && !found; j-- {
			if (i == 0 && leftGlued) || (j == len(groups)-1 && rightGlued) {
				continue
			}
			if h, ok := classify(n, groups[i:j+1]); ok && !overlaps(claimed, h.s, h.e) {
				hits = append(hits, h)
				i, found = j+1, true
			}
		}
		if !found {
			i++
		}
	}
	return hits
}

// readRun reads the groups of the run starting at p (a digit or "(").
func readRun(n string, p int) []group {
	var groups []group
	for {
		g, q := readGroup(n, p)
		groups = append(groups, g)
		r := q
		for r < len(n) && r-q < 3 && (n[r] == ' ' || n[r] == '-') {
			r++
		}
		more := r < len(n) && (isDigit(n[r]) || n[r] == '*' || parenArea(n, r) > 0)
		if !more || (r == q && !g.paren) {
			break
		}
		p = r
	}
	// Trailing stars (a "**" of emphasis after a number) are not part of the run.
	for len(groups[len(groups)-1].chars) == 0 {
		groups = groups[:len(groups)-1]
	}
	g := &groups[len(groups)-1]
	if g.e = g.chars[len(g.chars)-1] + 1; g.paren {
		g.e++
	}
	g.star = false
	for q := g.s; q < g.e; q++ {
		g.star = g.star || n[q] == '*'
	}
	return groups
}

// readGroup reads one group at p: "(0551)" or digits and stars, with an X at the end when
// it stands alone (the check character of an ID).
func readGroup(n string, p int) (group, int) {
	if k := parenArea(n, p); k > 0 {
		g := group{s: p, e: p + k + 2, paren: true}
		for q := p + 1; q <= p+k; q++ {
			g.chars = append(g.chars, q)
		}
		return g, g.e
	}
	g := group{s: p}
	q := p
	for q < len(n) && (isDigit(n[q]) || n[q] == '*') {
		if n[q] == '*' {
			g.star = true
		} else {
			g.chars = append(g.chars, q)
		}
		q++
	}
	if q > p && isDigit(n[q-1]) && q < len(n) && n[q]|0x20 == 'x' && (q+1 == len(n) || !isAlnum(n[q+1])) {
		g.chars = append(g.chars, q)
		q++
	}
	g.e = q
	return g, q
}

// parenArea returns the number of digits k when n[p:] starts with "(" + 3 or 4 digits + ")"
// and the digits start with 0 (an area code), else 0.
func parenArea(n string, p int) int {
	if p >= len(n) || n[p] != '(' {
		return 0
	}
	k := 0
	for p+1+k < len(n) && isDigit(n[p+1+k]) {
		k++
	}
	if (k == 3 || k == 4) && n[p+1] == '0' && p+1+k < len(n) && n[p+1+k] == ')' {
		return k
	}
	return 0
}

// classify decides what the groups are, trying the most specific kind first: an ID that
// happens to pass the Luhn check is an ID, not a bank card.
func classify(n string, gs []group) (hit, bool) {
	var pos []int
	var c []byte
	for _, g := range gs {
		for _, p := range g.chars {
			pos = append(pos, p)
			c = append(c, upper(n[p]))
		}
	}
	h := hit{s: gs[0].s, e: gs[len(gs)-1].e}
	paren := gs[0].paren
	short := false // a group of one digit: too loose to join
	for i, g := range gs {
		paren = paren || (i > 0 && g.paren)
		short = short || len(g.chars) < 2
	}
	x := c[len(c)-1] == 'X'
	for _, d := range c[:len(c)-1] {
		if d == 'X' {
			return h, false
		}
	}
	stars := func(from, to int) []int { return pos[from:to] } // the characters Mask hides
	switch {
	case paren:
		if area, ok := landline(c, gs); ok {
			h.kind, h.star = Landline, stars(area, len(pos)-2)
			return h, true
		}
	case x:
		if !short && validID(string(c)) {
			h.kind, h.star = IDCard, stars(3, len(pos)-2)
			return h, true
		}
	case !short && validID(string(c)):
		h.kind, h.star = IDCard, stars(3, len(pos)-2)
		return h, true
	case cardGroups(gs) && validCard(string(c)):
		h.kind, h.star = BankCard, stars(3, len(pos)-2)
		return h, true
	default:
		if short {
			return h, false
		}
		if body, ok := mobile(string(c)); ok {
			h.kind, h.star = Mobile, stars(body+3, len(pos)-2)
			if body > 0 && h.s > 0 && n[h.s-1] == '+' {
				h.s--
			}
			return h, true
		}
		if area, ok := landline(c, gs); ok {
			h.kind, h.star = Landline, stars(area, len(pos)-2)
			return h, true
		}
	}
	return h, false
}

// upper turns the x of an ID into X; digits are unchanged.
func upper(b byte) byte {
	if b == 'x' {
		return 'X'
	}
	return b
}

// idWeights and idCodes are the check digit of GB 11643-1999.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCodes = "10X98765432"

// validID reports whether c is an 18-character resident ID: region starting 1–8, a real birth
// date between 1900 and 2099, and the right check character.
func validID(c string) bool {
	if len(c) != 18 || c[0] < '1' || c[0] > '8' {
		return false
	}
	sum := 0
	for i, w := range idWeights {
		if !isDigit(c[i]) {
			return false
		}
		sum += int(c[i]-'0') * w
	}
	if c[17] != idCodes[sum%11] {
		return false
	}
	y, m, d := atoi(c[6:10]), atoi(c[10:12]), atoi(c[12:14])
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

// cardGroups reports whether the groups are written as a card is: all at once, or in fours
// with a shorter last group.
func cardGroups(gs []group) bool {
	for i, g := range gs[:len(gs)-1] {
		if len(g.chars) != 4 || (i == 0 && g.paren) {
			return false
		}
	}
	return len(gs) == 1 || len(gs[len(gs)-1].chars) <= 4
}

// validCard reports whether c is 16–19 digits from a card scheme issued in China (3 JCB/AmEx,
// 4 Visa, 5 Mastercard, 6 UnionPay) that passes the Luhn check.
func validCard(c string) bool {
	if len(c) < 16 || len(c) > 19 || c[0] < '3' || c[0] > '6' {
		return false
	}
	sum := 0
	for i := len(c) - 1; i >= 0; i-- {
		if !isDigit(c[i]) {
			return false
		}
		d := int(c[i] - '0')
		if (len(c)-1-i)%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// mobile reports whether c is a mainland mobile number, 1[3-9] and 9 digits, optionally after
// 86 or 0086; body is where the number proper starts.
func mobile(c string) (body int, ok bool) {
	for _, prefix := range []string{"", "86", "0086"} {
		if len(c) == len(prefix)+11 && c[:len(prefix)] == prefix {
			m := c[len(prefix):]
			if m[0] == '1' && m[1] >= '3' && m[1] <= '9' && allDigits(m) {
				return len(prefix), true
			}
		}
	}
	return 0, false
}

// landline reports whether the groups are an area code and a 7–8 digit local number, either
// as one group (0551 12345678 written together) or with the area code as its own group; area
// is how many digits the area code has. Area codes follow the national plan: 010 and 02x have
// three digits, every other one four; none starts with 00.
func landline(c []byte, gs []group) (area int, ok bool) {
	if len(c) < 10 || c[0] != '0' || c[1] == '0' || !allDigits(string(c)) {
		return 0, false
	}
	area = 4
	if c[1] == '1' || c[1] == '2' {
		area = 3
	}
	if len(gs) > 1 {
		if len(gs[0].chars) != area {
			return 0, false
		}
		for _, g := range gs[1:] {
			if len(g.chars) < 3 {
				return 0, false
			}
		}
	}
	local := len(c) - area
	return area, (local == 7 || local == 8) && c[area] != '0'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi reads a short run of digits already checked to be digits.
func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
