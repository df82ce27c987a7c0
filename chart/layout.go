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
	if len(c.Refs) > 0 {
		y += 14 // room for the reference labels above the bars
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
				shape{op: opText, class: "value", x: x0 + w + 4, y: by + barH - 4, text: c.format(v), size: small})
			by += barH + 2
		}
		y += groupH + rowGap
	}
	bottom := y - rowGap
	ss = append(ss, shape{op: opLine, class: "axis", x: x0, y: top - 2, x2: x0, y2: bottom + 2, width: 1})
	for _, r := range c.Refs {
		x := x0 + length(r.Value, max, span)
		ss = append(ss, shape{op: opLine, class: "ref", x: x, y: top - 4, x2: x, y2: bottom + 2, width: 1, dash: true, grey: 64},
			shape{op: opText, class: "ref", x: x, y: top - 6, text: r.Label, size: small, anchor: middle})
	}
	return ss, bottom - y0
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

// stacked lays out one bar per label split into the series' parts.
func (c Chart) stacked(y0 float64) ([]shape, float64) {
	var ss []shape
	labelW, lines := c.labelColumn()
	if allEmpty(c.Labels) {
		labelW = 0
	}
	x0 := pad + labelW
	if labelW > 0 {
		x0 += 8
	}
	span := viewBoxWidth - pad - x0
	max := c.stackMax()
	h := math.Max(barH*1.75, float64(maxLen(lines))*(fontSize+2))
	y := y0
	for i := range c.Labels {
		if labelW > 0 {
			ss = append(ss, labelLines(lines[i], pad+labelW, y+h/2, end, c.Labels[i])...)
		}
		x := x0
		for j, s := range c.Series {
			v := s.Values[i]
			w := length(v, max, span)
			if w == 0 {
				continue
			}
			f := c.fillOf(j)
			ss = append(ss, shape{op: opRect, class: "bar", x: x, y: y, w: w, h: h, fill: f,
				tip: c.Labels[i] + " " + s.Name + " " + c.format(v)})
			if t := c.format(v); textWidth(t, small)+6 <= w {
				ss = append(ss, shape{op: opText, class: "value", x: x + w/2, y: y + h/2 + small*0.35, text: t,
					size: small, anchor: middle, onDark: f == Dark || f == Mid, halo: patterned(f)})
			}
			x += w
		}
		y += h + rowGap
	}
	return ss, y - rowGap - y0
}

func allEmpty(ls []string) bool {
	for _, l := range ls {
		if l != "" {
			return false
		}
	}
	return true
}

func patterned(f Fill) bool { return f == Hatch || f == Dots || f == Cross || f == Lines }

// trend lays out columns (or lines with markers) over the labels, with a value axis on the
// left and the labels under the columns.
func (c Chart) trend(y0 float64) ([]shape, float64) {
	var ss []shape
	const plotH = 200.0
	max := c.scaleMax()
	axisW := math.Max(textWidth(c.format(max), small), textWidth("0", small)) + 6
	x0 := pad + axisW
	span := viewBoxWidth - pad - x0
	top := y0 + 14 // room for the values over the tallest column
	base := top + plotH
	// Grid: five steps of the value axis, labelled.
	for k := 0; k <= 4; k++ {
		v := max * float64(k) / 4
		gy := base - plotH*float64(k)/4
		ss = append(ss, shape{op: opLine, class: "grid", x: x0, y: gy, x2: x0 + span, y2: gy, width: 0.5, grey: 190},
			shape{op: opText, class: "tick", x: x0 - 4, y: gy + small*0.35, text: c.format(v), size: small, anchor: end})
	}
	n := float64(len(c.Labels))
	slot := span / n
	labelSize := math.Min(small, fitSize(c.Labels, slot-6))
	under := base + 4 // the labels' top: lower when values are written under the lines' points
	if c.Line && len(c.Series) > 1 {
		under += small + 6
	}
	for i, l := range c.Labels {
		ss = append(ss, shape{op: opText, class: "label", x: x0 + slot*(float64(i)+0.5), y: under + labelSize,
			text: l, size: labelSize, anchor: middle, tip: l})
	}
	if c.Line {
		ss = append(ss, c.trendLines(x0, slot, base, plotH, max)...)
	} else {
		k := float64(len(c.Series))
		colW := math.Min(slot*0.7/k, 40)
		for i := range c.Labels {
			cx := x0 + slot*(float64(i)+0.5) - colW*k/2
			for j, s := range c.Series {
				v := s.Values[i]
				h := length(v, max, plotH)
				x := cx + colW*float64(j)
				ss = append(ss, shape{op: opRect, class: "bar", x: x, y: base - h, w: colW, h: h, fill: c.fillOf(j),
					tip: c.Labels[i] + " " + s.Name + " " + c.format(v)})
				vs := math.Min(small, fitSize([]string{c.format(v)}, colW+2))
				ss = append(ss, shape{op: opText, class: "value", x: x + colW/2, y: base - h - 3, text: c.format(v),
					size: vs, anchor: middle})
			}
		}
	}
	for _, r := range c.Refs {
		ry := base - length(r.Value, max, plotH)
		ss = append(ss, shape{op: opLine, class: "ref", x: x0, y: ry, x2: x0 + span, y2: ry, width: 1, dash: true, grey: 64},
			shape{op: opText, class: "ref", x: x0 + span, y: ry - 3, text: r.Label, size: small, anchor: end})
	}
	ss = append(ss, shape{op: opLine, class: "axis", x: x0, y: base, x2: x0 + span, y2: base, width: 1})
	return ss, under + 2 + labelSize - y0
}

// rank is how many series have a larger value than series j at label i (ties: the earlier
// series ranks higher).
func (c Chart) rank(i, j int) int {
	v, n := c.Series[j].Values[i], 0
	for k, s := range c.Series {
		w := s.Values[i]
		if k != j && !math.IsNaN(w) && (w > v || w == v && k < j) {
			n++
		}
	}
	return n
}

// trendLines draws one line per series with a marker and its value at every label.
func (c Chart) trendLines(x0, slot, base, plotH, max float64) []shape {
	var ss []shape
	for j, s := range c.Series {
		px, py, have := 0.0, 0.0, false
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				have = false
				continue
			}
			x, y := x0+slot*(float64(i)+0.5), base-length(v, max, plotH)
			if have {
				ss = append(ss, shape{op: opLine, class: "line", x: px, y: py, x2: x, y2: y, width: 2, dash: j%2 == 1})
			}
			px, py, have = x, y, true
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x, y := x0+slot*(float64(i)+0.5), base-length(v, max, plotH)
			ss = append(ss, shape{op: opMarker, class: "marker", x: x, y: y, mark: j, tip: c.Labels[i] + " " + s.Name + " " + c.format(v)})
			// With several lines, the highest point of a month has its value above it and the
			// others below theirs, so values do not sit on another line's point.
			ty := y - 7
			if c.rank(i, j) > 0 {
				ty = y + 7 + small
			}
			ss = append(ss, shape{op: opText, class: "value", x: x, y: ty, text: c.format(v),
				size: math.Min(small, fitSize([]string{c.format(v)}, slot)), anchor: middle, halo: true})
		}
	}
	return ss
}
