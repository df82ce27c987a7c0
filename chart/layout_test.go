package chart

import (
	"math"
	"testing"
)

// Ensure a stacked part too narrow for its value still has it written (under the bar), and
// values written under the bar do not overlap.
func TestStackedNarrowPartsKeepTheirValues(t *testing.T) {
	c := Chart{Kind: Stacked, Title: "t", Labels: []string{"a", "b"}, Series: []Series{
		{Name: "big", Values: []float64{1000, 500}}, {Name: "tiny", Values: []float64{1, 500}},
		{Name: "tiny too", Values: []float64{2, 0}}, {Name: "small", Values: []float64{3, 1}}}}
	root, _ := parse(t, c)
	vals := root.all(byClass("text", "value"))
	got := texts(root, "value")
	for _, want := range []string{"1000", "1", "2", "3", "500"} {
		if !contains(got, want) {
			t.Errorf("value %s not written: %q", want, got)
		}
	}
	bars := root.all(byClass("rect", "bar"))
	barBottom := bars[0].num(t, "y") + bars[0].num(t, "height")
	var under []node
	for _, v := range vals {
		if v.num(t, "y") > barBottom {
			under = append(under, v)
		}
	}
	if len(under) < 3 {
		t.Fatalf("%d values under the first bar, want 3 (1, 2, 3)", len(under))
	}
	for i := 1; i < len(under); i++ {
		prevEnd := under[i-1].num(t, "x") + textWidth(under[i-1].Text, small)
		if under[i].num(t, "y") == under[i-1].num(t, "y") && under[i].num(t, "x") < prevEnd {
			t.Errorf("value %q starts at %v, inside %q (ends %v)", under[i].Text, under[i].num(t, "x"), under[i-1].Text, prevEnd)
		}
	}
	if second := bars[len(bars)-1].num(t, "y"); second < barBottom+small {
		t.Errorf("the second bar at %v leaves no room under the first (bottom %v)", second, barBottom)
	}
}

// Ensure reference lines are drawn at their values and close ones get their labels on
// separate rows, above the bars.
func TestReferenceLines(t *testing.T) {
	c := Chart{Kind: Bars, Title: "satisfaction", Max: 100, Decimals: 1, Suffix: "%", Labels: []string{"a", "b"},
		Series: []Series{{Name: "rate", Values: []float64{92.5, 50}}}, Refs: []Ref{{85, "85%"}, {87, "87%"}, {20, "20%"}}}
	root, _ := parse(t, c)
	bars := root.all(byClass("rect", "bar"))
	x0, perUnit := bars[0].num(t, "x"), bars[0].num(t, "width")/92.5
	lines := root.all(byClass("line", "ref"))
	labels := root.all(byClass("text", "ref"))
	if len(lines) != 3 || len(labels) != 3 {
		t.Fatalf("%d lines, %d labels, want 3 each", len(lines), len(labels))
	}
	for i, r := range c.Refs {
		if got, want := lines[i].num(t, "x1"), x0+r.Value*perUnit; math.Abs(got-want) > 0.02 {
			t.Errorf("line %s at %v, want %v", r.Label, got, want)
		}
		if labels[i].num(t, "y") >= bars[0].num(t, "y") {
			t.Errorf("label %s is not above the bars", r.Label)
		}
	}
	if labels[0].num(t, "y") == labels[1].num(t, "y") {
		t.Errorf("85%% and 87%% share a row: they overlap")
	}
	if labels[0].num(t, "y") != labels[2].num(t, "y") {
		t.Errorf("20%% does not share the lowest row with 85%%, though it overlaps nothing")
	}
}
