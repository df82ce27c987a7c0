package handlers

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/disclosure"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/storage"
)

// countsTTL is how long the board's figures are kept: they read a whole year of opinions, and
// the board may be opened often.
const countsTTL = 5 * time.Minute

// countsCache keeps the notice board's yearly figures for a few minutes.
type countsCache struct {
	mu        sync.Mutex
	today     string // the day they were counted for: a new day may start a new year or month
	board     *stats.Board
	countedAt time.Time
	expires   time.Time
	branches  map[string]countedBoard // the boards of one branch each (public_branch.go)
}

// gongshiPage is the data of templates/pages/gongshi.html, its figures and days already in the
// reader's words, every count as the one small-count rule (stats.Disclose…) lets it be printed.
type gongshiPage struct {
	Year       int
	InProgress []publicationView
	Done       []publicationView // 您说我们改
	Total      int               // the year's opinions: the one sum the board prints
	CountedAt  string            // when the figures were read, in the reader's words
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
	// OpenPlans are the drafts open for comment to the public today (public_plans.go).
	OpenPlans []storage.PlanListed
	// OpenReports are the report drafts open for comment to the public today (report_comment.go).
	OpenReports []storage.ReportConsultation
	// Campaigns link to their own pages (/gongshi/c/ID), most recently started first.
	Campaigns []campaignLink
	// Branch is the name of the unit whose branch the board shows (?branch=), "" for all.
	Branch string
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
	Cells []stats.Cell
}

// monthNames are the months as a table's column heads.
var monthNames = []string{"gongshi.month_1", "gongshi.month_2", "gongshi.month_3", "gongshi.month_4",
	"gongshi.month_5", "gongshi.month_6", "gongshi.month_7", "gongshi.month_8", "gongshi.month_9",
	"gongshi.month_10", "gongshi.month_11", "gongshi.month_12"}

// showGongshi handles GET /gongshi: the public notice board — the rectifications the bureau
// chose to publish, what was fixed (您说我们改), and this year's figures (stats.ComputeBoard).
func (s *Server) showGongshi(c echo.Context) error {
	ctx := c.Request().Context()
	scope, err := s.publicBranch(c)
	if err != nil {
		return err
	}
	pubs, err := s.store.Publications(ctx)
	if err != nil {
		return err
	}
	var board *stats.Board
	var countedAt time.Time
	var open []storage.PlanListed
	var reports []storage.ReportConsultation
	var campaigns []campaignLink
	if scope.Code != "" {
		// One branch: its figures and its published work; the bureau's plans, report drafts
		// and campaigns are on the board of the whole tree.
		if board, countedAt, err = s.branchBoardFigures(c, scope); err != nil {
			return err
		}
	} else {
		if board, countedAt, err = s.boardFigures(c); err != nil {
			return err
		}
		if open, err = s.openPlans(c); err != nil {
			return err
		}
		if reports, err = s.openReportDrafts(c); err != nil {
			return err
		}
		if campaigns, err = s.campaignLinks(c); err != nil {
			return err
		}
	}
	p := s.printer(c)
	counted := countedAt.In(displayZone)
	fig := board.Figures
	page := gongshiPage{Year: board.Year, Total: fig.Total, TTLMinutes: int(countsTTL.Minutes()),
		CountedAt: p.T("gongshi.counted_at", p.Date(counted), counted.Format("15:04")),
		Threshold: disclosure.Threshold, Small: stats.Small, Hidden: stats.Withheld, OpenPlans: open,
		OpenReports: reports, Campaigns: campaigns, Branch: scope.Name}
	// Styles and families overlap (an opinion may carry several, or none) and no sum of them is
	// printed, so each small count is masked on its own.
	for i, cell := range stats.DiscloseEach(fig.ByStyle) {
		if i == len(sifeng.Styles) {
			break // fig.ByStyle lists sifeng.Styles first; a code outside them is no style to show
		}
		page.Styles = append(page.Styles, styleCount{sifeng.Styles[i], shown(p, cell)})
	}
	families := make([]stats.Count, len(board.Families))
	for i, f := range board.Families {
		families[i] = stats.Count{Code: f.Code, N: f.N}
	}
	for i, cell := range stats.DiscloseEach(families) {
		page.Families = append(page.Families, familyCount{tagLabel(p, board.Families[i].Tag), shown(p, cell)})
	}
	// The statuses split the year's total, printed above them: a lone "<5" would be the total
	// minus the others, so Disclose withholds one more. Statuses nobody is in are not listed.
	var statuses []stats.Count
	for _, st := range fig.ByStatus {
		if st.N > 0 {
			statuses = append(statuses, st)
		}
	}
	if cells, ok := stats.Disclose(statuses); ok {
		for _, cell := range cells {
			page.Statuses = append(page.Statuses, boardStatus{lifecycle.BoardIn(p, cell.Code), shown(p, cell)})
		}
	}
	for _, pub := range pubs {
		if !scope.has(pub.UnitCode) {
			continue
		}
		v := publicationView{Publication: pub, Deadline: p.Day(pub.Deadline), ClosedOn: p.Day(pub.ClosedOn)}
		if pub.Status == lifecycle.Closed || pub.Status == lifecycle.Satisfaction {
			page.Done = append(page.Done, v)
		} else {
			page.InProgress = append(page.InProgress, v)
		}
	}
	for i := range board.Months {
		page.Months = append(page.Months, p.T(monthNames[i]))
	}
	if cells, ok := stats.DiscloseTable(board.Table()); ok {
		for i, u := range board.Units {
			row := unitMonths{Name: u.Name, Cells: cells[i]}
			for j, cell := range row.Cells {
				row.Cells[j].Text = shown(p, cell)
				page.Withheld = page.Withheld || cell.Text == stats.Withheld
			}
			page.Units = append(page.Units, row)
		}
	}
	return s.render(c, http.StatusOK, "gongshi", page)
}

// shown is a disclosed count as the board prints it: the number in the reader's way of
// writing numbers, or what stands for a hidden one.
func shown(p *locale.Printer, cell stats.Cell) string {
	if cell.Hidden {
		return cell.Text
	}
	return p.Number(cell.N)
}

// boardFigures are the board's figures of this year and when they were counted, kept for
// countsTTL: they read a whole year of opinions.
func (s *Server) boardFigures(c echo.Context) (*stats.Board, time.Time, error) {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	today := s.store.Today()
	if s.counts.board != nil && s.counts.today == today && time.Now().Before(s.counts.expires) {
		return s.counts.board, s.counts.countedAt, nil
	}
	board, err := stats.ComputeBoard(c.Request().Context(), s.store, today)
	if err != nil {
		return nil, time.Time{}, err
	}
	s.counts.today, s.counts.board, s.counts.countedAt = today, board, s.store.Now()
	s.counts.expires = time.Now().Add(countsTTL)
	return board, s.counts.countedAt, nil
}
