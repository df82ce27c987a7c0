package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/export"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// taskRowView is one line of the 整改任务书和时间表 in the reader's words: the post (and the name
// only when staff ticked "publish the name"), the class or "to be decided", the deadline and
// the progress in the board's words (lifecycle.BoardIn), never the office's procedure.
type taskRowView struct {
	Seq                                                   int
	Task, LeadUnit, Responsible, Kind, Deadline, Progress string
}

func taskRowViews(p *locale.Printer, rows []storage.TaskRow) []taskRowView {
	out := make([]taskRowView, len(rows))
	for i, r := range rows {
		out[i] = taskRowView{Seq: i + 1, Task: r.Task, LeadUnit: r.LeadUnit, Responsible: responsibleWords(p, r),
			Kind: p.T("notice.kind_pending"), Deadline: p.Day(r.Deadline), Progress: lifecycle.BoardIn(p, r.Status)}
		if r.Kind != "" {
			out[i].Kind = vocab.LabelIn(p, lifecycle.Kinds, r.Kind)
		}
	}
	return out
}

// responsibleWords is the responsible post, with the person's name only when it was published.
func responsibleWords(p *locale.Printer, r storage.TaskRow) string {
	switch {
	case r.Post != "" && r.Name != "":
		return p.T("notice.post_and_name", r.Post, r.Name)
	case r.Post != "":
		return r.Post
	case r.Name != "":
		return r.Name
	}
	return p.T("notice.post_unset")
}

// taskListQuery chooses a task list: a campaign's, or a period's (days of arrival).
type taskListQuery struct {
	Campaign string `query:"campaign" form:"campaign"`
	From     string `query:"from" form:"from"`
	To       string `query:"to" form:"to"`
}

// taskListChoice is what a task list page was asked for, resolved: the filter, the campaign
// (ID 0 for a period) and the query that asks for it again (for the print and XLSX links).
type taskListChoice struct {
	Filter   storage.TaskFilter
	Campaign campaign.Campaign
	Query    string
	// The same list on the staff page, to print and as a workbook.
	PageHref, PrintHref, XLSXHref string
}

func (ch taskListChoice) withHrefs() taskListChoice {
	ch.PageHref, ch.PrintHref, ch.XLSXHref = "/admin/tasklist?"+ch.Query, "/admin/tasklist/print?"+ch.Query, "/admin/tasklist.xlsx?"+ch.Query
	return ch
}

// chooseTaskList reads the query: a campaign by id, or a period; with neither, the campaign
// running today, else this year so far.
func (s *Server) chooseTaskList(c echo.Context) (taskListChoice, []campaign.Campaign, error) {
	var q taskListQuery
	_ = c.Bind(&q) // an unreadable choice falls back to the default below
	ctx := c.Request().Context()
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return taskListChoice{}, nil, err
	}
	today := s.store.Today()
	id, _ := strconv.ParseInt(q.Campaign, 10, 64)
	if id == 0 && q.From == "" && q.To == "" {
		if cur := campaign.Current(all, today); len(cur) > 0 {
			id = cur[0].ID
		}
	}
	for _, cp := range all {
		if cp.ID == id {
			return taskListChoice{Filter: storage.TaskFilter{CampaignID: id}, Campaign: cp,
				Query: "campaign=" + strconv.FormatInt(id, 10)}.withHrefs(), all, nil
		}
	}
	from, to := q.From, q.To
	if !isDay(from) {
		from = today[:4] + "-01-01"
	}
	if !isDay(to) || to < from {
		to = today
	}
	return taskListChoice{Filter: storage.TaskFilter{From: from, To: to}, Query: "from=" + from + "&to=" + to}.withHrefs(), all, nil
}

func isDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// taskListPage is the data of tasklist.html (the staff preview) and tasklist_print.html.
type taskListPage struct {
	Choice    taskListChoice
	Campaigns []campaign.Campaign
	Tasks     []taskRowView
	Untitled  int // assigned work not on the notice board, which the list leaves out
	PrintedOn string
	// The publish form, for the task list as it stands.
	Form    noticeForm
	Errors  map[string]string
	Message string
	Units   []storage.Unit
	Scopes  []vocab.Term
}

// loadTaskList is the task list the query chooses, in the reader's words.
func (s *Server) loadTaskList(c echo.Context) (taskListPage, error) {
	choice, all, err := s.chooseTaskList(c)
	if err != nil {
		return taskListPage{}, err
	}
	ctx := c.Request().Context()
	rows, err := s.store.TaskList(ctx, choice.Filter)
	if err != nil {
		return taskListPage{}, err
	}
	untitled, err := s.store.Untitled(ctx, choice.Filter)
	if err != nil {
		return taskListPage{}, err
	}
	p := s.printer(c)
	return taskListPage{Choice: choice, Campaigns: all, Tasks: taskRowViews(p, rows), Untitled: untitled,
		PrintedOn: p.Day(s.store.Today())}, nil
}

// showTaskList handles GET /admin/tasklist: the 整改任务书和时间表 of a campaign or a period as
// it stands, with the links to print it and download it, and the form that publishes it.
func (s *Server) showTaskList(c echo.Context) error {
	return s.renderTaskList(c, http.StatusOK, noticeForm{Kind: storage.NoticeTaskList,
		Title: s.printer(c).T("notice.tasklist_title"), Scope: campaign.ScopePublic}, nil)
}

// renderTaskList shows the task list page with the publish form f (its choice of campaign or
// period taken from the list shown) and its errors.
func (s *Server) renderTaskList(c echo.Context, status int, f noticeForm, errs locale.Fields) error {
	page, err := s.loadTaskList(c)
	if err != nil {
		return err
	}
	if page.Units, err = s.store.Units(c.Request().Context()); err != nil {
		return err
	}
	ch := page.Choice.Filter
	f.Campaign, f.From, f.To = "", ch.From, ch.To
	if ch.CampaignID != 0 {
		f.Campaign = strconv.FormatInt(ch.CampaignID, 10)
	}
	p := s.printer(c)
	page.Form, page.Errors, page.Scopes = f, p.Fields(errs), campaign.Scopes
	if len(errs) > 0 {
		page.Message = p.T("notice.incomplete")
	}
	return s.render(c, status, "tasklist", page)
}

// printTaskList handles GET /admin/tasklist/print: the same list as a document for A4 paper
// (static/style.css prints it alone, landscape).
func (s *Server) printTaskList(c echo.Context) error {
	page, err := s.loadTaskList(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "tasklist_print", page)
}

// exportTaskList handles GET /admin/tasklist.xlsx: the same list as a workbook, audited as an
// export.
func (s *Server) exportTaskList(c echo.Context) error {
	choice, _, err := s.chooseTaskList(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rows, err := s.store.TaskList(ctx, choice.Filter)
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	if err := s.store.Record(ctx, u.ID, "export", "tasklist "+choice.Query); err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	res.Header().Set("Content-Disposition", `attachment; filename="minsheng-tasklist-`+s.store.Today()+`.xlsx"`)
	p := s.printer(c)
	title := p.T("notice.tasklist_title")
	if choice.Campaign.ID != 0 {
		title = choice.Campaign.Name
	}
	return export.In(p).WriteTaskList(res, title, rows)
}
