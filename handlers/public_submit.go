package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/redact"
	"minsheng/storage"
	"minsheng/vocab"
)

// Content limits, in characters.
const (
	minContent = 10
	maxContent = 5000
	maxDept    = 50
	maxContact = 100
)

// submitForm is the opinion form. Its field names are a contract: posters, the load tool and
// integrations post to them.
type submitForm struct {
	Type       string `form:"type"`
	Unit       string `form:"unit"`
	Dept       string `form:"dept"`
	Submitter  string `form:"submitter"`
	Content    string `form:"content"`
	Contact    string `form:"contact"`
	Leadership string `form:"about_leadership"` // "1" when it concerns the unit's leadership
	// WhoAbout: the staff member's segment and whom it is about (form16.go).
	WhoAbout
	CaptchaID     string `form:"captcha_id"`
	CaptchaAnswer string `form:"captcha_answer"`
	Action        string `form:"action"`  // newCaptchaAction when 换一张验证码 was pressed
	Website       string `form:"website"` // honeypot: hidden from people, filled by bots
	// ConfirmPersonal is "1" when the person ticked “我知道，仍然提交” under the warning about
	// personal data in their text.
	ConfirmPersonal string `form:"confirm_personal"`
	// Site and Mailbox ride along as hidden fields from the link the person followed: a site's
	// poster (/q/CODE → ?site=CODE) or a mailbox on /xinxiang (?mailbox=CODE). Both are checked
	// against the registry on every post; the channel is decided here, never taken as sent.
	Site    string `form:"site"`
	Mailbox string `form:"mailbox"`
	// Campaigns name the campaigns whose questions the form showed (hidden fields), or the
	// one a poster's link names (?campaign=ID): closed, their questions say so.
	Campaigns []string `form:"campaign"`
	// questions are the campaign questions shown, with the answers typed (campaign_public.go).
	questions []campaignQuestions
}

// normalise trims the edges of the free-text fields and makes line ends uniform.
func (f *submitForm) normalise() {
	f.Type = strings.TrimSpace(f.Type)
	f.Unit = strings.TrimSpace(f.Unit)
	f.Submitter = strings.TrimSpace(f.Submitter)
	f.Dept = strings.TrimSpace(f.Dept)
	f.Contact = strings.TrimSpace(f.Contact)
	f.Content = strings.TrimSpace(strings.ReplaceAll(f.Content, "\r\n", "\n"))
	f.Site = strings.TrimSpace(f.Site)
	f.Mailbox = strings.TrimSpace(f.Mailbox)
	f.WhoAbout.normalise()
}

// Validate returns a message per field that is wrong; none when the form is fine. units are
// the units a person may choose.
func (f submitForm) Validate(units []storage.Unit) locale.Fields {
	errs := opinionFields{f.Type, f.Unit, f.Dept, f.Submitter, f.Content, f.Contact}.problems(units, publicWording)
	for field, m := range f.WhoAbout.problems(f.Submitter) {
		errs[field] = m
	}
	return errs
}

// opinionFields are what an opinion holds however it arrives: typed by the person on the
// public form, or transcribed by staff from a slip, a letter or a call.
type opinionFields struct{ Type, Unit, Dept, Submitter, Content, Contact string }

// wording is what a form says about a missing choice or text, as catalog keys: the public form
// speaks to the person, the transcription form (staffWording) to staff typing someone else's
// words.
type wording struct{ Type, Submitter, NoContent, ShortContent string }

var publicWording = wording{
	Type:         "submit.no_type",
	Submitter:    "submit.no_submitter",
	NoContent:    "submit.no_content",
	ShortContent: "submit.short_content",
}

// fieldText are the messages of one free-text field's problems, which name the field (科室太长了).
type fieldText struct{ badCharacters, tooLong string }

var (
	deptText    = fieldText{"submit.dept_bad_characters", "submit.dept_too_long"}
	contactText = fieldText{"submit.contact_bad_characters", "submit.contact_too_long"}
	contentText = fieldText{"submit.content_bad_characters", "submit.content_too_long"}
)

// problem is textProblem in the words of the field: the zero Message when s is valid text of
// at most max characters. Fields under it have no minimum, or check it before (content).
func (t fieldText) problem(s string, max int) locale.Message {
	m := textProblem(s, 0, max)
	switch m.Key {
	case "form.bad_characters":
		return locale.M(t.badCharacters)
	case "form.too_long":
		return locale.M(t.tooLong, m.Args...)
	}
	return m
}

// problems returns a message for every field that is wrong, in the words of w.
func (o opinionFields) problems(units []storage.Unit, w wording) locale.Fields {
	errs := locale.Fields{}
	if !vocab.Valid(vocab.Types, o.Type) {
		errs["type"] = locale.M(w.Type)
	}
	if !unitListed(units, o.Unit) {
		errs["unit"] = locale.M("submit.choose_unit")
	}
	if !vocab.Valid(vocab.Submitters, o.Submitter) {
		errs["submitter"] = locale.M(w.Submitter)
	}
	if m := deptText.problem(o.Dept, maxDept); m.Key != "" {
		errs["dept"] = m
	}
	if m := contactText.problem(o.Contact, maxContact); m.Key != "" {
		errs["contact"] = m
	}
	switch n := utf8.RuneCountInString(o.Content); {
	case n == 0:
		errs["content"] = locale.M(w.NoContent)
	case n < minContent:
		errs["content"] = locale.M(w.ShortContent)
	default:
		if m := contentText.problem(o.Content, maxContent); m.Key != "" {
			errs["content"] = m
		}
	}
	return errs
}

// textProblem says what is wrong with a text field as a catalog message: the zero Message
// when s is valid text of min to max characters.
func textProblem(s string, min, max int) locale.Message {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return locale.M("form.bad_characters")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return locale.M("form.too_long", max, n)
	} else if n < min {
		return locale.M("form.too_short")
	}
	return locale.Message{}
}

func unitListed(units []storage.Unit, code string) bool {
	for _, u := range units {
		if u.Code == code {
			return true
		}
	}
	return false
}

// submitPage is the data of templates/pages/submit.html.
type submitPage struct {
	Form       submitForm
	Errors     map[string]string
	Message    string
	CaptchaID  string
	Types      []vocab.Term
	Submitters []vocab.Term
	Units      []storage.Unit
	// Segments and TargetKinds are the choices of the fields of form16.go.
	Segments, TargetKinds []vocab.Term
	// AskPersonal shows the warning about personal data and its “我知道，仍然提交” box.
	AskPersonal bool
	// Origin names the site the person came from and the mailbox they write to, if any; Where
	// and Addressee say them (您在：…, 写给：…).
	Origin    origin
	Where     string
	Addressee template.HTML
	// CaptchaNote tells, by the captcha, that 换一张 gave a new one.
	CaptchaNote string
	// TakesFiles shows the file field (the web form; not a kiosk); FilesDropped says that the
	// files chosen were not kept and must be chosen again (a browser cannot be given them back).
	TakesFiles   bool
	FilesDropped bool
	// Campaigns are the campaign questions after the main text (campaign_public.go).
	Campaigns []campaignQuestions
}

// personalField is the error key of the personal-data warning, shown under 具体情况.
const personalField = "personal"

// personalKinds are the words for each kind of personal data, by kind.
var personalKinds = map[redact.Kind]string{
	redact.IDCard:        "submit.kind_id_card",
	redact.Mobile:        "submit.kind_mobile",
	redact.Landline:      "submit.kind_landline",
	redact.MedicalRecord: "submit.kind_medical_record",
	redact.BankCard:      "submit.kind_bank_card",
	redact.Email:         "submit.kind_email",
}

// personalWarning names the kinds of personal data found, in the person's words.
func personalWarning(p *locale.Printer, kinds []redact.Kind) locale.Message {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = p.T(personalKinds[k])
	}
	return locale.M("submit.personal", strings.Join(names, p.T("submit.list_separator")))
}

// showSubmitForm handles GET /submit. ?unit= and ?dept= pre-fill the form; ?site= (from a
// poster, via /q/CODE) pre-fills the site's unit and department; ?mailbox= addresses a mailbox.
func (s *Server) showSubmitForm(c echo.Context) error {
	f := submitForm{Unit: c.QueryParam("unit"), Dept: c.QueryParam("dept"),
		Site: c.QueryParam("site"), Mailbox: c.QueryParam("mailbox")}
	if t := c.QueryParam("type"); vocab.Valid(vocab.Types, t) { // ?type=report: the notice's 举报 link
		f.Type = t
	}
	if utf8.RuneCountInString(f.Dept) > maxDept || !utf8.ValidString(f.Dept) {
		f.Dept = ""
	}
	f.normalise()
	o, errs, err := s.resolveOrigin(c, &f)
	if err != nil {
		return err
	}
	msg := ""
	if errs != nil { // a retired mailbox: the plain form, saying so
		msg = s.printer(c).T("submit.mailbox_retired")
	}
	if o.Site.Code != "" && f.Unit == "" {
		f.Unit, f.Dept = o.Site.UnitCode, o.Site.Dept
	}
	if id := c.QueryParam("campaign"); id != "" {
		f.Campaigns = []string{id}
	}
	if f.questions, err = s.formQuestions(c, f, false); err != nil {
		return err
	}
	return s.renderSubmit(c, http.StatusOK, f, nil, msg)
}

// submitOpinion handles POST /submit.
func (s *Server) submitOpinion(c echo.Context) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	return s.acceptOpinion(c, f, s.webIntake(c))
}

// intake is one way the public hands in an opinion: the web form (/submit) or a lobby kiosk
// (/kiosk/CODE). acceptOpinion makes the same checks and the same write for both; an intake
// says where the opinion comes from and which pages the person sees.
type intake struct {
	// origin resolves where the opinion comes from. Messages it returns go on the form and
	// stop the submission (a mailbox that closed while the person was writing).
	origin func(f *submitForm) (origin, locale.Fields, error)
	// form shows the form again with what the person wrote, a status and messages (written
	// in the reader's language).
	form func(status int, f submitForm, errs map[string]string, msg string) error
	// receipt shows the receipt code of the opinion just stored from f, and who will read it.
	receipt func(code string, f submitForm, o origin) error
	// plan is the draft the opinion comments on (public_plans.go), 0 for none; consultation the
	// report's draft (report_comment.go). closed is the catalog key of the message when the
	// draft stopped taking comments while the person wrote ("" for the plans').
	plan         int64
	consultation int64
	closed       string
}

// webIntake is the public form: the origin comes from its hidden site and mailbox fields.
func (s *Server) webIntake(c echo.Context) intake {
	return intake{
		origin: func(f *submitForm) (origin, locale.Fields, error) { return s.resolveOrigin(c, f) },
		form: func(status int, f submitForm, errs map[string]string, msg string) error {
			return s.renderSubmit(c, status, f, errs, msg)
		},
		// Kept sealed for a few minutes and shown by a redirect, never put in the URL (public_receipt.go).
		receipt: func(code string, f submitForm, o origin) error {
			return s.holdReceipt(c, s.heldFor(c, code, f, o))
		},
	}
}

// acceptOpinion takes in a bound, normalised form: 换一张 (a fresh captcha, nothing checked or
// stored), the honeypot, then the captcha, the fields and the personal-data confirmation checked
// together, so that one round shows every message; then one committed write. The receipt is
// shown only after the commit; on any failure the form comes back with what the person wrote
// (a storage failure by way of the error handler: 503 when busy, else 500; see refusals.go).
func (s *Server) acceptOpinion(c echo.Context, f submitForm, in intake) error {
	p := s.printer(c)
	qs, err := s.formQuestions(c, f, true) // cached campaigns and units: no query as a rule
	if err != nil {
		return err // the error handler gives the form back (refusals.go)
	}
	f.questions = qs
	if f.Action == newCaptchaAction {
		if err := s.renewCaptcha(c.Request().Context(), f.CaptchaID); err != nil {
			return err
		}
		return in.form(http.StatusOK, f, nil, "")
	}
	if f.Website != "" {
		return in.form(http.StatusForbidden, f, nil, p.T("submit.honeypot"))
	}
	errs := locale.Fields{}
	token, m, err := s.captchaPass(c.Request().Context(), f.CaptchaID, f.CaptchaAnswer)
	if err != nil {
		return err // the error handler gives the form back (refusals.go)
	} else if m.Key != "" {
		errs["captcha"] = m
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err // the error handler gives the form back (refusals.go)
	}
	o, originErrs, err := in.origin(&f)
	if err != nil {
		return err // the error handler gives the form back (refusals.go)
	}
	for field, msg := range f.Validate(units) {
		errs[field] = msg
	}
	for field, msg := range originErrs {
		errs[field] = msg
	}
	all, err := s.store.Campaigns(c.Request().Context())
	if err != nil {
		return err
	}
	answers, answered, answerErrs := campaignAnswers(f.questions, all, s.store.Today(), f.Unit, p)
	for field, msg := range answerErrs {
		errs[field] = msg
	}
	up := uploadsOf(c) // files, on the web form only (attachments.go)
	if m := up.problem(); m.Key != "" {
		errs[uploadField] = m
	}
	// A warning, not a refusal: someone reporting a billing error may need to give their
	// admission number. The text is stored as written; staff pages and exports mask it.
	if kinds := redact.KindsIn(f.Content); len(kinds) > 0 && f.ConfirmPersonal != "1" {
		errs[personalField] = personalWarning(p, kinds)
	}
	if len(errs) > 0 {
		if err := s.spendPass(c.Request().Context(), token); err != nil {
			return err
		}
	}
	switch {
	case len(errs) == 1 && errs[personalField].Key != "": // the warning alone says all there is to say
		return in.form(http.StatusUnprocessableEntity, f, p.Fields(errs), "")
	case len(errs) > 0:
		return in.form(http.StatusUnprocessableEntity, f, p.Fields(errs), p.T("submit.fix_errors"))
	}
	// The files are cleaned once the rest is right (decoding costs time), before the write: the
	// opinion and its files are then stored in one transaction, or neither.
	files, m := up.clean()
	if m.Key != "" {
		if err := s.spendPass(c.Request().Context(), token); err != nil {
			return err
		}
		return in.form(http.StatusUnprocessableEntity, f, p.Fields(locale.Fields{uploadField: m}), p.T("submit.fix_errors"))
	}
	code := receipt.New()
	normalised, _ := receipt.Parse(code)
	_, err = s.store.CreateOpinion(c.Request().Context(), storage.NewOpinion{
		Type: f.Type, UnitCode: f.Unit, Dept: f.Dept, Submitter: f.Submitter, Content: f.Content, Contact: f.Contact,
		AboutLeadership: f.Leadership != "", Channel: o.channel(), Site: o.Site.Name,
		SiteCode: o.Site.Code, MailboxCode: o.Mailbox.Code, Files: files, PlanID: in.plan, Consultation: in.consultation,
		Answers: answers, AnsweredCampaign: answered, Segment: f.Segment, Target: f.target(),
		Token: token, // the captcha, spent in the opinion's transaction
	}, s.receipts.Hash(normalised))
	if errors.Is(err, storage.ErrTokenSpent) { // the same answer sent twice, or replayed: as a wrong one
		return in.form(http.StatusUnprocessableEntity, f, p.Fields(locale.Fields{"captcha": locale.M("captcha.wrong")}), p.T("submit.fix_errors"))
	}
	if errors.Is(err, storage.ErrPlanClosed) { // the comment period ended while the person wrote
		closed := "plans.comment_closed"
		if in.closed != "" {
			closed = in.closed
		}
		return in.form(http.StatusUnprocessableEntity, f, nil, p.T(closed))
	}
	if errors.Is(err, storage.ErrNotFound) { // the unit or mailbox was retired between reading and writing
		return in.form(http.StatusUnprocessableEntity, f, p.Fields(locale.Fields{"unit": locale.M("submit.choose_unit")}), "")
	}
	if err != nil {
		return err // the error handler gives the form back (refusals.go)
	}
	return in.receipt(code, f, o)
}

// renderSubmit shows the public form (see formPage), naming the site and mailbox it carries.
func (s *Server) renderSubmit(c echo.Context, status int, f submitForm, errs map[string]string, msg string) error {
	page, err := s.formPage(c, status, f, errs, msg)
	if err != nil {
		return err
	}
	page.Origin, _, _ = s.resolveOrigin(c, &page.Form) // best effort: only names shown on the form
	page.Where, page.Addressee = describeOrigin(s.printer(c), page.Origin)
	page.TakesFiles = true
	return s.render(c, status, "submit", page)
}

// formPage is the opinion form's data with a fresh captcha (a captcha allows one guess). If
// even the unit list cannot be read, the form still comes back, holding the chosen unit, so
// that what the person wrote is never lost to a database hiccup. A 503 asks to retry later.
func (s *Server) formPage(c echo.Context, status int, f submitForm, errs map[string]string, msg string) (submitPage, error) {
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		if status < http.StatusInternalServerError {
			return submitPage{}, err
		}
		units = []storage.Unit{{Code: f.Unit, Name: f.Unit}}
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "30")
	}
	page := submitPage{Form: f, Errors: errs, Message: msg, Types: vocab.Types, Submitters: vocab.Submitters, Units: units,
		Segments: vocab.Segments, TargetKinds: vocab.TargetKinds}
	page.AskPersonal = errs[personalField] != ""
	page.Campaigns = f.questions
	page.FilesDropped = uploadsOf(c).dropped()
	page.Form.CaptchaAnswer = ""
	if s.captchas != nil {
		page.CaptchaID = s.captchas.New()
		if f.Action == newCaptchaAction {
			page.CaptchaNote = captchaRenewedNote
		}
	}
	return page, nil
}
