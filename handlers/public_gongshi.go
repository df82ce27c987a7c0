package handlers

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
)

// smallCount is the threshold under which a unit × month figure is shown as "<5": a count of
// one or two opinions from a small township centre could point at the person who wrote them.
const smallCount = 5

// countsTTL is how long the board's figures are kept: they read a whole year of opinions, and
// the board may be opened often.
const countsTTL = 5 * time.Minute

// countsCache keeps the notice board's yearly figures for a few minutes.
type countsCache struct {
	mu      sync.Mutex
	year    int
	counts  storage.PublicCounts
	expires time.Time
}

// gongshiPage is the data of templates/pages/gongshi.html.
type gongshiPage struct {
	Year       int
	InProgress []storage.Publication
	Done       []storage.Publication // 您说我们改
	Counts     storage.PublicCounts
	Styles     []sifeng.Style
	Statuses   []lifecycle.Status
	Months     []string
	Units      []unitMonths
}

// unitMonths is one row of the unit × month table, already masked.
type unitMonths struct {
	Name  string
	Cells []string
}

// showGongshi handles GET /gongshi: the public notice board — the rectifications the bureau
// chose to publish, what was fixed (您说我们改), and this year's figures.
func (s *Server) showGongshi(c echo.Context) error {
	ctx := c.Request().Context()
	pubs, err := s.store.Publications(ctx)
	if err != nil {
		return err
	}
	today, _ := time.Parse("2006-01-02", s.store.Today())
	counts, err := s.yearCounts(c, today.Year())
	if err != nil {
		return err
	}
	page := gongshiPage{Year: today.Year(), Counts: counts, Styles: sifeng.Styles, Statuses: lifecycle.Statuses}
	for _, p := range pubs {
		if p.Status == lifecycle.Closed || p.Status == lifecycle.Satisfaction {
			page.Done = append(page.Done, p)
		} else {
			page.InProgress = append(page.InProgress, p)
		}
	}
	for m := 1; m <= int(today.Month()); m++ {
		page.Months = append(page.Months, fmt.Sprintf("%02d", m))
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		row := unitMonths{Name: u.Name}
		for _, m := range page.Months {
			row.Cells = append(row.Cells, maskCount(counts.UnitMonth[u.Name][m]))
		}
		page.Units = append(page.Units, row)
	}
	return s.render(c, http.StatusOK, "gongshi", page)
}

// maskCount shows small figures as "<5" and none as "—".
func maskCount(n int) string {
	switch {
	case n == 0:
		return "—"
	case n < smallCount:
		return "<5"
	}
	return fmt.Sprint(n)
}

func (s *Server) yearCounts(c echo.Context, year int) (storage.PublicCounts, error) {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	if s.counts.year == year && time.Now().Before(s.counts.expires) {
		return s.counts.counts, nil
	}
	counts, err := s.store.CountsForYear(c.Request().Context(), year)
	if err != nil {
		return counts, err
	}
	s.counts.year, s.counts.counts, s.counts.expires = year, counts, time.Now().Add(countsTTL)
	return counts, nil
}
