package disclosure

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func texts(cells [][]Cell) string {
	var rows []string
	for _, row := range cells {
		var r []string
		for _, c := range row {
			r = append(r, c.Text)
		}
		rows = append(rows, strings.Join(r, " "))
	}
	return strings.Join(rows, " | ")
}

// Ensure each kind of table prints as disclosure control requires.
func TestTable(t *testing.T) {
	tests := []struct {
		name   string
		counts [][]int
		want   string // "" when the table must not be published
	}{
		{"nothing small", [][]int{{7, 9}, {12, 5}}, "7 9 | 12 5"},
		{"one small cell beside the total: a large one goes too, from the last column", [][]int{{3, 9}, {12, 6}}, "<5 * | 12 6"},
		{"zero is small too", [][]int{{0, 9}, {12, 6}}, "<5 * | 12 6"},
		{"the withheld cell is found by place, not size", [][]int{{1, 1}, {5, 40}, {9, 0}}, "<5 <5 | 5 * | 9 <5"},
		{"a last column without large cells: the one before", [][]int{{8, 1}, {6, 0}}, "* <5 | 6 <5"},
		{"only small cells", [][]int{{1, 0}, {4, 2}}, "<5 <5 | <5 <5"},
		{"only small cells, every one 4: the total tells", [][]int{{4, 4}, {4, 4}}, ""},
		{"a single small cell alone: the total tells", [][]int{{3}}, ""},
		{"a single zero cell: nobody to point at", [][]int{{0}}, "<5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, ok := Table(tt.counts)
			if tt.want == "" {
				if ok {
					t.Fatalf("published %q, want the table withheld", texts(cells))
				}
				return
			}
			if !ok {
				t.Fatalf("table withheld, want %q", tt.want)
			}
			if got := texts(cells); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Ensure no small count can be worked out by a reader who knows the rules, the printed table
// and the exact total: over every table that would print the same, each "<5" cell takes at
// least two values, unless all of them are 0 (nobody to point at). Random small tables,
// checked by brute force.
func TestNoSmallCountComputable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	checked := 0
	for trial := 0; trial < 3000; trial++ {
		rows, cols := 1+rng.IntN(3), 1+rng.IntN(4)
		counts := make([][]int, rows)
		total := 0
		for r := range counts {
			counts[r] = make([]int, cols)
			for c := range counts[r] {
				switch rng.IntN(4) {
				case 0:
				case 1, 2:
					counts[r][c] = 1 + rng.IntN(4)
				default:
					counts[r][c] = 5 + rng.IntN(6)
				}
				total += counts[r][c]
			}
		}
		cells, ok := Table(counts)
		if !ok {
			continue
		}
		var hidden [][2]int
		for r, row := range cells {
			for c, cell := range row {
				if cell.Hidden {
					hidden = append(hidden, [2]int{r, c})
				}
				if !cell.Hidden && cell.Text != strconv.Itoa(counts[r][c]) {
					t.Fatalf("%v: printed %q for %d", counts, cell.Text, counts[r][c])
				}
			}
		}
		if len(hidden) > 6 {
			continue // too many to enumerate quickly
		}
		checked++
		// Every assignment of the hidden cells (small ones 0–4, withheld ones 5–total) that
		// keeps the total and prints the same table.
		seen := make([]map[int]bool, len(hidden))
		for i := range seen {
			seen[i] = map[int]bool{}
		}
		guess := make([][]int, rows)
		for r := range guess {
			guess[r] = append([]int(nil), counts[r]...)
		}
		var try func(i, sum int)
		try = func(i, sum int) {
			if i == len(hidden) {
				if sum != total {
					return
				}
				if got, ok := Table(guess); ok && reflect.DeepEqual(got, cells) {
					for j, h := range hidden {
						seen[j][guess[h[0]][h[1]]] = true
					}
				}
				return
			}
			h := hidden[i]
			lo, hi := 0, Threshold-1
			if cells[h[0]][h[1]].Text == Withheld {
				lo, hi = Threshold, total
			}
			for v := lo; v <= hi && sum+v <= total; v++ {
				guess[h[0]][h[1]] = v
				try(i+1, sum+v)
			}
			guess[h[0]][h[1]] = counts[h[0]][h[1]]
		}
		shown := total
		for _, h := range hidden {
			shown -= counts[h[0]][h[1]]
		}
		try(0, shown)
		smallSum := 0
		for _, h := range hidden {
			if cells[h[0]][h[1]].Text == Small {
				smallSum += counts[h[0]][h[1]]
			}
		}
		for j, h := range hidden {
			if cells[h[0]][h[1]].Text == Small && len(seen[j]) < 2 && smallSum > 0 {
				t.Errorf("%v printed as %q: cell %v can only be %v", counts, texts(cells), h, seen[j])
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d tables checked", checked)
	}
}

// Ensure a count that no total ties to others prints as a number from Threshold up, and as
// Small below it, zero included.
func TestCount(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		want   string
		hidden bool
	}{
		{"zero", 0, Small, true},
		{"one", 1, Small, true},
		{"just under", Threshold - 1, Small, true},
		{"the threshold", Threshold, strconv.Itoa(Threshold), false},
		{"many", 120, "120", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.n); got.Text != tt.want || got.Hidden != tt.hidden {
				t.Errorf("Count(%d) = %+v, want %q (hidden %v)", tt.n, got, tt.want, tt.hidden)
			}
		})
	}
}
