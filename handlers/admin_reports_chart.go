package handlers

import (
	"html/template"

	"minsheng/report"
)

// chartSVG draws c as inline SVG for the page, as report.Chart.Draw gives it to package chart
// (the .docx draws the same as PNG). A chart that cannot be drawn (no data, as in an empty
// month) shows nothing: its numbers table under it still says what there is.
func (s *Server) chartSVG(c report.Chart) template.HTML {
	svg, err := c.Draw().HTML()
	if err != nil {
		s.staffLog.Debug("report chart not drawn", "chart", c.Key, "err", err)
		return ""
	}
	return svg
}
