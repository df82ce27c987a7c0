package stats

import (
	"reflect"
	"testing"
)

func TestDisclose(t *testing.T) {
	tests := []struct {
		name   string
		counts []Count
		want   []Cell
		ok     bool
	}{
		{"all large", []Count{{"web", 12}, {"letter", 5}}, []Cell{{"web", 12, "12", false}, {"letter", 5, "5", false}}, true},
		{"a small cell takes a large one with it, the last first",
			[]Count{{"web", 12}, {"letter", 3}, {"phone", 7}},
			[]Cell{{"web", 12, "12", false}, {"letter", 0, Small, true}, {"phone", 0, Withheld, true}}, true},
		{"zero is small too", []Count{{"web", 9}, {"qr", 0}, {"box", 6}},
			[]Cell{{"web", 9, "9", false}, {"qr", 0, Small, true}, {"box", 0, Withheld, true}}, true},
		{"a lone small count is not printed", []Count{{"web", 3}}, []Cell{{"web", 0, Small, true}}, false},
		{"two small counts that are not both 4", []Count{{"web", 3}, {"qr", 1}},
			[]Cell{{"web", 0, Small, true}, {"qr", 0, Small, true}}, true},
		{"every small count 4 gives them away", []Count{{"web", 4}, {"qr", 4}},
			[]Cell{{"web", 0, Small, true}, {"qr", 0, Small, true}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Disclose(tt.counts)
			if !reflect.DeepEqual(got, tt.want) || ok != tt.ok {
				t.Errorf("Disclose = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDiscloseTableAndEach(t *testing.T) {
	f := &Figures{ByUnit: []UnitFigures{
		{Code: "a", ByStyle: []Count{{"formalism", 8}, {"bureaucratism", 2}}},
		{Code: "b", ByStyle: []Count{{"formalism", 6}, {"bureaucratism", 9}}},
	}}
	cells, ok := DiscloseTable(UnitStyleTable(f))
	// The small cell is a's bureaucratism; the first large cell from the last column is b's.
	want := [][]Cell{
		{{"formalism", 8, "8", false}, {"bureaucratism", 0, Small, true}},
		{{"formalism", 6, "6", false}, {"bureaucratism", 0, Withheld, true}},
	}
	if !ok || !reflect.DeepEqual(cells, want) {
		t.Errorf("DiscloseTable = %+v, %v; want %+v", cells, ok, want)
	}
	each := DiscloseEach([]Count{{"formalism", 3}, {"hedonism", 0}, {"extravagance", 5}})
	wantEach := []Cell{{"formalism", 0, Small, true}, {"hedonism", 0, Small, true}, {"extravagance", 5, "5", false}}
	if !reflect.DeepEqual(each, wantEach) {
		t.Errorf("DiscloseEach = %+v, want %+v", each, wantEach)
	}
	// A hidden cell never carries its count, whatever a template does with it.
	for _, row := range cells {
		for _, c := range row {
			if c.Hidden && c.N != 0 {
				t.Errorf("hidden cell %+v carries its count", c)
			}
		}
	}
}
