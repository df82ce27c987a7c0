package report

import (
	"sort"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/vocab"
)

// frugalityStyles are the styles the 八项规定 extract covers: 享乐主义 and 奢靡之风.
var frugalityStyles = []string{"hedonism", "extravagance"}

// frugalityFamilies are the taxonomy's families about the eight-point rules and spending
// (migration 0022): the extract lists them beside the two styles' manifestations.
var frugalityFamilies = []string{"eightrules", "threepublic", "duty_consumption", "favour_consumption",
	"official_cars", "office_space"}

// sectionsOf lists, per kind, the sections in the order the report shows them.
var sectionsOf = map[string][]string{
	Summary:    {"intake", "symposia", "styles", "units", "problems", "rectification", "conversation", "satisfaction", "reports", "cases"},
	Opinions:   {"intake", "symposia", "styles", "units", "problems", "rectification", "conversation", "reports", "cases"},
	Frugality:  {"styles", "units", "rectification", "reports", "cases"},
	Evaluation: {"satisfaction", "rectification", "intake", "units", "cases"},
}

func sections(r *Report, p *locale.Printer) []Section {
	if r.Figures == nil || r.Figures.Current == nil {
		return nil
	}
	build := map[string]func(*Report, *locale.Printer) Section{
		"intake": intakeSection, "styles": stylesSection, "units": unitsSection, "problems": problemsSection,
		"rectification": rectificationSection, "satisfaction": satisfactionSection, "reports": reportsSection,
		"cases": casesSection, "conversation": conversationSection, "symposia": symposiaSection,
	}
	var out []Section
	if r.Campaign != nil {
		out = append(out, campaignSection(r, p))
	}
	for _, key := range sectionsOf[r.Kind] {
		if key == "reports" && r.Figures.Current.Reports == nil {
			continue // 举报 only in 纪检's version
		}
		if key == "symposia" && r.Figures.Current.Symposia == nil {
			continue // no meeting was held: the report is as it always was
		}
		sec := build[key](r, p)
		if key == "rectification" && r.Figures.Current.Accountability != nil {
			sec.Tables = append(sec.Tables, accountabilityTable(r, p)) // 追责问责 by measure (#16)
		}
		out = append(out, sec)
	}
	if r.Campaign != nil {
		campaignColumns(out[1:], p)
	}
	return out
}

// styleCodes are the styles r covers.
func (r *Report) styleCodes() []string {
	if r.Kind == Frugality {
		return frugalityStyles
	}
	var out []string
	for _, s := range sifeng.Styles {
		out = append(out, s.Code)
	}
	return out
}

// coversTag reports whether r shows tag code: every tag, but the extract only its styles'
// manifestations and the spending families.
func (r *Report) coversTag(code string) bool {
	if r.Kind != Frugality {
		return true
	}
	if st := sifeng.StyleOf(code); st != "" {
		return st == "hedonism" || st == "extravagance"
	}
	for _, f := range frugalityFamilies {
		if f == code {
			return true
		}
	}
	return false
}

func (r *Report) unitName(code string) string {
	if n := r.UnitNames[code]; n != "" {
		return n
	}
	return code
}

func (r *Report) tagName(code string) string {
	if n := r.TagNames[code]; n != "" {
		return n
	}
	return code
}

func intakeSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "intake", Title: p.T("report.section.intake"), Text: c.Current.Omitted}
	total := comparedRows(c, []string{""}, func(string) string { return p.T("report.row.total") },
		func(f *stats.Figures, _ string) int { return f.Total })
	s.Tables = append(s.Tables, comparisonTable(p, "intake-total", p.T("report.table.total"), p.T("report.col.item"), total))
	for _, t := range []struct {
		key, title string
		terms      []vocab.Term
		get        func(*stats.Figures) []stats.Count
	}{
		{"intake-channel", p.T("report.table.channel"), vocab.Channels, func(f *stats.Figures) []stats.Count { return f.ByChannel }},
		{"intake-type", p.T("report.table.type"), vocab.Types, func(f *stats.Figures) []stats.Count { return f.ByType }},
		{"intake-submitter", p.T("report.table.submitter"), vocab.Submitters, func(f *stats.Figures) []stats.Count { return f.BySubmitter }},
	} {
		terms, get := t.terms, t.get
		rows := nonZero(comparedRows(c, codesOf(get(c.Current)), func(code string) string { return vocab.LabelIn(p, terms, code) },
			func(f *stats.Figures, code string) int { return find(get(f), code) }))
		s.Tables = append(s.Tables, comparisonTable(p, t.key, t.title, p.T("report.col.item"), rows))
	}
	if len(c.Current.Trend) > 0 {
		ch := Chart{Key: "trend", Title: p.T("report.chart.trend"), Kind: ChartLine}
		vals := make([]int, len(c.Current.Trend))
		for i, m := range c.Current.Trend {
			ch.Labels = append(ch.Labels, m.Code)
			vals[i] = m.N
		}
		ch.Series = []Series{{Name: p.T("report.series.received"), Values: vals}}
		ch.Table = chartTable(p, ch)
		s.Charts = append(s.Charts, ch)
	}
	return s
}

func stylesSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "styles", Title: p.T("report.section.styles")}
	styles := r.styleCodes()
	rows := comparedRows(c, styles, func(code string) string { return sifeng.LabelIn(p, code) },
		func(f *stats.Figures, code string) int { return find(f.ByStyle, code) })
	if r.Kind != Frugality {
		rows = append(rows, comparedRows(c, []string{""}, func(string) string { return p.T("report.row.untagged") },
			func(f *stats.Figures, _ string) int { return f.Untagged })...)
	}
	s.Tables = append(s.Tables, comparisonTable(p, "styles", p.T("report.table.styles"), p.T("report.col.style"), rows))
	var tags []string
	var prevTags, lyTags []stats.Count
	if c.Previous != nil {
		prevTags = c.Previous.ByTag
	}
	if c.LastYear != nil {
		lyTags = c.LastYear.ByTag
	}
	for _, code := range unionCodes(c.Current.ByTag, prevTags, lyTags) {
		if r.coversTag(code) {
			tags = append(tags, code)
		}
	}
	tagRows := comparedRows(c, tags, r.tagName, func(f *stats.Figures, code string) int { return find(f.ByTag, code) })
	s.Tables = append(s.Tables, comparisonTable(p, "tags", p.T("report.table.tags"), p.T("report.col.tag"), tagRows))

	ch := Chart{Key: "styles", Title: p.T("report.chart.styles"), Kind: ChartBars}
	now := Series{Name: p.T("report.col.now")}
	var ly *Series
	if c.LastYear != nil {
		ly = &Series{Name: p.T("report.col.last_year")}
	}
	for _, code := range styles {
		ch.Labels = append(ch.Labels, sifeng.LabelIn(p, code))
		now.Values = append(now.Values, find(c.Current.ByStyle, code))
		if ly != nil {
			ly.Values = append(ly.Values, find(c.LastYear.ByStyle, code))
		}
	}
	ch.Series = []Series{now}
	if ly != nil {
		ch.Series = append(ch.Series, *ly)
	}
	ch.Table = chartTable(p, ch)
	s.Charts = append(s.Charts, ch)
	return s
}

func unitsSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "units", Title: p.T("report.section.units")}
	styles := r.styleCodes()
	head := []string{p.T("report.col.unit"), p.T("report.col.now"), p.T("report.col.prev"), p.T("report.col.last_year")}
	for _, code := range styles {
		head = append(head, sifeng.LabelIn(p, code))
	}
	head = append(head, p.T("report.col.open"), p.T("report.col.overdue"))
	units := Table{Key: "units", Title: p.T("report.table.units"), Header: head}
	unitTotal := func(f *stats.Figures, code string) (int, bool) {
		if f == nil {
			return 0, false
		}
		for _, u := range f.ByUnit {
			if u.Code == code {
				return u.Total, true
			}
		}
		return 0, true
	}
	for _, u := range c.Current.ByUnit {
		prev, okP := unitTotal(c.Previous, u.Code)
		ly, okL := unitTotal(c.LastYear, u.Code)
		row := []string{u.Name, p.Number(u.Total), cell(p, prev, okP), cell(p, ly, okL)}
		for _, code := range styles {
			row = append(row, p.Number(find(u.ByStyle, code)))
		}
		units.Rows = append(units.Rows, append(row, p.Number(u.Open), p.Number(u.Overdue)))
	}
	s.Tables = append(s.Tables, units)
	levels := nonZero(comparedRows(c, codesOf(c.Current.ByLevel), func(code string) string { return vocab.LabelIn(p, lifecycle.Levels, code) },
		func(f *stats.Figures, code string) int { return find(f.ByLevel, code) }))
	s.Tables = append(s.Tables, comparisonTable(p, "levels", p.T("report.table.levels"), p.T("report.col.level"), levels))
	depts := Table{Key: "depts", Title: p.T("report.table.depts"), Header: []string{p.T("report.col.unit"), p.T("report.col.dept"), p.T("report.col.count")}}
	for _, d := range c.Current.TopDepts {
		depts.Rows = append(depts.Rows, []string{r.unitName(d.Unit), d.Dept, p.Number(d.N)})
	}
	s.Tables = append(s.Tables, depts)

	// The chart shows the ten units with most opinions, most first.
	top := append([]stats.UnitFigures(nil), c.Current.ByUnit...)
	sort.SliceStable(top, func(i, j int) bool { return top[i].Total > top[j].Total })
	if len(top) > 10 {
		top = top[:10]
	}
	if len(top) > 0 {
		ch := Chart{Key: "units", Title: p.T("report.chart.units"), Kind: ChartBars}
		vals := Series{Name: p.T("report.col.now")}
		for _, u := range top {
			ch.Labels = append(ch.Labels, u.Name)
			vals.Values = append(vals.Values, u.Total)
		}
		ch.Series = []Series{vals}
		ch.Table = chartTable(p, ch)
		s.Charts = append(s.Charts, ch)
	}
	return s
}

func problemsSection(r *Report, p *locale.Printer) Section {
	s := Section{Key: "problems", Title: p.T("report.section.problems")}
	t := Table{Key: "problems", Title: p.T("report.table.problems"), Header: []string{p.T("report.col.problem"), p.T("report.col.count")}}
	for _, pr := range r.Figures.Current.Problems {
		t.Rows = append(t.Rows, []string{pr.Title, p.Number(pr.N)})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func casesSection(r *Report, p *locale.Printer) Section {
	s := Section{Key: "cases", Title: p.T("report.section.cases")}
	t := Table{Key: "cases", Title: p.T("report.table.cases"), Header: []string{p.T("report.col.opinion"), p.T("report.col.summary")}}
	for _, c := range r.Cases {
		t.Rows = append(t.Rows, []string{c.OpinionID, c.Summary})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func reportsSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "reports", Title: p.T("report.section.reports")}
	get := func(f *stats.Figures, code string) int {
		if f.Reports == nil {
			return 0
		}
		x := f.Reports
		return map[string]int{"received": x.Received, "closed": x.Closed, "substantiated": x.Substantiated,
			"unfounded": x.Unfounded, "accountability": x.Accountability}[code]
	}
	labels := map[string]string{"received": p.T("report.row.reports_received"), "closed": p.T("report.row.reports_closed"),
		"substantiated": p.T("report.row.reports_substantiated"), "unfounded": p.T("report.row.reports_unfounded"),
		"accountability": p.T("report.row.reports_accountability")}
	rows := comparedRows(c, []string{"received", "closed", "substantiated", "unfounded", "accountability"},
		func(code string) string { return labels[code] }, get)
	s.Tables = append(s.Tables, comparisonTable(p, "reports", p.T("report.table.reports"), p.T("report.col.item"), rows))
	return s
}

// chartTable is a chart's numbers as a table: one row per label, one column per series.
func chartTable(p *locale.Printer, ch Chart) Table {
	t := Table{Key: "chart-" + ch.Key, Title: ch.Title, Header: []string{p.T("report.col.item")}}
	for _, s := range ch.Series {
		t.Header = append(t.Header, s.Name)
	}
	for i, l := range ch.Labels {
		row := []string{l}
		for _, s := range ch.Series {
			row = append(row, p.Number(s.Values[i]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// accountabilityTable counts the accountability decisions (追责问责) by measure, beside the
// previous period and the same period last year, for the readers of those records.
func accountabilityTable(r *Report, p *locale.Printer) Table {
	get := func(f *stats.Figures, code string) int {
		for _, c := range f.Accountability {
			if c.Code == code {
				return c.N
			}
		}
		return 0
	}
	codes := make([]string, len(vocab.Measures))
	for i, m := range vocab.Measures {
		codes[i] = m.Code
	}
	rows := comparedRows(r.Figures, codes, func(code string) string { return vocab.LabelIn(p, vocab.Measures, code) }, get)
	return comparisonTable(p, "accountability", p.T("roles16.report_accountability"), p.T("roles16.report_measure"), rows)
}
