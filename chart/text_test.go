package chart

import (
	"math"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		width float64 // in characters of fontSize
		want  []string
	}{
		{"fits", "县中医院", 10, []string{"县中医院"}},
		{"two lines", "县人民医院心血管内科", 6, []string{"县人民医院心", "血管内科"}},
		{"ellipsis", "县人民医院心血管内科住院部一病区", 6, []string{"县人民医院心", "血管内科住…"}},
		{"latin word kept whole", "Ward ICU-3 of 县医院", 7, []string{"Ward ICU-3", "of 县医院"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := wrap(tc.in, fontSize, tc.width*fontSize, 2)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("wrap(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, l := range got {
				if w := textWidth(l, fontSize); w > tc.width*fontSize+0.001 {
					t.Errorf("line %q is %v wide, over %v", l, w, tc.width*fontSize)
				}
			}
		})
	}
}

// Ensure the fills of up to eight series can be told apart without colour: each is either a
// pattern of its own or a solid grey at least 0x30 from every other solid grey.
func TestFillsAreToldApartInBlackAndWhite(t *testing.T) {
	c := Chart{Kind: Bars, Title: "t", Labels: []string{"a"}}
	for i := 0; i < maxSeries; i++ {
		c.Series = append(c.Series, Series{Values: []float64{1}})
	}
	seen := map[Fill]bool{}
	for i := range c.Series {
		f := c.fillOf(i)
		if seen[f] {
			t.Fatalf("series %d repeats fill %v", i, f)
		}
		seen[f] = true
	}
	for f := range seen {
		for g := range seen {
			if f < g && !patterned(f) && !patterned(g) && math.Abs(float64(greys[f])-float64(greys[g])) < 0x30 {
				t.Errorf("%s and %s are greys %#x and %#x: too close", fillName[f], fillName[g], greys[f], greys[g])
			}
		}
	}
}

func TestIDs(t *testing.T) {
	c := samples()["bars"]
	c.ID = `fig-1"><x`
	root, _ := parse(t, c)
	if got := root.attr("aria-labelledby"); got != "fig-1x-t fig-1x-d" {
		t.Errorf("aria-labelledby %q, want the caller's id, cleaned", got)
	}
}
