package stats

import (
	"math"
	"testing"
)

// TestHot walks the edges of the hot-spot rule: fewer than five items never warn, a month after
// no history warns from five, a flat history warns one above it, and a jumpy history raises
// the bar by its spread.
func TestHot(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		history []int
		want    bool
	}{
		{"four after nothing: too few", 4, []int{0, 0, 0}, false},
		{"four far over a short history: still too few", 4, []int{1}, false},
		{"five after nothing", 5, []int{0, 0, 0}, true},
		{"five after no history at all", 5, nil, true},
		{"five after one month of history", 5, []int{1}, true},
		{"zero after nothing", 0, nil, false},
		{"flat history: equal is not over", 4, []int{4, 4, 4}, false},
		{"flat history: one over, but four is too few", 4, []int{3, 3, 3}, false},
		{"flat history of four: five is over", 5, []int{4, 4, 4}, true},
		{"flat history of ten: ten is not over", 10, []int{10, 10, 10}, false},
		{"flat history of ten: eleven is over", 11, []int{10, 10, 10}, true},
		// 2, 4, 6: mean 4, sd √(8/3) ≈ 1.633, limit ≈ 7.27.
		{"spread history: seven is within", 7, []int{2, 4, 6}, false},
		{"spread history: eight is over", 8, []int{2, 4, 6}, true},
		// Only the last three months count: the spike a year ago is forgotten.
		{"older months are not the usual level", 6, []int{50, 50, 1, 1, 1}, true},
		{"a falling month never warns", 5, []int{20, 20, 20}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hot(tt.n, tt.history); got != tt.want {
				_, _, limit := Level(tt.history)
				t.Errorf("Hot(%d, %v) = %v, want %v (limit %.3f)", tt.n, tt.history, got, tt.want, limit)
			}
		})
	}
}

// TestLevel checks the usual level's arithmetic: the mean and the population standard
// deviation of the last WarnMonths months, missing months as zero.
func TestLevel(t *testing.T) {
	tests := []struct {
		name                string
		history             []int
		mean, sd, wantLimit float64
	}{
		{"none", nil, 0, 0, 0},
		{"flat", []int{4, 4, 4}, 4, 0, 4},
		{"spread", []int{2, 4, 6}, 4, math.Sqrt(8.0 / 3), 4 + 2*math.Sqrt(8.0/3)},
		{"one month, two missing", []int{6}, 2, math.Sqrt(8), 2 + 2*math.Sqrt(8)},
		{"longer history, last three", []int{100, 3, 3, 3}, 3, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, sd, limit := Level(tt.history)
			if math.Abs(mean-tt.mean) > 1e-9 || math.Abs(sd-tt.sd) > 1e-9 || math.Abs(limit-tt.wantLimit) > 1e-9 {
				t.Errorf("Level(%v) = %.4f, %.4f, %.4f; want %.4f, %.4f, %.4f", tt.history, mean, sd, limit, tt.mean, tt.sd, tt.wantLimit)
			}
		})
	}
}
