package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/period"
	"minsheng/stats"
)

// satisfactionPage is the data of templates/pages/satisfaction.html.
type satisfactionPage struct {
	Year    int
	Years   []int
	Units   []satisfactionRow
	Omitted string // which opinions the viewer's figures leave out (access.Viewer.OmittedIn)
	// The thresholds, for the page's explanation (stats.TargetRate, stats.RedoRate).
	Target, Redo, MinRatings int
}

// The verdicts of a unit's rate.
const (
	verdictBelow = "below" // under stats.TargetRate (90 %): the target is missed
	verdictRedo  = "redo"  // on the 补课 list (stats.Satisfaction.Redo): under stats.RedoRate (85 %) as well
)

type satisfactionRow struct {
	stats.UnitSatisfaction
	Rate    string // in percent, or "<5" under stats.MinRatings ratings (not judged)
	Verdict string // "", verdictBelow or verdictRedo
}

// showSatisfaction handles GET /admin/satisfaction?year=YYYY: per unit, how the submitters
// rated the results (stats.ComputeSatisfaction), against the seeds' thresholds.
func (s *Server) showSatisfaction(c echo.Context) error {
	today, _ := time.Parse("2006-01-02", s.store.Today())
	year := today.Year()
	if y, err := strconv.Atoi(c.QueryParam("year")); err == nil && y >= 2000 && y <= year {
		year = y
	}
	span, err := period.Parse(strconv.Itoa(year))
	if err != nil {
		return err
	}
	p := s.printer(c)
	sat, err := stats.ComputeSatisfaction(c.Request().Context(), s.store,
		stats.Query{Period: span, Viewer: viewer(c), Today: s.store.Today(), Printer: p})
	if err != nil {
		return err
	}
	page := satisfactionPage{Year: year, Omitted: viewer(c).OmittedIn(p), Target: int(stats.TargetRate),
		Redo: int(stats.RedoRate), MinRatings: stats.MinRatings}
	for y := today.Year(); y >= today.Year()-4; y-- {
		page.Years = append(page.Years, y)
	}
	for _, u := range sat.ByUnit {
		row := satisfactionRow{UnitSatisfaction: u, Rate: stats.Small}
		if rate, ok := u.Rate(); ok {
			row.Rate = strconv.FormatFloat(rate, 'f', 1, 64) + "%"
			switch {
			case slices.Contains(sat.Redo, u.Code):
				row.Verdict = verdictRedo
			case rate < stats.TargetRate:
				row.Verdict = verdictBelow
			}
		}
		page.Units = append(page.Units, row)
	}
	return s.render(c, http.StatusOK, "satisfaction", page)
}
