package period

import (
	"time"

	"minsheng/locale"
)

// The names of months, quarters and halves, whole keys so that the catalog's checks see them.
var (
	monthKeys = [...]string{"period.month_1", "period.month_2", "period.month_3", "period.month_4",
		"period.month_5", "period.month_6", "period.month_7", "period.month_8", "period.month_9",
		"period.month_10", "period.month_11", "period.month_12"}
	quarterKeys = [...]string{"period.quarter_1", "period.quarter_2", "period.quarter_3", "period.quarter_4"}
	halfKeys    = [...]string{"period.half_1", "period.half_2"}
)

// Label writes p as a report's title names it, in the language of p: 2026年12月, 2026年第四季度,
// 2026年下半年, 2026年, 2026年11月1日至12月15日 (December 2026, Q4 2026, second half of 2026, 2026,
// 1 November – 15 December 2026). A period that does not parse comes back as its String.
func (p Period) Label(pr *locale.Printer) string {
	from, errF := time.Parse(layout, p.From)
	last, errL := time.Parse(layout, p.Last())
	if errF != nil || errL != nil {
		return p.String()
	}
	y := from.Year()
	switch p.Kind {
	case Month:
		return pr.T("period.month", locale.Args{"year": y, "month": pr.T(monthKeys[from.Month()-1])})
	case Quarter:
		return pr.T("period.quarter", locale.Args{"year": y, "quarter": pr.T(quarterKeys[(from.Month()-1)/3])})
	case Half:
		return pr.T("period.half", locale.Args{"year": y, "half": pr.T(halfKeys[(from.Month()-1)/6])})
	case Year:
		return pr.T("period.year", locale.Args{"year": y})
	}
	args := locale.Args{"y1": y, "m1": pr.T(monthKeys[from.Month()-1]), "d1": from.Day(),
		"y2": last.Year(), "m2": pr.T(monthKeys[last.Month()-1]), "d2": last.Day()}
	switch {
	case from.Equal(last):
		return pr.T("period.day", args)
	case y == last.Year():
		return pr.T("period.range_same_year", args)
	}
	return pr.T("period.range", args)
}
