package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// Satisfaction thresholds from the seeds: each unit should reach 90 % 满意 + 基本满意; below 85 %
// it needs 补课. Few ratings say little, so units with fewer than minRatings are not judged.
const (
	targetRate = 90
	redoRate   = 85
	minRatings = 5
)

// satisfactionPage is the data of templates/pages/satisfaction.html.
type satisfactionPage struct {
	Year    int
	Years   []int
	Units   []satisfactionRow
	Omitted string // which opinions the viewer's figures leave out (access.Viewer.OmittedIn)
	// The thresholds, for the page's explanation.
	Target, Redo, MinRatings int
}

// The verdicts of a unit's rate.
const (
	verdictBelow = "below" // under the 90 % target: 未达 90%
	verdictRedo  = "redo"  // under 85 %: 需补课
)

type satisfactionRow struct {
	storage.UnitSatisfaction
	Rate    string
	Verdict string // "", verdictBelow or verdictRedo
}

// showSatisfaction handles GET /admin/satisfaction?year=YYYY: per unit, how the submitters
// rated the results, against the seeds' 90 % target.
func (s *Server) showSatisfaction(c echo.Context) error {
	today, _ := time.Parse("2006-01-02", s.store.Today())
	year := today.Year()
	if y, err := strconv.Atoi(c.QueryParam("year")); err == nil && y >= 2000 && y <= year {
		year = y
	}
	units, err := s.store.SatisfactionByUnit(c.Request().Context(), viewer(c), year)
	if err != nil {
		return err
	}
	page := satisfactionPage{Year: year, Omitted: viewer(c).OmittedIn(s.printer(c)), Target: targetRate, Redo: redoRate,
		MinRatings: minRatings}
	for y := today.Year(); y >= today.Year()-4; y-- {
		page.Years = append(page.Years, y)
	}
	for _, u := range units {
		row := satisfactionRow{UnitSatisfaction: u, Rate: strconv.FormatFloat(u.Rate(), 'f', 1, 64) + "%"}
		switch {
		case u.Rated() < minRatings:
		case u.Rate() < redoRate:
			row.Verdict = verdictRedo
		case u.Rate() < targetRate:
			row.Verdict = verdictBelow
		}
		page.Units = append(page.Units, row)
	}
	return s.render(c, http.StatusOK, "satisfaction", page)
}
