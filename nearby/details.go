package nearby

// The details of an opinion: the specific things it names (a document, a body part, a drug, a
// test, a fee, a time of day, a person by surname, an amount), for telling two facts on one
// topic apart. Two opinions at one place on one topic share words, place, concepts and topic
// (出院证明把性别写错了 / 接种证把出生日期写错了; 张医生态度差 / 李医生态度差); what
// differs is the thing each names. When both name things of one kind and none in common, the
// pair model counts it against them (FeatureOtherDetail). The kinds and things are data, in
// details.txt; surnames and amounts are read here.

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

//go:embed details.txt
var detailsFile string

// detailWord is one word of details.txt: the kind it is of and the thing it names.
type detailWord struct {
	word  string
	thing uint64 // kind<<32 | thing within the kind
}

// detailWords are the words of details.txt by their first character, longest first;
// detailKinds the kinds by number.
var detailWords, detailKinds = func() (map[rune][]detailWord, []string) {
	var kinds []string
	words := loadLexicon(detailsFile, func(line string, add func(string, detailWord)) {
		if !strings.HasPrefix(line, "{") {
			return
		}
		end := strings.Index(line, "}")
		kind := uint64(len(kinds))
		kinds = append(kinds, line[1:end])
		for i, thing := range strings.Fields(line[end+1:]) {
			for _, w := range strings.Split(thing, "=") {
				add(w, detailWord{w, kind<<32 | uint64(i)})
			}
		}
	})
	return words, kinds
}()

// Details are the things a folded text names, each as kind<<32 | thing, in order, without
// repeats (a text names a handful).
type Details []uint64

// DetailsOf reads a folded text's details: the things of details.txt (the longest word at each
// point) and the surnames of the people it names by title (张医生, 李主任), kind surnameKind.
func DetailsOf(text string) Details {
	var d Details
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, w := range detailWords[r] {
			if strings.HasPrefix(text[i:], w.word) {
				d = d.add(w.thing)
				i += len(w.word)
				matched = true
				break
			}
		}
		if !matched {
			if n, unit, next := numberAt(text, i, r); next > i {
				d = d.add(numberKind(unit)<<32 | uint64(n))
				i = next
				continue
			}
			if surnameSet[r] && titleAt(text[i+size:]) {
				d = d.add(surnameKind<<32 | uint64(r))
			}
			i += size
		}
	}
	return d
}

func (d Details) add(thing uint64) Details {
	for _, x := range d {
		if x == thing {
			return d
		}
	}
	return append(d, thing)
}

// surnameKind is the kind of a person's surname (past the kinds of details.txt).
const surnameKind = 0xff

// surnames are common surnames: a character before a title (医生, 主任…) names a person only
// when it is one of them (the 王 of 王医生, not the 个 of 那个医生).
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

// surnameSet holds the runes of surnames.
var surnameSet = func() map[rune]bool {
	out := map[rune]bool{}
	for _, r := range surnames {
		out[r] = true
	}
	return out
}()

// titles are what follows a surname when an opinion names a person.
var titles = []string{"医生", "大夫", "护士", "主任", "院长", "局长", "书记", "科长", "站长", "所长", "老师", "师傅", "会计", "股长", "医师", "总"}

func titleAt(text string) bool {
	for _, t := range titles {
		if strings.HasPrefix(text, t) {
			return true
		}
	}
	return false
}

// otherDetails is how many kinds both sets of details name things of with none in common
// (another document, another drug, another doctor by surname).
func otherDetails(a, b Details) int {
	n := 0
	var seen []uint64
	for _, x := range a {
		kind := x >> 32
		done := false
		for _, k := range seen {
			if k == kind {
				done = true
			}
		}
		if done {
			continue
		}
		seen = append(seen, kind)
		inB, shared := false, false
		for _, y := range b {
			if y>>32 == kind {
				inB = true
				for _, z := range a {
					if z == y {
						shared = true
					}
				}
			}
		}
		if inB && !shared {
			n++
		}
	}
	return n
}

// numberKind is the kind of an amount in a unit: one kind for each unit (past the surnames).
func numberKind(unit int) uint64 { return 0x100 + uint64(unit) }

// units are the measure words after an amount, by kind of amount; an amount of Chinese numerals
// counts only before one of them (一直, 一下 are no amounts).
var units = [][]string{
	{"块钱", "块", "元", "毛", "角", "万元", "千元"},
	{"个多小时", "个小时", "小时", "分钟", "天", "周", "个星期", "星期", "个月", "年", "点"},
	{"次", "趟", "回", "遍"},
	{"号", "楼", "床", "层", "室"},
	{"岁"},
	{"个人", "人", "位", "桌", "瓶", "盒", "针", "支", "袋", "斤", "辆", "张"},
}

// numberAt reads an amount starting at text[i:]: a run of ASCII digits (not next to a masked
// '*' or a letter), or of Chinese numerals followed by a measure word. It gives the value, the
// kind of unit (len(units) when the digits have none) and where it ends, or next == i.
func numberAt(text string, i int, r rune) (value int64, unit int, next int) {
	if numeral(r) < 0 && (r < '0' || r > '9') {
		return 0, 0, i // the common case: no amount starts here
	}
	if i > 0 && (text[i-1] == '*' || IsWordChar(rune(text[i-1]))) {
		return 0, 0, i
	}
	j := i
	ascii := false
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		value = min(value*10+int64(text[j]-'0'), 1<<31)
		j++
		ascii = true
	}
	if ascii {
		if j < len(text) && (text[j] == '*' || IsWordChar(rune(text[j]))) {
			return 0, 0, i
		}
	} else {
		var ok bool
		value, j, ok = chineseNumber(text, i)
		if !ok {
			return 0, 0, i
		}
	}
	for u, ws := range units {
		for _, w := range ws {
			if strings.HasPrefix(text[j:], w) {
				return value, u, j + len(w)
			}
		}
	}
	if ascii {
		return value, len(units), j
	}
	return 0, 0, i
}

// chineseNumber reads a number in Chinese numerals (三, 十五, 两百, 三千五) at text[i:].
func chineseNumber(text string, i int) (value int64, next int, ok bool) {
	var section, digit int64
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		n := numeral(r)
		if n < 0 {
			break
		}
		if n < 10 {
			digit = n
		} else {
			m := n
			if digit == 0 && m == 10 {
				digit = 1
			}
			if m == 10000 {
				value = (value + section + digit) * m
				section, digit = 0, 0
			} else {
				section += digit * m
				digit = 0
			}
		}
		j += size
		ok = true
	}
	return value + section + digit, j, ok
}

// detailContainment is the share of the details of the text with fewer that the other names
// too, 0 when either names none.
func detailContainment(a, b Details) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(b) < len(a) {
		a, b = b, a
	}
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a))
}

// numeral is the value of a Chinese numeral (0–9, or 10, 100, 1000, 10000 for 十百千万), −1
// for any other rune.
func numeral(r rune) int64 {
	switch r {
	case '零':
		return 0
	case '一':
		return 1
	case '二', '两':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	case '万':
		return 10000
	}
	return -1
}
