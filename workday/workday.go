// Package workday counts working days (工作日) on the Chinese official
// calendar, for rectification (整改) deadlines such as "within 5 working
// days".
//
// Monday to Friday are working days and Saturday and Sunday are not,
// except statutory holidays (法定节假日, off even on a weekday) and swapped
// working weekends (调休, working even on a Saturday or Sunday). Those
// exceptions come from the State Council's yearly notice; this package
// takes them from github.com/6tail/lunar-go's HolidayUtil, which ships them
// up to LastLibraryYear, and lets the caller add or correct days through
// overrides (the admin enters next year's notice before the library has it).
// For a year after the library, the statutory holidays themselves are
// worked out from 《全国年节及纪念日放假办法》 (statutory.go), so that only the
// swaps are missing until the admin enters them (Estimated).
//
// The package is pure: no storage, no clock, no HTTP. A Calendar is
// immutable after New and safe for concurrent use.
package workday

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Override sets whether one day is worked, taking precedence over the
// library and the weekday rule. Name labels it for tooltips, as the
// administrator typed it, e.g. "春节" for a day off or "春节" / "春节调休"
// for a swapped working weekend; Explain reads it with ReadName.
type Override struct {
	Work bool
	Name string
}

// entry is what the calendar knows of a day that the weekday rule alone
// does not decide: worked or not, and its name read into codes.
type entry struct {
	work bool
	name Name
}

// Calendar answers working-day questions for a fixed set of overrides.
// Build it with New; the zero value is not usable.
type Calendar struct {
	// days holds every day that is not decided by the weekday rule alone:
	// the library's entries with the overrides laid on top.
	days map[Date]entry
	// overrideYears are the years the overrides mention, for Covered.
	overrideYears map[int]bool
	// libFirst and libLast are the years of the library's official arrangements.
	libFirst, libLast int
	// exceptions are the day numbers, ascending, whose working status
	// differs from the plain Monday–Friday rule, and exceptionSum[i] is the
	// net effect (+1 for a working weekend, -1 for a weekday off) of
	// exceptions[:i]. They let WorkdaysBetween count any range in
	// O(log n) instead of walking it day by day.
	exceptions   []int64
	exceptionSum []int
}

// library is the holiday table of HolidayUtil, read once, with the
// statutory holidays of the years after it.
type library struct {
	days        map[Date]entry
	first, last int // years whose official arrangement is in the table
	// statutory holds the statutory days off of the years after last, up to
	// scanToYear, worked out by rule: they stand in for the missing notices.
	statutory map[Date]entry
}

// Years scanned when reading the library. HolidayUtil v1.4.7 holds
// 2001-12-29 .. 2027; the wide window only leaves room for upgrades.
const (
	scanFromYear = 1990
	scanToYear   = 2100
)

// loadLibrary snapshots HolidayUtil once. A snapshot rather than calling
// GetHoliday per day because GetHoliday scans a 15 KB string on every call
// and reads package-level state that HolidayUtil.Fix mutates without a
// lock; corrections belong in overrides, not in HolidayUtil.Fix.
var loadLibrary = sync.OnceValue(func() library { return readLibrary(scanToYear) })

// readLibrary reads HolidayUtil's arrangements up to the year untilYear
// (a test passes an earlier year to play an older library), and works out
// the statutory holidays of every later year up to scanToYear.
func readLibrary(untilYear int) library {
	lib := library{days: make(map[Date]entry), statutory: make(map[Date]entry)}
	for y := scanFromYear; y <= untilYear; y++ {
		l := HolidayUtil.GetHolidaysByYear(y)
		for e := l.Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			day, err1 := ParseDate(h.GetDay())
			target, err2 := ParseDate(h.GetTarget())
			if err1 != nil || err2 != nil || target.Year > untilYear {
				continue // not possible with the shipped data; tests compare against GetHoliday
			}
			lib.days[day] = entry{work: h.IsWork(), name: ReadName(h.GetName())}
			// Coverage is by the holiday's own year (target), not the
			// entry's day: 2001-12-29 is a swap for New Year 2002 and
			// says nothing about 2001's National Day.
			if lib.first == 0 || target.Year < lib.first {
				lib.first = target.Year
			}
			if target.Year > lib.last {
				lib.last = target.Year
			}
		}
	}
	for y := lib.last + 1; y <= scanToYear; y++ {
		for day, codes := range statutoryDays(y) {
			lib.statutory[day] = entry{work: false, name: Name{Holidays: codes}}
		}
	}
	return lib
}

// LastLibraryYear returns the last year whose official holiday arrangement
// ships with the lunar-go library (2026 for v1.4.6). Deadlines after it
// need overrides entered by the admin.
func LastLibraryYear() int {
	return loadLibrary().last
}

// New returns a Calendar using the library's holidays with overrides laid
// on top: an override wins over the library, so it can both add a year the
// library lacks and correct a library day. The map is copied; later
// changes to it do not affect the Calendar.
func New(overrides map[Date]Override) *Calendar {
	return newCalendar(loadLibrary(), overrides)
}

// newCalendar lays the statutory days of the years after the library, then
// the overrides, on the library's days.
func newCalendar(lib library, overrides map[Date]Override) *Calendar {
	c := &Calendar{
		days:          maps.Clone(lib.days),
		overrideYears: make(map[int]bool),
		libFirst:      lib.first,
		libLast:       lib.last,
	}
	maps.Copy(c.days, lib.statutory)
	for d, o := range overrides {
		d = d.normalize() // so that 2027-02-30 and 2027-03-02 are one key, as in lookups
		c.days[d] = entry{work: o.Work, name: ReadName(o.Name)}
		c.overrideYears[d.Year] = true
	}
	type exception struct {
		day   int64
		delta int // +1 for a working weekend, -1 for a weekday off
	}
	var exs []exception
	for d, o := range c.days {
		switch {
		case o.work && d.isWeekend():
			exs = append(exs, exception{d.dayNumber(), +1})
		case !o.work && !d.isWeekend():
			exs = append(exs, exception{d.dayNumber(), -1})
		}
	}
	slices.SortFunc(exs, func(x, y exception) int { return cmp.Compare(x.day, y.day) })
	c.exceptions = make([]int64, len(exs))
	c.exceptionSum = make([]int, len(exs)+1)
	for i, e := range exs {
		c.exceptions[i] = e.day
		c.exceptionSum[i+1] = c.exceptionSum[i] + e.delta
	}
	return c
}

// IsWorkday reports whether staff work on d.
func (c *Calendar) IsWorkday(d Date) bool {
	d = d.normalize()
	if o, ok := c.days[d]; ok {
		return o.work
	}
	return !d.isWeekend()
}

// Kind is what makes a day worked or not, as Explain says it.
type Kind string

// The kinds of Explain.
const (
	Weekday Kind = ""        // an ordinary Monday to Friday, worked
	Weekend Kind = "weekend" // an ordinary Saturday or Sunday, off
	Holiday Kind = "holiday" // a named day off: Why.Name is its name
	DayOff  Kind = "off"     // a weekday off with no name (an override)
	Swap    Kind = "swap"    // a Saturday or Sunday worked for the holiday Why.Name (调休)
	Named   Kind = "named"   // a weekday worked with a name: an override correcting a holiday
)

// Why says why a day is, or is not, worked: the kind of day, and the name it
// carries (the library's holidays, or an override's name read with
// ReadName), except that a swap's name is the holiday it is for, without
// its Swap (Kind says it).
type Why struct {
	Kind Kind
	Name Name
}

// Explain says why d is, or is not, a working day, in codes that a page
// says in its reader's language (a tooltip: the weekend, a holiday, the
// holiday a weekend is worked for).
func (c *Calendar) Explain(d Date) Why {
	d = d.normalize()
	o, ok := c.days[d]
	weekend := d.isWeekend()
	switch {
	case !ok && weekend:
		return Why{Kind: Weekend}
	case !ok:
		return Why{Kind: Weekday}
	case !o.work && !o.name.IsZero():
		return Why{Kind: Holiday, Name: o.name}
	case !o.work && weekend:
		return Why{Kind: Weekend}
	case !o.work:
		return Why{Kind: DayOff}
	case weekend:
		// A working Saturday or Sunday is always a swap; the library names
		// it after its holiday, an override may already add the suffix.
		return Why{Kind: Swap, Name: o.name.withoutSwap()}
	case !o.name.IsZero():
		// A working weekday that an override corrected; its name says why.
		return Why{Kind: Named, Name: o.name}
	default:
		return Why{Kind: Weekday}
	}
}

// AddWorkdays returns the date n working days after from: from itself is
// not counted, so a deadline of 5 working days set on a Friday before
// National Day lands 5 working days after the holiday, and n = 0 returns
// from. It panics if n < 0, like strings.Repeat: a negative period is a
// caller bug that should not quietly become a deadline.
//
// The walk always ends: the overrides and the library are finite, and any
// 7 days outside them contain a weekday.
func (c *Calendar) AddWorkdays(from Date, n int) Date {
	if n < 0 {
		panic(fmt.Sprintf("workday: AddWorkdays with negative n %d", n))
	}
	d := from
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween returns the number of working days in (from, to]: from is
// excluded and to included, so that WorkdaysBetween(from,
// AddWorkdays(from, n)) == n. It returns 0 when to is not after from. It
// backs "overdue by N working days" (from = deadline, to = today) and "N
// working days left" (from = today, to = deadline).
func (c *Calendar) WorkdaysBetween(from, to Date) int {
	a, b := from.dayNumber(), to.dayNumber()
	if b <= a {
		return 0
	}
	return int(weekdaysThrough(b)-weekdaysThrough(a)) + c.exceptionsThrough(b) - c.exceptionsThrough(a)
}

// Covered reports whether the working days of year are known: the library
// has that year's official arrangement, or the overrides mention the year.
// The admin UI warns when a deadline falls in an uncovered year, since
// there only the weekday rule and the statutory days apply (Estimated).
func (c *Calendar) Covered(year int) bool {
	return (year >= c.libFirst && year <= c.libLast) || c.overrideYears[year]
}

// Estimated reports whether year's days off are only the statutory
// holidays worked out by rule: a year after the library that the
// overrides do not mention. Its swaps (调休: bridge days off, weekends
// worked) are missing until the admin enters that year's notice, so
// deadlines in it may still move by a few days.
func (c *Calendar) Estimated(year int) bool {
	return !c.Covered(year) && year > c.libLast && year <= scanToYear
}

// exceptionsThrough returns the net effect of the exceptions on days <= n.
func (c *Calendar) exceptionsThrough(n int64) int {
	i, found := slices.BinarySearch(c.exceptions, n)
	if found {
		i++
	}
	return c.exceptionSum[i]
}

// weekdaysThrough returns a running count of Mondays–Fridays up to and
// including day number n, offset so that only differences are meaningful:
// weekdaysThrough(b) - weekdaysThrough(a) counts the weekdays in (a, b].
func weekdaysThrough(n int64) int64 {
	const firstMonday = 4 // 1970-01-05
	m := n - firstMonday
	weeks := m / 7
	if m%7 < 0 { // floor division, so that days before 1970 count too
		weeks--
	}
	rest := m - weeks*7 // 0 = Monday .. 6 = Sunday
	return weeks*5 + min(rest+1, 5)
}
