package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"minsheng/access"
	"minsheng/chart"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/storage"
)

// dashboardPage is the data of templates/pages/dashboard.html.
type dashboardPage struct {
	Unit        storage.Unit
	Dept        string // a 科室's dashboard; "" the whole unit's
	Place       string // the unit's name, or the unit's and the 科室's
	Month       string // YYYY-MM
	MonthLabel  string // in the reader's words: 2026年3月
	SpanLabel   string // the twelve months: 2025年4月至2026年3月
	Prev, Next  string // the months before and after ("" when after is the future)
	Omitted     string // what the reader's scope leaves out (access.Viewer.OmittedIn)
	D           *stats.Dashboard
	Trend       template.HTML // the twelve-month chart, inline SVG
	TrendTable  [][]string    // its numbers: a header row, then a row a month
	Styles      template.HTML // the styles' bars
	StyleTable  [][]string
	Sat         rateView // the unit's satisfaction
	Depts       []dashboardDept
	Warnings    []dashboardWarning
	ShowRanking bool
	Ranking     []dashboardRank
	// The constants the page states: the warning rule and the satisfaction thresholds.
	Months, WarnMonths, WarnSigmas, WarnMinItems, MinRatings int
	Target, Redo                                             float64
}

type dashboardDept struct {
	stats.DeptLine
	Name string // the 科室, or the words for none written
	Sat  rateView
}

type dashboardWarning struct {
	stats.Warning
	Place   string // the unit's name or the 科室
	Kind    string // the style's or the tag's words, and which of the two
	History string // the months before, oldest first
	Limit   string // the usual level the count is over
}

type dashboardRank struct {
	stats.DeptRank
	Sat rateView
}

// rateView is a satisfaction rate as a page shows it, with what it is judged against.
type rateView struct {
	Rate    string // "" under stats.MinRatings ratings: not judged
	Verdict string // "", rateBelowMark or rateRedo
	Rated   int
	// The thresholds, for the verdict's words.
	Min          int
	Target, Redo float64
}

// newDashboardPage writes d in the reader's words, with its charts.
func newDashboardPage(p *locale.Printer, tax taxonomy, unit storage.Unit, d *stats.Dashboard, v access.Viewer, thisMonth string) (dashboardPage, error) {
	mp, _ := period.Parse(d.Month)
	first, _ := period.Parse(d.Span.From[:7])
	place := unit.Name
	if d.Dept != "" {
		place = p.T("dashboard.unit_dept", unit.Name, d.Dept)
	}
	page := dashboardPage{Unit: unit, Dept: d.Dept, Place: place, Month: d.Month, MonthLabel: mp.Label(p), SpanLabel: p.T("dashboard.span", first.Label(p), mp.Label(p)),
		Prev: mp.Previous().String(), Omitted: v.OmittedIn(p), D: d, ShowRanking: stats.MaySeeRanking(v) && d.Dept == "",
		Months: stats.DashboardMonths, WarnMonths: stats.WarnMonths, WarnSigmas: stats.WarnSigmas, WarnMinItems: stats.WarnMinItems,
		MinRatings: stats.MinRatings, Target: stats.TargetRate, Redo: stats.RedoRate}
	if next := nextMonth(mp); next <= thisMonth {
		page.Next = next
	}
	page.Sat = rateOf(d.Satisfaction)
	trend := chart.Chart{Kind: chart.Trend, Title: p.T("dashboard.trend_title", place, page.SpanLabel),
		Desc: p.T("dashboard.trend_desc"), Series: []chart.Series{{Name: p.T("dashboard.col_received")}}}
	for _, c := range d.Trend {
		trend.Labels = append(trend.Labels, c.Code)
		trend.Series[0].Values = append(trend.Series[0].Values, float64(c.N))
	}
	styles := chart.Chart{Kind: chart.Bars, Title: p.T("dashboard.styles_title", place, page.SpanLabel),
		Desc: p.T("dashboard.styles_desc"), Series: []chart.Series{{Name: p.T("dashboard.col_received")}}}
	for _, c := range d.ByStyle {
		styles.Labels = append(styles.Labels, sifeng.LabelIn(p, c.Code))
		styles.Series[0].Values = append(styles.Series[0].Values, float64(c.N))
	}
	var err error
	if page.Trend, err = trend.HTML(); err != nil {
		return page, err
	}
	if page.Styles, err = styles.HTML(); err != nil {
		return page, err
	}
	page.TrendTable = trend.Table(p.T("dashboard.col_month"), "")
	page.StyleTable = styles.Table(p.T("dashboard.col_style"), "")
	for _, l := range d.Depts {
		page.Depts = append(page.Depts, dashboardDept{DeptLine: l, Name: deptName(p, l.Dept), Sat: rateOf(l.Satisfaction)})
	}
	for _, w := range d.Warnings {
		row := dashboardWarning{Warning: w, Place: unit.Name, Limit: strconv.FormatFloat(w.Limit, 'f', 1, 64)}
		if !w.WholeUnit {
			row.Place = w.Dept
		}
		if w.Kind == stats.KindStyle {
			row.Kind = p.T("dashboard.kind_style", sifeng.LabelIn(p, w.Code))
		} else {
			row.Kind = p.T("dashboard.kind_manifestation", tax.Label(w.Code))
		}
		months := make([]string, len(w.History))
		for i, n := range w.History {
			months[i] = strconv.Itoa(n)
		}
		row.History = strings.Join(months, p.T("dashboard.history_separator"))
		page.Warnings = append(page.Warnings, row)
	}
	for _, r := range d.Ranking {
		page.Ranking = append(page.Ranking, dashboardRank{DeptRank: r, Sat: rateOf(r.Satisfaction)})
	}
	return page, nil
}

// The verdicts of a dashboard's rates.
const (
	rateBelowMark = "below" // under stats.TargetRate: the target is missed
	rateRedo      = "redo"  // under stats.RedoRate: missed, and to redo (补课)
)

// rateOf writes a satisfaction rate and judges it against the seeds' thresholds as package stats
// defines them: under stats.TargetRate (90 %) the target is missed, and under stats.RedoRate
// (85 %) the dissatisfied items are redone (补课) as well. Fewer than stats.MinRatings ratings
// judge nothing.
func rateOf(u stats.UnitSatisfaction) rateView {
	v := rateView{Rated: u.Rated(), Min: stats.MinRatings, Target: stats.TargetRate, Redo: stats.RedoRate}
	r, ok := u.Rate()
	if !ok {
		return v
	}
	switch {
	case r < stats.RedoRate:
		v.Verdict = rateRedo
	case r < stats.TargetRate:
		v.Verdict = rateBelowMark
	}
	v.Rate = strconv.FormatFloat(r, 'f', 1, 64) + "%"
	return v
}

// deptName is a 科室 as written, or the words for "none written".
func deptName(p *locale.Printer, dept string) string {
	if dept == "" {
		return p.T("dashboard.no_dept")
	}
	return dept
}

// nextMonth is the month after p (a month), as YYYY-MM.
func nextMonth(p period.Period) string { return p.To[:7] }
