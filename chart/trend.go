package chart

import "math"

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
