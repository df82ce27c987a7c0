package chart

import (
	"math"
)

// The layout turns a Chart into a list of shapes in viewBox units; the SVG and the PNG
// writers both draw that one list, so the image in the .docx has the geometry of the page's.

type op int

const (
	opRect   op = iota // x, y, w, h, fill (bars, swatches)
	opLine             // x, y → x2, y2, stroke width, dash (axes, grid, reference and trend lines)
	opMarker           // x, y centre, marker shape (trend points)
	opText             // x, y baseline, text
)

type anchor int

const (
	start anchor = iota
	middle
	end
)

type shape struct {
	op         op
	class      string // SVG class: "bar", "value", "label", "grid", "ref", "legend", "line", "marker"
	x, y, w, h float64
	x2, y2     float64
	fill       Fill
	width      float64 // stroke width
	dash       bool
	grey       uint8 // stroke grey level for lines (0 black)
	mark       int   // marker shape
	text       string
	size       float64
	anchor     anchor
	onDark     bool   // text written on a dark fill: white
	halo       bool   // text written on a pattern: white outline behind it
	tip        string // tooltip (<title> inside the shape)
}

// Layout constants in viewBox units.
const (
	pad      = 8.0
	fontSize = 12.0
	small    = 11.0
	barH     = 16.0 // one series' bar in Bars and Stacked rows
	rowGap   = 10.0
	legendH  = 20.0
)

// layout returns the shapes of c and the viewBox height.
func (c Chart) layout() ([]shape, float64) {
	var ss []shape
	y := pad
	if c.Kind == Stacked || len(c.Series) > 1 {
		var lh float64
		ss, lh = c.legend(y)
		y += lh
	}
	var body []shape
	var h float64
	switch c.Kind {
	case Trend:
		body, h = c.trend(y)
	case Bars:
		body, h = c.bars(y)
	case Stacked:
		body, h = c.stacked(y)
	}
	return append(ss, body...), y + h + pad
}

// legend lays the series' swatches and names out in rows across the width.
func (c Chart) legend(y float64) ([]shape, float64) {
	var ss []shape
	x := pad
	rows := 1
	for i, s := range c.Series {
		w := 14 + 4 + textWidth(s.Name, small) + 14
		if x+w > viewBoxWidth-pad && x > pad {
			x = pad
			y += legendH
			rows++
		}
		if c.Line && c.Kind == Trend {
			ss = append(ss,
				shape{op: opLine, class: "legend", x: x, y: y + 7, x2: x + 14, y2: y + 7, width: 2, dash: i%2 == 1},
				shape{op: opMarker, class: "legend", x: x + 7, y: y + 7, mark: i})
		} else {
			ss = append(ss, shape{op: opRect, class: "legend", x: x, y: y, w: 14, h: 14, fill: c.fillOf(i)})
		}
		ss = append(ss, shape{op: opText, class: "legend", x: x + 18, y: y + 11.5, text: s.Name, size: small})
		x += w
	}
	return ss, float64(rows)*legendH + 4
}

// scaleMax is the end of the value axis: Max, or the largest value or reference line
// rounded up to a nice number.
func (c Chart) scaleMax() float64 {
	if c.Max > 0 {
		return c.Max
	}
	m := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) && v > m {
				m = v
			}
		}
	}
	for _, r := range c.Refs {
		if r.Value > m {
			m = r.Value
		}
	}
	if m <= 0 {
		return 1
	}
	return niceCeil(m)
}

// stackMax is the end of the axis of stacked bars: the largest row total.
func (c Chart) stackMax() float64 {
	if c.Max > 0 {
		return c.Max
	}
	m := 0.0
	for i := range c.Labels {
		if t := c.rowTotal(i); t > m {
			m = t
		}
	}
	if m <= 0 {
		return 1
	}
	return m
}

func (c Chart) rowTotal(i int) float64 {
	t := 0.0
	for _, s := range c.Series {
		if v := s.Values[i]; v > 0 && !math.IsInf(v, 0) {
			t += v
		}
	}
	return t
}

// niceCeil rounds m up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(m float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(m)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= m {
			return f * p
		}
	}
	return 10 * p
}

// length returns v's length on an axis of span units ending at max: zero for missing or
// negative values, never beyond the axis.
func length(v, max, span float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || max <= 0 {
		return 0
	}
	return math.Min(v/max, 1) * span
}

// bars lays out horizontal bars: wrapped labels on the left, values after the bars.
func (c Chart) bars(y0 float64) ([]shape, float64) {
	var ss []shape
	labelW, lines := c.labelColumn()
	valueW := c.valueWidth() + 6
	x0 := pad + labelW + 8
	span := viewBoxWidth - pad - valueW - x0
	max := c.scaleMax()
	groupH := float64(len(c.Series))*barH + 2*float64(len(c.Series)-1)
	groupH = math.Max(groupH, float64(maxLen(lines))*(fontSize+2))
	y := y0
	refLevels := c.refLevels(x0, span, max)
	for _, l := range refLevels {
		y = math.Max(y, y0+14*float64(l+1)) // room for the reference labels above the bars
	}
	top := y
	for i := range c.Labels {
		ss = append(ss, labelLines(lines[i], pad+labelW, y+groupH/2, end, c.Labels[i])...)
		by := y
		for j, s := range c.Series {
			v := s.Values[i]
			w := length(v, max, span)
			tip := c.Labels[i] + " " + s.Name + " " + c.format(v)
			ss = append(ss, shape{op: opRect, class: "bar", x: x0, y: by, w: w, h: barH, fill: c.fillOf(j), tip: tip},
				shape{op: opText, class: "value", x: x0 + w + 4, y: by + barH - 4, text: c.format(v), size: small, halo: len(c.Refs) > 0})
			by += barH + 2
		}
		y += groupH + rowGap
	}
	bottom := y - rowGap
	ss = append(ss, shape{op: opLine, class: "axis", x: x0, y: top - 2, x2: x0, y2: bottom + 2, width: 1})
	for i, r := range c.Refs {
		x := x0 + length(r.Value, max, span)
		ly := top - 6 - 14*float64(refLevels[i])
		ss = append(ss, shape{op: opLine, class: "ref", x: x, y: ly + 2, x2: x, y2: bottom + 2, width: 1, dash: true, grey: 64},
			shape{op: opText, class: "ref", x: x, y: ly, text: r.Label, size: small, anchor: middle, halo: true})
	}
	return ss, bottom - y0
}

// refLevels gives each reference line's label a row above the bars (0 the lowest), raising a
// label that would overlap one already placed.
func (c Chart) refLevels(x0, span, max float64) []int {
	levels := make([]int, len(c.Refs))
	type extent struct{ from, to float64 }
	var placed [][]extent // per level
	for i, r := range c.Refs {
		x := x0 + length(r.Value, max, span)
		w := textWidth(r.Label, small)
		e := extent{x - w/2 - 2, x + w/2 + 2}
		level := 0
		for ; level < len(placed); level++ {
			free := true
			for _, p := range placed[level] {
				if e.from < p.to && p.from < e.to {
					free = false
				}
			}
			if free {
				break
			}
		}
		if level == len(placed) {
			placed = append(placed, nil)
		}
		placed[level] = append(placed[level], e)
		levels[i] = level
	}
	return levels
}

// labelColumn wraps the labels to at most two lines within at most 38 % of the width and
// returns the column's width and each label's lines.
func (c Chart) labelColumn() (float64, [][]string) {
	limit := viewBoxWidth * 0.38
	widest := 0.0
	for _, l := range c.Labels {
		widest = math.Max(widest, textWidth(l, fontSize))
	}
	w := math.Min(widest, limit)
	lines := make([][]string, len(c.Labels))
	for i, l := range c.Labels {
		lines[i] = wrap(l, fontSize, w, 2)
	}
	return w, lines
}

// valueWidth is the width of the widest written value.
func (c Chart) valueWidth() float64 {
	w := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			w = math.Max(w, textWidth(c.format(v), small))
		}
	}
	return w
}

func maxLen(ls [][]string) int {
	m := 1
	for _, l := range ls {
		if len(l) > m {
			m = len(l)
		}
	}
	return m
}

// labelLines writes a label's lines centred vertically on cy; the full label is the tooltip.
func labelLines(lines []string, x, cy float64, a anchor, full string) []shape {
	var ss []shape
	lh := fontSize + 2
	y := cy - float64(len(lines)-1)*lh/2 + fontSize*0.35
	for _, l := range lines {
		ss = append(ss, shape{op: opText, class: "label", x: x, y: y, text: l, size: fontSize, anchor: a, tip: full})
		y += lh
	}
	return ss
}
