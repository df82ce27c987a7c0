package report

import (
	"minsheng/locale"
	"minsheng/stats"
)

// The meetings (座谈会, feature 10) in a report: how many were held, how many took part and
// how many opinions were raised, against the periods compared, and by unit for this period.

// symposiumRows are the compared lines, in their order.
var symposiumRows = []string{"meetings", "participants", "opinions"}

// symposiumOf is one line's count in f (0 when no meeting was held).
func symposiumOf(f *stats.Figures, code string) int {
	x := f.Symposia
	if x == nil {
		return 0
	}
	return map[string]int{"meetings": x.Meetings, "participants": x.Participants, "opinions": x.Opinions}[code]
}

func symposiaSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "symposia", Title: p.T("paper16.report.section")}
	labels := map[string]string{"meetings": p.T("paper16.report.meetings"), "participants": p.T("paper16.report.participants"),
		"opinions": p.T("paper16.report.opinions")}
	rows := comparedRows(c, symposiumRows, func(code string) string { return labels[code] }, symposiumOf)
	s.Tables = append(s.Tables, comparisonTable(p, "symposia", p.T("paper16.report.table"), p.T("report.col.item"), rows))
	units := Table{Key: "symposia-units", Title: p.T("paper16.report.table_units"), Header: []string{p.T("report.col.unit"),
		labels["meetings"], labels["participants"], labels["opinions"]}}
	for _, u := range c.Current.Symposia.ByUnit {
		units.Rows = append(units.Rows, []string{r.unitName(u.Code), p.Number(u.Meetings), p.Number(u.Participants), p.Number(u.Opinions)})
	}
	s.Tables = append(s.Tables, units)
	return s
}
