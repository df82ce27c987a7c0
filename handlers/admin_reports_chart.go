package handlers

import (
	"html/template"

	"minsheng/chart"
	"minsheng/report"
)

// chartKinds maps a report's kind of chart to package chart's drawing: the 12-month trend as a
// line with markers (one series, or this year's beside last year's), counts by style or unit as
// horizontal bars, rectification progress as one stacked bar.
var chartKinds = map[string]chart.Kind{
	report.ChartLine:     chart.Trend,
	report.ChartBars:     chart.Bars,
	report.ChartProgress: chart.Stacked,
}

// drawing is the chart package's Chart of a report's chart: the same labels and numbers, so
// that the drawing, its numbers table and the .docx's PNG agree.
func drawing(c report.Chart) chart.Chart {
	out := chart.Chart{Kind: chartKinds[c.Kind], Title: c.Title, Labels: c.Labels, Line: c.Kind == report.ChartLine}
	for _, s := range c.Series {
		values := make([]float64, len(s.Values))
		for i, v := range s.Values {
			values[i] = float64(v)
		}
		out.Series = append(out.Series, chart.Series{Name: s.Name, Values: values})
	}
	return out
}

// chartSVG draws c as inline SVG for the page. A chart that cannot be drawn (no data yet, as in
// an empty month) shows nothing: its numbers table under it still says what there is.
func (s *Server) chartSVG(c report.Chart) template.HTML {
	if _, ok := chartKinds[c.Kind]; !ok {
		return ""
	}
	svg, err := drawing(c).HTML()
	if err != nil {
		s.staffLog.Debug("report chart not drawn", "chart", c.Key, "err", err)
		return ""
	}
	return svg
}
