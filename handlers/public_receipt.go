package handlers

import (
	"crypto/sha256"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/pickup"
	"minsheng/receipt"
)

// A receipt code is shown after POST /submit by a redirect (303) to GET /submit/done, so that
// Back and a reload show the page again instead of asking to send the form a second time. The
// code never enters the URL nor the database (which keeps only its hash, as ever): the browser
// gets a session cookie holding the code sealed under the key file every process shares (see
// package pickup), so the GET may land on any portal process. It opens for receiptShownFor;
// on a shared phone the person can clear it at once; otherwise it goes when the time is up or
// the browser closes. The lobby kiosk keeps its
// own way (the receipt rendered once and wiped by kiosk.js): the next person at a kiosk must
// never get the code back, not even for a minute.
const (
	receiptShownFor = 10 * time.Minute
	receiptCookie   = "ms_receipt"
	receiptPath     = "/submit/done"
)

// heldReceipt is what the receipt page shows, kept sealed between the POST and the pages after
// it. Readers is the sentence saying who reads the opinion, in every language the page may be
// asked in (the language switch of the receipt page keeps the code on screen).
type heldReceipt struct {
	Code    string            `json:"c"`
	Readers map[string]string `json:"r,omitempty"`
	// readersKey, for every receipt but a mailbox's, is the catalog key of the readers sentence
	// instead of Readers: sealed as one letter (sealedReceipt), not the sentence in every language.
	readersKey string
}

// readersKeys are the readers sentences that need nothing but their key, by the letter that
// stands for each in a receipt's cookie.
var readersKeys = map[byte]string{'d': "receipt.readers_default", 'l': "receipt.readers_leadership", 'r': "receipt.readers_report"}

// sealedReceipt is what the receipt's cookie seals: a letter of readersKeys and the code, or
// for a mailbox's receipt (its readers named in every language) JSON, which begins with "{".
// The JSON for every receipt, readers sentences in four languages and all, was a fifth of the
// HTTP side's CPU under wrk, in the marshalling, the sealing and the cookie headers (#11).
func sealedReceipt(r heldReceipt) []byte {
	for letter, key := range readersKeys {
		if key == r.readersKey && r.Readers == nil {
			return append([]byte{letter}, r.Code...)
		}
	}
	payload, _ := json.Marshal(r)
	return payload
}

// openedReceipt reads what sealedReceipt made (and cookies sealed before it: JSON).
func openedReceipt(payload []byte) (heldReceipt, bool) {
	var r heldReceipt
	if len(payload) > 0 && payload[0] != '{' {
		key, ok := readersKeys[payload[0]]
		r = heldReceipt{Code: string(payload[1:]), readersKey: key}
		return r, ok && r.Code != ""
	}
	if json.Unmarshal(payload, &r) != nil || r.Code == "" {
		return heldReceipt{}, false
	}
	return r, true
}

// readers is the sentence saying who reads the opinion, in p's language.
func (r heldReceipt) readers(p *locale.Printer) string {
	if r.readersKey != "" {
		return p.T(r.readersKey)
	}
	return r.Readers[p.Lang()]
}

// heldFor is the receipt to hold for code, the opinion just stored from f and o.
func (s *Server) heldFor(c echo.Context, code string, f submitForm, o origin) heldReceipt {
	if key := readersKey(f, o); key != "" {
		return heldReceipt{Code: code, readersKey: key}
	}
	return heldReceipt{Code: code, Readers: s.receiptReadersAll(c, f, o)}
}

// receiptPage is the data of templates/pages/submit_done.html. Code is empty once the receipt
// is no longer kept.
type receiptPage struct {
	Code, Readers string
	Minutes       int // how long the page keeps showing the code
	// KeepIt is the warning to note the code down (its first sentence in bold); GoneNext, on
	// the page without the code, links on to /track and /submit.
	KeepIt, GoneNext template.HTML
}

// receiptReaders says in plain words, in p's language, who will read the opinion just stored,
// on its receipt.
func receiptReaders(p *locale.Printer, f submitForm, o origin) string {
	if key := readersKey(f, o); key != "" {
		return p.T(key)
	}
	return p.T("receipt.readers_mailbox", locale.Args{"mailbox": o.Mailbox.Name, "readers": readersIn(p, o.Mailbox)})
}

// readersKey is the catalog key of receiptReaders' sentence, "" for a mailbox's (which names it).
func readersKey(f submitForm, o origin) string {
	switch {
	case f.Type == access.ReportType:
		return "receipt.readers_report"
	case o.Mailbox.Code != "":
		return ""
	case f.Leadership != "":
		return "receipt.readers_leadership"
	}
	return "receipt.readers_default"
}

// receiptReadersAll is receiptReaders in every language offered, and in the page's own.
func (s *Server) receiptReadersAll(c echo.Context, f submitForm, o origin) map[string]string {
	all := make(map[string]string, len(locale.Languages)+1)
	for _, lang := range append([]string{s.printer(c).Lang()}, locale.Languages...) {
		all[lang] = receiptReaders(locale.Get(lang), f, o)
	}
	return all
}

// holdReceipt seals r into the receipt page's cookie (replacing an earlier receipt of this
// browser) and sends the browser there, in the reader's language.
func (s *Server) holdReceipt(c echo.Context, r heldReceipt) error {
	s.setReceiptCookie(c, s.pickups.Seal(receiptCookie, sealedReceipt(r)))
	return s.seeOther(c, receiptPath)
}

// receiptPage is the receipt page's data for r (with no code: the page saying it is no longer
// shown), in the reader's language.
func (s *Server) receiptPage(c echo.Context, r heldReceipt, minutes int) receiptPage {
	p := s.printer(c)
	page := receiptPage{Code: r.Code, Readers: r.readers(p), Minutes: minutes}
	// Each page shows one of the two (and every submission asks for this page).
	if r.Code != "" {
		keep, ok := s.keepIt.Load(p.Lang())
		if !ok {
			keep, _ = s.keepIt.LoadOrStore(p.Lang(), htmlMessage(p, "receipt.keep_it", bold(htmlPieces{})))
		}
		page.KeepIt = keep.(template.HTML)
	} else {
		pieces := linkTo(htmlPieces{}, "track", s.localPath(c, "/track"))
		page.GoneNext = htmlMessage(p, "receipt.gone_next", linkTo(pieces, "submit", s.localPath(c, "/submit")))
	}
	return page
}

// showReceipt handles GET /submit/done: the receipt code while it is kept, else a kind word
// that it is no longer shown.
func (s *Server) showReceipt(c echo.Context) error {
	r, ok := s.heldReceipt(c)
	if !ok {
		r = heldReceipt{}
		if _, err := c.Cookie(receiptCookie); err == nil {
			s.setReceiptCookie(c, "") // its time is up: the cookie is no use any more
		}
	}
	page := s.receiptPage(c, r, int(receiptShownFor/time.Minute))
	if r.Code != "" {
		return s.renderReceipt(c, http.StatusOK, page)
	}
	return s.render(c, http.StatusOK, "submit_done", page)
}

// forgetReceipt handles POST /submit/done/forget: "I have noted it down" on a phone that is not
// the person's own; the cookie holding the code is cleared at once and Back shows it no more.
// The cookie is also spent in the database (its hash and the day), so that a copy of it opens
// nothing on any process either, as the code held on the server once could be dropped.
func (s *Server) forgetReceipt(c echo.Context) error {
	if ck, err := c.Cookie(receiptCookie); err == nil {
		if _, ok := s.pickups.Open(receiptCookie, ck.Value); ok {
			hash := sha256.Sum256([]byte(ck.Value))
			if _, err := s.store.Spend(c.Request().Context(), hash[:], s.store.Now().Add(s.pickups.Lifetime())); err != nil {
				return err
			}
		}
	}
	s.setReceiptCookie(c, "")
	return s.seeOther(c, "/")
}

// heldReceipt opens the receipt this browser's cookie holds.
func (s *Server) heldReceipt(c echo.Context) (heldReceipt, bool) {
	var r heldReceipt
	ck, err := c.Cookie(receiptCookie)
	if err != nil {
		return r, false
	}
	payload, ok := s.pickups.Open(receiptCookie, ck.Value)
	if !ok {
		return heldReceipt{}, false
	}
	if r, ok = openedReceipt(payload); !ok {
		return heldReceipt{}, false
	}
	// Cleared by its owner (forgetReceipt)? A failed read shows the code: it is the person's
	// own, in their own browser, and only a copy of a cleared cookie would be refused.
	hash := sha256.Sum256([]byte(ck.Value))
	if spent, err := s.store.Spent(c.Request().Context(), hash[:]); spent && err == nil {
		return heldReceipt{}, false
	}
	return r, true
}

// setReceiptCookie sets the sealed receipt, or with "" removes it. The cookie has no Expires and no
// Max-Age (it goes when the browser closes), is sent only to the receipt page, never to scripts,
// and never with a request another site starts. The receipt page has one address per language
// (/submit/done, /en/submit/done …), so the ticket goes to each, that the language switch keeps
// the code on screen; the reader's own language comes last, as the one that counts.
func (s *Server) setReceiptCookie(c echo.Context, sealed string) {
	current := s.printer(c).Lang()
	for _, lang := range locale.Languages {
		if lang != current {
			s.setReceiptCookieAt(c, langPrefix(lang)+receiptPath, sealed)
		}
	}
	s.setReceiptCookieAt(c, langPrefix(current)+receiptPath, sealed)
}

func (s *Server) setReceiptCookieAt(c echo.Context, path, sealed string) {
	if line, ok := s.receiptCookieLine(path, sealed); ok {
		c.Response().Header().Add("Set-Cookie", line)
		return
	}
	c.SetCookie(s.receiptCookieFor(path, sealed))
}

// receiptCookieFor is the receipt's cookie at path holding sealed ("" removes it).
func (s *Server) receiptCookieFor(path, sealed string) *http.Cookie {
	ck := &http.Cookie{Name: receiptCookie, Value: sealed, Path: path, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode}
	if sealed == "" {
		ck.MaxAge = -1
	}
	return ck
}

// receiptCookieLine is the Set-Cookie line of receiptCookieFor(path, sealed), made from the
// line net/http writes for path once (receiptCookieTails) and the value: every submission sets
// the receipt's cookie at each language's address, and http.Cookie's String checking the same
// attributes each time was a twentieth of the HTTP side's CPU (#11). Only for a sealed value
// (URL-safe base64, which net/http writes as it is); false otherwise.
func (s *Server) receiptCookieLine(path, sealed string) (string, bool) {
	if !allPlain(sealed) { // URL-safe base64 is what allPlain allows, and it is never empty
		return "", false
	}
	tail, ok := s.receiptCookieTails.Load(path)
	if !ok {
		const probe = "v"
		line := s.receiptCookieFor(path, probe).String()
		cut, found := strings.CutPrefix(line, receiptCookie+"="+probe)
		if !found {
			return "", false
		}
		tail, _ = s.receiptCookieTails.LoadOrStore(path, cut)
	}
	return receiptCookie + "=" + sealed + tail.(string), true
}

// newPickups is the box sealing receipts for their page, under the key file's key for it.
func newPickups(h *receipt.Hasher) (*pickup.Box, error) {
	return pickup.New(h.Derive("minsheng receipt page cookie"), receiptShownFor)
}

// The receipt of a slip staff have just typed in waits for its page the same way, sealed in its
// own cookie sent only to the transcription page, which shows it only when the redirect's
// ?saved=1 asks: opening the form afresh shows no old receipt.
const transcribedCookie = "ms_transcribed"

// holdTranscribed seals the code and sends the browser to the transcription page with the next
// slip's sticky fields (never its content) in the URL.
func (s *Server) holdTranscribed(c echo.Context, code string, next transcribeForm) error {
	payload, _ := json.Marshal(heldReceipt{Code: code})
	c.SetCookie(&http.Cookie{Name: transcribedCookie, Value: s.pickups.Seal(transcribedCookie, payload), Path: transcribePath, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	q := url.Values{"saved": {"1"}, "channel": {next.Channel}, "received_on": {next.ReceivedOn}, "site": {next.Site}, "unit": {next.Unit}}
	if next.batch() {
		q.Set("batch", "1")
		q.Set("count", next.Count)
	}
	return c.Redirect(http.StatusSeeOther, transcribePath+"?"+q.Encode())
}

// transcribedReceipt is the code this browser's cookie holds for the transcription page, or "".
func (s *Server) transcribedReceipt(c echo.Context) string {
	ck, err := c.Cookie(transcribedCookie)
	if err != nil {
		return ""
	}
	var r heldReceipt
	if payload, ok := s.pickups.Open(transcribedCookie, ck.Value); ok && json.Unmarshal(payload, &r) == nil {
		return r.Code
	}
	return ""
}

const transcribePath = "/admin/transcribe"
