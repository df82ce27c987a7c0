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
	"minsheng/locale"
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

// gongshiPage is the data of templates/pages/gongshi.html, its figures and days already in the
// reader's words.
type gongshiPage struct {
	Year       int
	InProgress []publicationView
	Done       []publicationView // 您说我们改
	Counts     storage.PublicCounts
	CountedAt  string // when the figures were read, in the reader's words
	TTLMinutes int
	Styles     []styleCount
	Families   []familyCount // the families the board may count (storage.BoardWithheldFamilies are not)
	Statuses   []boardStatus
	Months     []string     // the names of the months from January to this one
	Units      []unitMonths // nil when the table may not be shown (see disclosure)
	Withheld   bool         // a cell of the table is disclosure.Withheld, which the page explains
	// What the notes under the table explain: the threshold and what hidden cells show.
	Threshold     int
	Small, Hidden string
}

// publicationView is one published rectification with its days in the reader's words.
type publicationView struct {
	storage.Publication
	Deadline, ClosedOn string
}

// styleCount is one line of the board's table of the four styles.
type styleCount struct {
	Style sifeng.Style
	N     string
}

// familyCount is one line of the board's table of problem families: the family in the reader's
// words and its count as disclosure.Count lets it be printed.
type familyCount struct {
	Words string
	N     string
}

// boardStatus is one line of the board's progress table, in the board's words.
type boardStatus struct {
	Words string
	N     string
}

// unitMonths is one row of the unit × month table, as disclosure control lets it be printed.
type unitMonths struct {
	Name  string
	Cells []disclosure.Cell
}

// monthNames are the months as a table's column heads.
var monthNames = []string{"gongshi.month_1", "gongshi.month_2", "gongshi.month_3", "gongshi.month_4",
	"gongshi.month_5", "gongshi.month_6", "gongshi.month_7", "gongshi.month_8", "gongshi.month_9",
	"gongshi.month_10", "gongshi.month_11", "gongshi.month_12"}

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
	p := s.printer(c)
	counted := counts.CountedAt.In(displayZone)
	page := gongshiPage{Year: today.Year(), Counts: counts, TTLMinutes: int(countsTTL.Minutes()),
		CountedAt: p.T("gongshi.counted_at", p.Date(counted), counted.Format("15:04")),
		Threshold: disclosure.Threshold, Small: disclosure.Small, Hidden: disclosure.Withheld}
	for _, st := range sifeng.Styles {
		page.Styles = append(page.Styles, styleCount{st, p.Number(counts.ByStyle[st.Code])})
	}
	// Families overlap (an opinion may be under several, or none) and no total of them is
	// printed, so each small count is masked on its own.
	for _, f := range counts.Families {
		n := disclosure.Count(f.N)
		if !n.Hidden {
			n.Text = p.Number(f.N)
		}
		page.Families = append(page.Families, familyCount{tagLabel(p, f.Tag), n.Text})
	}
	for _, st := range lifecycle.Statuses {
		if n := counts.ByStatus[st.Code]; n > 0 {
			page.Statuses = append(page.Statuses, boardStatus{lifecycle.BoardIn(p, st.Code), p.Number(n)})
		}
	}
	for _, pub := range pubs {
		v := publicationView{Publication: pub, Deadline: p.Day(pub.Deadline), ClosedOn: p.Day(pub.ClosedOn)}
		if pub.Status == lifecycle.Closed || pub.Status == lifecycle.Satisfaction {
			page.Done = append(page.Done, v)
		} else {
			page.InProgress = append(page.InProgress, v)
		}
	}
	var months []int
	for m := 1; m <= int(today.Month()); m++ {
		months = append(months, m)
		page.Months = append(page.Months, p.T(monthNames[m-1]))
	}
	if page.Units, err = s.unitMonthTable(c, p, counts, months); err != nil {
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
// beside the year's total (its numbers written as p writes them), or nil when it may not be
// printed at all. Every unit with opinions
// this year has a row, a retired one included, so that the table adds up to the total.
func (s *Server) unitMonthTable(c echo.Context, p *locale.Printer, counts storage.PublicCounts, months []int) ([]unitMonths, error) {
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
		for j, cell := range cells[i] {
			if !cell.Hidden {
				cells[i][j].Text = p.Number(grid[i][j])
			}
		}
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
