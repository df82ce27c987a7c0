package report

import (
	"sort"
	"strings"

	"minsheng/locale"
	"minsheng/period"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/vocab"
)

// The narrative is drafted from the figures by the catalog's sentences (area report): each
// sentence says what a figure says and no more; where a period was not counted it says so,
// where the base is 0 it gives no percentage, and under smallBase it counts items instead.

// ordinals are 一是 / 二是 … as the office numbers its points.
var ordinals = []string{"report.ordinal.1", "report.ordinal.2", "report.ordinal.3", "report.ordinal.4", "report.ordinal.5",
	"report.ordinal.6", "report.ordinal.7", "report.ordinal.8"}

// PeriodIn writes a period as a report's title and text name it (period.Label): 2026年12月,
// 2026年第四季度, 2026年下半年, 2026年, 2026年11月1日至12月15日.
func PeriodIn(p *locale.Printer, pd period.Period) string { return pd.Label(p) }

// thisPeriod is 本月 / 本季度 / 本年度 / 本期.
func thisPeriod(p *locale.Printer, pd period.Period) string {
	switch pd.Kind {
	case period.Month:
		return p.T("report.this.month")
	case period.Quarter:
		return p.T("report.this.quarter")
	case period.Year:
		return p.T("report.this.year")
	}
	return p.T("report.this.other")
}

// titleOf is the drafted title: scope, period and kind.
func titleOf(r *Report, p *locale.Printer) string {
	scope := r.Unit.Name
	if r.Unit.Code == "" {
		scope = p.T("report.scope.system")
	}
	key := map[string]string{Summary: p.T("report.kind.summary"), Opinions: p.T("report.kind.opinions"),
		Frugality: p.T("report.kind.frugality"), Evaluation: p.T("report.kind.evaluation")}[r.Kind]
	t := p.T("report.title", scope, PeriodIn(p, r.Period), key)
	if r.Campaign != nil {
		if r.Kind == Summary {
			key = p.T("report.kind.campaign_summary")
		}
		t = p.T("report.title", scope, campaignLabel(r, p), key)
	}
	if r.Discipline {
		t = p.T("report.title_discipline", t)
	}
	return t
}

// listCounts writes the non-zero counts of cs, most first, as 「label N条（占x%）」 joined.
func listCounts(p *locale.Printer, cs []stats.Count, total int, label func(string) string) string {
	nz := make([]stats.Count, 0, len(cs))
	for _, c := range cs {
		if c.N > 0 {
			nz = append(nz, c)
		}
	}
	sort.SliceStable(nz, func(i, j int) bool { return nz[i].N > nz[j].N })
	var parts []string
	for _, c := range nz {
		if total > 0 {
			parts = append(parts, p.T("report.item.count_share", label(c.Code), c.N, percent(c.N, total)))
		} else {
			parts = append(parts, p.T("report.item.count", label(c.Code), c.N))
		}
	}
	return strings.Join(parts, p.T("report.list_sep"))
}

func drafted(r *Report, p *locale.Printer) Narrative {
	return Narrative{Basics: basics(r, p), Problems: problems(r, p), Causes: causes(r, p), Measures: measures(r, p)}
}

func basics(r *Report, p *locale.Printer) string {
	c := r.Figures
	cur := c.Current
	var paras []string
	prev, okP := pick(c.Previous, func(f *stats.Figures) int { return f.Total })
	ly, okL := pick(c.LastYear, func(f *stats.Figures) int { return f.Total })
	if r.Campaign != nil {
		paras = append(paras, campaignTotal(r, p, prev, okP)...)
	} else {
		paras = append(paras, p.Plural("report.basics.total", cur.Total, thisPeriod(p, r.Period),
			changeText(p, cur.Total, prev, okP, false), changeText(p, cur.Total, ly, okL, true)))
	}
	if cur.Total > 0 && r.Kind != Frugality {
		var by []string
		if s := listCounts(p, cur.ByChannel, cur.Total, func(code string) string { return vocab.LabelIn(p, vocab.Channels, code) }); s != "" {
			by = append(by, p.T("report.basics.channels", s))
		}
		if s := listCounts(p, cur.ByType, cur.Total, func(code string) string { return vocab.LabelIn(p, vocab.Types, code) }); s != "" {
			by = append(by, p.T("report.basics.types", s))
		}
		if s := listCounts(p, cur.BySubmitter, cur.Total, func(code string) string { return vocab.LabelIn(p, vocab.Submitters, code) }); s != "" {
			by = append(by, p.T("report.basics.submitters", s))
		}
		if len(by) > 0 {
			paras = append(paras, strings.Join(by, p.T("report.sentence_sep"))+p.T("report.full_stop"))
		}
	}
	var styles []stats.Count
	for _, code := range r.styleCodes() {
		styles = append(styles, stats.Count{Code: code, N: find(cur.ByStyle, code)})
	}
	if s := listCounts(p, styles, 0, func(code string) string { return sifeng.LabelIn(p, code) }); s != "" {
		text := p.T("report.basics.styles", s)
		if cur.Untagged > 0 && r.Kind != Frugality {
			text += p.T("report.basics.untagged", cur.Untagged)
		}
		paras = append(paras, text)
	} else if cur.Total > 0 {
		paras = append(paras, p.T("report.basics.no_styles"))
	}
	rc := cur.Rectification
	if rc.Assigned == 0 {
		paras = append(paras, p.T("report.basics.no_rectification"))
	} else {
		paras = append(paras, p.T("report.basics.rectification", rc.Assigned, rc.Done, rc.Closed, rc.Open, rc.Deferred,
			rc.Referred, overdueCount(cur)))
	}
	if r.Kind == Summary || r.Kind == Opinions { // the kinds with a section on it
		if line := conversationSentence(cur, p); line != "" {
			paras = append(paras, line)
		}
	}
	sat := cur.Satisfaction
	satIndex := len(paras)
	switch x, ok := rateOf(sat); {
	case sat.Rated == 0:
		paras = append(paras, p.T("report.basics.no_ratings"))
	case !ok:
		paras = append(paras, p.Plural("report.basics.few_ratings", sat.Rated, stats.MinRatings))
	default:
		paras = append(paras, p.T("report.basics.satisfaction", sat.Rated, sat.Satisfied, sat.Basically, sat.Dissatisfied, rate(x)))
	}
	if cur.Reports != nil {
		x := cur.Reports
		paras = append(paras, p.T("report.basics.reports", x.Received, x.Closed, x.Substantiated, x.Unfounded, x.Accountability))
	}
	if cur.Omitted != "" {
		paras = append(paras, p.T("report.basics.omitted", cur.Omitted))
	}
	if r.Kind == Evaluation {
		// The 群众评议报告 leads with satisfaction.
		paras = append([]string{paras[satIndex]}, append(paras[:satIndex:satIndex], paras[satIndex+1:]...)...)
	}
	return strings.Join(paras, "\n\n")
}

// overdueCount is how many rectifications are overdue: every one, which the bounded list of the
// longest overdue may not show in full.
func overdueCount(f *stats.Figures) int { return f.Rectification.OverdueCount }

// topStyles are the covered styles with opinions, most first.
func topStyles(r *Report) []stats.Count {
	var out []stats.Count
	for _, code := range r.styleCodes() {
		if n := find(r.Figures.Current.ByStyle, code); n > 0 {
			out = append(out, stats.Count{Code: code, N: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].N > out[j].N })
	return out
}

func problems(r *Report, p *locale.Printer) string {
	cur := r.Figures.Current
	var points []string
	tagged := 0
	for _, s := range cur.ByStyle {
		tagged += s.N
	}
	for i, s := range topStyles(r) {
		if i == 2 {
			break
		}
		key := "report.problems.style"
		if i > 0 {
			key = "report.problems.style_next"
		}
		points = append(points, p.T(key, sifeng.LabelIn(p, s.Code), s.N, percent(s.N, tagged),
			sifeng.Styles[styleIndex(s.Code)].AboutIn(p)))
	}
	if len(cur.Problems) > 0 {
		var items []string
		for i, pr := range cur.Problems {
			if i == 3 {
				break
			}
			items = append(items, p.T("report.item.problem", pr.Title, pr.N))
		}
		points = append(points, p.T("report.problems.many", strings.Join(items, p.T("report.list_sep"))))
	}
	if n := overdueCount(cur); n > 0 {
		longest := 0
		for _, l := range cur.Rectification.Overdue {
			if l.Days > longest {
				longest = l.Days
			}
		}
		points = append(points, p.Plural("report.problems.overdue", n, longest))
	}
	var low []string
	for _, u := range cur.Satisfaction.ByUnit {
		if x, ok := u.Rate(); ok && x < stats.TargetRate {
			low = append(low, p.T("report.item.rate", u.Name, rate(x)))
		}
	}
	if len(low) > 0 {
		points = append(points, p.T("report.problems.low_rate", strings.Join(low, p.T("report.list_sep")), threshold(stats.TargetRate)))
	}
	if len(points) == 0 {
		return p.T("report.problems.none")
	}
	return numbered(p, points)
}

// numbered writes points as 一是…；二是…。
func numbered(p *locale.Printer, points []string) string {
	var b strings.Builder
	for i, pt := range points {
		if i < len(ordinals) {
			b.WriteString(p.T(ordinals[i]))
		}
		b.WriteString(pt)
		if i < len(points)-1 {
			b.WriteString(p.T("report.point_sep"))
		} else {
			b.WriteString(p.T("report.full_stop"))
		}
	}
	return b.String()
}

func styleIndex(code string) int {
	for i, s := range sifeng.Styles {
		if s.Code == code {
			return i
		}
	}
	return 0
}

// causeKeys and measureKeys are the catalog's sentences of cause and measure for each style.
var causeKeys = map[string]string{"formalism": "report.cause.formalism", "bureaucratism": "report.cause.bureaucratism",
	"hedonism": "report.cause.hedonism", "extravagance": "report.cause.extravagance"}
var measureKeys = map[string]string{"formalism": "report.measure.formalism", "bureaucratism": "report.measure.bureaucratism",
	"hedonism": "report.measure.hedonism", "extravagance": "report.measure.extravagance"}

func causes(r *Report, p *locale.Printer) string {
	cur := r.Figures.Current
	var points []string
	for i, s := range topStyles(r) {
		if i == 2 {
			break
		}
		points = append(points, p.T(causeKeys[s.Code]))
	}
	if lag := cur.Rectification.LookBack; lag.Failed > 0 {
		var why []string
		for _, l := range lag.Lagging {
			if c := strings.TrimSpace(l.Cause); c != "" {
				why = append(why, p.T("report.item.cause", r.unitName(l.Unit), c))
			}
		}
		if len(why) > 0 {
			points = append(points, p.Plural("report.causes.lagging", lag.Failed, strings.Join(why, p.T("report.list_sep"))))
		} else {
			points = append(points, p.Plural("report.causes.lagging_unstated", lag.Failed))
		}
	}
	if overdueCount(cur) > 0 {
		points = append(points, p.T("report.causes.overdue"))
	}
	if len(points) == 0 {
		return p.T("report.causes.none")
	}
	return numbered(p, points)
}

func measures(r *Report, p *locale.Printer) string {
	cur := r.Figures.Current
	var points []string
	for i, s := range topStyles(r) {
		if i == 2 {
			break
		}
		points = append(points, p.T(measureKeys[s.Code]))
	}
	if len(cur.Problems) > 0 {
		points = append(points, p.T("report.measure.problems"))
	}
	if overdueCount(cur) > 0 {
		points = append(points, p.T("report.measure.overdue"))
	}
	if len(cur.Satisfaction.Redo) > 0 {
		var names []string
		for _, code := range cur.Satisfaction.Redo {
			names = append(names, r.unitName(code))
		}
		points = append(points, p.T("report.measure.redo", strings.Join(names, p.T("report.list_sep")), threshold(stats.RedoRate)))
	}
	points = append(points, p.T("report.measure.channels"))
	return numbered(p, points)
}
