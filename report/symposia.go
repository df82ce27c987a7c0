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
	// A report issued before meetings were listed one by one has no list: it keeps the tables it
	// was issued with rather than gaining an empty one.
	if list := c.Current.Symposia.List; len(list) > 0 {
		s.Tables = append(s.Tables, meetingsTable(r, p, list))
	}
	return s
}

// meetingsTable lists the period's meetings one by one (the reports count opinions per
// meeting): the day, the unit, the host as recorded, how many took part, the opinions raised
// in the reader's scope and of them how many are closed (办结).
func meetingsTable(r *Report, p *locale.Printer, list []stats.SymposiumMeeting) Table {
	t := Table{Key: "symposia-meetings", Title: p.T("paper16.report.table_meetings"), Header: []string{
		p.T("paper16.report.col_date"), p.T("report.col.unit"), p.T("paper16.report.col_host"),
		p.T("paper16.report.col_participants"), p.T("paper16.report.opinions"), p.T("paper16.report.col_closed")}}
	for _, m := range list {
		t.Rows = append(t.Rows, []string{p.Day(m.HeldOn), r.unitName(m.Unit), m.Host, p.Number(m.Participants),
			p.Number(m.Opinions), p.Number(m.Closed)})
	}
	return t
}
