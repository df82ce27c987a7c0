package workday

import "strings"

// holidayCodes name, by a code that does not depend on a language, the holidays the library
// knows (HolidayUtil.NAMES, which statutory.go also uses), so that a page can say a holiday in
// its reader's language. The Chinese names are data here: they are what the library and the
// State Council's notices call the holidays, and what an administrator types.
var holidayCodes = map[string]string{
	"元旦节":   "new_year",
	"春节":    "spring_festival",
	"清明节":   "qingming",
	"劳动节":   "labour_day",
	"端午节":   "dragon_boat",
	"中秋节":   "mid_autumn",
	"国庆节":   "national_day",
	"国庆中秋":  "national_day_mid_autumn",
	"抗战胜利日": "victory_day",
}

// nameSeparator joins two holidays that fall on one day ("中秋节、国庆节"), as statutoryDays
// writes them and as an administrator would.
const nameSeparator = "、"

// swapSuffix ends the name of a weekend worked for a holiday (春节调休).
const swapSuffix = "调休"

// HolidayCodes reads a day's name as holiday codes: "中秋节、国庆节" is mid_autumn and
// national_day, and "春节调休" is spring_festival with swap true. ok is false when some part
// of the name is not a holiday the library knows (a name the administrator made up, such as
// 县庆): a page then shows the name as it was typed.
func HolidayCodes(name string) (codes []string, swap, ok bool) {
	name = strings.TrimSpace(name)
	name, swap = strings.CutSuffix(name, swapSuffix)
	if name == "" {
		return nil, swap, false
	}
	for _, part := range strings.Split(name, nameSeparator) {
		code, known := holidayCodes[strings.TrimSpace(part)]
		if !known {
			return nil, false, false
		}
		codes = append(codes, code)
	}
	return codes, swap, true
}
