package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"minsheng/hanzi"
)

// TestEveryKeyInEveryLanguage checks the loaded catalog: each zh-CN key is in every language,
// with no empty form, and no language has a key zh-CN lacks.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	if len(messages[Default]) == 0 {
		t.Fatal("the zh-CN catalog is empty")
	}
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			m := messages[lang]
			for key := range messages[Default] {
				msg, ok := m[key]
				if !ok {
					t.Errorf("%s lacks %q", lang, key)
					continue
				}
				for _, f := range msg.forms {
					if strings.TrimSpace(f) == "" {
						t.Errorf("%s %q has an empty form", lang, key)
					}
				}
			}
			if len(m) != len(messages[Default]) {
				t.Errorf("%s has %d keys, zh-CN %d", lang, len(m), len(messages[Default]))
			}
		})
	}
}

// TestCheckFindsDefects feeds check catalogs with one defect each: the start-up check must
// refuse every one of them, and accept the sound one.
func TestCheckFindsDefects(t *testing.T) {
	one := func(s string) message { return message{forms: []string{s}} }
	plural := func(s ...string) message { return message{forms: s, plural: true} }
	meta := func(m map[string]message, dir, rule string) map[string]message {
		m["meta.dir"], m["meta.plural"], m["meta.name"] = one(dir), one(rule), one("name")
		return m
	}
	sound := func() catalog {
		return catalog{
			ZhCN:   meta(map[string]message{"a.x": one("甲"), "n.x": plural("{n} 条")}, "ltr", "other"),
			ZhHant: meta(map[string]message{"a.x": one("甲"), "n.x": plural("{n} 條")}, "ltr", "other"),
			En:     meta(map[string]message{"a.x": one("A"), "n.x": plural("{n} item", "{n} items")}, "ltr", "one_other"),
			"ug":   meta(map[string]message{"a.x": one("ئا"), "n.x": plural("{n} تال")}, "rtl", "other"),
		}
	}
	tests := []struct {
		name  string
		spoil func(c catalog)
		ok    bool
	}{
		{"sound", func(catalog) {}, true},
		{"key missing in en", func(c catalog) { delete(c[En], "a.x") }, false},
		{"key only in en", func(c catalog) { c[En]["b.x"] = one("B") }, false},
		{"empty form", func(c catalog) { c[ZhHant]["a.x"] = one("") }, false},
		{"en plural with one form", func(c catalog) { c[En]["n.x"] = plural("{n} items") }, false},
		{"zh plural with two forms", func(c catalog) { c[ZhHant]["n.x"] = plural("條", "條") }, false},
		{"plural in zh, plain in en", func(c catalog) { c[En]["n.x"] = one("items") }, false},
		{"unknown plural rule", func(c catalog) { c["ug"]["meta.plural"] = one("dual") }, false},
		{"direction neither ltr nor rtl", func(c catalog) { c["ug"]["meta.dir"] = one("up") }, false},
		{"pseudo form empty inside its marks", func(c catalog) { c[En]["a.x"] = one("\u202e\u202c") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sound()
			tt.spoil(c)
			if err := check(c); (err == nil) != tt.ok {
				t.Errorf("check = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// keyLiteral is a key as code writes it: a whole Go string literal or template string
// "group.name" in lower case.
var keyLiteral = regexp.MustCompile(`"([a-z][a-z0-9_]*\.[a-z0-9_.-]+)"`)

// sourceKeys walks the Go and HTML sources of the repository, tests and this package's catalog
// aside, and returns each literal whose group (the part before the first dot) is a catalog group.
func sourceKeys(t *testing.T) map[string][]string {
	t.Helper()
	groups := map[string]bool{}
	for key := range messages[Default] {
		g, _, _ := strings.Cut(key, ".")
		groups[g] = true
	}
	found := map[string][]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name != ".." && strings.HasPrefix(name, ".") || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllSubmatch(b, -1) {
			key := string(m[1])
			if g, _, _ := strings.Cut(key, "."); groups[g] {
				found[key] = append(found[key], path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestKeysUsedAndDefined: every key the sources write is in the catalog, and every key of the
// catalog is written somewhere in the sources (tests do not count: a key only a test uses is dead).
func TestKeysUsedAndDefined(t *testing.T) {
	used := sourceKeys(t)
	if len(used) == 0 {
		t.Fatal("no catalog key found in the sources: the walk is broken")
	}
	for key, paths := range used {
		if _, ok := messages[Default][key]; !ok {
			t.Errorf("%s use %q, which is not in the catalog", strings.Join(paths, ", "), key)
		}
	}
	var unused []string
	for key := range messages[Default] {
		if _, ok := used[key]; !ok {
			unused = append(unused, key)
		}
	}
	sort.Strings(unused)
	for _, key := range unused {
		t.Errorf("catalog key %q is used nowhere in the sources", key)
	}
}

// TestHantIsTraditional: converting a zh-Hant message to Traditional again changes nothing, so
// no Simplified-only character is left; and the conversion did happen where it must.
func TestHantIsTraditional(t *testing.T) {
	for key, msg := range messages[ZhHant] {
		for _, f := range msg.forms {
			again, err := hanzi.Traditionalize(f)
			if err != nil {
				t.Fatal(err)
			}
			if again != f {
				t.Errorf("zh-Hant %q = %q still has Simplified characters (s2t gives %q)", key, f, again)
			}
		}
	}
	tests := []struct{ name, key, want string }{
		{"look-back review", "status.lookback", "回頭看"},
		{"online form", "channel.web", "網上留言"},
		{"unit liaison", "role.liaison", "單位聯絡員"},
		{"already traditional stays", "status.closed", "已銷號"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(ZhHant).T(tt.key); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}
