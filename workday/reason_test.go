package workday

import "strings"

// holidayNames are the Chinese names of the holiday codes, as the library writes them.
var holidayNames = func() map[string]string {
	out := make(map[string]string, len(holidayCodes))
	for name, code := range holidayCodes {
		out[code] = name
	}
	return out
}()

// reason says Explain in Chinese, as the tooltips read before the words moved to the
// catalog: "" for an ordinary weekday, 周末, 放假, the holiday's name (国庆节, 中秋节、国庆节),
// or its name plus 调休 for a swapped working weekend. The tests pin days by it.
func reason(c *Calendar, d Date) string {
	w := c.Explain(d)
	switch w.Kind {
	case Weekend:
		return "周末"
	case DayOff:
		return "放假"
	case Swap:
		return chinese(w.Name) + swapSuffix
	}
	return chinese(w.Name)
}

// chinese writes a Name as the library and the notices do.
func chinese(n Name) string {
	if len(n.Holidays) == 0 {
		return n.Typed
	}
	names := make([]string, len(n.Holidays))
	for i, code := range n.Holidays {
		names[i] = holidayNames[code]
	}
	s := strings.Join(names, nameSeparator)
	if n.Swap {
		s += swapSuffix
	}
	return s
}
