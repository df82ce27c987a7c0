package locale

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rule is a plural rule: how many forms a plural message has and which one a count takes.
// A catalog names its rule in meta.plural: "other" (Chinese, Uyghur: one form whatever the
// count) or "one_other" (English: "one" for 1, "other" for the rest).
type rule struct {
	forms  int
	choose func(n int) int
}

var pluralRules = map[string]rule{
	"other": {1, func(int) int { return 0 }},
	"one_other": {2, func(n int) int {
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
	ps := make(map[string]*Printer, len(messages))
	for lang, m := range messages {
		ps[lang] = &Printer{lang: lang, m: m, rule: pluralRules[m["meta.plural"].first()]}
	}
	return ps
}()

// Languages lists the languages offered to readers, in the order of the language switch: the
// default first. The pseudo language is not among them.
var Languages = func() []string {
	var langs []string
	for _, lang := range sortedLanguages(messages) {
		if lang != PseudoRTL {
			langs = append(langs, lang)
		}
	}
	return langs
}()

// Known reports whether lang is a language of the catalog, the pseudo one included.
func Known(lang string) bool {
	_, ok := printers[lang]
	return ok
}

// Get returns the printer of lang, or the default language's when lang is not one of Languages.
func Get(lang string) *Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[Default]
}

// Lang is the printer's language tag, for the page's lang attribute.
func (p *Printer) Lang() string { return p.lang }

// Dir is the direction of the printer's script, "ltr" or "rtl", for the page's dir attribute.
func (p *Printer) Dir() string { return p.T("meta.dir") }

// Name is the language's name in itself (简体中文, 繁體中文, English), for the language switch.
func (p *Printer) Name() string { return p.T("meta.name") }

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
	return p.fill(msg.forms[0], args)
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
	return p.fill(s, args)
}

// Message is a message not yet written in a language: a key and its arguments, as T takes
// them. Validation returns Messages, and the handler writes them in the reader's language.
type Message struct {
	Key  string
	Args []any
}

// M makes a Message.
func M(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Msg writes m in the printer's language; the zero Message is "".
func (p *Printer) Msg(m Message) string {
	if m.Key == "" {
		return ""
	}
	return p.T(m.Key, m.Args...)
}

// Fields are a form's problems: field name → message.
type Fields map[string]Message

// Fields writes each message of f in the printer's language, for the page to show beside its
// field; nil when f is empty, as a page with no errors expects.
func (p *Printer) Fields(f Fields) map[string]string {
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]string, len(f))
	for field, m := range f {
		out[field] = p.Msg(m)
	}
	return out
}

// WorkingDays writes a span of working days (限时结办 5 个工作日), the plural deadlines use.
func (p *Printer) WorkingDays(n int) string {
	return p.Plural("format.working_days", n)
}

// fill replaces the placeholders of s with args. An argument that is a Message is written in
// the printer's language first, so that a message can hold another (a field's name and its
// problem: 名称太长了…, "Name: too long…").
func (p *Printer) fill(s string, args []any) string {
	if len(args) == 0 {
		return s
	}
	if named, ok := args[0].(Args); ok && len(args) == 1 {
		for name, v := range named {
			s = strings.ReplaceAll(s, "{"+name+"}", p.arg(v))
		}
		return s
	}
	for i, v := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", p.arg(v))
	}
	return s
}

func (p *Printer) arg(v any) string {
	if m, ok := v.(Message); ok {
		return p.Msg(m)
	}
	return fmt.Sprint(v)
}

// Day writes a stored day (YYYY-MM-DD) as the language writes days on its pages: the
// catalog's format.day chooses between {iso}, the stored form, which both Chinese scripts keep
// (as the office writes dates in its ledgers and notices), and {date}, Date's calendar date
// (6 Dec 2026). Anything that is not a day comes back as it is.
func (p *Printer) Day(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return p.T("format.day", Args{"iso": day, "date": p.Date(t)})
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
