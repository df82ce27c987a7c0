package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/export"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
	"minsheng/workday"
)

// readAuditTerms word the audited reads (storage.ActionOpen*); auditLabels holds them with the
// other actions.
var readAuditTerms = []vocab.Term{
	auditTerm(storage.ActionOpenReport, "auditpage.action_open_report"),
	auditTerm(storage.ActionOpenEvaluation, "auditpage.action_open_evaluation"),
}

// auditActionTerms are the actions the page's filter offers, in the order of auditLabels' list.
var auditActionTerms = slices.Concat(baseAuditTerms, problemAuditTerms, notifyAuditTerms, threadAuditTerms, planAuditTerms,
	noticeAuditTerms, readAuditTerms, campaignAuditTerms, lookBackAuditTerms, reportCommentAuditTerms,
	symposiumAuditTerms, roles16AuditTerms)

// auditForm is the filter of the audit log page (GET, query parameters).
type auditForm struct {
	Person string `query:"person"` // a staff member's id
	Action string `query:"action"`
	Item   string `query:"item"` // an opinion id
	From   string `query:"from"` // YYYY-MM-DD
	To     string `query:"to"`
	Before string `query:"before"` // the keyset of the page
}

// itemIDPattern is what an opinion id may look like; anything else cannot be one.
var itemIDPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,32}$`)

// Validate checks the filter against the staff list and the known actions.
func (f auditForm) Validate(people []storage.User) locale.Fields {
	errs := locale.Fields{}
	if f.Person != "" {
		id, _ := strconv.ParseInt(f.Person, 10, 64)
		known := false
		for _, u := range people {
			known = known || u.ID == id
		}
		if !known {
			errs["person"] = locale.M("auditpage.person_unknown")
		}
	}
	if _, ok := auditLabels[f.Action]; f.Action != "" && !ok {
		errs["action"] = locale.M("auditpage.action_unknown")
	}
	if f.Item != "" && !itemIDPattern.MatchString(f.Item) {
		errs["item"] = locale.M("auditpage.item_invalid")
	}
	for field, day := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := workday.ParseDate(day); day != "" && err != nil {
			errs[field] = locale.M("auditpage.day_invalid")
		}
	}
	if errs["from"].Key == "" && errs["to"].Key == "" && f.From != "" && f.To != "" && f.To < f.From {
		errs["to"] = locale.M("auditpage.to_before_from")
	}
	return errs
}

// filter is the form as storage reads it, for v. people are the accounts of v's branch: an
// administrator limited to a branch reads the entries attributed to it alone (#15).
func (f auditForm) filter(v access.Viewer, people []storage.User) storage.AuditFilter {
	person, _ := strconv.ParseInt(f.Person, 10, 64)
	before, _ := strconv.ParseInt(f.Before, 10, 64)
	af := storage.AuditFilter{Discipline: v.Role == access.Discipline, UserID: person, Action: f.Action,
		OpinionID: f.Item, From: f.From, To: f.To, Before: before}
	if v.Branch != "" {
		af.Branch, af.BranchUnits = true, v.BranchUnits
		for _, u := range people {
			af.BranchActors = append(af.BranchActors, u.ID)
		}
	}
	return af
}

// query is the form's filter as URL parameters (without the page), for the links of the page.
func (f auditForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"person": f.Person, "action": f.Action, "item": f.Item, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// auditPage is the data of templates/pages/audit.html, in the reader's language.
type auditPage struct {
	Form       auditForm
	Errors     map[string]string
	People     []storage.User
	Actions    []vocab.Term
	Rows       []auditLine
	NextURL    string
	FirstURL   string // on an older page: the newest page of the same filter
	ExportURL  string // CSV
	ExportXLSX string
	Discipline bool // the reader is 纪检 and sees the entries about 举报
}

// auditLine is one entry as the page shows it.
type auditLine struct {
	At                           time.Time
	Person, Action, Item, Detail string
}

// showAudit handles GET /admin/audit (administrators and discipline): the log, newest first,
// a page at a time, filtered by person, action, item and period.
func (s *Server) showAudit(c echo.Context) error {
	ctx := c.Request().Context()
	var f auditForm
	if err := c.Bind(&f); err != nil {
		return echo.ErrBadRequest
	}
	people, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	v, p := viewer(c), s.printer(c)
	people = accountsInBranch(v, people)
	page := auditPage{Form: f, People: people, Discipline: v.Role == access.Discipline}
	for _, a := range auditActionTerms { // the openings of 举报 are 纪检's entries alone
		if page.Discipline || a.Code != storage.ActionOpenReport {
			page.Actions = append(page.Actions, a)
		}
	}
	if errs := f.Validate(people); len(errs) > 0 {
		page.Errors = p.Fields(errs)
		return s.render(c, http.StatusUnprocessableEntity, "audit", page)
	}
	rows, next, err := s.store.AuditPage(ctx, f.filter(v, people))
	if err != nil {
		return err
	}
	for _, r := range rows {
		page.Rows = append(page.Rows, auditLineOf(p, r))
	}
	q := f.query()
	if f.Before != "" {
		page.FirstURL = "/admin/audit?" + q.Encode()
	}
	if next != 0 {
		nq := f.query()
		nq.Set("before", strconv.FormatInt(next, 10))
		page.NextURL = "/admin/audit?" + nq.Encode()
	}
	q.Set("format", "csv")
	page.ExportURL = "/admin/audit/export?" + q.Encode()
	q.Set("format", "xlsx")
	page.ExportXLSX = "/admin/audit/export?" + q.Encode()
	return s.render(c, http.StatusOK, "audit", page)
}

// auditWriter is what both formats of the audit log's export offer.
type auditWriter interface {
	Write(export.AuditLine) error
	Close() error
}

// exportAudit handles GET /admin/audit/export?format=csv|xlsx&… (administrators and
// discipline): every entry the filter chooses, recorded in the log before a byte is sent.
func (s *Server) exportAudit(c echo.Context) error {
	ctx := c.Request().Context()
	var f auditForm
	format := c.QueryParam("format")
	if err := c.Bind(&f); err != nil || (format != "csv" && format != "xlsx") {
		return echo.ErrBadRequest
	}
	people, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	v, p := viewer(c), s.printer(c)
	people = accountsInBranch(v, people)
	if len(f.Validate(people)) > 0 {
		return echo.ErrBadRequest
	}
	u, _ := staffUser(c)
	// The entry of the export has no item, so the administrator reads it: for 纪检 it keeps
	// the filter without the item, which would name a 举报.
	what := f.query()
	if v.Role == access.Discipline {
		what.Del("item")
	}
	if err := s.store.Record(ctx, u.ID, "export", format+" audit "+what.Encode()); err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set("Content-Disposition", `attachment; filename="minsheng-audit-`+s.store.Today()+"."+format+`"`)
	var w auditWriter
	if format == "csv" {
		res.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w, err = export.In(p).NewAuditCSV(res)
	} else {
		res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w, err = export.In(p).NewAuditXLSX(res)
	}
	if err != nil {
		return err
	}
	err = s.store.EachAudit(ctx, f.filter(v, people), func(r storage.AuditRow) error {
		l := auditLineOf(p, r)
		return w.Write(export.AuditLine{Time: l.At.In(displayZone).Format("2006-01-02 15:04:05"),
			Person: l.Person, Action: l.Action, Item: l.Item, Detail: l.Detail})
	})
	if err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// auditLineOf puts an entry into p's words: the action's name, its detail as an item's
// history shows it, and the words of the audited reads.
func auditLineOf(p *locale.Printer, r storage.AuditRow) auditLine {
	l := auditLine{At: r.At, Person: r.Username, Action: auditLabel(p, r.Action), Item: r.OpinionID}
	if l.Person == "" {
		l.Person = p.T("auditpage.system")
	}
	switch r.Action {
	case storage.ActionOpenReport:
		l.Detail = p.T("auditpage.opened_item")
		if r.Detail == "sheet" {
			l.Detail = p.T("auditpage.opened_sheet")
		}
	case storage.ActionOpenEvaluation:
		l.Detail = p.T("auditpage.opened_evaluation", r.Detail)
	default:
		l.Detail = auditDetail(p, r.Action, r.Detail)
	}
	return l
}
