package workday

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// d parses a test date, failing the test on a typo.
func d(t testing.TB, s string) Date {
	t.Helper()
	v, err := ParseDate(s)
	if err != nil {
		t.Fatalf("bad test date: %v", err)
	}
	return v
}

// testOverrides adds days to 2038, a year the library does not know (its
// weekdays fall as in 2027, and none of these days is a statutory holiday),
// and corrects library days around National Day 2026 and a Saturday in
// December.
func testOverrides() map[Date]Override {
	return map[Date]Override{
		{2038, time.February, 8}:  {Work: false, Name: "春节"},   // Monday, holiday
		{2038, time.February, 9}:  {Work: false},               // Tuesday, unnamed day off
		{2038, time.February, 20}: {Work: true, Name: "春节"},    // Saturday, swapped working day
		{2038, time.February, 27}: {Work: true, Name: "春节调休"},  // Saturday, name already suffixed
		{2038, time.February, 30}: {Work: false, Name: "规范化"},  // = 2038-03-02, a Tuesday
		{2026, time.October, 7}:   {Work: true},                // library: 国庆节 holiday (Wed)
		{2026, time.October, 8}:   {Work: false, Name: "国庆节"},  // library: ordinary Thursday
		{2026, time.October, 10}:  {Work: false},               // library: 国庆节调休 Saturday
		{2026, time.December, 26}: {Work: true, Name: "元旦节调休"}, // Saturday, ordinary in the library
	}
}

func TestLastLibraryYear(t *testing.T) {
	// Pinned to lunar-go v1.4.7; a library upgrade should revisit these tests.
	if got, want := LastLibraryYear(), 2027; got != want {
		t.Errorf("LastLibraryYear() = %d, want %d", got, want)
	}
}

// TestLibrarySnapshot checks the snapshot taken by loadLibrary against
// HolidayUtil.GetHoliday day by day, so that nothing is lost by reading the
// table year by year.
func TestLibrarySnapshot(t *testing.T) {
	c := New(nil)
	// Through the library's last year: the years after it get the statutory
	// days (statutory_test.go).
	end := Date{LastLibraryYear(), time.December, 31}
	entries := 0
	for day := (Date{2001, time.December, 1}); !day.After(end); day = day.AddDays(1) {
		h := HolidayUtil.GetHoliday(day.String())
		gotWork, gotReason := c.IsWorkday(day), reason(c, day)
		if h == nil {
			if want := !day.isWeekend(); gotWork != want {
				t.Errorf("%s (%s, no library entry): IsWorkday = %v, want %v", day, day.Weekday(), gotWork, want)
			}
			continue
		}
		entries++
		if gotWork != h.IsWork() {
			t.Errorf("%s: IsWorkday = %v, want library's %v (%s)", day, gotWork, h.IsWork(), h)
		}
		if !strings.HasPrefix(gotReason, h.GetName()) || h.GetName() == "" {
			t.Errorf("%s: reason = %q, want it to start with library's name %q", day, gotReason, h.GetName())
		}
	}
	if got := len(loadLibrary().days); got != entries {
		t.Errorf("snapshot has %d days, GetHoliday knows %d", got, entries)
	}
}

// TestRealCalendar pins the library's data for the holidays the brief
// names. Expectations were read from HolidayUtil v1.4.6 and match the State
// Council notices for 2025 and 2026; 2027 is v1.4.7's table (its changelog:
// "2027年法定假日", 2026-11-06), which agrees with the statutory days.
func TestRealCalendar(t *testing.T) {
	c := New(nil)
	tests := []struct {
		name    string
		date    string
		weekday time.Weekday
		work    bool
		reason  string
	}{
		// National Day + Mid-Autumn 2025: one combined holiday, Oct 1–8.
		{"2025 swapped Sunday before National Day", "2025-09-28", time.Sunday, true, "国庆中秋调休"},
		{"2025 last workday before National Day", "2025-09-30", time.Tuesday, true, ""},
		{"2025 National Day", "2025-10-01", time.Wednesday, false, "国庆中秋"},
		{"2025 holiday on a Saturday", "2025-10-04", time.Saturday, false, "国庆中秋"},
		{"2025 Mid-Autumn inside National Day", "2025-10-06", time.Monday, false, "国庆中秋"},
		{"2025 last holiday day", "2025-10-08", time.Wednesday, false, "国庆中秋"},
		{"2025 first workday after National Day", "2025-10-09", time.Thursday, true, ""},
		{"2025 swapped Saturday after National Day", "2025-10-11", time.Saturday, true, "国庆中秋调休"},
		{"2025 ordinary Sunday after", "2025-10-12", time.Sunday, false, "周末"},
		// Mid-Autumn and National Day 2026 are separate holidays.
		{"2026 swapped Sunday for National Day", "2026-09-20", time.Sunday, true, "国庆节调休"},
		{"2026 Mid-Autumn Friday", "2026-09-25", time.Friday, false, "中秋节"},
		{"2026 Mid-Autumn Sunday", "2026-09-27", time.Sunday, false, "中秋节"},
		{"2026 ordinary Monday between", "2026-09-28", time.Monday, true, ""},
		{"2026 National Day", "2026-10-01", time.Thursday, false, "国庆节"},
		{"2026 last holiday day", "2026-10-07", time.Wednesday, false, "国庆节"},
		{"2026 first workday after National Day", "2026-10-08", time.Thursday, true, ""},
		{"2026 swapped Saturday after National Day", "2026-10-10", time.Saturday, true, "国庆节调休"},
		// Spring Festival 2026: Feb 15–23, swapped Saturdays Feb 14 and 28.
		{"2026 Spring Festival swapped Saturday before", "2026-02-14", time.Saturday, true, "春节调休"},
		{"2026 Spring Festival first day", "2026-02-15", time.Sunday, false, "春节"},
		{"2026 Spring Festival (New Year's Day)", "2026-02-17", time.Tuesday, false, "春节"},
		{"2026 Spring Festival last day", "2026-02-23", time.Monday, false, "春节"},
		{"2026 first workday after Spring Festival", "2026-02-24", time.Tuesday, true, ""},
		{"2026 Spring Festival swapped Saturday after", "2026-02-28", time.Saturday, true, "春节调休"},
		{"2026 ordinary Sunday after Spring Festival", "2026-03-01", time.Sunday, false, "周末"},
		// Labour Day 2026: May 1–5, swapped Saturday May 9.
		{"2026 Labour Day", "2026-05-01", time.Friday, false, "劳动节"},
		{"2026 Labour Day Tuesday", "2026-05-05", time.Tuesday, false, "劳动节"},
		{"2026 after Labour Day", "2026-05-06", time.Wednesday, true, ""},
		{"2026 Labour Day swapped Saturday", "2026-05-09", time.Saturday, true, "劳动节调休"},
		{"2026 ordinary Sunday after Labour Day", "2026-05-10", time.Sunday, false, "周末"},
		// New Year 2026: Jan 1–3, swapped Sunday Jan 4.
		{"2026 New Year's Day", "2026-01-01", time.Thursday, false, "元旦节"},
		{"2026 New Year Friday", "2026-01-02", time.Friday, false, "元旦节"},
		{"2026 New Year Saturday", "2026-01-03", time.Saturday, false, "元旦节"},
		{"2026 New Year swapped Sunday", "2026-01-04", time.Sunday, true, "元旦节调休"},
		{"2026 first Monday", "2026-01-05", time.Monday, true, ""},
		// 2027, from v1.4.7: New Year's Day is off (v1.4.6 counted it as a working day).
		{"2027 New Year's Day", "2027-01-01", time.Friday, false, "元旦节"},
		{"2027 first Monday", "2027-01-04", time.Monday, true, ""},
		{"2027 Spring Festival swapped Sunday before", "2027-01-31", time.Sunday, true, "春节调休"},
		{"2027 Spring Festival (除夕)", "2027-02-05", time.Friday, false, "春节"},
		{"2027 Spring Festival last day", "2027-02-13", time.Saturday, false, "春节"},
		{"2027 Spring Festival swapped Sunday after", "2027-02-14", time.Sunday, true, "春节调休"},
		{"2027 Labour Day swapped Saturday", "2027-05-08", time.Saturday, true, "劳动节调休"},
		{"2027 National Day swapped Saturday after", "2027-10-09", time.Saturday, true, "国庆节调休"},
		// After the library: the statutory days only, no swaps.
		{"2028 New Year's Day, estimated", "2028-01-01", time.Saturday, false, "元旦节"},
		{"2028 Monday before 除夕, estimated", "2028-01-24", time.Monday, true, ""},
		{"2028 除夕, estimated", "2028-01-25", time.Tuesday, false, "春节"},
		{"2028 Saturday, estimated", "2028-01-29", time.Saturday, false, "周末"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day := d(t, tt.date)
			if got := day.Weekday(); got != tt.weekday {
				t.Fatalf("%s.Weekday() = %s, want %s (bad test case)", day, got, tt.weekday)
			}
			if got := c.IsWorkday(day); got != tt.work {
				t.Errorf("IsWorkday(%s) = %v, want %v", day, got, tt.work)
			}
			if got := reason(c, day); got != tt.reason {
				t.Errorf("reason(%s) = %q, want %q", day, got, tt.reason)
			}
		})
	}
}

func TestWorkingDaysInAYear(t *testing.T) {
	c := New(nil)
	tests := []struct {
		year, want int
		why        string
	}{
		{2026, 248, "261 weekdays - 19 weekday holidays + 6 swapped weekends"},
		{2027, 248, "261 weekdays - 18 weekday holidays + 5 swapped weekends"},
		{2028, 251, "260 weekdays - 9 statutory days on weekdays, no swaps known"},
		{2029, 250, "261 weekdays - 11 statutory days on weekdays, no swaps known"},
	}
	for _, tt := range tests {
		from, to := Date{tt.year - 1, time.December, 31}, Date{tt.year, time.December, 31}
		if got := c.WorkdaysBetween(from, to); got != tt.want {
			t.Errorf("working days in %d = %d, want %d (%s)", tt.year, got, tt.want, tt.why)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	plain := New(nil)
	withOverrides := New(testOverrides())
	tests := []struct {
		name string
		cal  *Calendar
		from string
		n    int
		want string
	}{
		{"zero returns from", plain, "2025-10-09", 0, "2025-10-09"},
		{"zero returns from even on a holiday", plain, "2025-10-01", 0, "2025-10-01"},
		{"ordinary next day", plain, "2025-09-23", 1, "2025-09-24"},
		{"Friday + 1 is next Monday", plain, "2025-09-19", 1, "2025-09-22"},
		{"Friday + 5 is next Friday", plain, "2025-09-12", 5, "2025-09-19"},
		{"2025 day before National Day + 1 skips the holiday", plain, "2025-09-30", 1, "2025-10-09"},
		{"2025 Friday + 1 is the swapped Sunday", plain, "2025-09-26", 1, "2025-09-28"},
		{"2025 Friday before National Day + 5", plain, "2025-09-26", 5, "2025-10-10"},
		{"2025 Friday + 1 is the swapped Saturday", plain, "2025-10-10", 1, "2025-10-11"},
		{"2025 swapped Saturday + 1 is Monday", plain, "2025-10-11", 1, "2025-10-13"},
		{"2025 from inside the holiday", plain, "2025-10-03", 1, "2025-10-09"},
		{"2026 Friday before National Day + 5", plain, "2026-09-18", 5, "2026-09-24"},
		{"2026 Mid-Autumn weekend skipped", plain, "2026-09-24", 1, "2026-09-28"},
		{"2026 day before National Day + 1", plain, "2026-09-30", 1, "2026-10-08"},
		{"2026 day before National Day + 3 uses swapped Saturday", plain, "2026-09-30", 3, "2026-10-10"},
		{"2026 Spring Festival: Friday + 1 is swapped Saturday", plain, "2026-02-13", 1, "2026-02-14"},
		{"2026 Spring Festival: swapped Saturday + 1", plain, "2026-02-14", 1, "2026-02-24"},
		{"2026 New Year: Dec 31 + 1 is swapped Sunday", plain, "2025-12-31", 1, "2026-01-04"},
		{"2026 Labour Day: Apr 30 + 1", plain, "2026-04-30", 1, "2026-05-06"},
		{"2027 Spring Festival: swapped Sunday before", plain, "2027-01-29", 1, "2027-01-31"},
		{"2027 Spring Festival: Thursday + 1 is after the holiday", plain, "2027-02-04", 1, "2027-02-14"},
		{"2038 without overrides: weekday rule", plain, "2038-02-05", 1, "2038-02-08"},
		{"2038 override holiday skipped", withOverrides, "2038-02-05", 1, "2038-02-10"},
		{"2038 override swapped Saturday used", withOverrides, "2038-02-19", 1, "2038-02-20"},
		{"2038 Saturday ordinary without overrides", plain, "2038-02-19", 1, "2038-02-22"},
		{"correction: library holiday made working", withOverrides, "2026-09-30", 1, "2026-10-07"},
		{"correction: library workday off, swapped Saturday off", withOverrides, "2026-09-30", 3, "2026-10-12"},
		{"across a year boundary and New Year's Day 2027", plain, "2026-12-30", 3, "2027-01-05"},
		{"estimated 2028: 除夕 to 初三 skipped", plain, "2028-01-24", 1, "2028-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := d(t, tt.from)
			got := tt.cal.AddWorkdays(from, tt.n)
			if got.String() != tt.want {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", from, tt.n, got, tt.want)
			}
			if back := tt.cal.WorkdaysBetween(from, got); back != tt.n {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", from, got, back, tt.n)
			}
		})
	}
}

func TestAddWorkdaysLarge(t *testing.T) {
	c := New(nil)
	from := d(t, "2026-01-01")
	got := c.AddWorkdays(from, 1000)
	if back := c.WorkdaysBetween(from, got); back != 1000 {
		t.Errorf("WorkdaysBetween(%s, AddWorkdays(%s, 1000) = %s) = %d, want 1000", from, from, got, back)
	}
	// 248 in 2026, 248 in 2027, 251 in 2028, 250 in 2029, and three days
	// of 2030 after New Year's Day.
	if want := "2030-01-04"; got.String() != want {
		t.Errorf("AddWorkdays(%s, 1000) = %s, want %s", from, got, want)
	}
}

func TestAddWorkdaysNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("AddWorkdays(_, -1) did not panic")
		}
	}()
	New(nil).AddWorkdays(Date{2026, time.October, 8}, -1)
}

func TestWorkdaysBetween(t *testing.T) {
	c := New(nil)
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day", "2025-10-09", "2025-10-09", 0},
		{"same holiday", "2025-10-01", "2025-10-01", 0},
		{"next working day", "2025-10-09", "2025-10-10", 1},
		{"to is a holiday", "2025-09-30", "2025-10-08", 0},
		{"across National Day 2025", "2025-09-30", "2025-10-09", 1},
		{"around National Day 2025 with both swaps", "2025-09-26", "2025-10-11", 6},
		{"ordinary week", "2025-09-14", "2025-09-21", 5},
		{"one weekend", "2025-09-19", "2025-09-22", 1},
		{"Spring Festival 2026 with both swaps", "2026-02-13", "2026-02-28", 6},
		{"National Day 2026 with Mid-Autumn", "2026-09-19", "2026-10-10", 11},
		{"before 1970 (floor division)", "1969-12-24", "1970-01-14", 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := d(t, tt.from), d(t, tt.to)
			if got := c.WorkdaysBetween(from, to); got != tt.want {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", from, to, got, tt.want)
			}
			if want := naiveBetween(c, from, to); want != tt.want {
				t.Errorf("naive count (%s, %s] = %d, want %d (bad test case)", from, to, want, tt.want)
			}
			if from != to {
				if got := c.WorkdaysBetween(to, from); got != 0 {
					t.Errorf("reversed WorkdaysBetween(%s, %s) = %d, want 0", to, from, got)
				}
			}
		})
	}
}

// naiveBetween counts (from, to] by walking it, as a reference for the
// arithmetic in WorkdaysBetween.
func naiveBetween(c *Calendar, from, to Date) int {
	n := 0
	for day := from.AddDays(1); !day.After(to); day = day.AddDays(1) {
		if c.IsWorkday(day) {
			n++
		}
	}
	return n
}

func TestWorkdaysBetweenMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := d(t, "1960-01-01")
	for _, c := range []*Calendar{New(nil), New(testOverrides())} {
		for range 500 {
			from := base.AddDays(r.IntN(80 * 365)) // to 2039: the overrides are in 2038
			to := from.AddDays(r.IntN(800) - 100)
			if got, want := c.WorkdaysBetween(from, to), naiveBetween(c, from, to); got != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", from, to, got, want)
			}
		}
	}
}

func TestOverrides(t *testing.T) {
	ov := testOverrides()
	plain, c := New(nil), New(ov)
	ov[Date{2038, time.March, 1}] = Override{Work: false, Name: "too late"} // New copied the map
	delete(ov, Date{2038, time.February, 8})

	tests := []struct {
		name   string
		cal    *Calendar
		date   string
		work   bool
		reason string
	}{
		{"2038 holiday without overrides", plain, "2038-02-08", true, ""},
		{"2038 holiday with overrides", c, "2038-02-08", false, "春节"},
		{"2038 unnamed weekday off", c, "2038-02-09", false, "放假"},
		{"2038 Saturday without overrides", plain, "2038-02-20", false, "周末"},
		{"2038 swapped Saturday gets 调休", c, "2038-02-20", true, "春节调休"},
		{"2038 swapped Saturday already suffixed", c, "2038-02-27", true, "春节调休"},
		{"override key normalized", c, "2038-03-02", false, "规范化"},
		{"map changed after New is ignored", c, "2038-03-01", true, ""},
		{"statutory day kept beside overrides", c, "2038-02-04", false, "春节"},
		{"library holiday corrected to working", c, "2026-10-07", true, ""},
		{"library holiday unchanged without overrides", plain, "2026-10-07", false, "国庆节"},
		{"library workday corrected to holiday", c, "2026-10-08", false, "国庆节"},
		{"library swapped Saturday corrected to off", c, "2026-10-10", false, "周末"},
		{"ordinary Saturday made working", c, "2026-12-26", true, "元旦节调休"},
		{"untouched library day", c, "2026-10-01", false, "国庆节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day := d(t, tt.date)
			if got := tt.cal.IsWorkday(day); got != tt.work {
				t.Errorf("IsWorkday(%s) = %v, want %v", day, got, tt.work)
			}
			if got := reason(tt.cal, day); got != tt.reason {
				t.Errorf("reason(%s) = %q, want %q", day, got, tt.reason)
			}
		})
	}
}

func TestCovered(t *testing.T) {
	plain, c := New(nil), New(testOverrides())
	tests := []struct {
		name string
		cal  *Calendar
		year int
		want bool
	}{
		{"before the library", plain, 1999, false},
		{"2001 has only a swap for New Year 2002", plain, 2001, false},
		{"first library year", plain, 2002, true},
		{"2025", plain, 2025, true},
		{"last library year", plain, LastLibraryYear(), true},
		{"2027", plain, 2027, true},
		{"2038 without overrides", plain, 2038, false},
		{"2038 with overrides", c, 2038, true},
		{"2039 with overrides for 2038 only", c, 2039, false},
		{"library year still covered with overrides", c, 2026, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.Covered(tt.year); got != tt.want {
				t.Errorf("Covered(%d) = %v, want %v", tt.year, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Date
		wantErr bool
	}{
		{"valid", "2026-10-08", Date{2026, time.October, 8}, false},
		{"leap day", "2024-02-29", Date{2024, time.February, 29}, false},
		{"empty", "", Date{}, true},
		{"no leading zeros", "2026-1-8", Date{}, true},
		{"impossible day", "2026-02-30", Date{}, true},
		{"not a leap year", "2025-02-29", Date{}, true},
		{"month 13", "2026-13-01", Date{}, true},
		{"slashes", "2026/10/08", Date{}, true},
		{"compact", "20261008", Date{}, true},
		{"with time", "2026-10-08T00:00:00Z", Date{}, true},
		{"leading space", " 2026-10-08", Date{}, true},
		{"trailing space", "2026-10-08 ", Date{}, true},
		{"two-digit year", "26-10-08", Date{}, true},
		{"garbage", "yyyy-mm-dd", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("ParseDate(%q).String() = %q, want round trip", tt.in, got.String())
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"23:30 UTC is next day in China", time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC), "2026-10-01"},
		{"15:59 UTC is same day", time.Date(2026, 9, 30, 15, 59, 59, 0, time.UTC), "2026-09-30"},
		{"16:00 UTC is next day", time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC), "2026-10-01"},
		{"year boundary", time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), "2026-01-01"},
		{"other zone", time.Date(2026, 9, 30, 12, 0, 0, 0, time.FixedZone("EDT", -4*60*60)), "2026-10-01"},
		{"already CST", time.Date(2026, 10, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*60*60)), "2026-10-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DateOf(tt.t); got.String() != tt.want {
				t.Errorf("DateOf(%s) = %s, want %s", tt.t, got, tt.want)
			}
		})
	}
}

func TestDateMethods(t *testing.T) {
	addTests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero", "2026-10-08", 0, "2026-10-08"},
		{"into leap day", "2024-02-28", 1, "2024-02-29"},
		{"no leap day", "2025-02-28", 1, "2025-03-01"},
		{"year end", "2025-12-31", 1, "2026-01-01"},
		{"backwards", "2026-01-01", -1, "2025-12-31"},
		{"a year", "2026-01-01", 365, "2027-01-01"},
	}
	for _, tt := range addTests {
		t.Run("AddDays "+tt.name, func(t *testing.T) {
			if got := d(t, tt.from).AddDays(tt.n); got.String() != tt.want {
				t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}

	a, b := d(t, "2025-12-31"), d(t, "2026-01-01")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) {
		t.Errorf("Before/After wrong for %s and %s", a, b)
	}
	if a.Before(a) || a.After(a) {
		t.Errorf("%s is before or after itself", a)
	}
	if got, want := (Date{2027, time.February, 30}).String(), "2027-03-02"; got != want {
		t.Errorf("String of out-of-range date = %s, want %s", got, want)
	}
	if got, want := (Date{999, time.January, 2}).String(), "0999-01-02"; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := d(t, "2026-10-01").Weekday(), time.Thursday; got != want {
		t.Errorf("Weekday() = %s, want %s", got, want)
	}
}

// TestConcurrentUse runs the first library load and lookups from many
// goroutines, for the race detector.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	shared := New(testOverrides())
	for i := range 8 {
		wg.Go(func() {
			c := New(nil)
			from := Date{2025, time.September, 20 + i}
			// testOverrides has no 2025 days, so both calendars agree.
			if got, want := c.AddWorkdays(from, 10), shared.AddWorkdays(from, 10); got != want {
				t.Errorf("AddWorkdays(%s, 10) = %s without overrides, %s with", from, got, want)
			}
			_ = LastLibraryYear()
			_ = shared.Covered(2038)
		})
	}
	wg.Wait()
}

// FuzzAddWorkdays checks that AddWorkdays and WorkdaysBetween agree and
// that AddWorkdays returns the first day that reaches n.
func FuzzAddWorkdays(f *testing.F) {
	f.Add(int64(9404), uint16(1))  // 2025-09-30
	f.Add(int64(9400), uint16(5))  // 2025-09-26
	f.Add(int64(9541), uint16(10)) // 2026-02-13
	f.Add(int64(0), uint16(0))
	f.Add(int64(-1), uint16(1000))
	cals := []*Calendar{New(nil), New(testOverrides())}
	base := Date{2000, time.January, 1}
	f.Fuzz(func(t *testing.T, offset int64, n16 uint16) {
		// From 2000 to 2039 so that library years, estimated years and
		// override years are all hit.
		const span = 40 * 365
		offset %= span
		if offset < 0 {
			offset += span
		}
		from := base.AddDays(int(offset))
		n := int(n16) % 1001
		for _, c := range cals {
			to := c.AddWorkdays(from, n)
			if n == 0 {
				if to != from {
					t.Fatalf("AddWorkdays(%s, 0) = %s, want %s", from, to, from)
				}
				continue
			}
			if !to.After(from) {
				t.Fatalf("AddWorkdays(%s, %d) = %s, not after from", from, n, to)
			}
			if !c.IsWorkday(to) {
				t.Fatalf("AddWorkdays(%s, %d) = %s (%s), not a working day", from, n, to, reason(c, to))
			}
			if got := c.WorkdaysBetween(from, to); got != n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(%s, %d) = %s) = %d, want %d", from, from, n, to, got, n)
			}
			if got := c.WorkdaysBetween(from, to.AddDays(-1)); got != n-1 {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d: AddWorkdays overshot", from, to.AddDays(-1), got, n-1)
			}
		}
	})
}
