package workday

import (
	"testing"
	"time"
)

// olderLibrary plays lunar-go v1.4.6, whose table ended with 2026: the calendar the portal
// had when 1 January 2027 counted as a working day.
func olderLibrary() *Calendar { return newCalendar(readLibrary(2026), nil) }

// Ensure that for a year the library's table does not reach, the statutory holidays of
// 《全国年节及纪念日放假办法》 are days off: 2027 played with a table that ends in 2026.
func TestStatutoryHolidaysWithoutASchedule(t *testing.T) {
	c := olderLibrary()
	if c.Covered(2027) || !c.Estimated(2027) || c.Estimated(2026) {
		t.Fatalf("Covered(2027) %v, Estimated(2027) %v, Estimated(2026) %v; want false, true, false",
			c.Covered(2027), c.Estimated(2027), c.Estimated(2026))
	}
	tests := []struct {
		date    string
		weekday time.Weekday
		work    bool
		reason  string
	}{
		{"2027-01-01", time.Friday, false, "元旦节"},
		{"2027-02-05", time.Friday, false, "春节"}, // 农历除夕
		{"2027-02-06", time.Saturday, false, "春节"},
		{"2027-02-08", time.Monday, false, "春节"}, // 正月初三
		{"2027-02-09", time.Tuesday, true, ""},   // the bridge days need the notice (调休)
		{"2027-04-05", time.Monday, false, "清明节"},
		{"2027-05-01", time.Saturday, false, "劳动节"},
		{"2027-05-03", time.Monday, true, ""},
		{"2027-06-09", time.Wednesday, false, "端午节"},
		{"2027-09-15", time.Wednesday, false, "中秋节"},
		{"2027-10-01", time.Friday, false, "国庆节"},
		{"2027-10-03", time.Sunday, false, "国庆节"},
		{"2027-10-04", time.Monday, true, ""},
		{"2028-10-03", time.Tuesday, false, "中秋节、国庆节"}, // 中秋 on the third day of 国庆
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			day := d(t, tt.date)
			if got := day.Weekday(); got != tt.weekday {
				t.Fatalf("%s is a %s, not a %s (bad test case)", day, got, tt.weekday)
			}
			if got := c.IsWorkday(day); got != tt.work {
				t.Errorf("IsWorkday(%s) = %v, want %v", day, got, tt.work)
			}
			if got := reason(c, day); got != tt.reason {
				t.Errorf("reason(%s) = %q, want %q", day, got, tt.reason)
			}
		})
	}
	// Three working days from the last day of 2026: 12-31 is the first, then 1 January is off.
	if got := c.AddWorkdays(d(t, "2026-12-30"), 3); got.String() != "2027-01-05" {
		t.Errorf("AddWorkdays(2026-12-30, 3) = %s, want 2027-01-05", got)
	}
}

// Ensure the statutory days worked out by rule are days off in every official schedule
// since the 2024 revision took effect: the rule agrees with the State Council's notices.
func TestStatutoryDaysAgreeWithTheNotices(t *testing.T) {
	official := New(nil)
	for year := 2025; year <= LastLibraryYear(); year++ {
		days := statutoryDays(year)
		if len(days) < 12 || len(days) > 13 { // 13, or 12 when 中秋 falls within 国庆
			t.Errorf("%d: %d statutory days, want 13 (12 if two holidays meet)", year, len(days))
		}
		for day, name := range days {
			if official.IsWorkday(day) {
				t.Errorf("%d: %s (%s) is a statutory holiday but a working day in the notice", year, day, name)
			}
		}
	}
}

// Ensure the statutory days never change a year with an official schedule: every day from
// 2002 to 2026 reads the same with the table ending in 2026 as with the current one, and
// with overrides for an estimated year, that year is the admin's.
func TestOfficialYearsUnchanged(t *testing.T) {
	older, current := olderLibrary(), New(nil)
	for day := d(t, "2002-01-01"); day.Year <= 2026; day = day.AddDays(1) {
		if older.IsWorkday(day) != current.IsWorkday(day) || reason(older, day) != reason(current, day) {
			t.Fatalf("%s: %v %q with the older table, %v %q with the current one", day,
				older.IsWorkday(day), reason(older, day), current.IsWorkday(day), reason(current, day))
		}
	}
	year := LastLibraryYear() + 1
	entered := New(map[Date]Override{{year, time.January, 1}: {Work: true, Name: "更正"}})
	if entered.Estimated(year) || !entered.Covered(year) || !entered.IsWorkday(Date{year, time.January, 1}) {
		t.Errorf("%d with an override: Estimated %v, Covered %v; the override must win", year,
			entered.Estimated(year), entered.Covered(year))
	}
	if !current.Estimated(year) || current.IsWorkday(Date{year, time.October, 2}) {
		t.Errorf("%d without overrides: Estimated %v, 10-02 working %v; want estimated, off", year,
			current.Estimated(year), current.IsWorkday(Date{year, time.October, 2}))
	}
}
