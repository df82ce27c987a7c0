package stats

import "math"

// The hot-spot rule (预警), defined once: a unit, or a 科室 of it, gathers more problems of one
// kind (a style, or a manifestation tag) in a month than its own usual level. The usual level
// is the mean of the WarnMonths months before plus WarnSigmas standard deviations of them; the
// month must also hold at least WarnMinItems such problems, so that one or two items in a
// quiet 科室 never raise the alarm. The dashboard states the rule with these same constants.
const (
	WarnMonths   = 3 // months of history the usual level is taken from
	WarnSigmas   = 2 // standard deviations above their mean
	WarnMinItems = 5 // the fewest items in the month that can raise a warning
)

// Level is the usual level of a count after history (the counts of the months before, oldest
// first; only the last WarnMonths are used, and a month missing from a short history counts
// as zero: nothing was received then). The standard deviation is that of the months
// themselves (divided by WarnMonths, not WarnMonths − 1): they are the whole history compared
// against, not a sample of a larger one.
func Level(history []int) (mean, sd, limit float64) {
	months := make([]float64, WarnMonths)
	for i := range months {
		if j := len(history) - WarnMonths + i; j >= 0 {
			months[i] = float64(history[j])
		}
	}
	for _, m := range months {
		mean += m
	}
	mean /= WarnMonths
	for _, m := range months {
		sd += (m - mean) * (m - mean)
	}
	sd = math.Sqrt(sd / WarnMonths)
	return mean, sd, mean + WarnSigmas*sd
}

// Hot reports whether n problems of one kind in a month, after history, are a hot spot: at
// least WarnMinItems, and strictly more than the usual level.
func Hot(n int, history []int) bool {
	_, _, limit := Level(history)
	return n >= WarnMinItems && float64(n) > limit
}
