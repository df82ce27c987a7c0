package chart

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// greys are the solid fills' levels (0 black … 255 white): far enough apart to tell apart on
// a cheap office laser printer, and each bar is outlined so a white or light bar still shows.
var greys = map[Fill]uint8{Dark: 0x33, Light: 0xc8, Mid: 0x8a, White: 0xff, Hatch: 0xff, Dots: 0xff, Cross: 0xff, Lines: 0xff}

const ink = "#333"

// renderSVG writes the shapes as one <svg> element.
func renderSVG(c Chart, ss []shape, height float64) []byte {
	id := idOf(c)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" class="chart chart-%s" font-family="sans-serif">`,
		num(viewBoxWidth), num(height), id, id, kindName[c.Kind])
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
	writeDefs(&b, id, ss)
	for _, s := range ss {
		writeShape(&b, id, s)
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

var kindName = map[Kind]string{Trend: "trend", Bars: "bars", Stacked: "stacked"}

// idOf derives the chart's id prefix from its content: the same chart always gets the same
// ids (deterministic output), different charts on one page different ones.
func idOf(c Chart) string {
	if id := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, c.ID); id != "" {
		return id
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%#v", c)
	return fmt.Sprintf("ch%08x", h.Sum32())
}

// writeDefs writes the patterns the shapes use.
func writeDefs(b *bytes.Buffer, id string, ss []shape) {
	used := map[Fill]bool{}
	for _, s := range ss {
		if s.op == opRect && patterned(s.fill) {
			used[s.fill] = true
		}
	}
	if len(used) == 0 {
		return
	}
	b.WriteString(`<defs>`)
	for f := Auto; f < fillCount; f++ {
		if !used[f] {
			continue
		}
		p := patterns[f]
		fmt.Fprintf(b, `<pattern id="%s-%s" patternUnits="userSpaceOnUse" width="%d" height="%d"><rect width="%d" height="%d" fill="#fff"/>%s</pattern>`,
			id, fillName[f], p.size, p.size, p.size, p.size, p.svg)
	}
	b.WriteString(`</defs>`)
}

var fillName = map[Fill]string{Dark: "dark", Hatch: "hatch", Light: "light", Dots: "dots", Mid: "mid", Cross: "cross", Lines: "lines", White: "white"}

// patterns are the tiles of the patterned fills, in SVG and as a test for the PNG writer
// (ink reports whether the point (x, y) of a tile is drawn).
var patterns = map[Fill]struct {
	size int
	svg  string
	ink  func(x, y float64) bool
}{
	Hatch: {6, `<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#333" stroke-width="1.5"/>`,
		func(x, y float64) bool { d := math.Mod(x+y, 6); return d < 1.06 || d > 4.94 }},
	Dots: {4, `<circle cx="2" cy="2" r="1.1" fill="#333"/>`,
		func(x, y float64) bool { return (x-2)*(x-2)+(y-2)*(y-2) <= 1.21 }},
	Cross: {7, `<path d="M0,0 l7,7 M7,0 l-7,7" stroke="#333" stroke-width="1"/>`,
		func(x, y float64) bool { return math.Abs(x-y) < 0.71 || math.Abs(x+y-7) < 0.71 }},
	Lines: {5, `<path d="M0,2.5 h5" stroke="#333" stroke-width="1.5"/>`,
		func(x, y float64) bool { return math.Abs(y-2.5) <= 0.75 }},
}

// writeShape writes one shape.
func writeShape(b *bytes.Buffer, id string, s shape) {
	switch s.op {
	case opRect:
		fmt.Fprintf(b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.75"`,
			s.class, num(s.x), num(s.y), num(s.w), num(s.h), paint(id, s.fill), ink)
		closeWithTip(b, "rect", s.tip, "")
	case opLine:
		fmt.Fprintf(b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`,
			s.class, num(s.x), num(s.y), num(s.x2), num(s.y2), grey(s.grey), num(s.width))
		if s.dash {
			b.WriteString(` stroke-dasharray="5 3"`)
		}
		b.WriteString(`/>`)
	case opMarker:
		writeMarker(b, s)
	case opText:
		a := [...]string{"start", "middle", "end"}[s.anchor]
		fmt.Fprintf(b, `<text class="%s" x="%s" y="%s" font-size="%s"`, s.class, num(s.x), num(s.y), num(s.size))
		if s.anchor != start {
			fmt.Fprintf(b, ` text-anchor="%s"`, a)
		}
		switch {
		case s.onDark:
			b.WriteString(` fill="#fff"`)
		case s.halo:
			b.WriteString(` fill="#000" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`)
		default:
			b.WriteString(` fill="#000"`)
		}
		tip := s.tip
		if tip == s.text {
			tip = ""
		}
		closeWithTip(b, "text", tip, s.text)
	}
}

// closeWithTip ends an element, with a tooltip when there is one.
func closeWithTip(b *bytes.Buffer, name, tip, text string) {
	if tip == "" && text == "" {
		b.WriteString(`/>`)
		return
	}
	b.WriteString(`>`)
	if tip != "" {
		fmt.Fprintf(b, `<title>%s</title>`, esc(tip))
	}
	fmt.Fprintf(b, `%s</%s>`, esc(text), name)
}

// markerPath returns marker m's outline around (x, y) with radius r: circle, square,
// triangle, diamond; odd markers are hollow.
func writeMarker(b *bytes.Buffer, s shape) {
	const r = 4.0
	fill := ink
	if s.mark%2 == 1 {
		fill = "#fff"
	}
	x, y := s.x, s.y
	switch s.mark % 4 {
	case 0:
		fmt.Fprintf(b, `<circle class="%s" cx="%s" cy="%s" r="%s"`, s.class, num(x), num(y), num(r))
	case 1:
		fmt.Fprintf(b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"`, s.class, num(x-r), num(y-r), num(2*r), num(2*r))
	case 2:
		fmt.Fprintf(b, `<path class="%s" d="M%s,%sL%s,%sL%s,%sZ"`, s.class, num(x), num(y-r-1), num(x+r+1), num(y+r), num(x-r-1), num(y+r))
	case 3:
		fmt.Fprintf(b, `<path class="%s" d="M%s,%sL%s,%sL%s,%sL%s,%sZ"`, s.class, num(x), num(y-r-1), num(x+r+1), num(y), num(x), num(y+r+1), num(x-r-1), num(y))
	}
	fmt.Fprintf(b, ` fill="%s" stroke="%s" stroke-width="1.5"`, fill, ink)
	name := map[int]string{0: "circle", 1: "rect", 2: "path", 3: "path"}[s.mark%4]
	closeWithTip(b, name, s.tip, "")
}

// paint is the SVG fill of f.
func paint(id string, f Fill) string {
	if patterned(f) {
		return "url(#" + id + "-" + fillName[f] + ")"
	}
	return grey(greys[f])
}

func grey(g uint8) string { return fmt.Sprintf("#%02x%02x%02x", g, g, g) }

// num writes a coordinate with at most two decimals, so the output does not depend on
// floating-point noise.
func num(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// esc escapes text for XML (element content and attributes alike) and drops what XML 1.0
// cannot hold.
func esc(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				continue // invalid UTF-8
			}
		}
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		}
	}
	return b.String()
}
