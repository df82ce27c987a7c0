package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/vocab"
)

// transcribeForm is what staff type in for an opinion that arrived on paper or by phone
// (信函, 意见箱, 电话…). channel, received_on, site and unit are the "sticky" fields that batch
// mode keeps from one slip to the next; batch and count ride along as hidden fields.
type transcribeForm struct {
	Channel    string `form:"channel"`
	ReceivedOn string `form:"received_on"`
	Site       string `form:"site"`
	Type       string `form:"type"`
	Unit       string `form:"unit"`
	Dept       string `form:"dept"`
	Submitter  string `form:"submitter"`
	Content    string `form:"content"`
	Contact    string `form:"contact"`
	Leadership string `form:"about_leadership"` // "1" when it concerns the unit's leadership
	WhoAbout          // the staff member's segment and whom it is about (form16.go)
	Batch      string `form:"batch"` // "1": emptying a box, one slip after another
	Count      string `form:"count"` // slips stored so far in this batch
}

// maxBatchCount bounds the running count a form may carry; it is only a number on the page.
const maxBatchCount = 100000

func (f *transcribeForm) normalise() {
	for _, p := range []*string{&f.Channel, &f.ReceivedOn, &f.Site, &f.Type, &f.Unit, &f.Dept, &f.Submitter, &f.Contact} {
		*p = strings.TrimSpace(*p)
	}
	f.Content = strings.TrimSpace(strings.ReplaceAll(f.Content, "\r\n", "\n"))
	f.WhoAbout.normalise()
}

// batch reports whether the form is in batch mode.
func (f transcribeForm) batch() bool { return f.Batch == "1" }

// count is the running number of slips stored in this batch; anything odd reads as 0.
func (f transcribeForm) count() int {
	n, err := strconv.Atoi(f.Count)
	if err != nil || n < 0 || n > maxBatchCount {
		return 0
	}
	return n
}

// staffWording is what the transcription form says about missing choices and text: catalog
// keys, written in the reader's language by Validate.
var staffWording = wording{
	Type:         "transcribe.type_missing",
	Submitter:    "transcribe.submitter_missing",
	NoContent:    "transcribe.content_missing",
	ShortContent: "transcribe.content_short",
}

// Validate returns a message per field that is wrong. units are the units this staff member
// may enter items for (a liaison: only their own); today is YYYY-MM-DD.
func (f transcribeForm) Validate(units []storage.Unit, today string) locale.Fields {
	errs := locale.Fields{}
	if !vocab.Transcribed(f.Channel) {
		errs["channel"] = locale.M("transcribe.channel_missing")
	}
	if d, err := time.Parse("2006-01-02", f.ReceivedOn); err != nil || d.Year() < 2000 {
		errs["received_on"] = locale.M("transcribe.received_missing", today)
	} else if f.ReceivedOn > today {
		errs["received_on"] = locale.M("transcribe.received_future", today)
	}
	if msg := textProblem(f.Site, 0, maxSite); msg.Key != "" {
		errs["site"] = fieldProblem("transcribe.site_field", msg)
	}
	// The fields the public form shares are checked as it checks them, in staff's words.
	for field, m := range (opinionFields{f.Type, f.Unit, f.Dept, f.Submitter, f.Content, f.Contact}).problems(units, staffWording) {
		errs[field] = m
	}
	for field, m := range f.WhoAbout.problems(f.Submitter) {
		errs[field] = m
	}
	return errs
}

// transcribePage is the data of templates/pages/transcribe.html.
type transcribePage struct {
	Form       transcribeForm
	Errors     map[string]string // in the reader's language, as Message
	Message    string
	Batch      bool
	Count      int    // 本批已录入 N 条
	Receipt    string // the code of the item just stored, shown this once
	Channels   []vocab.Term
	Types      []vocab.Term
	Submitters []vocab.Term
	Units      []storage.Unit
	// Segments and TargetKinds are the choices of the fields of form16.go.
	Segments, TargetKinds []vocab.Term
	Today                 string
	SiteNames             []string // registered sites (意见箱), offered for the site field
	// FilesDropped: scans were chosen but the form came back; they must be chosen again.
	FilesDropped bool
}

// transcribeUnits are the units v may enter items for: all of them for the office, only their
// own for a liaison.
func (s *Server) transcribeUnits(c echo.Context, v access.Viewer) ([]storage.Unit, error) {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var mine []storage.Unit
	for _, u := range units {
		if v.CanTranscribeFor(u.Code) {
			mine = append(mine, u)
		}
	}
	return mine, nil
}

// freshTranscribeForm is an empty slip: today's date, the commonest type and "other" as the
// submitter (a slip rarely says who wrote it), and the sticky fields of keep.
func freshTranscribeForm(keep transcribeForm, today string, units []storage.Unit) transcribeForm {
	f := transcribeForm{Channel: keep.Channel, ReceivedOn: keep.ReceivedOn, Site: keep.Site, Unit: keep.Unit,
		Batch: keep.Batch, Type: "opinion", Submitter: "other"}
	if f.ReceivedOn == "" {
		f.ReceivedOn = today
	}
	if f.Unit == "" && len(units) == 1 {
		f.Unit = units[0].Code // a liaison has one unit: nothing to choose
	}
	return f
}

// showTranscribe handles GET /admin/transcribe (?batch=1 for batch mode). channel, site, unit
// and received_on may be pre-filled from the link; anything invalid is simply left empty. After
// a save (?saved=1, see transcribe) it shows the receipt this browser's ticket holds.
func (s *Server) showTranscribe(c echo.Context) error {
	q := c.QueryParams()
	keep := transcribeForm{Site: cleanSite(q.Get("site")), Unit: q.Get("unit")}
	if vocab.Transcribed(q.Get("channel")) {
		keep.Channel = q.Get("channel")
	}
	if q.Get("batch") == "1" {
		keep.Batch, keep.Count = "1", itoa(transcribeForm{Count: q.Get("count")}.count())
	}
	if d, err := time.Parse("2006-01-02", q.Get("received_on")); err == nil && d.Year() >= 2000 && q.Get("received_on") <= s.store.Today() {
		keep.ReceivedOn = q.Get("received_on")
	}
	units, err := s.transcribeUnits(c, viewer(c))
	if err != nil {
		return err
	}
	if !unitListed(units, keep.Unit) {
		keep.Unit = ""
	}
	f := freshTranscribeForm(keep, s.store.Today(), units)
	f.Count = keep.Count
	page := transcribePage{Form: f}
	if q.Get("saved") == "1" {
		page.Receipt = s.transcribedReceipt(c)
	}
	return s.renderTranscribe(c, http.StatusOK, page, units)
}

// transcribe handles POST /admin/transcribe: validation, then one write through the same
// group-commit path as the public form (audited in its transaction as "transcribe", with the
// staff member who typed it). Then 303 to GET /admin/transcribe?saved=1 with the sticky fields,
// so that a reload or Back never stores the slip twice; the receipt goes there as on the public
// form (public_receipt.go), never in the URL. In batch mode the next slip's form comes back
// under it with the sticky fields kept and the content field focused.
func (s *Server) transcribe(c echo.Context) error {
	var f transcribeForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	v := viewer(c)
	units, err := s.transcribeUnits(c, v)
	if err != nil {
		return err
	}
	today := s.store.Today()
	errs := f.Validate(units, today)
	if v.Role == access.Liaison && f.Unit != "" && !v.CanTranscribeFor(f.Unit) {
		errs["unit"] = locale.M("transcribe.own_unit_only")
	}
	if errs["channel"].Key == "" && !v.CanTranscribeChannel(f.Channel) { // 督导组: its findings alone
		errs["channel"] = locale.M("form16.inspection_only")
	}
	up := uploadsOf(c) // scans of the slip or letter (attachments.go)
	if m := up.problem(); m.Key != "" {
		errs[uploadField] = m
	}
	p := s.printer(c)
	if len(errs) > 0 {
		return s.renderTranscribe(c, http.StatusUnprocessableEntity,
			transcribePage{Form: f, Errors: p.Fields(errs), Message: p.T("transcribe.fix_below")}, units)
	}
	files, m := up.clean() // before the write, as on the public form
	if m.Key != "" {
		return s.renderTranscribe(c, http.StatusUnprocessableEntity, transcribePage{Form: f,
			Errors: p.Fields(locale.Fields{uploadField: m}), Message: p.T("transcribe.fix_below")}, units)
	}
	u, _ := staffUser(c)
	code := receipt.New()
	normalised, _ := receipt.Parse(code)
	_, err = s.store.CreateOpinion(c.Request().Context(), storage.NewOpinion{
		Type: f.Type, UnitCode: f.Unit, Dept: f.Dept, Submitter: f.Submitter, Content: f.Content, Contact: f.Contact,
		AboutLeadership: f.Leadership != "", Channel: f.Channel, ReceivedOn: f.ReceivedOn, Site: f.Site,
		SiteCode: s.registeredSiteCode(c, f.Site, f.Unit), TranscribedBy: u.ID, Files: files,
		Segment: f.Segment, Target: f.target(),
	}, s.receipts.Hash(normalised))
	if errors.Is(err, storage.ErrNotFound) { // the unit was retired between reading and writing
		return s.renderTranscribe(c, http.StatusUnprocessableEntity,
			transcribePage{Form: f, Errors: map[string]string{"unit": p.T("transcribe.unit_gone")}}, units)
	}
	if err != nil && isOverload(err) {
		c.Response().Header().Set("Retry-After", "30")
		return s.renderTranscribe(c, http.StatusServiceUnavailable,
			transcribePage{Form: f, Message: p.T("transcribe.busy")}, units)
	}
	if err != nil {
		return err
	}
	next := freshTranscribeForm(f, today, units)
	if f.batch() {
		next.Count = itoa(f.count() + 1)
	}
	return s.holdTranscribed(c, code, next, units)
}

// renderTranscribe fills the choices and shows the page.
func (s *Server) renderTranscribe(c echo.Context, status int, page transcribePage, units []storage.Unit) error {
	page.Batch, page.Count = page.Form.batch(), page.Form.count()
	v := viewer(c)
	for _, ch := range vocab.Channels {
		if v.CanTranscribeChannel(ch.Code) {
			page.Channels = append(page.Channels, ch)
		}
	}
	if len(page.Channels) == 1 && page.Form.Channel == "" { // 督导组: inspection, nothing to choose
		page.Form.Channel = page.Channels[0].Code
	}
	page.Types, page.Submitters, page.Units, page.Today = vocab.Types, vocab.Submitters, units, s.store.Today()
	page.Segments, page.TargetKinds = vocab.Segments, vocab.TargetKinds
	page.SiteNames = s.siteNamesFor(c, units)
	page.FilesDropped = uploadsOf(c).dropped()
	if len(units) == 0 && page.Message == "" {
		page.Message = s.printer(c).T("transcribe.no_units")
	}
	return s.render(c, status, "transcribe", page)
}
