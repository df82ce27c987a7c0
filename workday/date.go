package workday

import (
	"fmt"
	"time"
)

// Date is a calendar day in China, independent of time zones.
//
// Deadlines are whole days on the wall calendar of the county, so a Date
// carries no clock and no location: converting through time.Time in a
// server's local zone is how "due 10-08" silently becomes "due 10-07".
// Out-of-range fields are normalized the way time.Date normalizes them
// (2027-02-30 is 2027-03-02); dates from ParseDate are always valid.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// layout is the only accepted text form: ISO 8601 calendar date, the same
// form HolidayUtil, HTML <input type="date"> and SQLite date() use.
const layout = "2006-01-02"

// chinaZone is China Standard Time. A fixed zone rather than
// time.LoadLocation("Asia/Shanghai") because China has had no DST since
// 1991 and a fixed zone needs no tzdata in a minimal container image.
var chinaZone = time.FixedZone("CST", 8*60*60)

// ParseDate parses "2026-10-08". It is strict (two-digit month and day, no
// surrounding text, no impossible days such as 2026-02-30) because a date
// that is off by one silently moves a deadline.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("workday: invalid date %q (want YYYY-MM-DD): %w", s, err)
	}
	return dateOfTime(t), nil
}

// DateOf returns the date t falls on in China Standard Time (UTC+8), so a
// report filed at 23:30 UTC counts on the next Chinese day, whatever the
// zone of t or of the server.
func DateOf(t time.Time) Date {
	return dateOfTime(t.In(chinaZone))
}

// dateOfTime takes the date fields of t as they read in t's own location.
func dateOfTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// time returns midnight UTC of d: UTC so that day arithmetic never meets a
// DST transition or a leap in the local zone.
func (d Date) time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// normalize returns d with its fields brought into range, so that map keys
// and comparisons agree with AddDays and String.
func (d Date) normalize() Date {
	return dateOfTime(d.time())
}

// dayNumber is days since 1970-01-01; an integer line on which ranges of
// days can be counted by arithmetic instead of by walking them.
func (d Date) dayNumber() int64 {
	// Midnight UTC is an exact multiple of 86400 seconds, also before 1970,
	// so the division is exact.
	return d.time().Unix() / (24 * 60 * 60)
}

// String formats d as "2026-10-08", the form ParseDate accepts.
func (d Date) String() string {
	n := d.normalize()
	return fmt.Sprintf("%04d-%02d-%02d", n.Year, int(n.Month), n.Day)
}

// AddDays returns the date n calendar days after d (before d when n < 0).
func (d Date) AddDays(n int) Date {
	return dateOfTime(d.time().AddDate(0, 0, n))
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.dayNumber() < o.dayNumber() }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.dayNumber() > o.dayNumber() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// isWeekend reports whether d is a Saturday or Sunday, the days that are
// off unless the official calendar swaps them into working days (调休).
func (d Date) isWeekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
