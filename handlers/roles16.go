package handlers

// Accountability records (追责问责, feature 43) and the conduct record (医德医风档案, feature 64).

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// roles16AuditTerms are the words of the audit actions of this file and of the roles' grants.
var roles16AuditTerms = []vocab.Term{
	auditTerm("accountability_add", "roles16.audit_accountability_add"),
	auditTerm("conduct_grant", "roles16.audit_conduct_grant"),
	auditTerm("conduct_revoke", "roles16.audit_conduct_revoke"),
	auditTerm("conduct_on", "roles16.audit_conduct_on"),
	auditTerm("conduct_off", "roles16.audit_conduct_off"),
	auditTerm("conduct_view", "roles16.audit_conduct_view"),
}

// accountabilityForm is one decision as typed.
type accountabilityForm struct {
	DecidedBy string `form:"decided_by"`
	Measure   string `form:"measure"`
	DecidedOn string `form:"decided_on"`
	DocNo     string `form:"doc_no"`
}

// Validate returns a message per wrong field; today bounds the day.
func (f *accountabilityForm) Validate(today string) locale.Fields {
	f.DecidedBy, f.Measure = strings.TrimSpace(f.DecidedBy), strings.TrimSpace(f.Measure)
	f.DecidedOn, f.DocNo = strings.TrimSpace(f.DecidedOn), strings.TrimSpace(f.DocNo)
	errs := locale.Fields{}
	if f.DecidedBy == "" || textProblem(f.DecidedBy, 1, 100).Key != "" {
		errs["decided_by"] = locale.M("roles16.acc_decided_by_required")
	}
	if !vocab.Valid(vocab.Measures, f.Measure) {
		errs["measure"] = locale.M("roles16.acc_measure_required")
	}
	if _, err := time.Parse("2006-01-02", f.DecidedOn); err != nil || f.DecidedOn > today {
		errs["decided_on"] = locale.M("roles16.acc_day_required")
	}
	if textProblem(f.DocNo, 0, 60).Key != "" {
		errs["doc_no"] = locale.M("roles16.acc_doc_no_bad")
	}
	return errs
}

// accountabilityRow is a record in the reader's words.
type accountabilityRow struct {
	storage.AccountabilityRecord
	MeasureLabel, Day string
}

// accountabilityPage is the data of templates/pages/accountability.html: one opinion's records
// and the form (OpinionID set), or every record the reader may read.
type accountabilityPage struct {
	OpinionID string
	Flagged   bool
	Records   []accountabilityRow
	Measures  []vocab.Term
	Form      accountabilityForm
	Errors    map[string]string
	Message   string
	Today     string
}

// accountabilityRows words records for p.
func accountabilityRows(p *locale.Printer, recs []storage.AccountabilityRecord) []accountabilityRow {
	out := make([]accountabilityRow, len(recs))
	for i, r := range recs {
		out[i] = accountabilityRow{AccountabilityRecord: r, MeasureLabel: vocab.LabelIn(p, vocab.Measures, r.Measure), Day: p.Day(r.DecidedOn)}
	}
	return out
}

// showAccountability handles GET /admin/opinions/{id}/accountability.
func (s *Server) showAccountability(c echo.Context) error {
	return s.renderAccountability(c, http.StatusOK, accountabilityPage{})
}

func (s *Server) renderAccountability(c echo.Context, status int, page accountabilityPage) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	r, err := s.store.Rectification(ctx, id)
	if err != nil {
		return err
	}
	recs, err := s.store.AccountabilityRecords(ctx, id, true) // itemAccess let this reader open it
	if err != nil {
		return err
	}
	page.OpinionID, page.Flagged = id, r.Accountability
	page.Records, page.Measures, page.Today = accountabilityRows(s.printer(c), recs), vocab.Measures, s.store.Today()
	return s.render(c, status, "accountability", page)
}

// addAccountability handles POST /admin/opinions/{id}/accountability.
func (s *Server) addAccountability(c echo.Context) error {
	var f accountabilityForm
	if err := c.Bind(&f); err != nil {
		return echo.ErrBadRequest
	}
	p := s.printer(c)
	if errs := f.Validate(s.store.Today()); len(errs) > 0 {
		return s.renderAccountability(c, http.StatusUnprocessableEntity,
			accountabilityPage{Form: f, Errors: p.Fields(errs), Message: p.T("roles16.acc_fix_below")})
	}
	me, _ := staffUser(c)
	_, err := s.store.AddAccountability(c.Request().Context(), me.ID, storage.NewAccountability{OpinionID: c.Param("id"),
		DecidedBy: f.DecidedBy, Measure: f.Measure, DecidedOn: f.DecidedOn, DocNo: f.DocNo})
	if errors.Is(err, storage.ErrNotFlagged) {
		return s.renderAccountability(c, http.StatusConflict, accountabilityPage{Form: f, Message: p.T("roles16.acc_not_flagged")})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/opinions/"+c.Param("id")+"/accountability")
}

// showAccountabilityList handles GET /admin/accountability: every record the reader may read
// (administrators not those about 举报 or discipline-mailbox letters; discipline all).
func (s *Server) showAccountabilityList(c echo.Context) error {
	recs, err := s.store.AccountabilityRecords(c.Request().Context(), "", viewer(c).Role == access.Discipline)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "accountability", accountabilityPage{Records: accountabilityRows(s.printer(c), recs)})
}

// conductPage is the data of templates/pages/conduct.html.
type conductPage struct {
	Settings storage.ConductSettings
	IsAdmin  bool // may turn it on or off
	Choose   bool // may choose any department or badge (granted by name)
	Unit     string
	Dept     string
	Badge    string // only while the badge record is on
	From, To string // YYYY-MM
	Units    []storage.Unit
	Months   []storage.ConductMonth
	Asked    bool // a subject was chosen and read
}

// showConduct handles GET /admin/conduct[?unit=&dept=|badge=&from=&to=]: the conduct record of
// one 科室, or of one badge number where the administrator turned that on, month by month,
// verified items only (storage/conduct.go). Those granted it choose; a department head reads
// their own 科室; everyone else is refused (403). While the record is off, only administrators
// reach the page, to turn it on.
func (s *Server) showConduct(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	set, err := s.store.ConductSettings(ctx)
	if err != nil {
		return err
	}
	reader := v.ConductReader && v.Role != access.Monitor
	head := v.Role == access.DeptHead && v.Dept != ""
	page := conductPage{Settings: set, IsAdmin: v.Can(access.Administer), Choose: reader}
	if !reader && !head && !page.IsAdmin {
		return echo.ErrForbidden
	}
	if !set.Enabled || (!reader && !head) {
		return s.render(c, http.StatusOK, "conduct", page) // off, or an administrator without the grant
	}
	today := s.store.Today()[:7]
	page.From, page.To = c.QueryParam("from"), c.QueryParam("to")
	if !validMonth(page.From) || !validMonth(page.To) || page.From > page.To || monthsAfter(page.From, 24) <= page.To {
		page.From, page.To = monthsAfter(today, -11), today
	}
	page.Unit, page.Dept = strings.TrimSpace(c.QueryParam("unit")), strings.TrimSpace(c.QueryParam("dept"))
	if set.Badges && reader {
		page.Badge = strings.TrimSpace(c.QueryParam("badge"))
	}
	if !reader {
		page.Unit, page.Dept = v.Unit, v.Dept // a department head: their own, whatever was asked
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	subject := storage.ConductSubject{Unit: page.Unit, Dept: page.Dept, Badge: page.Badge}
	if page.Badge != "" {
		subject.Dept = ""
	}
	if subject.Unit == "" || (subject.Dept == "" && subject.Badge == "") || !v.CanSeeConduct(subject.Unit, subject.Dept) {
		return s.render(c, http.StatusOK, "conduct", page)
	}
	me, _ := staffUser(c)
	if page.Months, err = s.store.ConductRecord(ctx, me.ID, subject, page.From, page.To); err != nil {
		return err
	}
	page.Asked = true
	return s.render(c, http.StatusOK, "conduct", page)
}

// validMonth reports whether m is YYYY-MM.
func validMonth(m string) bool {
	_, err := time.Parse("2006-01", m)
	return err == nil && len(m) == 7
}

// monthsAfter is the month n months after m (YYYY-MM; n may be negative).
func monthsAfter(m string, n int) string {
	t, _ := time.Parse("2006-01", m)
	return t.AddDate(0, n, 0).Format("2006-01")
}

// setConductEnabled handles POST /admin/conduct/enabled: enabled=1 turns the record on,
// badges=1 as well the record by badge number.
func (s *Server) setConductEnabled(c echo.Context) error {
	me, _ := staffUser(c)
	set := storage.ConductSettings{Enabled: c.FormValue("enabled") == "1", Badges: c.FormValue("badges") == "1"}
	if err := s.store.SetConductSettings(c.Request().Context(), me.ID, set); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/conduct")
}
