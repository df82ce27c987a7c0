package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/vocab"
)

// symposiumAuditTerms word the meeting's audited action for the audit log page.
var symposiumAuditTerms = []vocab.Term{
	auditTerm("symposium", "paper16.symposium.audit"),
	auditTerm("directory", "paper16.directory.audit"),
}

// symposiaPath is where the meetings live; the receipts of a batch are held for its pages.
const (
	symposiaPath    = "/admin/symposia"
	symposiumCookie = "symposium_receipts"
)

// symposiaPage is the data of templates/pages/symposia.html.
type symposiaPage struct {
	Meetings []storage.Symposium
}

// symposiumFormPage is the data of templates/pages/symposium_new.html.
type symposiumFormPage struct {
	Form       symposiumForm
	Errors     map[string]string
	Message    string
	Units      []storage.Unit
	Types      []vocab.Term
	Submitters []vocab.Term
	Today      string
	MoreRows   bool // the batch may still grow
}

// symposiumPage is the data of templates/pages/symposium.html.
type symposiumPage struct {
	Meeting  storage.Symposium
	Opinions []storage.Opinion
	Hidden   int      // opinions of the meeting the reader may not open
	Receipts []string // the codes of the batch just stored, shown this once, in order
}

// symposiumUnit is the unit whose meetings v may see: "" for all, a liaison's own.
func symposiumUnit(v access.Viewer) string {
	if v.Role == access.Liaison {
		return v.Unit
	}
	return ""
}

// showSymposia handles GET /admin/symposia: the meetings, the latest first.
func (s *Server) showSymposia(c echo.Context) error {
	list, err := s.store.Symposia(c.Request().Context(), symposiumUnit(viewer(c)))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "symposia", symposiaPage{Meetings: list})
}

// showNewSymposium handles GET /admin/symposia/new: an empty meeting with empty rows.
func (s *Server) showNewSymposium(c echo.Context) error {
	units, err := s.transcribeUnits(c, viewer(c))
	if err != nil {
		return err
	}
	f := symposiumForm{HeldOn: s.store.Today()}
	if len(units) == 1 {
		f.Unit = units[0].Code
	}
	f.addRows()
	return s.renderSymposiumForm(c, http.StatusOK, symposiumFormPage{Form: f}, units)
}

// recordSymposium handles POST /admin/symposia: the meeting and every opinion typed in, stored
// all together or not at all (storage.RecordSymposium), then 303 to the meeting's page, which
// shows the batch's receipt codes (held for this browser a few minutes, as transcription holds
// its one code). "more" re-shows the form with more rows, storing nothing.
func (s *Server) recordSymposium(c echo.Context) error {
	var f symposiumForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	form, _ := c.FormParams()
	f.readRows(form)
	units, err := s.transcribeUnits(c, viewer(c))
	if err != nil {
		return err
	}
	if f.More == "1" {
		f.addRows()
		return s.renderSymposiumForm(c, http.StatusOK, symposiumFormPage{Form: f}, units)
	}
	p := s.printer(c)
	if errs := f.Validate(units, s.store.Today()); len(errs) > 0 {
		return s.renderSymposiumForm(c, http.StatusUnprocessableEntity,
			symposiumFormPage{Form: f, Errors: p.Fields(errs), Message: p.T("paper16.symposium.fix_below")}, units)
	}
	u, _ := staffUser(c)
	n := f.symposium(u.ID)
	codes := make([]string, len(n.Opinions))
	for i := range codes {
		codes[i] = receipt.New()
		normalised, _ := receipt.Parse(codes[i])
		n.Hashes = append(n.Hashes, s.receipts.Hash(normalised))
	}
	id, _, err := s.store.RecordSymposium(c.Request().Context(), u.ID, n)
	if err != nil {
		return s.refuseSymposium(c, f, units, err)
	}
	s.holdSymposiumReceipts(c, id, codes)
	return c.Redirect(http.StatusSeeOther, symposiaPath+"/"+strconv.FormatInt(id, 10))
}

// refuseSymposium shows the form again, every row kept, after storage refused the batch: the
// refusal beside the row it concerns, 503 when the portal is busy.
func (s *Server) refuseSymposium(c echo.Context, f symposiumForm, units []storage.Unit, err error) error {
	p := s.printer(c)
	page := symposiumFormPage{Form: f, Message: p.T("paper16.symposium.fix_below")}
	var row *storage.ErrSymposiumRow
	switch {
	case errors.As(err, &row):
		filled := 0
		for _, r := range f.Rows {
			if r.blank() {
				continue
			}
			if filled == row.Row {
				page.Errors = map[string]string{"content_" + itoa(r.No): p.T("paper16.symposium.row_refused")}
			}
			filled++
		}
		return s.renderSymposiumForm(c, http.StatusUnprocessableEntity, page, units)
	case errors.Is(err, storage.ErrNotFound):
		page.Errors = map[string]string{"unit": p.T("transcribe.unit_gone")}
		return s.renderSymposiumForm(c, http.StatusUnprocessableEntity, page, units)
	case isOverload(err):
		c.Response().Header().Set("Retry-After", "30")
		page.Message = p.T("transcribe.busy")
		return s.renderSymposiumForm(c, http.StatusServiceUnavailable, page, units)
	}
	return err
}

// renderSymposiumForm fills the choices and shows the form.
func (s *Server) renderSymposiumForm(c echo.Context, status int, page symposiumFormPage, units []storage.Unit) error {
	page.Units, page.Types, page.Submitters, page.Today = units, vocab.Types, vocab.Submitters, s.store.Today()
	page.MoreRows = len(page.Form.Rows) < storage.MaxSymposiumBatch
	page.Form.RowCount = itoa(len(page.Form.Rows))
	if len(units) == 0 && page.Message == "" {
		page.Message = s.printer(c).T("transcribe.no_units")
	}
	return s.render(c, status, "symposium_new", page)
}

// showSymposium handles GET /admin/symposia/{id}: the meeting and the opinions raised at it
// that the reader may open, with their statuses; a liaison opens their own unit's alone.
func (s *Server) showSymposium(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	v := viewer(c)
	m, err := s.store.Symposium(ctx, id)
	if err != nil {
		return err
	}
	if unit := symposiumUnit(v); unit != "" && m.UnitCode != unit {
		return echo.ErrNotFound
	}
	list, hidden, err := s.store.SymposiumOpinions(ctx, id, v)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "symposium", symposiumPage{Meeting: m, Opinions: list, Hidden: hidden,
		Receipts: s.symposiumReceipts(c, id)})
}

// heldSymposium is what the pick-up store keeps of a batch: its meeting and receipt codes.
type heldSymposium struct {
	ID    int64    `json:"m"`
	Codes []string `json:"c"`
}

// holdSymposiumReceipts keeps the batch's codes for the meeting's page (never in a URL, never
// in the database): sealed in a cookie sent only to the meetings' pages, as the transcription
// form keeps its one code, so any portal process can show them.
func (s *Server) holdSymposiumReceipts(c echo.Context, id int64, codes []string) {
	payload, _ := json.Marshal(heldSymposium{ID: id, Codes: codes})
	c.SetCookie(&http.Cookie{Name: symposiumCookie, Value: s.pickups.Seal(symposiumCookie, payload), Path: symposiaPath,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// symposiumReceipts are the codes this browser holds for meeting id, or none.
func (s *Server) symposiumReceipts(c echo.Context, id int64) []string {
	ck, err := c.Cookie(symposiumCookie)
	if err != nil {
		return nil
	}
	var h heldSymposium
	if payload, ok := s.pickups.Open(symposiumCookie, ck.Value); ok && json.Unmarshal(payload, &h) == nil && h.ID == id {
		return h.Codes
	}
	return nil
}

// symposiumLink is the meeting o was raised at, when the reader may open it (whoever types
// items in; a liaison their own unit's meetings); 0 otherwise.
func (s *Server) symposiumLink(c echo.Context, o storage.Opinion) (int64, error) {
	v := viewer(c)
	if !v.CanTranscribeChannel(symposiumChannel) {
		return 0, nil
	}
	id, err := s.store.SymposiumOf(c.Request().Context(), o.ID)
	if err != nil || id == 0 {
		return 0, err
	}
	if unit := symposiumUnit(v); unit != "" && unit != o.UnitCode {
		return 0, nil
	}
	return id, nil
}

// requireChannel lets through only those who may type in items of the channel channel() names
// (access.Viewer.CanTranscribeChannel): the 督导组, who enters its own findings alone, records
// no meeting and prints no paper form.
func requireChannel(channel func() string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !viewer(c).CanTranscribeChannel(channel()) {
				return echo.ErrForbidden
			}
			return next(c)
		}
	}
}

// forumChannel is symposiumChannel, for requireChannel.
func forumChannel() string { return symposiumChannel }

// paperAuditDetail words the details of the audited meetings ("ID DAY UNIT N") and directory
// changes ("contacts", "unit CODE") in p's language; ok is false for other actions.
func paperAuditDetail(p *locale.Printer, action, detail string) (string, bool) {
	switch action {
	case "symposium":
		f := strings.Fields(detail)
		if len(f) == 4 {
			n, _ := strconv.Atoi(f[3])
			return p.T("paper16.symposium.audit_detail", p.Day(f[1]), f[2], n), true
		}
	case "directory":
		if detail == "contacts" {
			return p.T("paper16.directory.audit_contacts"), true
		}
		if unit, ok := strings.CutPrefix(detail, "unit "); ok {
			return p.T("paper16.directory.audit_unit", unit), true
		}
	}
	return "", false
}
