package workday

import (
	"reflect"
	"testing"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Ensure every holiday the library names has a code, so that no holiday reaches a page in
// Chinese alone.
func TestEveryLibraryHolidayHasACode(t *testing.T) {
	for _, name := range HolidayUtil.NAMES {
		if n := ReadName(name); len(n.Holidays) != 1 || n.Swap || n.Typed != "" {
			t.Errorf("ReadName(%q) = %+v; want one code", name, n)
		}
	}
}

func TestReadName(t *testing.T) {
	tests := []struct {
		name, in string
		want     Name
	}{
		{"one holiday", "春节", Name{Holidays: []string{SpringFestival}}},
		{"two on one day", "中秋节、国庆节", Name{Holidays: []string{MidAutumn, NationalDay}}},
		{"a swap", "国庆节调休", Name{Holidays: []string{NationalDay}, Swap: true}},
		{"spaces trimmed", " 春节 ", Name{Holidays: []string{SpringFestival}}},
		{"made up by the administrator", "县庆", Name{Typed: "县庆"}},
		{"partly made up", "春节、县庆", Name{Typed: "春节、县庆"}},
		{"made up, swapped", "县庆调休", Name{Typed: "县庆调休"}},
		{"empty", "", Name{}},
		{"swap alone", "调休", Name{Typed: "调休"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadName(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadName(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// Ensure Explain gives the kind of day and its name in codes, a swap's as the holiday it is for.
func TestExplain(t *testing.T) {
	c := New(testOverrides())
	spring := Name{Holidays: []string{SpringFestival}}
	tests := []struct {
		name, date string
		want       Why
	}{
		{"ordinary weekday", "2038-02-10", Why{Kind: Weekday}},
		{"ordinary weekend", "2038-02-13", Why{Kind: Weekend}},
		{"named holiday", "2038-02-08", Why{Kind: Holiday, Name: spring}},
		{"unnamed day off", "2038-02-09", Why{Kind: DayOff}},
		{"made-up name kept as typed", "2038-03-02", Why{Kind: Holiday, Name: Name{Typed: "规范化"}}},
		{"swap named after its holiday", "2038-02-20", Why{Kind: Swap, Name: spring}},
		{"swap with the suffix typed", "2038-02-27", Why{Kind: Swap, Name: spring}},
		{"worked weekday with no name", "2026-10-07", Why{Kind: Weekday}},
		{"library holiday", "2026-10-01", Why{Kind: Holiday, Name: Name{Holidays: []string{NationalDay}}}},
		{"library swap", "2026-09-20", Why{Kind: Swap, Name: Name{Holidays: []string{NationalDay}}}},
		{"statutory days of an estimated year", "2028-10-03",
			Why{Kind: Holiday, Name: Name{Holidays: []string{MidAutumn, NationalDay}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Explain(d(t, tt.date)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Explain(%s) = %+v, want %+v", tt.date, got, tt.want)
			}
		})
	}
}
