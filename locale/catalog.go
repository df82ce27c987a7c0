// Package locale is the language seam: every label of the interface, by key, in each language
// the portal speaks. The messages live in catalog/<language>.json beside this file, embedded in
// the binary and checked when the program starts; zh-CN is the default and the source, zh-Hant
// is made from it by OpenCC's s2t conversion (so it is never edited by hand), and en is written
// by hand, with the official Chinese term beside the English where staff need it.
//
// Keys are written in code as whole string literals ("status.received", never "status." + code),
// so that a test can find every key the code uses and every key nobody uses.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"

	"minsheng/hanzi"
)

// The languages, as BCP 47 tags.
const (
	ZhCN   = "zh-CN"
	ZhHant = "zh-Hant"
	En     = "en"
)

// Default is the language of the portal when nothing else is chosen.
const Default = ZhCN

// Languages lists every language the catalog holds, the default first.
var Languages = []string{ZhCN, ZhHant, En}

//go:embed catalog/*.json
var files embed.FS

// message is one entry: one form, or, when it is written as a JSON list, one form per plural
// category of its language (zh has one, en two).
type message struct {
	forms  []string
	plural bool
}

// catalog maps language → key → message.
type catalog map[string]map[string]message

// load reads the embedded files, derives zh-Hant from zh-CN and checks the whole: every key of
// zh-CN in every language, no key elsewhere that zh-CN lacks, no empty form, and as many forms
// as the language's plural rule needs for the keys zh-CN gives as plurals.
func load() (catalog, error) {
	c := catalog{}
	for _, lang := range []string{ZhCN, En} {
		m, err := readFile("catalog/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		c[lang] = m
	}
	hant, err := traditional(c[ZhCN])
	if err != nil {
		return nil, err
	}
	c[ZhHant] = hant
	return c, check(c)
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

// check reports the first defect of c, keys sorted so the message is the same every time.
func check(c catalog) error {
	base := c[Default]
	for _, lang := range Languages {
		m, ok := c[lang]
		if !ok {
			return fmt.Errorf("locale: no catalog for %s", lang)
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
				want = rules[lang].forms
			}
			if len(msg.forms) != want {
				return fmt.Errorf("locale: %s %q has %d forms, want %d", lang, key, len(msg.forms), want)
			}
			for _, f := range msg.forms {
				if f == "" {
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

func sortedKeys(m map[string]message) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
