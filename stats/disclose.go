package stats

import (
	"strconv"

	"minsheng/disclosure"
)

// The one small-count rule of the portal, for every figure shown to the public (/gongshi) or
// sent outside the office: package disclosure's, applied here so that callers never choose.
// Staff pages and the office's own reports show exact counts to those who may open the
// opinions; what leaves for readers who may not goes through one of these:
//
//   - Disclose: counts that split a total printed beside them (by channel, type, status, unit):
//     under 5 shows "<5" and one more cell is withheld ("*") so that the total gives none away.
//   - DiscloseTable: the same for a table (unit × month, unit × style) beside its grand total.
//   - DiscloseEach: counts of categories that overlap (styles, tags: an opinion may carry
//     several or none), of which no sum is printed: each under 5 shows "<5" on its own.
//
// A caller that prints a table must print no other sum of it (no row or column totals) than
// the grand total: those would be further equations the rule does not cover.

// Cell is one count as a public reader may see it. A hidden cell carries no number at all, so
// that no template can print what was suppressed by mistake.
type Cell struct {
	Code   string `json:"code"`
	N      int    `json:"n,omitempty"` // the count when shown; 0 when Hidden
	Text   string `json:"text"`        // the count in digits, or disclosure.Small / disclosure.Withheld
	Hidden bool   `json:"hidden,omitempty"`
}

// Small and Withheld are what hidden cells show; the page explains both.
const (
	Small    = disclosure.Small
	Withheld = disclosure.Withheld
)

// Disclose returns counts as a public reader may see them beside their exact total (which the
// caller prints). ok is false when the list must not be printed at all (every count is small
// and the total would give one away).
func Disclose(counts []Count) (cells []Cell, ok bool) {
	rows, ok := DiscloseTable([][]Count{counts})
	return rows[0], ok
}

// DiscloseTable is Disclose for a table: rows of equal length (as UnitStyleTable makes them)
// beside their grand total. The withheld cell is chosen by place alone, from the last column.
func DiscloseTable(rows [][]Count) (cells [][]Cell, ok bool) {
	grid := make([][]int, len(rows))
	for r, row := range rows {
		grid[r] = make([]int, len(row))
		for c, x := range row {
			grid[r][c] = x.N
		}
	}
	shown, ok := disclosure.Table(grid)
	cells = make([][]Cell, len(rows))
	for r, row := range rows {
		cells[r] = make([]Cell, len(row))
		for c, x := range row {
			cells[r][c] = cell(x, shown[r][c])
		}
	}
	return cells, ok
}

// DiscloseEach returns counts of overlapping categories (by style, by tag), each suppressed on
// its own: no sum of them may be printed.
func DiscloseEach(counts []Count) []Cell {
	out := make([]Cell, len(counts))
	for i, x := range counts {
		out[i] = cell(x, disclosure.Count(x.N))
	}
	return out
}

func cell(x Count, shown disclosure.Cell) Cell {
	if shown.Hidden {
		return Cell{Code: x.Code, Text: shown.Text, Hidden: true}
	}
	return Cell{Code: x.Code, N: x.N, Text: strconv.Itoa(x.N)}
}

// UnitStyleTable is the unit × style table of f (rows in f.ByUnit's order, columns in
// sifeng.Styles order), ready for DiscloseTable. Styles overlap, so its sum is no printed
// figure; DiscloseTable's complementary suppression is then more than the rule needs, never
// less.
func UnitStyleTable(f *Figures) [][]Count {
	rows := make([][]Count, len(f.ByUnit))
	for i, u := range f.ByUnit {
		rows[i] = u.ByStyle
	}
	return rows
}
