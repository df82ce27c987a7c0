package workday

import "strings"

// holidayCodes name, by a code that does not depend on a language, the holidays the library
// knows (HolidayUtil.NAMES), so that a page can say a holiday in its reader's language. The
// Chinese names are matching data: what the library's table and the State Council's notices
// call the holidays, and what an administrator types; no page shows them from here.
var holidayCodes = map[string]string{
	"元旦节":   NewYear,
	"春节":    SpringFestival,
	"清明节":   Qingming,
	"劳动节":   LabourDay,
	"端午节":   DragonBoat,
	"中秋节":   MidAutumn,
	"国庆节":   NationalDay,
	"国庆中秋":  NationalDayMidAutumn,
	"抗战胜利日": VictoryDay,
}

// The holiday codes: the statutory holidays, and the names the library's notices also use.
const (
	NewYear              = "new_year"
	SpringFestival       = "spring_festival"
	Qingming             = "qingming"
	LabourDay            = "labour_day"
	DragonBoat           = "dragon_boat"
	MidAutumn            = "mid_autumn"
	NationalDay          = "national_day"
	NationalDayMidAutumn = "national_day_mid_autumn" // one break for both (2020, 2023, 2025)
	VictoryDay           = "victory_day"             // 2015's day off for the 70th anniversary
)

// nameSeparator joins two holidays that fall on one day ("中秋节、国庆节") in a typed name.
const nameSeparator = "、"

// swapSuffix ends the typed name of a day worked or given for a holiday (春节调休).
const swapSuffix = "调休"

// Name is what a day is called, in parts a page can say in any language: the holidays it is
// named after, by code, or, when it names none the package knows, the words as typed.
type Name struct {
	Holidays []string // holiday codes, in the order named; empty when Typed says it
	Swap     bool     // the day is worked or given in exchange for Holidays (调休)
	Typed    string   // the name as an administrator typed it (县庆), when it names no known holiday
}

// IsZero reports whether the day has no name.
func (n Name) IsZero() bool { return len(n.Holidays) == 0 && n.Typed == "" }

// ReadName reads a typed day name as holiday codes: "中秋节、国庆节" is mid_autumn and
// national_day, and "春节调休" is spring_festival with Swap. A name of which some part is not a
// holiday the library knows (县庆, 春节、县庆) is kept as typed.
func ReadName(typed string) Name {
	typed = strings.TrimSpace(typed)
	name, swap := strings.CutSuffix(typed, swapSuffix)
	if name == "" {
		return Name{Typed: typed}
	}
	var codes []string
	for _, part := range strings.Split(name, nameSeparator) {
		code, known := holidayCodes[strings.TrimSpace(part)]
		if !known {
			return Name{Typed: typed}
		}
		codes = append(codes, code)
	}
	return Name{Holidays: codes, Swap: swap}
}

// withoutSwap is n as the holiday a swapped day is for: 春节调休 is worked for 春节.
func (n Name) withoutSwap() Name {
	n.Swap = false
	n.Typed = strings.TrimSuffix(n.Typed, swapSuffix)
	return n
}
