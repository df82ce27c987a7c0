package workday

import (
	"slices"
	"testing"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Ensure every holiday the library names has a code, so that no holiday reaches a page in
// Chinese alone.
func TestEveryLibraryHolidayHasACode(t *testing.T) {
	for _, name := range HolidayUtil.NAMES {
		if codes, _, ok := HolidayCodes(name); !ok || len(codes) != 1 {
			t.Errorf("HolidayCodes(%q) = %v, %v; want one code", name, codes, ok)
		}
	}
}

func TestHolidayCodes(t *testing.T) {
	tests := []struct {
		name, in string
		codes    []string
		swap, ok bool
	}{
		{"one holiday", "春节", []string{"spring_festival"}, false, true},
		{"two on one day", "中秋节、国庆节", []string{"mid_autumn", "national_day"}, false, true},
		{"a swap", "国庆节调休", []string{"national_day"}, true, true},
		{"made up by the administrator", "县庆", nil, false, false},
		{"partly made up", "春节、县庆", nil, false, false},
		{"empty", "", nil, false, false},
		{"swap alone", "调休", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes, swap, ok := HolidayCodes(tt.in)
			if !slices.Equal(codes, tt.codes) || swap != tt.swap || ok != tt.ok {
				t.Errorf("HolidayCodes(%q) = %v, %v, %v; want %v, %v, %v", tt.in, codes, swap, ok, tt.codes, tt.swap, tt.ok)
			}
		})
	}
}

// Ensure Explain gives Reason's parts: the kind of day and its name, a swap's without 调休.
func TestExplain(t *testing.T) {
	c := New(testOverrides())
	tests := []struct {
		name, date string
		want       Why
	}{
		{"ordinary weekday", "2038-02-10", Why{Kind: Weekday}},
		{"ordinary weekend", "2038-02-13", Why{Kind: Weekend}},
		{"named holiday", "2038-02-08", Why{Kind: Holiday, Name: "春节"}},
		{"unnamed day off", "2038-02-09", Why{Kind: DayOff}},
		{"swap named after its holiday", "2038-02-20", Why{Kind: Swap, Name: "春节"}},
		{"swap with the suffix typed", "2038-02-27", Why{Kind: Swap, Name: "春节"}},
		{"worked weekday with no name", "2026-10-07", Why{Kind: Weekday}},
		{"library swap", "2026-09-20", Why{Kind: Swap, Name: "国庆节"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Explain(d(t, tt.date)); got != tt.want {
				t.Errorf("Explain(%s) = %+v, want %+v", tt.date, got, tt.want)
			}
		})
	}
}
