package stats

import "testing"

func TestGrowthAndN(t *testing.T) {
	tests := []struct {
		name        string
		now, before int
		pct         float64
		ok          bool
	}{
		{"growth", 115, 100, 15, true},
		{"fall", 80, 100, -20, true},
		{"rounded to one decimal", 2, 3, -33.3, true},
		{"nothing before: no rate", 7, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if pct, ok := Growth(tt.now, tt.before); pct != tt.pct || ok != tt.ok {
				t.Errorf("Growth(%d, %d) = %v, %v; want %v, %v", tt.now, tt.before, pct, ok, tt.pct, tt.ok)
			}
		})
	}
	list := []Count{{"web", 3}, {"qr", 0}}
	if N(list, "web") != 3 || N(list, "qr") != 0 || N(list, "box") != 0 {
		t.Errorf("N over %v: %d %d %d", list, N(list, "web"), N(list, "qr"), N(list, "box"))
	}
}
