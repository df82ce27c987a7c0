package workday

import (
	"slices"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Statutory holidays (全体公民放假的节日) of 《全国年节及纪念日放假办法》, article 2, as revised
// by the State Council in November 2024 and in force since 1 January 2025 — 13 days a year:
//
//	元旦   1 day   1 January
//	春节   4 days  农历除夕 and 正月初一 to 初三
//	清明节 1 day   the day of the solar term 清明
//	劳动节 2 days  1 and 2 May
//	端午节 1 day   农历五月初五
//	中秋节 1 day   农历八月十五
//	国庆节 3 days  1 to 3 October
//
// The yearly notice of the State Council's office turns these into longer breaks by swapping
// weekends (调休): bridge days off, and Saturdays or Sundays worked for them. Those swaps
// follow no fixed rule, so they cannot be worked out; only the statutory days can. A year
// past the library's table gets the statutory days, and the administrator enters the swaps
// once the notice is out (Calendar.Estimated says which years still wait for them).
//
// The days carry the holidays' codes (names.go), the same as the library's days are read
// into, so that a tooltip reads the same for an estimated year as for a year from the table.

// qingMing is the index of the solar term 清明 in lunar-go's table of a lunar year's terms.
var qingMing = slices.Index(calendar.JIE_QI_IN_USE, "清明")

// statutoryDays returns the statutory days off of year, each with its holiday's code. A day
// that falls on two holidays (中秋 within 国庆) carries both codes, in the order added.
func statutoryDays(year int) map[Date][]string {
	days := make(map[Date][]string, 13)
	add := func(code string, d Date, n int) {
		for i := range n {
			day := d.AddDays(i)
			days[day] = append(days[day], code)
		}
	}
	ly := calendar.NewLunarYear(year)
	add(NewYear, Date{year, 1, 1}, 1)
	if first := ly.GetMonth(1); first != nil {
		add(SpringFestival, julianDate(first.GetFirstJulianDay()).AddDays(-1), 4) // 除夕 is the day before 正月初一
	}
	if terms := ly.GetJieQiJulianDays(); qingMing >= 0 && qingMing < len(terms) {
		add(Qingming, julianDate(terms[qingMing]), 1)
	}
	add(LabourDay, Date{year, 5, 1}, 2)
	if fifth := ly.GetMonth(5); fifth != nil {
		add(DragonBoat, julianDate(fifth.GetFirstJulianDay()).AddDays(4), 1)
	}
	if eighth := ly.GetMonth(8); eighth != nil {
		add(MidAutumn, julianDate(eighth.GetFirstJulianDay()).AddDays(14), 1)
	}
	add(NationalDay, Date{year, 10, 1}, 3)
	return days
}

// julianDate is the calendar day (Beijing time, as lunar-go computes) of a Julian day.
func julianDate(jd float64) Date {
	s := calendar.NewSolarFromJulianDay(jd)
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}
