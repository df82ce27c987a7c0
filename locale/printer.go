package locale

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rule is a language's plural rule: how many forms its plural messages have and which one a
// count takes. Chinese has one form whatever the count; English has "one" and "other".
type rule struct {
	forms  int
	choose func(n int) int
}

var rules = map[string]rule{
	ZhCN:   {1, func(int) int { return 0 }},
	ZhHant: {1, func(int) int { return 0 }},
	En: {2, func(n int) int {
		if n == 1 {
			return 0
		}
		return 1
	}},
}

// The catalog is loaded once, when the program starts. It is embedded, so a defect in it is a
// defect of the build: it stops the program at once rather than showing a page with holes.
var messages = func() catalog {
	c, err := load()
	if err != nil {
		panic(err)
	}
	return c
}()

// Printer writes messages, counts, dates and numbers in one language.
type Printer struct {
	lang string
	m    map[string]message
	rule rule
}

var printers = func() map[string]*Printer {
	ps := make(map[string]*Printer, len(Languages))
	for _, lang := range Languages {
		ps[lang] = &Printer{lang: lang, m: messages[lang], rule: rules[lang]}
	}
	return ps
}()

// Get returns the printer of lang, or the default language's when lang is not one of Languages.
func Get(lang string) *Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[Default]
}

// Lang is the printer's language tag, for the page's lang attribute.
func (p *Printer) Lang() string { return p.lang }

// Has reports whether key is in the catalog.
func (p *Printer) Has(key string) bool {
	_, ok := p.m[key]
	return ok
}

// Args are named arguments: T("k", Args{"unit": "县医院"}) fills {unit}.
type Args map[string]any

// T returns the message of key with its arguments filled: one Args fills {name} placeholders,
// anything else fills {0}, {1} … by position. An unknown key comes back as the key itself, so a
// missing message shows as a visible key rather than an empty space (the tests keep it rare).
func (p *Printer) T(key string, args ...any) string {
	msg, ok := p.m[key]
	if !ok {
		return key
	}
	return fill(msg.forms[0], args)
}

// Plural returns the form of key that the count n takes in the printer's language, with {n}
// filled by n written as the language writes numbers, and the other arguments as T fills them.
func (p *Printer) Plural(key string, n int, args ...any) string {
	msg, ok := p.m[key]
	if !ok {
		return key
	}
	i := 0
	if msg.plural {
		i = p.rule.choose(n)
	}
	s := strings.ReplaceAll(msg.forms[i], "{n}", p.Number(n))
	return fill(s, args)
}

// WorkingDays writes a span of working days (限时结办 5 个工作日), the plural deadlines use.
func (p *Printer) WorkingDays(n int) string {
	return p.Plural("format.working_days", n)
}

// fill replaces the placeholders of s with args.
func fill(s string, args []any) string {
	if len(args) == 0 {
		return s
	}
	if named, ok := args[0].(Args); ok && len(args) == 1 {
		for name, v := range named {
			s = strings.ReplaceAll(s, "{"+name+"}", fmt.Sprint(v))
		}
		return s
	}
	for i, v := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", fmt.Sprint(v))
	}
	return s
}

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date writes the calendar day of t as the language writes it: 2026年12月6日 in Chinese (both
// scripts), 6 Dec 2026 in English. It reads t's own fields: the caller chooses the zone.
func (p *Printer) Date(t time.Time) string {
	y, m, d := t.Date()
	if p.lang == En {
		return fmt.Sprintf("%d %s %d", d, enMonths[m-1], y)
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

// Number writes an integer with its thousands grouped by commas (12,345), as both Chinese
// and English write figures in tables.
func (p *Printer) Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
