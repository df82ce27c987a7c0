package stats

import "math"

// Growth is the change from before to now in percent (环比 or 同比: 本月共收到意见建议N条，环比增长M%):
// (now − before) ÷ before × 100, rounded to one decimal. ok is false when before is 0, where no
// rate exists; the narrative then says the count alone.
func Growth(now, before int) (pct float64, ok bool) {
	if before == 0 {
		return 0, false
	}
	return math.Round(1000*float64(now-before)/float64(before)) / 10, true
}

// N is the count of code in list, 0 when absent: the same row of two periods' lists.
func N(list []Count, code string) int {
	for _, c := range list {
		if c.Code == code {
			return c.N
		}
	}
	return 0
}
