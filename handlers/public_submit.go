package handlers

import (
	"errors"
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
	Type          string `form:"type"`
	Unit          string `form:"unit"`
	Dept          string `form:"dept"`
	Submitter     string `form:"submitter"`
	Content       string `form:"content"`
	Contact       string `form:"contact"`
	Leadership    string `form:"about_leadership"` // "1" when it concerns the unit's leadership
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
}

// origin is where a public opinion came from and where it is addressed, resolved from the
// form's hidden site and mailbox codes.
type origin struct {
	Site    storage.Site    // zero when the person did not come from a registered site
	Mailbox storage.Mailbox // zero when not written to a mailbox
	Kiosk   bool            // typed on the site's lobby kiosk (/kiosk/CODE), not on a phone
}

// Readers says who reads the mailbox the person writes to, as the public mailbox page does.
func (o origin) Readers() string { return readersSentence(o.Mailbox) }

// channel is kiosk for an opinion typed on a lobby kiosk, qr for one sent from a site's
// poster, otherwise web.
func (o origin) channel() string {
	switch {
	case o.Kiosk:
		return "kiosk"
	case o.Site.Code != "":
		return "qr"
	}
	return "web"
}

// resolveOrigin looks the form's site and mailbox up. A site that is unknown or retired is
// dropped (the person never typed it, and the opinion is still welcome); a mailbox that cannot
// take letters is reported, because the person chose who would read their words.
func (s *Server) resolveOrigin(c echo.Context, f *submitForm) (origin, map[string]string, error) {
	var o origin
	ctx := c.Request().Context()
	if f.Site != "" {
		st, err := s.store.ActiveSite(ctx, f.Site)
		switch {
		case err == nil:
			o.Site = st
		case errors.Is(err, storage.ErrNotFound):
			f.Site = ""
		default:
			return o, nil, err
		}
	}
	if f.Mailbox != "" {
		m, err := s.store.ActiveMailbox(ctx, f.Mailbox)
		switch {
		case err == nil:
			o.Mailbox = m
		case errors.Is(err, storage.ErrNotFound):
			// Dropped, and said: a second press of 提交 sends it as an ordinary opinion.
			f.Mailbox = ""
			return o, map[string]string{"mailbox": "您选的信箱现在不接收来信，留言还没有提交。如果愿意作为普通留言提交，请再点一次“提交”；也可以回到“信箱”页另选一个。"}, nil
		default:
			return o, nil, err
		}
	}
	return o, nil, nil
}

// maxSite is the length of a site name (which box or place), in characters.
const maxSite = 50

// cleanSite keeps a site name from a link only when it is short, valid text; a bad one is
// dropped rather than refused, since the person never typed it.
func cleanSite(site string) string {
	site = strings.TrimSpace(site)
	if checkText(site, 0, maxSite) != "" {
		return ""
	}
	return site
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
}

// Validate returns a Chinese message per field that is wrong; empty when the form is fine.
// units are the codes of units a person may choose.
func (f submitForm) Validate(units []storage.Unit) map[string]string {
	errs := map[string]string{}
	opinionFields{f.Type, f.Unit, f.Dept, f.Submitter, f.Content, f.Contact}.check(errs, units, publicWording)
	return errs
}

// opinionFields are what an opinion holds however it arrives: typed by the person on the
// public form, or transcribed by staff from a slip, a letter or a call.
type opinionFields struct{ Type, Unit, Dept, Submitter, Content, Contact string }

// wording is what a form says about a missing choice or text: the public form speaks to the
// person, the transcription form to staff typing someone else's words.
type wording struct{ Type, Submitter, NoContent, ShortContent string }

var publicWording = wording{
	Type:         "请选择您要反映的类型。",
	Submitter:    "请选择您的身份。",
	NoContent:    "请写下具体情况。",
	ShortContent: "内容太短了，请至少写 10 个字，把事情说清楚。",
}

// check adds a Chinese message to errs for every field that is wrong.
func (o opinionFields) check(errs map[string]string, units []storage.Unit, w wording) {
	if !vocab.Valid(vocab.Types, o.Type) {
		errs["type"] = w.Type
	}
	if !unitListed(units, o.Unit) {
		errs["unit"] = "请从列表中选择一个单位。"
	}
	if !vocab.Valid(vocab.Submitters, o.Submitter) {
		errs["submitter"] = w.Submitter
	}
	if msg := checkText(o.Dept, 0, maxDept); msg != "" {
		errs["dept"] = "科室" + msg
	}
	if msg := checkText(o.Contact, 0, maxContact); msg != "" {
		errs["contact"] = "联系方式" + msg
	}
	switch n := utf8.RuneCountInString(o.Content); {
	case n == 0:
		errs["content"] = w.NoContent
	case n < minContent:
		errs["content"] = w.ShortContent
	default:
		if msg := checkText(o.Content, minContent, maxContent); msg != "" {
			errs["content"] = "内容" + msg
		}
	}
}

// checkText returns "" when s is valid text of min to max characters, or what is wrong.
func checkText(s string, min, max int) string {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "含有无法识别的字符，请删除后重新输入。"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "太长了：最多 " + itoa(max) + " 个字，现在是 " + itoa(n) + " 个字。"
	} else if n < min {
		return "太短了。"
	}
	return ""
}

// textProblem is checkText as a catalog message, for forms whose problems are keys: the zero
// Message when s is valid text of min to max characters.
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
	// AskPersonal shows the warning about personal data and its “我知道，仍然提交” box.
	AskPersonal bool
	// Origin names the site the person came from and the mailbox they write to, if any.
	Origin origin
	// CaptchaNote tells, by the captcha, that 换一张 gave a new one.
	CaptchaNote string
}

// personalField is the error key of the personal-data warning, shown under 具体情况.
const personalField = "personal"

// personalWarning names the kinds of personal data found, in the person's words.
func personalWarning(kinds []redact.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Label()
	}
	return "您的留言里似乎有身份证号、电话号码等个人信息（" + strings.Join(names, "、") +
		"）。如果不想让工作人员看到，请删除后再提交；如果确实需要，请勾选下方“我知道，仍然提交”。"
}

// showSubmitForm handles GET /submit. ?unit= and ?dept= pre-fill the form; ?site= (from a
// poster, via /q/CODE) pre-fills the site's unit and department; ?mailbox= addresses a mailbox.
func (s *Server) showSubmitForm(c echo.Context) error {
	f := submitForm{Unit: c.QueryParam("unit"), Dept: c.QueryParam("dept"),
		Site: c.QueryParam("site"), Mailbox: c.QueryParam("mailbox")}
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
		msg, errs = "您要写信的信箱已停用，下面是普通留言表，由卫生健康局的工作人员阅读。", nil
	}
	if o.Site.Code != "" && f.Unit == "" {
		f.Unit, f.Dept = o.Site.UnitCode, o.Site.Dept
	}
	return s.renderSubmit(c, http.StatusOK, f, errs, msg)
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
	origin func(f *submitForm) (origin, map[string]string, error)
	// form shows the form again with what the person wrote, a status and messages.
	form func(status int, f submitForm, errs map[string]string, msg string) error
	// receipt shows the receipt code of the opinion just stored from f, and who will read it.
	receipt func(code string, f submitForm, o origin) error
}

// webIntake is the public form: the origin comes from its hidden site and mailbox fields.
func (s *Server) webIntake(c echo.Context) intake {
	return intake{
		origin: func(f *submitForm) (origin, map[string]string, error) { return s.resolveOrigin(c, f) },
		form: func(status int, f submitForm, errs map[string]string, msg string) error {
			return s.renderSubmit(c, status, f, errs, msg)
		},
		// Kept sealed for a few minutes and shown by a redirect, never put in the URL (public_receipt.go).
		receipt: func(code string, f submitForm, o origin) error {
			return s.holdReceipt(c, heldReceipt{Code: code, Readers: receiptReaders(f, o)})
		},
	}
}

// acceptOpinion takes in a bound, normalised form: 换一张 (a fresh captcha, nothing checked or
// stored), the honeypot, then the captcha, the fields and the personal-data confirmation checked
// together, so that one round shows every message; then one committed write. The receipt is
// shown only after the commit; on any failure the form comes back with what the person wrote
// (a storage failure by way of the error handler: 503 when busy, else 500; see refusals.go).
func (s *Server) acceptOpinion(c echo.Context, f submitForm, in intake) error {
	if f.Action == newCaptchaAction {
		s.renewCaptcha(f.CaptchaID)
		return in.form(http.StatusOK, f, nil, "")
	}
	if f.Website != "" {
		return in.form(http.StatusForbidden, f, nil, "提交未成功。请不要填写隐藏的“请勿填写此项”一栏，然后再提交一次。")
	}
	errs := map[string]string{}
	s.checkCaptcha(errs, f.CaptchaID, f.CaptchaAnswer)
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
	// A warning, not a refusal: someone reporting a billing error may need to give their
	// admission number. The text is stored as written; staff pages and exports mask it.
	if kinds := redact.KindsIn(f.Content); len(kinds) > 0 && f.ConfirmPersonal != "1" {
		errs[personalField] = personalWarning(kinds)
	}
	switch {
	case len(errs) == 1 && errs[personalField] != "": // the warning alone says all there is to say
		return in.form(http.StatusUnprocessableEntity, f, errs, "")
	case len(errs) > 0:
		return in.form(http.StatusUnprocessableEntity, f, errs, "请按红字提示修改后再提交。您写的内容都还在。")
	}
	code := receipt.New()
	normalised, _ := receipt.Parse(code)
	_, err = s.store.CreateOpinion(c.Request().Context(), storage.NewOpinion{
		Type: f.Type, UnitCode: f.Unit, Dept: f.Dept, Submitter: f.Submitter, Content: f.Content, Contact: f.Contact,
		AboutLeadership: f.Leadership != "", Channel: o.channel(), Site: o.Site.Name,
		SiteCode: o.Site.Code, MailboxCode: o.Mailbox.Code,
	}, s.receipts.Hash(normalised))
	if errors.Is(err, storage.ErrNotFound) { // the unit or mailbox was retired between reading and writing
		return in.form(http.StatusUnprocessableEntity, f, map[string]string{"unit": "请从列表中选择一个单位。"}, "")
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
	page := submitPage{Form: f, Errors: errs, Message: msg, Types: vocab.Types, Submitters: vocab.Submitters, Units: units}
	page.AskPersonal = errs[personalField] != ""
	page.Form.CaptchaAnswer = ""
	if s.captchas != nil {
		page.CaptchaID = s.captchas.New()
		if f.Action == newCaptchaAction {
			page.CaptchaNote = captchaRenewedNote
		}
	}
	return page, nil
}
