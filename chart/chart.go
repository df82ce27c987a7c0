// Package chart draws the reports' charts on the server: as inline SVG for the pages (which
// carry no script) and as PNG for the .docx. It knows three kinds — a 12-month trend, horizontal
// bars, stacked bars — and nothing of the portal: the caller passes every word (title,
// description, labels, series names), so the package holds no interface text and needs no
// catalog.
//
// The charts must survive black-and-white printing and screen readers:
//   - every series has its own fill (solid greys of distinct lightness, hatching, dots), never
//     colour alone, and every bar carries its value written beside or on it;
//   - the SVG has role="img" with a <title> and a <desc>; the numbers themselves go in a table
//     beside the chart, built from the same Chart by Table, so the table and the drawing cannot
//     disagree;
//   - sizes are viewBox units: the SVG has no width or height, so CSS scales it to its box;
//   - no fonts are fetched and no script runs (font-family is the generic sans-serif).
//
// Output is deterministic: the same Chart gives the same bytes (an archived report is redrawn
// identically), and ids inside the SVG are derived from its content, so several charts can sit
// on one page without their pattern ids clashing.
//
// Data model, the same for every kind: Labels are the categories (months of a trend, styles or
// units of bars, the rows of stacked bars) and each Series gives one value per label. So a
// single rectification progress bar is Labels = one row name (may be "") and one Series per
// part (closed, done, open, overdue), each with one value.
package chart

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Kind is the kind of chart.
type Kind int

const (
	// Trend draws one column per label (a month), grouped when there are several series; with
	// Line set, one line per series instead, each with its own marker shape and dash.
	Trend Kind = iota
	// Bars draws one horizontal bar per label and series, labels on the left (long labels
	// wrap onto two lines, then end in an ellipsis), values written after the bars.
	Bars
	// Stacked draws one horizontal bar per label, split into the series' parts, with a legend
	// that names each part; values are written on parts wide enough to hold them.
	Stacked
)

// Fill is how a series' bars are painted. Auto (the zero value) gives series i the i-th fill
// of the sequence Dark, Hatch, Light, Dots, Mid, Cross, Lines, White; a caller sets a fill
// when a part must stand out the same way in every chart (e.g. overdue always Dark).
type Fill int

const (
	Auto  Fill = iota
	Dark       // solid dark grey
	Hatch      // diagonal lines on white
	Light      // solid light grey
	Dots       // dots on white
	Mid        // solid middle grey
	Cross      // cross-hatching on white
	Lines      // horizontal lines on white
	White      // white, outlined
	fillCount
)

// Series is one set of values, one per label, drawn with one fill.
type Series struct {
	Name   string    // shown in the legend (when there are several series) and as the table's column header
	Values []float64 // len(Values) == len(Chart.Labels); NaN means "no figure" (drawn as nothing, written "–"); below zero is drawn as zero and written as is
	Fill   Fill      // Auto: by position
}

// Ref is a reference line across the value axis, e.g. a satisfaction threshold at 85.
type Ref struct {
	Value float64
	Label string // written at the line's end, e.g. "85%"
}

// Chart is one chart. The zero value of every optional field is sensible.
type Chart struct {
	Kind  Kind
	Title string // the SVG's <title> (required: it names the image to screen readers)
	Desc  string // the SVG's <desc>: one sentence saying what the chart shows (recommended)
	// Labels are the categories: months of a Trend, rows of Bars and Stacked.
	Labels []string
	Series []Series
	// Line draws a Trend as lines with markers instead of columns.
	Line bool
	// Decimals is the number of decimals values are written with (0 for counts).
	Decimals int
	// Suffix follows every written value, e.g. "%".
	Suffix string
	// Refs are reference lines (Bars and Trend only).
	Refs []Ref
	// Max fixes the end of the value axis (e.g. 100 for rates); 0: from the data.
	Max float64
	// ID prefixes the ids inside the SVG (letters, digits, '-' and '_'; anything else is
	// dropped). "" derives one from the chart's content, which is unique enough unless the
	// same chart is drawn twice on one page.
	ID string
}

// Errors Validate and PNG report. A chart that fails validation draws nothing.
var (
	ErrNoTitle  = errors.New("chart: no title")
	ErrNoData   = errors.New("chart: no labels or no series")
	ErrLength   = errors.New("chart: a series has not one value per label")
	ErrKind     = errors.New("chart: unknown kind")
	ErrTooMany  = errors.New("chart: too many labels or series to draw legibly")
	ErrPNGWidth = errors.New("chart: PNG width out of range")
)

// Limits: beyond them a chart is no longer legible (and a caller has made a mistake).
const (
	maxLabels    = 60
	maxSeries    = 8
	minPNGWidth  = 100
	maxPNGWidth  = 4000
	viewBoxWidth = 640.0 // every chart is 640 units wide; its height follows its content
)

// Validate says whether the chart can be drawn.
func (c Chart) Validate() error {
	switch {
	case c.Kind < Trend || c.Kind > Stacked:
		return ErrKind
	case strings.TrimSpace(c.Title) == "":
		return ErrNoTitle
	case len(c.Labels) == 0 || len(c.Series) == 0:
		return ErrNoData
	case len(c.Labels) > maxLabels || len(c.Series) > maxSeries:
		return ErrTooMany
	}
	for _, s := range c.Series {
		if len(s.Values) != len(c.Labels) {
			return fmt.Errorf("%w: %q has %d values for %d labels", ErrLength, s.Name, len(s.Values), len(c.Labels))
		}
	}
	return nil
}

// SVG returns the chart as a standalone <svg> element (UTF-8, no XML declaration), ready to
// be written inside an HTML page or saved as a file.
func (c Chart) SVG() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	ss, h := c.layout()
	return renderSVG(c, ss, h), nil
}

// HTML returns the SVG for html/template. Every word in it was escaped when it was drawn.
func (c Chart) HTML() (template.HTML, error) {
	b, err := c.SVG()
	if err != nil {
		return "", err
	}
	return template.HTML(b), nil // built by renderSVG, which escapes every text it writes
}

// Table returns the chart's numbers as rows for the accessible table beside the chart (and
// under the image in a .docx): a header row — corner, then the series' names — and one row
// per label with its values written exactly as the chart writes them. For Stacked charts a
// last column holds each row's total, headed by total (pass "" to leave it out).
func (c Chart) Table(corner, total string) [][]string {
	head := []string{corner}
	for _, s := range c.Series {
		head = append(head, s.Name)
	}
	withTotal := c.Kind == Stacked && total != ""
	if withTotal {
		head = append(head, total)
	}
	rows := [][]string{head}
	for i, l := range c.Labels {
		row := []string{l}
		sum := 0.0
		for _, s := range c.Series {
			v := math.NaN()
			if i < len(s.Values) {
				v = s.Values[i]
			}
			row = append(row, c.format(v))
			if !math.IsNaN(v) {
				sum += v
			}
		}
		if withTotal {
			row = append(row, c.format(sum))
		}
		rows = append(rows, row)
	}
	return rows
}

// format writes a value as the chart writes it.
func (c Chart) format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	d := c.Decimals
	if d < 0 {
		d = 0
	}
	return strconv.FormatFloat(v, 'f', d, 64) + c.Suffix
}

// fillOf returns the fill series i is drawn with: its own, or the next of the sequence that
// no series has chosen for itself, so an explicit fill never repeats an automatic one.
func (c Chart) fillOf(i int) Fill {
	if f := c.Series[i].Fill; f > Auto && f < fillCount {
		return f
	}
	taken := map[Fill]bool{}
	for _, s := range c.Series {
		if s.Fill > Auto && s.Fill < fillCount {
			taken[s.Fill] = true
		}
	}
	var free []Fill
	for f := Auto + 1; f < fillCount; f++ {
		if !taken[f] {
			free = append(free, f)
		}
	}
	n := 0 // automatic series before i
	for _, s := range c.Series[:i] {
		if s.Fill <= Auto || s.Fill >= fillCount {
			n++
		}
	}
	return free[n%len(free)]
}
