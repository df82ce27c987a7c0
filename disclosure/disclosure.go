// Package disclosure decides which counts the public notice board may print, so that no small
// count, one that could point at the person who wrote, can be read or worked out.
//
// It is statistical disclosure control as statistics offices do it for a table of counts
// published beside its exact total, made safe against a reader who knows these rules:
//
//   - Primary suppression: every count under Threshold, zero included, prints as "<5". Zero is
//     not told apart: if it were, a "<5" cell would be known to be at least 1, and a few such
//     cells whose hidden sum came out at exactly their number would all be known to be 1.
//   - Secondary (complementary) suppression: the total minus the printed numbers is the sum
//     of the hidden cells, so a single "<5" cell would be given away, and so would several
//     that are all 4. Whenever a "<5" cell exists, one cell of Threshold or more is withheld
//     too ("*"). It is chosen by its place alone (the first one, column by column from the
//     last, row by row), never by its size, so the reader learns only that it is at least
//     Threshold, with no upper bound. Then any "<5" cell could be anything from 0 up to at
//     least 1 more than it is, unless every "<5" cell is 0, which points at nobody.
//   - A table with no cell of Threshold or more has nothing to withhold; it is not printed
//     when its total gives a cell away: a lone cell, or every cell exactly Threshold−1.
//
// The grand total is the only sum of the table that may be printed beside it: row or column
// totals would be further equations, which this package does not cover.
package disclosure

import "strconv"

// Threshold is the smallest count printed as a number.
const Threshold = 5

// What a hidden cell shows.
const (
	Small    = "<5" // 0 to Threshold-1
	Withheld = "*"  // Threshold or more, hidden so that no "<5" cell can be worked out
)

// Cell is one count as the public may see it.
type Cell struct {
	Text   string // the number, Small or Withheld
	Hidden bool
}

// Table returns what may be printed of counts (rows × columns, each ≥ 0) beside their exact
// grand total; ok is false when the table must not be printed at all. Rows must be equally long.
func Table(counts [][]int) (cells [][]Cell, ok bool) {
	cells = make([][]Cell, len(counts))
	small, large, total := 0, 0, 0
	for r, row := range counts {
		cells[r] = make([]Cell, len(row))
		for c, n := range row {
			total += n
			if n < Threshold {
				cells[r][c] = Cell{Text: Small, Hidden: true}
				small++
			} else {
				cells[r][c] = Cell{Text: strconv.Itoa(n)}
				large++
			}
		}
	}
	switch {
	case small == 0:
		return cells, true
	case large == 0:
		// Only the total speaks: it gives a lone cell away, and every cell when all are
		// Threshold-1. Both the total and the number of cells are printed, so refusing the
		// table here tells the reader nothing they could not work out.
		return cells, total == 0 || small >= 2 && total != small*(Threshold-1)
	}
	// The first large cell, scanning columns from the last (the month still under way) and
	// rows in order.
	for c := len(counts[0]) - 1; c >= 0; c-- {
		for r := range counts {
			if counts[r][c] >= Threshold {
				cells[r][c] = Cell{Text: Withheld, Hidden: true}
				return cells, true
			}
		}
	}
	return cells, true // not reached: large > 0
}

// Count is what may be printed of one count that no printed total ties to others: counts of
// categories that overlap, where one item may fall under several or none (the board's counts
// by family), so that no sum of them is a known figure and no hidden one can be worked out.
// Primary suppression alone is then enough: under Threshold, zero included, it is Small.
func Count(n int) Cell {
	if n < Threshold {
		return Cell{Text: Small, Hidden: true}
	}
	return Cell{Text: strconv.Itoa(n)}
}
