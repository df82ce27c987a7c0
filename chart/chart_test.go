package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed SVG.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// all returns the elements under n (n included) for which keep is true, in document order.
func (n node) all(keep func(node) bool) []node {
	var out []node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.all(keep)...)
	}
	return out
}

func byClass(name, class string) func(node) bool {
	return func(n node) bool { return n.XMLName.Local == name && n.attr("class") == class }
}

// parse draws c and parses the SVG strictly.
func parse(t *testing.T, c Chart) (node, []byte) {
	t.Helper()
	b, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var root node
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, b)
	}
	return root, b
}

var months = []string{"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"}

func samples() map[string]Chart {
	return map[string]Chart{
		"trend columns": {Kind: Trend, Title: "12 months", Desc: "opinions per month", Labels: months,
			Series: []Series{{Name: "this year", Values: []float64{12, 30, 45, 0, 8, 120, 99, 101, 5, 7, math.NaN(), 60}}}},
		"trend lines": {Kind: Trend, Line: true, Title: "12 months", Labels: months, Series: []Series{
			{Name: "this year", Values: []float64{12, 30, 45, 0, 8, 120, 99, 101, 5, 7, 3, 60}},
			{Name: "last year", Values: []float64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}}}},
		"bars": {Kind: Bars, Title: "by style", Labels: []string{"形式主义", "官僚主义", "享乐主义", "奢靡之风"},
			Series: []Series{{Name: "period", Values: []float64{40, 12, 3, 0}}}, Refs: []Ref{{Value: 30, Label: "30"}}},
		"stacked": {Kind: Stacked, Title: "rectification", Labels: []string{""}, Series: []Series{
			{Name: "closed", Values: []float64{40}}, {Name: "done", Values: []float64{25}},
			{Name: "open", Values: []float64{30}}, {Name: "overdue", Values: []float64{5}, Fill: Dark}}},
	}
}

// Ensure every kind draws an accessible SVG: role="img", a <title> and a <desc> named by
// aria-labelledby, a viewBox and no fixed size, and nothing fetched.
func TestSVGIsAnAccessibleImage(t *testing.T) {
	for name, c := range samples() {
		t.Run(name, func(t *testing.T) {
			root, raw := parse(t, c)
			if root.XMLName.Local != "svg" || root.attr("role") != "img" {
				t.Fatalf("root <%s role=%q>, want <svg role=\"img\">", root.XMLName.Local, root.attr("role"))
			}
			if root.attr("width") != "" || root.attr("height") != "" || !strings.HasPrefix(root.attr("viewBox"), "0 0 640 ") {
				t.Errorf("size: width=%q height=%q viewBox=%q, want only a viewBox", root.attr("width"), root.attr("height"), root.attr("viewBox"))
			}
			ids := strings.Fields(root.attr("aria-labelledby"))
			if len(ids) != 2 {
				t.Fatalf("aria-labelledby=%q, want the title's and the desc's ids", root.attr("aria-labelledby"))
			}
			for i, want := range []struct{ el, text string }{{"title", c.Title}, {"desc", c.Desc}} {
				got := root.all(func(n node) bool { return n.XMLName.Local == want.el && n.attr("id") == ids[i] })
				if len(got) != 1 || got[0].Text != want.text {
					t.Errorf("<%s id=%q>: %+v, want one with %q", want.el, ids[i], got, want.text)
				}
			}
			for _, bad := range []string{"<script", "href", "@import", "url(http", "<image", "<foreignObject"} {
				if bytes.Contains(raw, []byte(bad)) {
					t.Errorf("the SVG holds %q", bad)
				}
			}
		})
	}
}

// Ensure bars are as long as their values: the same ratio of length to value for every bar,
// in the labels' order, and every value written.
func TestBarLengthsFollowValues(t *testing.T) {
	values := []float64{40, 12, 3, 0, 27.5}
	c := Chart{Kind: Bars, Title: "t", Labels: []string{"a", "b", "c", "d", "e"}, Decimals: 1, Suffix: "%",
		Series: []Series{{Name: "s", Values: values}}}
	root, _ := parse(t, c)
	bars := root.all(byClass("rect", "bar"))
	if len(bars) != len(values) {
		t.Fatalf("%d bars, want %d", len(bars), len(values))
	}
	ratio := bars[0].num(t, "width") / values[0]
	for i, b := range bars {
		if got, want := b.num(t, "width"), values[i]*ratio; math.Abs(got-want) > 0.02 {
			t.Errorf("bar %d: width %v, want %v (value %v)", i, got, want, values[i])
		}
		if i > 0 && b.num(t, "y") <= bars[i-1].num(t, "y") {
			t.Errorf("bar %d is not below bar %d", i, i-1)
		}
	}
	written := texts(root, "value")
	for _, want := range []string{"40.0%", "12.0%", "3.0%", "0.0%", "27.5%"} {
		if !contains(written, want) {
			t.Errorf("value %q not written; values: %q", want, written)
		}
	}
}

// Ensure trend columns stand on one base line with heights proportional to the values, and
// a missing month draws no column and is written "–".
func TestTrendColumnsFollowValues(t *testing.T) {
	c := samples()["trend columns"]
	root, _ := parse(t, c)
	cols := root.all(byClass("rect", "bar"))
	if len(cols) != 12 {
		t.Fatalf("%d columns, want 12", len(cols))
	}
	vals := c.Series[0].Values
	base := cols[0].num(t, "y") + cols[0].num(t, "height")
	ratio := cols[5].num(t, "height") / vals[5]
	for i, col := range cols {
		want := vals[i] * ratio
		if math.IsNaN(vals[i]) {
			want = 0
		}
		if got := col.num(t, "height"); math.Abs(got-want) > 0.02 {
			t.Errorf("month %d: height %v, want %v", i+1, got, want)
		}
		if got := col.num(t, "y") + col.num(t, "height"); math.Abs(got-base) > 0.02 {
			t.Errorf("month %d stands at %v, not on the base %v", i+1, got, base)
		}
		if i > 0 && col.num(t, "x") <= cols[i-1].num(t, "x") {
			t.Errorf("month %d is not right of month %d", i+1, i)
		}
	}
	if got := texts(root, "value"); !contains(got, "–") || !contains(got, "120") {
		t.Errorf("values written %q, want 120 and – among them", got)
	}
	if got := texts(root, "label"); strings.Join(got, " ") != strings.Join(months, " ") {
		t.Errorf("labels %q, want the months in order", got)
	}
}

// Ensure a trend drawn as lines has one marker per point with distinct shapes per series, and
// every value written.
func TestTrendLinesMarkEveryPoint(t *testing.T) {
	c := samples()["trend lines"]
	root, _ := parse(t, c)
	marks := root.all(func(n node) bool { return n.attr("class") == "marker" })
	if len(marks) != 24 {
		t.Fatalf("%d markers, want 24", len(marks))
	}
	if marks[0].XMLName.Local == marks[12].XMLName.Local && marks[0].attr("fill") == marks[12].attr("fill") {
		t.Errorf("both series' markers are <%s fill=%q>", marks[0].XMLName.Local, marks[0].attr("fill"))
	}
	if got := len(root.all(byClass("line", "line"))); got != 22 {
		t.Errorf("%d line segments, want 22", got)
	}
	if got := texts(root, "value"); len(got) != 24 {
		t.Errorf("%d values written, want 24", len(got))
	}
}

// Ensure a stacked bar's parts fill the width in proportion, each part's fill is its own, and
// the legend names every part.
func TestStackedPartsFollowValues(t *testing.T) {
	c := samples()["stacked"]
	root, _ := parse(t, c)
	parts := root.all(byClass("rect", "bar"))
	if len(parts) != 4 {
		t.Fatalf("%d parts, want 4", len(parts))
	}
	total := 0.0
	fills := map[string]bool{}
	for i, p := range parts {
		total += p.num(t, "width")
		fills[p.attr("fill")] = true
		if i > 0 {
			if got, want := p.num(t, "x"), parts[i-1].num(t, "x")+parts[i-1].num(t, "width"); math.Abs(got-want) > 0.02 {
				t.Errorf("part %d starts at %v, want %v", i, got, want)
			}
		}
	}
	if math.Abs(total-(viewBoxWidth-2*pad)) > 0.05 {
		t.Errorf("parts span %v, want the width %v", total, viewBoxWidth-2*pad)
	}
	for i, p := range parts {
		if got, want := p.num(t, "width")/total, c.Series[i].Values[0]/100; math.Abs(got-want) > 0.001 {
			t.Errorf("part %d is %v of the bar, want %v", i, got, want)
		}
	}
	if len(fills) != 4 {
		t.Errorf("fills %v: the parts are not told apart", fills)
	}
	if got := texts(root, "legend"); strings.Join(got, ",") != "closed,done,open,overdue" {
		t.Errorf("legend %q", got)
	}
}

// Ensure the caller's words are escaped, characters XML cannot hold are dropped, long labels
// wrap (ending in an ellipsis when even two lines cannot hold them) and keep their full text
// as a tooltip.
func TestLabelsAreEscapedAndWrapped(t *testing.T) {
	long := strings.Repeat("县人民医院心血管内科", 8)
	evil := `<b>&"x"'` + "\x00\x1b\ufffe"
	c := Chart{Kind: Bars, Title: evil, Desc: evil, Labels: []string{evil, long, "县人民医院（县医疗集团总医院）心血管内科住院部"},
		Series: []Series{{Name: evil, Values: []float64{1, 2, 3}}, {Name: "b", Values: []float64{3, 2, 1}}}}
	root, raw := parse(t, c)
	if bytes.Contains(raw, []byte("<b>")) || bytes.ContainsAny(raw, "\x00\x1b") {
		t.Fatalf("unescaped text in %s", raw)
	}
	want := `<b>&"x"'`
	if got := root.all(func(n node) bool { return n.XMLName.Local == "title" })[0].Text; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	labels := texts(root, "label")
	if !contains(labels, want) || !contains(texts(root, "legend"), want) {
		t.Errorf("labels %q, legend %q: %q missing", labels, texts(root, "legend"), want)
	}
	var longLines []node
	for _, n := range root.all(byClass("text", "label")) {
		if tip := n.all(func(n node) bool { return n.XMLName.Local == "title" }); len(tip) == 1 && tip[0].Text == long {
			longLines = append(longLines, n)
		}
	}
	if len(longLines) != 2 || !strings.HasSuffix(strings.TrimSpace(longLines[1].Text), "…") {
		t.Errorf("the long label: %+v, want two lines, the last ending in …, each with the full label as tooltip", longLines)
	}
	for _, n := range longLines {
		if w := textWidth(strings.TrimSpace(n.Text), fontSize); w > viewBoxWidth*0.38+0.01 {
			t.Errorf("line %q is %v wide, over the label column", n.Text, w)
		}
	}
}

// Ensure output is deterministic and ids differ between charts, so charts share a page.
func TestSVGIsDeterministic(t *testing.T) {
	seen := map[string]string{}
	for name, c := range samples() {
		a, _ := c.SVG()
		b, _ := c.SVG()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two drawings differ", name)
		}
		root, _ := parse(t, c)
		id := strings.Fields(root.attr("aria-labelledby"))[0]
		if other, ok := seen[id]; ok {
			t.Errorf("%s and %s share the id %s", name, other, id)
		}
		seen[id] = name
	}
}

func TestValidate(t *testing.T) {
	ok := samples()["bars"]
	cases := []struct {
		name string
		edit func(*Chart)
		want error
	}{
		{"valid", func(*Chart) {}, nil},
		{"no title", func(c *Chart) { c.Title = " " }, ErrNoTitle},
		{"no labels", func(c *Chart) { c.Labels = nil }, ErrNoData},
		{"no series", func(c *Chart) { c.Series = nil }, ErrNoData},
		{"short series", func(c *Chart) { c.Series = []Series{{Name: "x", Values: []float64{1}}} }, ErrLength},
		{"unknown kind", func(c *Chart) { c.Kind = 9 }, ErrKind},
		{"too many labels", func(c *Chart) {
			c.Labels = make([]string, maxLabels+1)
			c.Series = []Series{{Values: make([]float64, maxLabels+1)}}
		}, ErrTooMany},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if err := c.Validate(); !errors.Is(err, tc.want) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			if _, err := c.SVG(); !errors.Is(err, tc.want) {
				t.Errorf("SVG() error %v, want %v", err, tc.want)
			}
		})
	}
}

// Ensure the table rows carry the values exactly as the chart writes them, with a total column
// for stacked bars.
func TestTableRows(t *testing.T) {
	c := samples()["stacked"]
	got := c.Table("", "total")
	want := [][]string{{"", "closed", "done", "open", "overdue", "total"}, {"", "40", "25", "30", "5", "100"}}
	if !equalRows(got, want) {
		t.Errorf("stacked: %q, want %q", got, want)
	}
	c = samples()["trend columns"]
	rows := c.Table("month", "total")
	if len(rows) != 13 || rows[0][0] != "month" || len(rows[0]) != 2 || rows[11][1] != "–" || rows[6][1] != "120" {
		t.Errorf("trend: %q", rows)
	}
	root, _ := parse(t, c)
	written := texts(root, "value")
	for _, r := range rows[1:] {
		if !contains(written, r[1]) {
			t.Errorf("table value %q not written in the chart", r[1])
		}
	}
}

func texts(root node, class string) []string {
	var out []string
	for _, n := range root.all(byClass("text", class)) {
		out = append(out, strings.TrimSpace(n.Text))
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}
