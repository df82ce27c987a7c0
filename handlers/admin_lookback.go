package handlers

// 回头看 of a campaign (#14, features 39 and 41): from the campaign's 回头看 day, its open
// rectifications on the 督导组's review list, grouped by lead unit, with their lag; the lead
// unit's liaison (or a reviewer) records 原因分析 and 加快措施 for the lagging ones.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// lookBackAuditTerms word the 回头看's audited action for the audit log page.
var lookBackAuditTerms = []vocab.Term{auditTerm("lookback_note", "lookback.audit_note")}

// lookBackPage is the data of templates/pages/lookback.html.
type lookBackPage struct {
	Campaigns []campaign.Campaign // those with a 回头看 phase, most recently started first
	Campaign  *campaign.Campaign  // the one shown; nil when there is none
	Begun     bool                // its 回头看 day has come: the list is shown
	Groups    []lookBackGroup
	Lagging   int // lagging items
	Missing   int // lagging items with no cause and measures yet
	BehindIn  int // storage.LookBackBehindDays
	// The form that failed, kept with its words and errors beside its item.
	Form    lookBackForm
	Errors  map[string]string
	Message string
}

// lookBackGroup is one lead unit's items.
type lookBackGroup struct {
	Unit  string // the lead unit's name ("" when none was named)
	Items []lookBackRow
}

// lookBackRow is one item with whether this person may record for it.
type lookBackRow struct {
	storage.LookBackItem
	CanRecord bool
}

// lookBackForm is the 原因分析 and 加快措施 form of one item.
type lookBackForm struct {
	Opinion  string `form:"opinion"`
	Cause    string `form:"cause"`
	Measures string `form:"measures"`
}

// Validate says what is missing or too long (storage.MaxLookBackText characters each).
func (f *lookBackForm) Validate() locale.Fields {
	f.Cause, f.Measures = strings.TrimSpace(f.Cause), strings.TrimSpace(f.Measures)
	p := locale.Fields{}
	for field, text := range map[string]string{"cause": f.Cause, "measures": f.Measures} {
		switch {
		case text == "" && field == "cause":
			p[field] = locale.M("lookback.need_cause")
		case text == "":
			p[field] = locale.M("lookback.need_measures")
		case utf8.RuneCountInString(text) > storage.MaxLookBackText:
			p[field] = locale.M("lookback.too_long", storage.MaxLookBackText)
		}
	}
	return p
}

// mayReadLookBack: the 督导组 does the review; administrators, reviewers and the liaisons of the
// lead units (their own unit's items, by their scope) read it too.
func mayReadLookBack(v access.Viewer) bool {
	switch v.Role {
	case access.Supervisor, access.Admin, access.Reviewer, access.Liaison:
		return true
	}
	return false
}

// mayRecordLookBack: the lead unit's liaison (storage checks the unit), reviewers and administrators.
func mayRecordLookBack(v access.Viewer, it storage.LookBackItem) bool {
	switch v.Role {
	case access.Admin, access.Reviewer:
		return true
	case access.Liaison:
		return it.LeadUnit != "" && it.LeadUnit == v.Unit
	}
	return false
}

// showLookBack handles GET /admin/lookback[?campaign=ID]: the campaign's review list (by
// default the latest campaign whose 回头看 day has come).
func (s *Server) showLookBack(c echo.Context) error {
	id, _ := strconv.ParseInt(c.QueryParam("campaign"), 10, 64)
	return s.renderLookBack(c, http.StatusOK, id, lookBackPage{})
}

func (s *Server) renderLookBack(c echo.Context, status int, id int64, data lookBackPage) error {
	v := viewer(c)
	if !mayReadLookBack(v) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	ctx := c.Request().Context()
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	today := s.store.Today()
	for _, cp := range all {
		if cp.LookBackOn() != "" {
			data.Campaigns = append(data.Campaigns, cp)
		}
	}
	for i := range data.Campaigns {
		cp := &data.Campaigns[i]
		if cp.ID == id || (id == 0 && data.Campaign == nil && cp.LookBackOn() <= today) {
			data.Campaign = cp
		}
	}
	if id == 0 && data.Campaign == nil && len(data.Campaigns) > 0 {
		data.Campaign = &data.Campaigns[0]
	}
	if id != 0 && data.Campaign == nil {
		return echo.ErrNotFound
	}
	data.BehindIn = storage.LookBackBehindDays
	if data.Campaign != nil && data.Campaign.LookBackOn() <= today {
		data.Begun = true
		items, err := s.store.LookBackList(ctx, data.Campaign.ID, v, today)
		if err != nil {
			return err
		}
		for _, it := range items {
			if n := len(data.Groups); n == 0 || data.Groups[n-1].Unit != it.LeadUnitName {
				data.Groups = append(data.Groups, lookBackGroup{Unit: it.LeadUnitName})
			}
			g := &data.Groups[len(data.Groups)-1]
			g.Items = append(g.Items, lookBackRow{LookBackItem: it, CanRecord: mayRecordLookBack(v, it)})
			if it.Lagging() {
				data.Lagging++
			}
			if it.NeedsNote() {
				data.Missing++
			}
		}
	}
	return s.render(c, status, "lookback", data)
}

// recordLookBack handles POST /admin/lookback/:campaign: the cause and measures of one item
// (field opinion), then back to the list at that item.
func (s *Server) recordLookBack(c echo.Context) error {
	v := viewer(c)
	if v.Role != access.Admin && v.Role != access.Reviewer && v.Role != access.Liaison {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	id, err := strconv.ParseInt(c.Param("campaign"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	var f lookBackForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	p := s.printer(c)
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderLookBack(c, http.StatusUnprocessableEntity, id,
			lookBackPage{Form: f, Errors: p.Fields(errs), Message: p.T("lookback.not_saved")})
	}
	me, _ := staffUser(c)
	err = s.store.RecordLookBackNote(c.Request().Context(), v, me.ID, id, f.Opinion,
		storage.LookBackNote{Cause: f.Cause, Measures: f.Measures})
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return echo.ErrNotFound
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/lookback?campaign="+strconv.FormatInt(id, 10)+"#item-"+f.Opinion)
}
