package handlers

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/disclosure"
	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
)

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
	CountedAt  string // when the figures were read, in the reader's words
	TTLMinutes int
	Styles     []sifeng.Style
	Statuses   []boardStatus
	Months     []int        // 1 to this month
	Units      []unitMonths // nil when the table may not be shown (see disclosure)
	Withheld   bool         // a cell of the table is disclosure.Withheld, which the page explains
}

// boardStatus is one line of the board's progress table, in the board's words.
type boardStatus struct {
	Words string
	N     int
}

// unitMonths is one row of the unit × month table, as disclosure control lets it be printed.
type unitMonths struct {
	Name  string
	Cells []disclosure.Cell
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
	page := gongshiPage{Year: today.Year(), Counts: counts, Styles: sifeng.Styles,
		CountedAt: counts.CountedAt.In(displayZone).Format("2006年1月2日 15:04"), TTLMinutes: int(countsTTL.Minutes())}
	for _, st := range lifecycle.Statuses {
		if n := counts.ByStatus[st.Code]; n > 0 {
			page.Statuses = append(page.Statuses, boardStatus{lifecycle.Board(st.Code), n})
		}
	}
	for _, p := range pubs {
		if p.Status == lifecycle.Closed || p.Status == lifecycle.Satisfaction {
			page.Done = append(page.Done, p)
		} else {
			page.InProgress = append(page.InProgress, p)
		}
	}
	for m := 1; m <= int(today.Month()); m++ {
		page.Months = append(page.Months, m)
	}
	if page.Units, err = s.unitMonthTable(c, counts, page.Months); err != nil {
		return err
	}
	for _, row := range page.Units {
		for _, cell := range row.Cells {
			page.Withheld = page.Withheld || cell.Text == disclosure.Withheld
		}
	}
	return s.render(c, http.StatusOK, "gongshi", page)
}

// unitMonthTable is the board's unit × month table as disclosure.Table lets it be printed
// beside the year's total, or nil when it may not be printed at all. Every unit with opinions
// this year has a row, a retired one included, so that the table adds up to the total.
func (s *Server) unitMonthTable(c echo.Context, counts storage.PublicCounts, months []int) ([]unitMonths, error) {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var names []string
	listed := map[string]bool{}
	for _, u := range units {
		names, listed[u.Name] = append(names, u.Name), true
	}
	var others []string
	for name := range counts.UnitMonth {
		if !listed[name] {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	names = append(names, others...)
	grid := make([][]int, len(names))
	for i, name := range names {
		for _, m := range months {
			grid[i] = append(grid[i], counts.UnitMonth[name][fmt.Sprintf("%02d", m)])
		}
	}
	cells, ok := disclosure.Table(grid)
	if !ok {
		return nil, nil
	}
	rows := make([]unitMonths, len(names))
	for i, name := range names {
		rows[i] = unitMonths{Name: name, Cells: cells[i]}
	}
	return rows, nil
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
