// Package locale is the language seam: every label of the interface, by key, in each language
// the portal speaks. The messages live in catalog/<language>/*.json beside this file (one file
// per area of the interface, so that each area's words are found together), embedded in the
// binary and checked when the program starts.
//
// zh-CN is the default and the source. zh-Hant is made from it by OpenCC's s2t conversion (so
// it is never edited by hand), with catalog/zh-Hant/ holding only the few overrides a
// conversion cannot know, such as the language's own name. en is written by hand, with the
// official Chinese term beside the English where staff need it. Any other folder is a language
// of its own: a new language, right-to-left ones included, is a catalog folder and nothing else
// (its meta.dir says rtl, its meta.plural names its plural rule).
//
// Keys are written in code as whole string literals ("status.received", never "status." + code),
// so that a test can find every key the code uses and every key nobody uses.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"minsheng/hanzi"
)

// The languages this package knows by name, as BCP 47 tags.
const (
	ZhCN   = "zh-CN"
	ZhHant = "zh-Hant"
	En     = "en"
	// PseudoRTL is a made-up right-to-left language: the English messages written backwards
	// with a right-to-left override, on pages with dir="rtl". It exists so that a page's
	// mirroring can be tested before a real right-to-left catalog arrives (as Android's ar-XB).
	// It is not offered to the public (see Languages); the server serves it only when asked to.
	PseudoRTL = "ar-XB"
)

// Default is the language of the portal when nothing else is chosen.
const Default = ZhCN

//go:embed catalog
var files embed.FS

// message is one entry: one form, or, when it is written as a JSON list, one form per plural
// category of its language (zh has one, en two).
type message struct {
	forms  []string
	plural bool
}

// catalog maps language → key → message.
type catalog map[string]map[string]message

// load reads the embedded folders, derives zh-Hant from zh-CN and the pseudo language from en,
// and checks the whole: every key of zh-CN in every language, no key elsewhere that zh-CN lacks,
// no empty form, and as many forms as the language's plural rule needs.
func load() (catalog, error) {
	dirs, err := fs.ReadDir(files, "catalog")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	c := catalog{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		m, err := readDir(path.Join("catalog", d.Name()))
		if err != nil {
			return nil, err
		}
		c[d.Name()] = m
	}
	cn, ok := c[ZhCN]
	if !ok {
		return nil, fmt.Errorf("locale: no catalog for %s", ZhCN)
	}
	hant, err := traditional(cn)
	if err != nil {
		return nil, err
	}
	for key, msg := range c[ZhHant] { // the overrides
		if _, ok := hant[key]; !ok {
			return nil, fmt.Errorf("locale: zh-Hant overrides %q, which zh-CN lacks", key)
		}
		hant[key] = msg
	}
	c[ZhHant] = hant
	if en, ok := c[En]; ok {
		c[PseudoRTL] = pseudoRTL(en)
	}
	return c, check(c)
}

// readDir reads every .json file of dir into one map; a key in two files is an error.
func readDir(dir string) (map[string]message, error) {
	names, err := fs.Glob(files, dir+"/*.json")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	m := map[string]message{}
	for _, name := range names {
		one, err := readFile(name)
		if err != nil {
			return nil, err
		}
		for key, msg := range one {
			if _, dup := m[key]; dup {
				return nil, fmt.Errorf("locale: %s: key %q is also in another file of %s", name, key, dir)
			}
			m[key] = msg
		}
	}
	return m, nil
}

func readFile(name string) (map[string]message, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("locale: %s: %w", name, err)
	}
	m := make(map[string]message, len(raw))
	for key, v := range raw {
		var one string
		if err := json.Unmarshal(v, &one); err == nil {
			m[key] = message{forms: []string{one}}
			continue
		}
		var forms []string
		if err := json.Unmarshal(v, &forms); err != nil {
			return nil, fmt.Errorf("locale: %s: key %q is neither a string nor a list of strings", name, key)
		}
		m[key] = message{forms: forms, plural: true}
	}
	return m, nil
}

// traditional converts every form of the zh-CN messages with OpenCC s2t.
func traditional(cn map[string]message) (map[string]message, error) {
	out := make(map[string]message, len(cn))
	for key, msg := range cn {
		conv := message{forms: make([]string, len(msg.forms)), plural: msg.plural}
		for i, f := range msg.forms {
			t, err := hanzi.Traditionalize(f)
			if err != nil {
				return nil, fmt.Errorf("locale: zh-Hant %q: %w", key, err)
			}
			conv.forms[i] = t
		}
		out[key] = conv
	}
	return out, nil
}

// pseudoRTL makes the pseudo right-to-left language from en: each form between a
// right-to-left override and its end, so that the browser draws it backwards (the stored text,
// placeholders included, stays English) on a page whose meta.dir is rtl.
func pseudoRTL(en map[string]message) map[string]message {
	out := make(map[string]message, len(en))
	for key, msg := range en {
		if strings.HasPrefix(key, "meta.") {
			out[key] = msg
			continue
		}
		conv := message{forms: make([]string, len(msg.forms)), plural: msg.plural}
		for i, f := range msg.forms {
			conv.forms[i] = "\u202e" + f + "\u202c"
		}
		out[key] = conv
	}
	out["meta.dir"] = message{forms: []string{"rtl"}}
	out["meta.name"] = message{forms: []string{"Pseudo RTL"}}
	return out
}

// check reports the first defect of c, keys sorted so the message is the same every time.
func check(c catalog) error {
	base := c[Default]
	for _, lang := range sortedLanguages(c) {
		m := c[lang]
		r, ok := pluralRules[m["meta.plural"].first()]
		if !ok {
			return fmt.Errorf("locale: %s: meta.plural %q is not a known rule", lang, m["meta.plural"].first())
		}
		if d := m["meta.dir"].first(); d != "ltr" && d != "rtl" {
			return fmt.Errorf("locale: %s: meta.dir %q is neither ltr nor rtl", lang, d)
		}
		for _, key := range sortedKeys(base) {
			msg, ok := m[key]
			if !ok {
				return fmt.Errorf("locale: %s lacks key %q", lang, key)
			}
			if msg.plural != base[key].plural {
				return fmt.Errorf("locale: %s %q is a plural in one language and not in the other", lang, key)
			}
			want := 1
			if msg.plural {
				want = r.forms
			}
			if len(msg.forms) != want {
				return fmt.Errorf("locale: %s %q has %d forms, want %d", lang, key, len(msg.forms), want)
			}
			for _, f := range msg.forms {
				if strings.TrimSpace(strings.Trim(f, "\u202e\u202c")) == "" {
					return fmt.Errorf("locale: %s %q is empty", lang, key)
				}
			}
		}
		for _, key := range sortedKeys(m) {
			if _, ok := base[key]; !ok {
				return fmt.Errorf("locale: %s has key %q that %s lacks", lang, key, Default)
			}
		}
	}
	return nil
}

func (m message) first() string {
	if len(m.forms) == 0 {
		return ""
	}
	return m.forms[0]
}

// sortedLanguages lists the languages of c: the default first, then zh-Hant, then the others
// in alphabetical order, which is the order of the language switch.
func sortedLanguages(c catalog) []string {
	langs := []string{}
	for lang := range c {
		if lang != Default && lang != ZhHant {
			langs = append(langs, lang)
		}
	}
	sort.Strings(langs)
	head := []string{Default}
	if _, ok := c[ZhHant]; ok {
		head = append(head, ZhHant)
	}
	return append(head, langs...)
}

func sortedKeys(m map[string]message) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
