// Package period names the spans of time the office reports on: a month, a quarter, a half-year,
// a year, or any range of days. It is pure: days are "YYYY-MM-DD" strings, as everywhere in the
// portal (opinions carry their day only), and a Period is [From, To) — To is the first day after.
package period

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of period.
const (
	Month   = "month"
	Quarter = "quarter"
	Half    = "half"
	Year    = "year"
	Range   = "range"
)

const layout = "2006-01-02"

// Period is a span of whole days: From is its first day, To the day after its last.
type Period struct {
	Kind     string
	From, To string // YYYY-MM-DD; To is exclusive
}

// ErrSyntax is returned for a spelling Parse does not know.
var ErrSyntax = errors.New("period: want 2026-12, 2026-Q4, 2026-H2, 2026 or 2026-11-01..2026-12-15")

// Parse reads a period as the report command and the report pages spell it: "2026-12" (a month),
// "2026-Q4", "2026-H2", "2026", or "2026-11-01..2026-12-15" (both days included).
func Parse(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(s, ".."); ok {
		a, errA := time.Parse(layout, from)
		b, errB := time.Parse(layout, to)
		if errA != nil || errB != nil || b.Before(a) {
			return Period{}, ErrSyntax
		}
		return Period{Kind: Range, From: a.Format(layout), To: b.AddDate(0, 0, 1).Format(layout)}, nil
	}
	year, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < 1900 {
		return Period{}, ErrSyntax
	}
	switch {
	case rest == "":
		return span(Year, y, 1, 12), nil
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		q := int(rest[1] - '0')
		return span(Quarter, y, 3*q-2, 3), nil
	case len(rest) == 2 && rest[0] == 'H' && (rest[1] == '1' || rest[1] == '2'):
		return span(Half, y, 6*int(rest[1]-'0')-5, 6), nil
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, ErrSyntax
		}
		return span(Month, y, m, 1), nil
	}
	return Period{}, ErrSyntax
}

// MonthOf is the month that contains day (YYYY-MM-DD).
func MonthOf(day string) (Period, error) {
	if len(day) < 7 {
		return Period{}, ErrSyntax
	}
	return Parse(day[:7])
}

// span is months months starting at month m of year y.
func span(kind string, y, m, months int) Period {
	start := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: kind, From: start.Format(layout), To: start.AddDate(0, months, 0).Format(layout)}
}

// String spells p so that Parse reads it back.
func (p Period) String() string {
	from, _ := time.Parse(layout, p.From)
	switch p.Kind {
	case Month:
		return p.From[:7]
	case Quarter:
		return fmt.Sprintf("%d-Q%d", from.Year(), (int(from.Month())+2)/3)
	case Half:
		return fmt.Sprintf("%d-H%d", from.Year(), (int(from.Month())+5)/6)
	case Year:
		return p.From[:4]
	}
	return p.From + ".." + p.Last()
}

// Last is the last day of p (To is the day after it).
func (p Period) Last() string {
	to, _ := time.Parse(layout, p.To)
	return to.AddDate(0, 0, -1).Format(layout)
}

// Days is the number of days in p.
func (p Period) Days() int {
	from, _ := time.Parse(layout, p.From)
	to, _ := time.Parse(layout, p.To)
	return int(to.Sub(from).Hours()/24 + 0.5)
}

// Contains reports whether day (YYYY-MM-DD) falls in p.
func (p Period) Contains(day string) bool { return day >= p.From && day < p.To }

// Previous is the period of the same kind just before p (环比): the month, quarter, half-year or
// year before, or for a range the same number of days ending the day before it starts.
func (p Period) Previous() Period {
	from, _ := time.Parse(layout, p.From)
	switch p.Kind {
	case Month, Quarter, Half, Year:
		months := map[string]int{Month: 1, Quarter: 3, Half: 6, Year: 12}[p.Kind]
		start := from.AddDate(0, -months, 0)
		return Period{Kind: p.Kind, From: start.Format(layout), To: p.From}
	}
	return Period{Kind: Range, From: from.AddDate(0, 0, -p.Days()).Format(layout), To: p.From}
}

// YearBefore is the same period one year earlier (同比). A range that starts on 29 February
// starts on 1 March the year before, as time.AddDate normalises it.
func (p Period) YearBefore() Period {
	from, _ := time.Parse(layout, p.From)
	to, _ := time.Parse(layout, p.To)
	return Period{Kind: p.Kind, From: from.AddDate(-1, 0, 0).Format(layout), To: to.AddDate(-1, 0, 0).Format(layout)}
}

// Months lists the months ("YYYY-MM") p touches, in order.
func (p Period) Months() []string {
	from, _ := time.Parse(layout, p.From)
	var out []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); m.Format(layout) < p.To; m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// TrailingMonths is the n whole months ending with the month that holds p's last day: the span
// of a report's 12-month trend.
func (p Period) TrailingMonths(n int) Period {
	last, _ := time.Parse(layout, p.Last())
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	return Period{Kind: Range, From: end.AddDate(0, -n, 0).Format(layout), To: end.Format(layout)}
}
