package report

import (
	"strconv"

	"minsheng/locale"
	"minsheng/stats"
)

// smallBase is the base under which a change is told in items, not in percent: from 2 to 4 is
// "2 more", not "up 100 %", which would overstate what small numbers say.
const smallBase = 10

// find is the count of code in cs; ok is false when the list does not name it.
func find(cs []stats.Count, code string) int {
	for _, c := range cs {
		if c.Code == code {
			return c.N
		}
	}
	return 0
}

// pick applies get to f, or returns ok false when f is missing (a period not counted).
func pick(f *stats.Figures, get func(*stats.Figures) int) (int, bool) {
	if f == nil {
		return 0, false
	}
	return get(f), true
}

// percent writes 100·a/b with one decimal; b must not be 0.
func percent(a, b int) string {
	return strconv.FormatFloat(100*float64(a)/float64(b), 'f', 1, 64)
}

// rate writes a percentage already in percent, one decimal.
func rate(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// threshold writes a threshold as it is named (85, not 85.0).
func threshold(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// changeCell writes the change from base to now for a table: "—" when there is no base to
// compare with (missing, or 0), the signed number of items under smallBase, else the signed
// percentage.
func changeCell(p *locale.Printer, now, base int, ok bool) string {
	switch {
	case !ok || base == 0:
		return p.T("report.cell.none")
	case base < smallBase:
		return p.T("report.cell.diff", signed(now-base))
	}
	return p.T("report.cell.pct", signedPct(now, base))
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func signedPct(now, base int) string {
	d := 100 * float64(now-base) / float64(base)
	s := strconv.FormatFloat(d, 'f', 1, 64)
	if d > 0 {
		return "+" + s
	}
	return s
}

// changeText tells the change from base to now in a sentence's words: which (the previous
// period or last year) chooses the messages.
func changeText(p *locale.Printer, now, base int, ok, lastYear bool) string {
	if !ok {
		if lastYear {
			return p.T("report.change.yoy_missing")
		}
		return p.T("report.change.mom_missing")
	}
	d := now - base
	abs := d
	if abs < 0 {
		abs = -abs
	}
	pct := ""
	if base > 0 {
		pct = percent(abs, base)
	}
	switch {
	case base == 0 && lastYear:
		return p.T("report.change.yoy_from_zero", now)
	case base == 0:
		return p.T("report.change.mom_from_zero", now)
	case d == 0 && lastYear:
		return p.T("report.change.yoy_same")
	case d == 0:
		return p.T("report.change.mom_same")
	case base < smallBase && lastYear && d > 0:
		return p.T("report.change.yoy_more", abs, base)
	case base < smallBase && lastYear:
		return p.T("report.change.yoy_fewer", abs, base)
	case base < smallBase && d > 0:
		return p.T("report.change.mom_more", abs, base)
	case base < smallBase:
		return p.T("report.change.mom_fewer", abs, base)
	case lastYear && d > 0:
		return p.T("report.change.yoy_up", pct)
	case lastYear:
		return p.T("report.change.yoy_down", pct)
	case d > 0:
		return p.T("report.change.mom_up", pct)
	}
	return p.T("report.change.mom_down", pct)
}

// compared is one row of a comparison table: a label and its count in the three periods.
type compared struct {
	label          string
	now, prev, ly  int
	hasPrev, hasLy bool
}

// comparedRows lines up the counts of codes in the three periods, as get finds them.
func comparedRows(c *stats.Comparison, codes []string, label func(string) string, get func(*stats.Figures, string) int) []compared {
	var out []compared
	for _, code := range codes {
		r := compared{label: label(code), now: get(c.Current, code)}
		r.prev, r.hasPrev = pick(c.Previous, func(f *stats.Figures) int { return get(f, code) })
		r.ly, r.hasLy = pick(c.LastYear, func(f *stats.Figures) int { return get(f, code) })
		out = append(out, r)
	}
	return out
}

// nonZero keeps the rows with a count in at least one period: a vocabulary's unused terms
// (eleven channels, most of them empty in a month) would only hide the figures.
func nonZero(rows []compared) []compared {
	var out []compared
	for _, r := range rows {
		if r.now != 0 || r.prev != 0 || r.ly != 0 {
			out = append(out, r)
		}
	}
	return out
}

// comparisonTable is the usual table of a section: item, this period, previous, 环比, same
// period last year, 同比.
func comparisonTable(p *locale.Printer, key, title, first string, rows []compared) Table {
	t := Table{Key: key, Title: title, Header: []string{first, p.T("report.col.now"), p.T("report.col.prev"),
		p.T("report.col.mom"), p.T("report.col.last_year"), p.T("report.col.yoy")}, Note: p.T("report.note.change")}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.label, p.Number(r.now), cell(p, r.prev, r.hasPrev),
			changeCell(p, r.now, r.prev, r.hasPrev), cell(p, r.ly, r.hasLy), changeCell(p, r.now, r.ly, r.hasLy)})
	}
	return t
}

// cell writes a count, or "—" for a period that was not counted.
func cell(p *locale.Printer, n int, ok bool) string {
	if !ok {
		return p.T("report.cell.none")
	}
	return p.Number(n)
}

// codesOf lists the codes of cs in their order.
func codesOf(cs []stats.Count) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

// unionCodes lists the codes of the current list, then those only the other periods have.
func unionCodes(lists ...[]stats.Count) []string {
	seen := map[string]bool{}
	var out []string
	for _, cs := range lists {
		for _, c := range cs {
			if !seen[c.Code] {
				seen[c.Code] = true
				out = append(out, c.Code)
			}
		}
	}
	return out
}
