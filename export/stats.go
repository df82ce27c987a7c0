package export

import (
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// tally holds the counts behind the "统计" sheet. It is all the XLSX writer keeps per export,
// so memory does not grow with the number of opinions, only with the number of units.
type tally struct {
	units    []*unitTally          // in order of first appearance, so the sheet follows the data
	byUnit   map[string]*unitTally // keyed by unit code: two units may share a display name
	types    map[string]int
	statuses map[string]int
	channels map[string]int
	tagged   tagTally // by tag and by flag (export/tags.go)
	// problems holds the problems (问题) of the rows, grouped how many rows are in one. It grows
	// with the problems of the month, not with its opinions.
	problems map[string]bool
	grouped  int
}

// unitTally is one row of the "四风 × 单位" block.
type unitTally struct {
	label    string
	styles   []int // indexed like sifeng.Styles
	untagged int
	total    int
}

func newTally() *tally {
	return &tally{
		byUnit:   map[string]*unitTally{},
		types:    map[string]int{},
		statuses: map[string]int{},
		channels: map[string]int{},
		tagged:   newTagTally(),
		problems: map[string]bool{},
	}
}

// add counts o once in its unit's total, once in each distinct style it carries, and once in
// its type and status.
func (t *tally) add(o storage.Opinion) {
	key := o.UnitCode
	if key == "" {
		key = "\x00" + o.UnitName // no code: fall back to the name, in a space codes cannot reach
	}
	u := t.byUnit[key]
	if u == nil {
		u = &unitTally{label: unitLabel(o), styles: make([]int, len(sifeng.Styles))}
		t.byUnit[key] = u
		t.units = append(t.units, u)
	}
	u.total++
	if len(o.Styles) == 0 {
		u.untagged++
	}
	seen := make([]bool, len(sifeng.Styles))
	for _, code := range o.Styles {
		for i, s := range sifeng.Styles {
			if s.Code == code && !seen[i] {
				seen[i] = true
				u.styles[i]++
			}
		}
	}
	t.types[o.Type]++
	t.statuses[o.Status]++
	t.channels[channelOf(o)]++
	t.tagged.add(o)
}

// addProblem counts one row in problem id ("" for a row in none).
func (t *tally) addProblem(id string) {
	if id != "" {
		t.problems[id] = true
		t.grouped++
	}
}

// rows lays the tally out as the "统计" sheet in the language of p: four titled blocks
// separated by an empty row. Labels are strings (neutralised, as unit names come from staff
// input); counts stay ints so that staff can sum and chart them in the spreadsheet.
func (t *tally) rows(p *locale.Printer) [][]any {
	var out [][]any

	out = append(out, []any{p.T("export.counts_styles_by_unit")})
	head := []any{p.T("column.unit")}
	for _, s := range sifeng.Styles {
		head = append(head, s.In(p))
	}
	out = append(out, append(head, p.T("export.counts_untagged"), p.T("export.counts_total")))
	sum := &unitTally{styles: make([]int, len(sifeng.Styles))}
	for _, u := range t.units {
		out = append(out, u.row(Neutralise(u.label)))
		for i, n := range u.styles {
			sum.styles[i] += n
		}
		sum.untagged += u.untagged
		sum.total += u.total
	}
	out = append(out, sum.row(p.T("export.counts_total")), nil)

	out = append(out, []any{p.T("column.type")})
	for _, ty := range vocab.Types {
		out = append(out, []any{ty.In(p), t.types[ty.Code]})
	}
	out = append(out, nil)

	out = append(out, []any{p.T("column.status")})
	for _, s := range lifecycle.Statuses {
		out = append(out, []any{s.In(p), t.statuses[s.Code]})
	}
	out = append(out, nil)

	// Every channel is listed, zeros included, so a month's sheets line up side by side.
	out = append(out, []any{p.T("column.channel")})
	for _, ch := range vocab.Channels {
		out = append(out, []any{ch.In(p), t.channels[ch.Code]})
	}
	return out
}

func (u *unitTally) row(label string) []any {
	r := []any{label}
	for _, n := range u.styles {
		r = append(r, n)
	}
	return append(r, u.untagged, u.total)
}

// problemRows is the block of problems (问题), last on the sheet: how many problems the rows
// belong to, and how many of the rows are in one; a problem counts once however many of its
// opinions the file holds.
func (t *tally) problemRows(p *locale.Printer) [][]any {
	return [][]any{nil, {p.T("problem.export_column")},
		{p.T("problem.export_problems"), len(t.problems)},
		{p.T("problem.export_grouped"), t.grouped}}
}
