package report

import (
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/stats"
	"minsheng/vocab"
)

// The sections of what was done: rectification (整改) and satisfaction (满意度).

func rectificationSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	cur := c.Current.Rectification
	s := Section{Key: "rectification", Title: p.T("report.section.rectification")}
	sum := func(code string) func(*stats.Figures, string) int {
		return func(f *stats.Figures, _ string) int {
			x := f.Rectification
			return map[string]int{"assigned": x.Assigned, "done": x.Done, "closed": x.Closed, "open": x.Open,
				"deferred": x.Deferred, "referred": x.Referred, "passed": x.LookBack.Passed, "failed": x.LookBack.Failed}[code]
		}
	}
	var rows []compared
	for _, code := range []string{"assigned", "done", "closed", "open", "deferred", "referred", "passed", "failed"} {
		label := map[string]string{"assigned": p.T("report.row.assigned"), "done": p.T("report.row.done"),
			"closed": p.T("report.row.closed"), "open": p.T("report.row.open"), "deferred": p.T("report.row.deferred"),
			"referred": p.T("report.row.referred"), "passed": p.T("report.row.lookback_passed"),
			"failed": p.T("report.row.lookback_failed")}[code]
		rows = append(rows, comparedRows(c, []string{code}, func(string) string { return label }, sum(code))...)
	}
	s.Tables = append(s.Tables, comparisonTable(p, "rectification", p.T("report.table.rectification"), p.T("report.col.item"), rows))
	ledger := nonZero(comparedRows(c, codesOf(cur.ByLedger), func(code string) string { return vocab.LabelIn(p, lifecycle.Ledgers, code) },
		func(f *stats.Figures, code string) int { return find(f.Rectification.ByLedger, code) }))
	s.Tables = append(s.Tables, comparisonTable(p, "ledgers", p.T("report.table.ledgers"), p.T("report.col.ledger"), ledger))
	kinds := nonZero(comparedRows(c, codesOf(cur.ByKind), func(code string) string { return vocab.LabelIn(p, lifecycle.Kinds, code) },
		func(f *stats.Figures, code string) int { return find(f.Rectification.ByKind, code) }))
	s.Tables = append(s.Tables, comparisonTable(p, "kinds", p.T("report.table.kinds"), p.T("report.col.kind"), kinds))

	late := Table{Key: "overdue", Title: p.T("report.table.overdue"), Header: []string{p.T("report.col.opinion"),
		p.T("report.col.unit"), p.T("report.col.deadline"), p.T("report.col.days")}}
	for _, l := range cur.Overdue {
		late.Rows = append(late.Rows, []string{l.ID, r.unitName(l.Unit), p.Day(l.Deadline), p.Number(l.Days)})
	}
	s.Tables = append(s.Tables, late)
	lag := Table{Key: "lagging", Title: p.T("report.table.lagging"), Header: []string{p.T("report.col.opinion"),
		p.T("report.col.unit"), p.T("report.col.cause")}}
	for _, l := range cur.LookBack.Lagging {
		lag.Rows = append(lag.Rows, []string{l.ID, r.unitName(l.Unit), l.Cause})
	}
	s.Tables = append(s.Tables, lag)

	if cur.Assigned > 0 {
		// One bar split into its parts: closed, done but not yet closed, still open.
		ch := Chart{Key: "rectification", Title: p.T("report.chart.rectification"), Kind: ChartProgress,
			Labels: []string{p.T("report.row.assigned")},
			Series: []Series{
				{Name: p.T("report.row.closed"), Values: []int{cur.Closed}},
				{Name: p.T("report.row.done_open"), Values: []int{cur.Done - cur.Closed}},
				{Name: p.T("report.row.open"), Values: []int{cur.Open}},
			}}
		ch.Table = chartTable(p, ch)
		s.Charts = append(s.Charts, ch)
	}
	return s
}

// rateOf is the share of 满意 and 基本满意 of a satisfaction, in percent; ok is false under
// stats.MinRatings ratings (no rate is judged on fewer).
func rateOf(s stats.Satisfaction) (float64, bool) {
	return stats.UnitSatisfaction{Satisfied: s.Satisfied, Basically: s.Basically, Dissatisfied: s.Dissatisfied}.Rate()
}

// rateCell writes a rate, "<5" (too few ratings) or "—" (period not counted).
func rateCell(p *locale.Printer, f *stats.Figures) string {
	if f == nil {
		return p.T("report.cell.none")
	}
	x, ok := rateOf(f.Satisfaction)
	if !ok {
		return p.T("report.cell.few")
	}
	return p.T("report.cell.rate", rate(x))
}

func satisfactionSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	cur := c.Current.Satisfaction
	s := Section{Key: "satisfaction", Title: p.T("report.section.satisfaction"),
		Text: p.T("report.satisfaction.rule", threshold(stats.TargetRate), threshold(stats.RedoRate), stats.MinRatings)}
	total := Table{Key: "satisfaction", Title: p.T("report.table.satisfaction"), Header: []string{p.T("report.col.item"),
		p.T("report.col.now"), p.T("report.col.prev"), p.T("report.col.last_year")}}
	count := func(get func(stats.Satisfaction) int) []string {
		out := []string{p.Number(get(cur))}
		for _, f := range []*stats.Figures{c.Previous, c.LastYear} {
			if f == nil {
				out = append(out, p.T("report.cell.none"))
			} else {
				out = append(out, p.Number(get(f.Satisfaction)))
			}
		}
		return out
	}
	total.Rows = [][]string{
		append([]string{p.T("report.row.rated")}, count(func(x stats.Satisfaction) int { return x.Rated })...),
		append([]string{p.T("report.row.satisfied")}, count(func(x stats.Satisfaction) int { return x.Satisfied })...),
		append([]string{p.T("report.row.basically")}, count(func(x stats.Satisfaction) int { return x.Basically })...),
		append([]string{p.T("report.row.dissatisfied")}, count(func(x stats.Satisfaction) int { return x.Dissatisfied })...),
		{p.T("report.row.rate"), rateCell(p, c.Current), rateCell(p, c.Previous), rateCell(p, c.LastYear)},
	}
	s.Tables = append(s.Tables, total)

	units := Table{Key: "satisfaction-units", Title: p.T("report.table.satisfaction_units"), Header: []string{
		p.T("report.col.unit"), p.T("report.col.rated"), p.T("report.row.satisfied"), p.T("report.row.basically"),
		p.T("report.row.dissatisfied"), p.T("report.row.rate"), p.T("report.col.judgement")}}
	for _, u := range cur.ByUnit {
		x, ok := u.Rate()
		rateText, judged := p.T("report.cell.few"), p.T("report.judge.too_few")
		if ok {
			rateText = p.T("report.cell.rate", rate(x))
			switch {
			case x < stats.RedoRate:
				judged = p.T("report.judge.redo")
			case x < stats.TargetRate:
				judged = p.T("report.judge.below_target")
			default:
				judged = p.T("report.judge.good")
			}
		}
		units.Rows = append(units.Rows, []string{u.Name, p.Number(u.Rated()), p.Number(u.Satisfied), p.Number(u.Basically),
			p.Number(u.Dissatisfied), rateText, judged})
	}
	s.Tables = append(s.Tables, units)
	redo := Table{Key: "redo", Title: p.T("report.table.redo"), Header: []string{p.T("report.col.unit")}}
	for _, code := range cur.Redo {
		redo.Rows = append(redo.Rows, []string{r.unitName(code)})
	}
	s.Tables = append(s.Tables, redo)
	return s
}
