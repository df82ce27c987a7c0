package handlers

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/qrimg"
	"minsheng/storage"
)

// A lobby kiosk (自助留言机) is a tablet fixed in a hall, showing /kiosk/CODE for one
// registered site. Many people use it one after another, so it must never show one person's
// words to the next: its pages are never cached, its fields never autofilled, and a small
// script (static/kiosk.js, allowed on these pages alone) clears the form after a while idle
// and the receipt after a minute, replacing the page so that Back cannot bring either back.

// kioskTimes are how long a kiosk waits; Config.KioskIdle and KioskReceipt set them.
type kioskTimes struct {
	idle    time.Duration // the form, untouched, before it clears itself
	receipt time.Duration // the receipt code on screen before the kiosk resets
}

func newKioskTimes(idle, receipt time.Duration) kioskTimes {
	if idle <= 0 {
		idle = 2 * time.Minute
	}
	if receipt <= 0 {
		receipt = time.Minute
	}
	return kioskTimes{idle: idle, receipt: receipt}
}

// kioskContentSecurityPolicy is the portal's policy with one addition: scripts from the
// portal itself (static/kiosk.js), which the resets need. Still no inline script and nothing
// from elsewhere; every other page keeps the policy that allows no script at all.
const kioskContentSecurityPolicy = contentSecurityPolicy + "; script-src 'self'"

// kioskFrame is what the kiosk's layout (the "kiosklayout" partial) needs of both kiosk pages:
// where the kiosk resets to, and when. kiosk.js reads the times from the page.
type kioskFrame struct {
	Home      string // /kiosk/CODE, which the pages write through link, in their language
	IdleMS    int64  // the form: reset after this long untouched
	ReceiptMS int64  // the receipt: reset after this long
	Seconds   int    // the receipt's countdown, and the no-script refresh's delay
}

// kioskPage is the data of templates/pages/kiosk.html: the opinion form, plus where the
// kiosk resets to and after how long.
type kioskPage struct {
	submitPage
	kioskFrame
	Idle string // the idle time in words, e.g. 2 分钟
}

// kioskDonePage is the data of templates/pages/kiosk_done.html.
type kioskDonePage struct {
	kioskFrame
	Receipt string
	Readers string // who will read the opinion (receiptReaders)
	// KeepIt is the warning to note the code down, its first sentence in bold; Countdown says
	// when the page clears itself, around the seconds kiosk.js counts down.
	KeepIt, Countdown template.HTML
	// TrackQR is a QR code of the portal's /track page, never of the code: a receipt code
	// must not travel in a URL, and a photo of the screen should not open the opinion.
	TrackQR template.HTML
}

// showKiosk handles GET /kiosk/:site: the opinion form of a site's lobby tablet, with the
// site's unit and department chosen (the person may change them).
func (s *Server) showKiosk(c echo.Context) error {
	site, err := s.store.ActiveSite(c.Request().Context(), c.Param("site"))
	if errors.Is(err, storage.ErrNotFound) {
		return s.kioskMissing(c)
	}
	if err != nil {
		return err
	}
	return s.renderKiosk(c, http.StatusOK, site, submitForm{Unit: site.UnitCode, Dept: site.Dept}, nil, "")
}

// submitKiosk handles POST /kiosk/:site: the public form's checks and write (acceptOpinion),
// stored with channel kiosk and the site's code and name. Nothing about the tablet is kept:
// the site is all the opinion says about where it was typed.
func (s *Server) submitKiosk(c echo.Context) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	// The site comes from the kiosk's address, and a kiosk writes to no mailbox.
	f.Site, f.Mailbox = "", ""
	site, err := s.store.ActiveSite(c.Request().Context(), c.Param("site"))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return s.kioskMissing(c)
	case err != nil:
		// The database is busy or broken: the form comes back with the text (503 or 500).
		return err
	}
	return s.acceptOpinion(c, f, s.kioskIntake(c, site))
}

// kioskIntake takes opinions typed on site's kiosk.
func (s *Server) kioskIntake(c echo.Context, site storage.Site) intake {
	return intake{
		origin: func(*submitForm) (origin, locale.Fields, error) {
			return origin{Site: site, Kiosk: true}, nil, nil
		},
		form: func(status int, f submitForm, errs map[string]string, msg string) error {
			return s.renderKiosk(c, status, site, f, errs, msg)
		},
		receipt: func(code string, f submitForm, o origin) error {
			return s.renderKioskDone(c, site, code, receiptReaders(s.printer(c), f, o))
		},
	}
}

// kioskMissing answers a kiosk address whose site is unknown or retired: the tablet is not
// (or no longer) set up, which staff must fix; there is no form to show.
func (s *Server) kioskMissing(c echo.Context) error {
	p := s.printer(c)
	return s.render(c, http.StatusNotFound, "error", errorPage{p.T("kiosk_page.missing_title"), p.T("kiosk_page.missing_text")})
}

// renderKiosk shows the kiosk's form (see formPage).
func (s *Server) renderKiosk(c echo.Context, status int, site storage.Site, f submitForm, errs map[string]string, msg string) error {
	page, err := s.formPage(c, status, f, errs, msg)
	if err != nil {
		return err
	}
	p := s.printer(c)
	page.Origin = origin{Site: site, Kiosk: true}
	page.Where, _ = describeOrigin(p, page.Origin)
	kioskHeaders(c)
	return s.render(c, status, "kiosk", kioskPage{submitPage: page,
		kioskFrame: kioskFrame{Home: kioskHome(site.Code), IdleMS: s.kiosk.idle.Milliseconds()}, Idle: inWords(p, s.kiosk.idle)})
}

// renderKioskDone shows the receipt code with a QR code of the /track page, unless the
// portal's address is one a phone outside cannot open (the sites page tells the staff). The
// opinion is already stored, so a QR code that cannot be drawn is logged, not a failure.
func (s *Server) renderKioskDone(c echo.Context, site storage.Site, code, readers string) error {
	p := s.printer(c)
	var qr string
	if base := s.publicBase(c); addressProblem(base) == "" {
		var err error
		// The /track page in the kiosk's language: a phone that scans it opens the page in
		// the words the person just read.
		if qr, err = qrimg.SVG(base+s.localPath(c, "/track"), "240", p.T("kiosk_page.qr_alt")); err != nil {
			s.log.Error("kiosk track QR", "err", err)
		}
	}
	seconds := int(math.Ceil(s.kiosk.receipt.Seconds()))
	kioskHeaders(c)
	return s.render(c, http.StatusOK, "kiosk_done", kioskDonePage{Receipt: code, Readers: readers, TrackQR: template.HTML(qr),
		KeepIt: htmlMessage(p, "kiosk_page.keep_it", bold(htmlPieces{})),
		Countdown: htmlMessage(p, "kiosk_page.countdown", htmlPieces{
			"seconds": template.HTML(`<span id="kiosk-countdown">` + strconv.Itoa(seconds) + `</span>`)}),
		kioskFrame: kioskFrame{Home: kioskHome(site.Code), ReceiptMS: s.kiosk.receipt.Milliseconds(), Seconds: seconds}})
}

// kioskHeaders widens the script policy for kiosk.js and keeps the page out of every cache,
// the back-forward cache included.
func kioskHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", kioskContentSecurityPolicy)
	h.Set("Cache-Control", "no-store")
}

// kioskHome is where a kiosk resets to.
func kioskHome(code string) string { return "/kiosk/" + url.PathEscape(code) }

// inWords says a kiosk wait the way the form tells people: 2 分钟, 90 秒 (2 minutes, 90 seconds).
func inWords(p *locale.Printer, d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return p.Plural("kiosk_page.minutes", int(d/time.Minute))
	}
	return p.Plural("kiosk_page.seconds", int(math.Ceil(d.Seconds())))
}
