package report

import (
	"context"
	"fmt"

	"minsheng/access"
	"minsheng/chart"
	"minsheng/locale"
	"minsheng/stats"
	"minsheng/storage"
)

func draft(ctx context.Context, st *storage.Store, q stats.Query, kind string, p *locale.Printer) (*Report, error) {
	if !ValidKind(kind) {
		return nil, fmt.Errorf("report: unknown kind %q", kind)
	}
	if q.Printer == nil {
		q.Printer = p // what the scope leaves out is said in the report's language
	}
	c, err := compareFor(ctx, st, q)
	if err != nil {
		return nil, err
	}
	unitNames, tagNames, err := names(ctx, st, p)
	if err != nil {
		return nil, err
	}
	return build(c, q, kind, p, unitNames, tagNames), nil
}

// names are the names of every unit and tag, the tags' in p's language.
func names(ctx context.Context, st *storage.Store, p *locale.Printer) (map[string]string, map[string]string, error) {
	units, err := st.AllUnits(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	unitNames := make(map[string]string, len(units))
	for _, u := range units {
		unitNames[u.Code] = u.Name
	}
	tagNames := make(map[string]string, len(tags))
	for _, t := range tags {
		tagNames[t.Code] = t.Label
		if p.Lang() == locale.En && t.LabelEn != "" {
			tagNames[t.Code] = t.LabelEn
		}
	}
	return unitNames, tagNames, nil
}

// compareFor counts q. 纪检's version is the office's report with the 举报 figures added: its
// counts are those of the office's scope (a reviewer's: everything but 举报), and its 举报
// section those 纪检 alone may count. 纪检 itself sees only 举报 and its mailbox's letters,
// which would make a summary of almost nothing.
func compareFor(ctx context.Context, st *storage.Store, q stats.Query) (*stats.Comparison, error) {
	if q.Viewer.Role != access.Discipline || q.Public {
		return stats.Compare(ctx, st, q)
	}
	office := q
	office.Viewer = access.Viewer{Role: access.Reviewer, Today: q.Viewer.Today}
	c, err := stats.Compare(ctx, st, office)
	if err != nil {
		return nil, err
	}
	d, err := stats.Compare(ctx, st, q)
	if err != nil {
		return nil, err
	}
	for _, pair := range [][2]*stats.Figures{{c.Current, d.Current}, {c.Previous, d.Previous}, {c.LastYear, d.LastYear}} {
		if pair[0] != nil && pair[1] != nil {
			pair[0].Reports = pair[1].Reports
		}
	}
	return c, nil
}

// build is the draft of figures c already counted: the title and the narrative drafted in p's
// language; unitNames and tagNames are frozen with it (only the names the figures use).
func build(c *stats.Comparison, q stats.Query, kind string, p *locale.Printer, unitNames, tagNames map[string]string) *Report {
	r := &Report{Kind: kind, Period: q.Period, Unit: Unit{Code: q.Unit, Name: unitNames[q.Unit]},
		Discipline: q.Viewer.Role == access.Discipline, Figures: c, Cases: []Case{},
		UnitNames: map[string]string{}, TagNames: map[string]string{}, Lang: p.Lang()}
	if q.Unit == "" {
		r.Unit.Name = ""
	}
	// Keep the names of what the figures name, so that the frozen JSON stays small.
	keepUnit := func(code string) {
		if n, ok := unitNames[code]; ok {
			r.UnitNames[code] = n
		}
	}
	for _, f := range []*stats.Figures{c.Current, c.Previous, c.LastYear} {
		if f == nil {
			continue
		}
		for _, u := range f.ByUnit {
			keepUnit(u.Code)
		}
		for _, d := range f.TopDepts {
			keepUnit(d.Unit)
		}
		for _, l := range f.Rectification.Overdue {
			keepUnit(l.Unit)
		}
		for _, l := range f.Rectification.LookBack.Lagging {
			keepUnit(l.Unit)
		}
		for _, code := range f.Satisfaction.Redo {
			keepUnit(code)
		}
		if f.Symposia != nil { // a unit may hold a meeting but have no opinion of its own counted
			for _, u := range f.Symposia.ByUnit {
				keepUnit(u.Code)
			}
			for _, m := range f.Symposia.List {
				keepUnit(m.Unit)
			}
		}
		for _, t := range f.ByTag {
			if n, ok := tagNames[t.Code]; ok {
				r.TagNames[t.Code] = n
			}
		}
	}
	if c.Current != nil {
		r.Narrative = drafted(r, p)
	}
	r.Title = titleOf(r, p)
	return r
}

// Draw is the chart as package chart draws it (SVG for pages, PNG for .docx).
func (c Chart) Draw() chart.Chart {
	out := chart.Chart{Title: c.Title, Labels: c.Labels}
	switch c.Kind {
	case ChartLine:
		out.Kind, out.Line = chart.Trend, true
	case ChartBars:
		out.Kind = chart.Bars
	default:
		out.Kind = chart.Stacked
	}
	for _, s := range c.Series {
		vals := make([]float64, len(s.Values))
		for i, v := range s.Values {
			vals[i] = float64(v)
		}
		out.Series = append(out.Series, chart.Series{Name: s.Name, Values: vals})
	}
	return out
}
