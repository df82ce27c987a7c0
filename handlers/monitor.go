package handlers

// The citizen supervisor (行风/社会监督员, access.Monitor, feature 58): an appointed outsider
// with a login, who may submit with their role recorded, read the public notice (公示) of
// their assigned units in more detail, and follow what they submitted; nothing else. How the
// link from the person to their opinions is kept: storage/monitor.go.

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/vocab"
)

// monitorRoutes are the only staff routes a citizen supervisor's session reaches (requireStaff
// refuses every other with 403, whatever the route's own rule says).
var monitorRoutes = map[string]bool{
	"POST /admin/logout": true, "GET /admin": true, "GET /admin/": true,
	"GET /admin/profile": true, "POST /admin/profile": true,
	"GET /admin/jiandu": true, "GET /admin/jiandu/submit": true, "POST /admin/jiandu/submit": true,
	"GET /admin/jiandu/gongshi": true,
}

// monitorMay reports whether the request is one a citizen supervisor may make.
func monitorMay(c echo.Context) bool {
	method := c.Request().Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return monitorRoutes[method+" "+c.Path()]
}

// monitorStep is one move of an opinion in the reader's words.
type monitorStep struct{ Day, From, To string }

// monitorItemView is one of the supervisor's own opinions with its progress in plain words.
type monitorItemView struct {
	storage.MonitorItem
	TypeLabel, StatusWords, Day, DeadlineDay, KindLabel, ClosedDay string
	Steps                                                          []monitorStep
}

// monitorPage is the data of templates/pages/monitor.html.
type monitorPage struct {
	Items []monitorItemView
	Done  bool // just submitted (after the 303)
	Units []string
}

// stepsIn words a list of steps in p's language.
func stepsIn(p *locale.Printer, steps []storage.Step) []monitorStep {
	out := make([]monitorStep, len(steps))
	for i, st := range steps {
		out[i] = monitorStep{Day: p.Day(st.Day), From: lifecycle.BoardIn(p, st.From), To: lifecycle.BoardIn(p, st.To)}
	}
	return out
}

// showMonitorHome handles GET /admin/jiandu: the supervisor's own submissions and their progress.
func (s *Server) showMonitorHome(c echo.Context) error {
	u, _ := staffUser(c)
	if u.Role != access.Monitor {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	items, err := s.store.MonitorItems(ctx, u.ID)
	if err != nil {
		return err
	}
	p := s.printer(c)
	page := monitorPage{Done: c.QueryParam("done") == "1"}
	for _, it := range items {
		v := monitorItemView{MonitorItem: it, TypeLabel: vocab.LabelIn(p, vocab.Types, it.Type),
			StatusWords: lifecycle.BoardIn(p, it.Status), Day: p.Day(it.CreatedOn), DeadlineDay: p.Day(it.Deadline),
			ClosedDay: p.Day(it.ClosedOn), Steps: stepsIn(p, it.Steps)}
		if it.Kind != "" {
			v.KindLabel = vocab.LabelIn(p, lifecycle.Kinds, it.Kind)
		}
		page.Items = append(page.Items, v)
	}
	if page.Units, err = s.unitNames(c, u.Linked); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "monitor", page)
}

// unitNames are the names of codes, in their order (a retired unit by its code).
func (s *Server) unitNames(c echo.Context, codes []string) ([]string, error) {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = code
		for _, u := range units {
			if u.Code == code {
				names[i] = u.Name
			}
		}
	}
	return names, nil
}

// monitorForm is a supervisor's opinion: no submitter choice (the role says it) and no
// contact (they are followed up through their account).
type monitorForm struct {
	Type       string `form:"type"`
	Unit       string `form:"unit"`
	Dept       string `form:"dept"`
	Content    string `form:"content"`
	Leadership string `form:"leadership"`
}

// Validate returns a message per wrong field, as the public form words them.
func (f *monitorForm) Validate(units []storage.Unit) locale.Fields {
	f.Type, f.Unit, f.Dept = strings.TrimSpace(f.Type), strings.TrimSpace(f.Unit), strings.TrimSpace(f.Dept)
	f.Content = strings.TrimSpace(f.Content)
	errs := opinionFields{Type: f.Type, Unit: f.Unit, Dept: f.Dept, Content: f.Content}.problems(units, publicWording)
	delete(errs, "submitter") // fixed by the role
	return errs
}

// monitorSubmitPage is the data of templates/pages/monitor_submit.html.
type monitorSubmitPage struct {
	Form    monitorForm
	Errors  map[string]string
	Message string
	Types   []vocab.Term
	Units   []storage.Unit
}

// showMonitorSubmit handles GET /admin/jiandu/submit.
func (s *Server) showMonitorSubmit(c echo.Context) error {
	return s.renderMonitorSubmit(c, http.StatusOK, monitorSubmitPage{Form: monitorForm{Type: "opinion"}})
}

func (s *Server) renderMonitorSubmit(c echo.Context, status int, page monitorSubmitPage) error {
	if u, _ := staffUser(c); u.Role != access.Monitor {
		return echo.ErrForbidden
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	page.Types, page.Units = vocab.Types, units
	return s.render(c, status, "monitor_submit", page)
}

// submitMonitor handles POST /admin/jiandu/submit: stored as the public's opinions are, with
// submitter category monitor, and linked to the person apart (storage/monitor.go).
func (s *Server) submitMonitor(c echo.Context) error {
	u, _ := staffUser(c)
	if u.Role != access.Monitor {
		return echo.ErrForbidden
	}
	var f monitorForm
	if err := c.Bind(&f); err != nil {
		return echo.ErrBadRequest
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.printer(c)
	if errs := f.Validate(units); len(errs) > 0 {
		return s.renderMonitorSubmit(c, http.StatusUnprocessableEntity,
			monitorSubmitPage{Form: f, Errors: p.Fields(errs), Message: p.T("monitor.fix_below")})
	}
	normalised, _ := receipt.Parse(receipt.New()) // never shown: the account follows it
	_, err = s.store.CreateOpinion(c.Request().Context(), storage.NewOpinion{Type: f.Type, UnitCode: f.Unit, Dept: f.Dept,
		Submitter: storage.MonitorSubmitter, Content: f.Content, AboutLeadership: f.Leadership != "", MonitorID: u.ID},
		s.receipts.Hash(normalised))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return s.renderMonitorSubmit(c, http.StatusUnprocessableEntity, monitorSubmitPage{Form: f,
			Errors: p.Fields(locale.Fields{"unit": locale.M("submit.choose_unit")}), Message: p.T("monitor.fix_below")})
	case err != nil && isOverload(err):
		c.Response().Header().Set("Retry-After", "30")
		return s.renderMonitorSubmit(c, http.StatusServiceUnavailable, monitorSubmitPage{Form: f, Message: p.T("monitor.busy")})
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/jiandu?done=1")
}

// monitorPublicationView is a published item of an assigned unit with its detail in words.
type monitorPublicationView struct {
	storage.MonitorPublication
	StatusWords, Published, DeadlineDay, KindLabel, CheckLabel, ClosedDay string
	Steps                                                                 []monitorStep
}

// monitorBoardPage is the data of templates/pages/monitor_gongshi.html.
type monitorBoardPage struct {
	Units []string
	Items []monitorPublicationView
}

// showMonitorBoard handles GET /admin/jiandu/gongshi: the 公示 of the supervisor's assigned
// units, with every step and its day, the check's result and the deadline of each published
// item; what the public board shows and no more of what people wrote.
func (s *Server) showMonitorBoard(c echo.Context) error {
	u, _ := staffUser(c)
	if u.Role != access.Monitor {
		return echo.ErrForbidden
	}
	pubs, err := s.store.MonitorBoard(c.Request().Context(), u.Linked)
	if err != nil {
		return err
	}
	p := s.printer(c)
	var page monitorBoardPage
	if page.Units, err = s.unitNames(c, u.Linked); err != nil {
		return err
	}
	for _, pub := range pubs {
		v := monitorPublicationView{MonitorPublication: pub, StatusWords: lifecycle.BoardIn(p, pub.Status),
			Published: p.Day(pub.PublishedOn), DeadlineDay: p.Day(pub.Deadline), ClosedDay: p.Day(pub.ClosedOn),
			Steps: stepsIn(p, pub.Steps)}
		if pub.Kind != "" {
			v.KindLabel = vocab.LabelIn(p, lifecycle.Kinds, pub.Kind)
		}
		if pub.Checked != "" {
			v.CheckLabel = vocab.LabelIn(p, lifecycle.Checks, pub.Checked)
		}
		page.Items = append(page.Items, v)
	}
	return s.render(c, http.StatusOK, "monitor_gongshi", page)
}
