package sourcetext

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"minsheng/internal/testkit"
)

// exemptions are the sources whose Chinese is data, not interface text: a path (a folder ends
// in /) and, when only some of its strings are data, a piece of those strings.
var exemptions = []struct{ path, literal, why string }{
	{"seeddata/", "", "the made-up opinions of minsheng seed (units, departments, texts): data, as the opinions people write"},
	{"sifeng/keywords.go", "", "the four styles' keywords, matched against what people write"},
	{"redact/text.go", "", "the patterns that find personal details in Chinese text"},
	{"nearby/details.go", "", "the near-duplicate model's surnames, titles and units of amounts, matched against what people write"},
	{"nearby/praise.go", "", "the negations the near-duplicate model looks for before a word of praise, matched against what people write"},
	{"workday/statutory.go", "清明", "the solar term's name as the calendar library's table spells it, to look it up"},
	{"workday/names.go", "", "the holidays' names as the calendar library and the State Council's notices spell them, matched to codes"},
	{"handlers/old_words.go", "", "audit details written by versions before #17, matched to the keys that word them now"},
	{"loadgen/", "", "the made-up opinions a load test sends"},
	{"internal/storetest/", "", "the made-up opinion text the tests above storage store"},
	{"locale/printer.go", "%d年%d月%d日", "the Chinese way of writing a date: the locale package's own printing rule"},
	{"cmd/minsheng/cli.go", "民声 minsheng:", "the command line speaks English to whoever installs the portal, naming it by both its names"},
	{"cmd/minsheng/user.go", "(联系点)", "the command line's English, with the official term beside it"},
}

// exemption returns the exemption that makes the string lit of the file at path (slash-
// separated, from the root) data, as "path\x00literal", or "" when lit is interface text.
func exemption(path, lit string) string {
	for _, e := range exemptions {
		inPath := path == e.path || strings.HasSuffix(e.path, "/") && strings.HasPrefix(path, e.path)
		if inPath && (e.literal == "" || strings.Contains(lit, e.literal)) {
			return e.path + "\x00" + e.literal
		}
	}
	return ""
}

// TestNoInterfaceTextOutsideTheCatalog walks the repository, tests and test data aside: no Go
// string (comments are free) may hold a Han character, and no template may hold a Han
// character or a Latin word outside its {{ }} actions and {{/* */}} comments — neither in its
// text nor in an attribute people read (title, alt, aria-label, placeholder, a button's value,
// a page description). Every word of the interface comes from the catalog, in the reader's
// language.
func TestNoInterfaceTextOutsideTheCatalog(t *testing.T) {
	root, err := testkit.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{} // file → its findings
	used := map[string]bool{}      // exemptions that exempted something
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(strings.TrimPrefix(path, root), string(filepath.Separator)))
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(rel, "_test.go"):
		case strings.HasSuffix(rel, ".go"):
			findings, err := goStrings(path, rel, used)
			if err != nil {
				return err
			}
			found[rel] = findings
		case strings.HasSuffix(rel, ".html") && strings.HasPrefix(rel, "templates/"):
			findings, err := templateText(path)
			if err != nil {
				return err
			}
			found[rel] = findings
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for f, fs := range found {
		if len(fs) > 0 {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		fs := found[f]
		if len(fs) > 12 {
			fs = append(fs[:12:12], fmt.Sprintf("… and %d more", len(found[f])-12))
		}
		t.Errorf("%s: %d pieces of interface text outside the catalog:\n    %s", f, len(found[f]), strings.Join(fs, "\n    "))
	}
	if len(files) > 0 {
		t.Logf("%d files hold interface text: %s", len(files), strings.Join(files, " "))
	}
	for _, e := range exemptions {
		if !used[e.path+"\x00"+e.literal] {
			t.Errorf("exemption %s %q exempts nothing any more: take it out", e.path, e.literal)
		}
	}
}

// goStrings returns the string and rune literals of a Go file that hold a Han character.
func goStrings(path, rel string, used map[string]bool) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || (lit.Kind != token.STRING && lit.Kind != token.CHAR) {
			return true
		}
		s := lit.Value
		if lit.Kind == token.STRING {
			if u, err := strconv.Unquote(lit.Value); err == nil {
				s = u
			}
		}
		if !hasHan(s) {
			return true
		}
		if e := exemption(rel, s); e != "" {
			used[e] = true
			return true
		}
		out = append(out, fmt.Sprintf("%d: %s", fset.Position(lit.Pos()).Line, clip(s)))
		return true
	})
	return out, nil
}

// action stands for whatever a template writes at run time: it is not text of the file.
const action = "\x00"

// segment maps a stretch of the flattened template back to the file, for line numbers.
type segment struct{ flat, file int }

// templateText parses a template file (functions unchecked: the portal's own are bound at run
// time) and returns its text, and the attributes people read, that hold words.
func templateText(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	src := string(b)
	tr := parse.New(filepath.Base(path))
	tr.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := tr.Parse(src, "", "", trees); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	names := make([]string, 0, len(trees))
	for name := range trees {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		var flat strings.Builder
		var segs []segment
		flatten(trees[name].Root, &flat, &segs)
		line := func(off int) int {
			file := 0
			for _, s := range segs {
				if s.flat <= off {
					file = s.file + off - s.flat
				}
			}
			return 1 + strings.Count(src[:min(file, len(src))], "\n")
		}
		for _, f := range scanHTML(flat.String()) {
			out = append(out, fmt.Sprintf("%d: %s", line(f.off), f.what))
		}
	}
	return out, nil
}

// flatten writes the text of n in order, with each action (and each branch's edge) as the
// action mark: the markup as the template writes it, less what runs.
func flatten(n parse.Node, b *strings.Builder, segs *[]segment) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			flatten(c, b, segs)
		}
	case *parse.TextNode:
		*segs = append(*segs, segment{b.Len(), int(n.Pos)})
		b.Write(n.Text)
	case *parse.IfNode:
		branch(&n.BranchNode, b, segs)
	case *parse.RangeNode:
		branch(&n.BranchNode, b, segs)
	case *parse.WithNode:
		branch(&n.BranchNode, b, segs)
	case *parse.CommentNode:
	default: // actions, {{template}}, {{break}}…
		b.WriteString(action)
	}
}

func branch(n *parse.BranchNode, b *strings.Builder, segs *[]segment) {
	b.WriteString(action)
	flatten(n.List, b, segs)
	b.WriteString(action)
	flatten(n.ElseList, b, segs)
	b.WriteString(action)
}

// finding is a piece of interface text at an offset of the flattened template.
type finding struct {
	off  int
	what string
}

var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// readAttrs are the attributes whose values people read (or hear) as they are.
var readAttrs = map[string]bool{"title": true, "alt": true, "aria-label": true, "aria-description": true,
	"aria-roledescription": true, "aria-valuetext": true, "placeholder": true, "label": true}

// scanHTML walks flattened markup: the text between tags, and attribute values. Comments, the
// contents of script and style, and code and keys (<code>, <kbd>, <samp>: an address, Ctrl)
// are not text to translate.
func scanHTML(s string) []finding {
	var out []finding
	textStart := 0
	flush := func(end int) {
		if words(s[textStart:end]) {
			out = append(out, finding{textStart, "text " + quote(s[textStart:end])})
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			flush(i)
			end := strings.Index(s[i:], "-->")
			if end < 0 {
				return out
			}
			i += end + 3
			textStart = i
		case s[i] == '<' && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '/' || s[i+1] == '!'):
			flush(i)
			tag, attrs, end := readTag(s, i)
			out = append(out, checkAttrs(tag, attrs)...)
			i = end
			if tag == "script" || tag == "style" || tag == "code" || tag == "kbd" || tag == "samp" {
				if close := strings.Index(strings.ToLower(s[i:]), "</"+tag); close >= 0 {
					i += close
				}
			}
			textStart = i
		default:
			i++
		}
	}
	flush(len(s))
	return out
}

type attr struct {
	name, value string
	off         int
}

// readTag reads the tag that starts at s[i] ('<'): its lower-case name, its attributes, and
// the offset just past its '>'.
func readTag(s string, i int) (string, []attr, int) {
	i++
	start := i
	for i < len(s) && !isSpace(s[i]) && s[i] != '>' && !(s[i] == '/' && i > start) {
		i++
	}
	tag := strings.ToLower(strings.TrimPrefix(s[start:i], "/"))
	var attrs []attr
	for i < len(s) && s[i] != '>' {
		if isSpace(s[i]) || s[i] == '/' || s[i] == action[0] {
			i++
			continue
		}
		nameStart := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != action[0] {
			i++
		}
		a := attr{name: strings.ToLower(s[nameStart:i]), off: nameStart}
		if i < len(s) && s[i] == '=' {
			i++
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				i++
				end := strings.IndexByte(s[i:], q)
				if end < 0 {
					end = len(s) - i
				}
				a.value, a.off = s[i:i+end], i
				i += end + 1
			} else {
				vs := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				a.value, a.off = s[vs:i], vs
			}
		}
		attrs = append(attrs, a)
	}
	return tag, attrs, min(i+1, len(s))
}

// checkAttrs returns the attributes of a tag that hold interface text: any Han character in
// any attribute, and Latin words in the attributes people read, in a button's value and in a
// page's description.
func checkAttrs(tag string, attrs []attr) []finding {
	get := func(name string) string {
		for _, a := range attrs {
			if a.name == name {
				return strings.ToLower(strings.ReplaceAll(a.value, action, ""))
			}
		}
		return ""
	}
	var out []finding
	for _, a := range attrs {
		v := html.UnescapeString(strings.ReplaceAll(a.value, action, " "))
		read := readAttrs[a.name] ||
			a.name == "value" && tag == "input" && (get("type") == "submit" || get("type") == "button" || get("type") == "reset") ||
			a.name == "content" && tag == "meta" && (get("name") == "description" || get("name") == "keywords")
		if hasHan(v) || read && latinWord.MatchString(v) {
			out = append(out, finding{a.off, fmt.Sprintf("<%s %s=%s>", tag, a.name, quote(a.value))})
		}
	}
	return out
}

// neutral are what every language writes alike: the names of file formats, and a page's own
// address shown as a link's text.
var neutral = regexp.MustCompile(`\b(CSV|Excel|XLSX|PDF|PNG|SVG)\b|^\s*/[a-z0-9/._-]*\s*$`)

// words reports whether template text holds a word: a Han character or two Latin letters.
func words(text string) bool {
	v := html.UnescapeString(strings.ReplaceAll(text, action, " "))
	return hasHan(v) || latinWord.MatchString(neutral.ReplaceAllString(v, " "))
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// quote shows a piece of text on one line, actions as {{…}}, cut to a readable length.
func quote(s string) string {
	return strconv.Quote(clip(strings.Join(strings.Fields(strings.ReplaceAll(s, action, "{{…}}")), " ")))
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// TestTheWalkFindsText proves the template walk on small templates: what it must find, and
// what it must leave alone (actions, comments, markup, codes, addresses).
func TestTheWalkFindsText(t *testing.T) {
	tests := []struct {
		name, src string
		finds     int
	}{
		{"actions only", `{{define "content"}}<h1>{{t "home.title"}}</h1><p class="lead">{{t "home.lead" .N}}</p>{{end}}`, 0},
		{"template comment", `{{/* 说明：这是注释 */}}<p>{{t "a.b"}}</p>`, 0},
		{"html comment", `<!-- 旧的说明 -->`, 0},
		{"Han in text", `<h1>我要留言</h1>`, 1},
		{"English in text", `<p>{{t "a.b"}} Please wait.</p>`, 1},
		{"punctuation and numbers", `<p>{{.A}} · {{.B}}（{{.C}}）: 12%</p>`, 0},
		{"placeholder", `<input id="x" placeholder="例如：内科">`, 1},
		{"English aria-label", `<nav aria-label="Main menu">`, 1},
		{"title from the catalog", `<a title="{{t "nav.profile"}}" href="/x">`, 0},
		{"codes in attributes", `<input type="radio" name="type" value="complaint" class="invalid" autocomplete="off">`, 0},
		{"a button's English value", `<input type="submit" value="Send">`, 1},
		{"Han in any attribute", `<form data-confirm="确定吗？">`, 1},
		{"meta viewport", `<meta name="viewport" content="width=device-width, initial-scale=1">`, 0},
		{"meta description", `<meta name="description" content="The portal">`, 1},
		{"attribute built by actions", `<input{{if .E}} class="invalid" aria-invalid="true"{{end}} value="{{.V}}">`, 0},
		{"keys and code", `<p>{{t "a.b"}} <kbd>Ctrl</kbd>+<kbd>P</kbd> <code>MINSHENG_PUBLIC_URL</code></p>`, 0},
		{"formats and an address", `<a href="{{.U}}">Excel (XLSX)</a> <a href="/xinxiang">/xinxiang</a>`, 0},
		{"branches", `{{if .A}}<p>已办结</p>{{else}}<p>{{t "x.y"}}</p>{{end}}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "page.html")
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := templateText(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.finds {
				t.Errorf("found %d, want %d: %q", len(got), tt.finds, got)
			}
		})
	}
	t.Run("Go strings, not comments", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "x.go")
		src := "package x\n\n// 注释可以写中文。\nconst a = \"请填写标题。\" // 行尾注释\nconst b = \"title\"\nconst c = '年'\n"
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := goStrings(path, "x/x.go", map[string]bool{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !strings.HasPrefix(got[0], "4: ") || !strings.HasPrefix(got[1], "6: ") {
			t.Errorf("found %q, want lines 4 and 6", got)
		}
	})
}
