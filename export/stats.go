package export

import (
	"context"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/storage"
	"minsheng/vocab"
)

// WithCounter makes the XLSX writers count their rows for sheet "统计" with c, which the caller
// made for the reader (stats.NewCounter with the store: units in the tree's order, tags in the
// taxonomy's). Without it a writer counts with a counter that knows no store, ordering units and
// tags by code. One XLSX writer uses c; give each its own.
func (f Files) WithCounter(c *stats.Counter) Files {
	f.counter = c
	return f
}

// tally holds what sheet "统计" is built from. The counting is package stats' (stats.Counter),
// so the sheet's figures are the ones /gongshi, the satisfaction page and the reports use; the
// writer keeps only the units' names as its rows wrote them and the taxonomy's two flags, which
// no report counts. Nothing here grows with the number of opinions, only with the units.
type tally struct {
	c      *stats.Counter
	names  map[string]string // unit code → the name in the rows (unitLabel)
	tagged tagTally          // by flag (export/tags.go)
}

func (f Files) newTally() (*tally, error) {
	c := f.counter
	if c == nil {
		var err error
		if c, err = stats.NewCounter(context.Background(), nil, stats.Query{}); err != nil {
			return nil, err
		}
	}
	return &tally{c: c, names: map[string]string{}, tagged: newTagTally()}, nil
}

// add counts one row.
func (t *tally) add(r storage.ExportRow) error {
	if _, ok := t.names[r.UnitCode]; !ok {
		t.names[r.UnitCode] = unitLabel(r.Opinion)
	}
	t.tagged.add(r.Opinion)
	fact := r.Fact()
	return t.c.Add(&fact)
}

// rows lays the counts out as the "统计" sheet in the language of p: four titled blocks
// separated by an empty row. Labels are strings (neutralised, as unit names come from staff
// input); counts stay ints so that staff can sum and chart them in the spreadsheet.
func (t *tally) rows(p *locale.Printer, f *stats.Figures) [][]any {
	var out [][]any

	out = append(out, []any{p.T("export.counts_styles_by_unit")})
	head := []any{p.T("column.unit")}
	for _, s := range sifeng.Styles {
		head = append(head, s.In(p))
	}
	out = append(out, append(head, p.T("export.counts_untagged"), p.T("export.counts_total")))
	for _, u := range f.ByUnit {
		label := t.names[u.Code]
		if label == "" {
			label = u.Name
		}
		out = append(out, unitRow(Neutralise(label), u.ByStyle, u.Untagged, u.Total))
	}
	out = append(out, unitRow(p.T("export.counts_total"), f.ByStyle, f.Untagged, f.Total), nil)

	// Every type, status and channel is listed, zeros included, so a month's sheets line up
	// side by side.
	out = append(out, []any{p.T("column.type")})
	for _, ty := range vocab.Types {
		out = append(out, []any{ty.In(p), countOf(f.ByType, ty.Code)})
	}
	out = append(out, nil)

	out = append(out, []any{p.T("column.status")})
	for _, s := range lifecycle.Statuses {
		out = append(out, []any{s.In(p), countOf(f.ByStatus, s.Code)})
	}
	out = append(out, nil)

	out = append(out, []any{p.T("column.channel")})
	for _, ch := range vocab.Channels {
		out = append(out, []any{ch.In(p), countOf(f.ByChannel, ch.Code)})
	}
	return out
}

// unitRow is one row of the "四风 × 单位" block: the count of each style in sifeng.Styles
// order (byStyle lists them first), those without a style, and all.
func unitRow(label string, byStyle []stats.Count, untagged, total int) []any {
	r := []any{label}
	for i := range sifeng.Styles {
		n := 0
		if i < len(byStyle) {
			n = byStyle[i].N
		}
		r = append(r, n)
	}
	return append(r, untagged, total)
}

// countOf is the count of code in counts, 0 when it is not there (stats leaves 举报 out of a
// reader's types unless the reader is 纪检).
func countOf(counts []stats.Count, code string) int {
	for _, c := range counts {
		if c.Code == code {
			return c.N
		}
	}
	return 0
}

// tagCounts are the tags counted, by code.
func tagCounts(f *stats.Figures) map[string]int {
	out := make(map[string]int, len(f.ByTag))
	for _, c := range f.ByTag {
		out[c.Code] = c.N
	}
	return out
}

// problemRows is the block of problems (问题), last on the sheet: how many problems the rows
// belong to, and how many of the rows are in one; a problem counts once however many of its
// opinions the file holds.
func (t *tally) problemRows(p *locale.Printer) [][]any {
	problems, grouped := t.c.Problems()
	return [][]any{nil, {p.T("problem.export_column")},
		{p.T("problem.export_problems"), problems},
		{p.T("problem.export_grouped"), grouped}}
}
