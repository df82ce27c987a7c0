package testkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"minsheng/locale"
)

// placeholder is a message's {0}, {name} or {n}.
var placeholder = regexp.MustCompile(`\{[a-z0-9_]+\}`)

// minHan is how many Han characters a phrase must have to be looked for: fewer would also be
// found in data (a unit's name, an opinion) and in the official terms English keeps.
const minHan = 4

// LeftoverPhrases returns the phrases of the zh-CN catalog that a page in lang must not show,
// as a template or handler still printing Simplified Chinese would: each zh-CN message's text
// between its placeholders with at least four Han characters, unless some message of lang
// holds that same text (an official term English keeps beside its translation, a phrase
// zh-Hant writes alike). The keys are read from locale/catalog/zh-CN/*.json under the module's
// root; the messages through locale.
func LeftoverPhrases(lang string) ([]string, error) {
	keys, err := catalogKeys()
	if err != nil {
		return nil, err
	}
	cn, p := locale.Get(locale.ZhCN), locale.Get(lang)
	var own strings.Builder // every message of lang, for the phrases it keeps
	for _, key := range keys {
		own.WriteString(p.T(key))
		own.WriteString("\n")
		own.WriteString(p.Plural(key, 2))
		own.WriteString("\n")
	}
	seen := map[string]bool{}
	var out []string
	for _, key := range keys {
		if p.T(key) == cn.T(key) || strings.HasPrefix(key, "meta.") { // meta.name: the switch names every language in itself
			continue
		}
		for _, form := range []string{cn.T(key), cn.Plural(key, 2)} {
			for _, phrase := range placeholder.Split(form, -1) {
				phrase = strings.TrimSpace(phrase)
				if hanCount(phrase) < minHan || seen[phrase] || strings.Contains(own.String(), phrase) {
					continue
				}
				seen[phrase] = true
				out = append(out, phrase)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// FindLeftovers returns the phrases of LeftoverPhrases(lang) that text contains.
func FindLeftovers(phrases []string, text string) []string {
	var found []string
	for _, phrase := range phrases {
		if strings.Contains(text, phrase) {
			found = append(found, phrase)
		}
	}
	return found
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// catalogKeys reads the keys of the zh-CN catalog files, sorted.
func catalogKeys() ([]string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(root, "locale", "catalog", locale.ZhCN, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("testkit: no zh-CN catalog files under %s (%v)", root, err)
	}
	var keys []string
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("testkit: %s: %w", name, err)
		}
		for key := range m {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// ModuleRoot is the folder of the module's go.mod, found upwards from the working directory
// (a test runs in its package's folder).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testkit: no go.mod above the working directory")
		}
		dir = parent
	}
}
