package chart

import "math"

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
		// The track: the whole bar's outline, so a row whose parts are all zero still shows.
		ss = append(ss, shape{op: opRect, class: "track", x: x0, y: y, w: span, h: h, fill: White})
		x := x0
		var narrow []placed // parts too narrow to hold their values
		for j, s := range c.Series {
			v := s.Values[i]
			w := length(v, max, span)
			if w == 0 {
				continue
			}
			f := c.fillOf(j)
			ss = append(ss, shape{op: opRect, class: "bar", x: x, y: y, w: w, h: h, fill: f,
				tip: c.Labels[i] + " " + s.Name + " " + c.format(v)})
			t := c.format(v)
			if tw := textWidth(t, small); tw+6 <= w {
				ss = append(ss, shape{op: opText, class: "value", x: x + w/2, y: y + h/2 + small*0.35, text: t,
					size: small, anchor: middle, onDark: f == Dark || f == Mid, halo: patterned(f)})
			} else {
				narrow = append(narrow, placed{centre: x + w/2, text: t, w: tw})
			}
			x += w
		}
		if len(narrow) > 0 {
			ss = append(ss, underBar(narrow, x0, y+h)...)
			y += small + 6 // room for the values under the bar
		}
		y += h + rowGap
	}
	return ss, y - rowGap - y0
}

// placed is a value to write under a stacked bar, centred under its part if it can be.
type placed struct {
	centre, w float64
	text      string
}

// underBar writes the values of parts too narrow to hold them under the bar (its bottom at
// y), each joined to its part by a short leader: pushed right so that two never overlap,
// then pulled back left from the chart's edge.
func underBar(ps []placed, x0, y float64) []shape {
	xs := make([]float64, len(ps))
	for i, p := range ps {
		xs[i] = math.Max(p.centre-p.w/2, x0)
		if i > 0 {
			xs[i] = math.Max(xs[i], xs[i-1]+ps[i-1].w+4)
		}
	}
	edge := viewBoxWidth - pad
	for i := len(ps) - 1; i >= 0; i-- {
		xs[i] = math.Min(xs[i], edge-ps[i].w)
		edge = xs[i] - 4
	}
	var ss []shape
	for i, p := range ps {
		ss = append(ss, shape{op: opLine, class: "leader", x: p.centre, y: y, x2: xs[i] + p.w/2, y2: y + 3, width: 0.75},
			shape{op: opText, class: "value", x: xs[i], y: y + 4 + small, text: p.text, size: small})
	}
	return ss
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
