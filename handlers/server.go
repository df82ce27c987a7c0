// Package handlers is minsheng's web layer: the routing table, middleware, one file per
// resource, the forms and their validation, and rendering. It speaks to the database only
// through storage's types and methods.
package handlers

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/captchastore"
	"minsheng/pickup"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/tagging"
	"minsheng/workday"
)

// Config is what the web layer needs from the outside world.
type Config struct {
	Store    *storage.Store
	Receipts *receipt.Hasher
	// Captchas makes and checks the captchas; nil turns them off (load tests and development
	// only). With captchastore.NewShared on the key file and Store, every process serving the
	// database draws and checks the same challenges.
	Captchas  *captchastore.Store
	Templates fs.FS // holds templates/
	Static    fs.FS // holds static/
	Logger    *slog.Logger
	// SecureCookies marks cookies Secure; set it when the portal is served over HTTPS.
	SecureCookies bool
	// Calendar counts working days for deadlines; nil uses the official calendar as shipped
	// with the administrator's overrides from the store. An override change rebuilds it from
	// the store either way.
	Calendar *workday.Calendar
	// PublicURL is the address people use to reach the portal (https://ms.example.gov.cn),
	// printed on posters and kiosk QR codes. Empty: taken from the staff member's request.
	PublicURL string
	// KioskIdle is how long a lobby kiosk's form waits untouched before it clears itself, and
	// KioskReceipt how long it shows a receipt code. Zero means 2 minutes and 60 seconds.
	KioskIdle, KioskReceipt time.Duration
	// Learner keeps the tag suggestion model; nil opens one on Store (the store's active
	// model, or the starting model).
	Learner *tagging.Learner
	// PseudoRTL serves the pseudo right-to-left language under /ar-XB/ (locale.PseudoRTL), for
	// checking that pages mirror; never offered to the public.
	PseudoRTL bool
	// Readiness says whether this process takes traffic (/readyz): the caller marks it serving
	// once it serves and stopping when it begins to shut down. Nil: ready while the router is.
	Readiness *Readiness
}

// Server carries the dependencies every handler uses.
type Server struct {
	store    *storage.Store
	receipts *receipt.Hasher
	captchas *captchastore.Store
	log      *slog.Logger // lines with the day alone: see public_log.go
	staffLog *slog.Logger // lines with their time, for staff routes only (logFor)
	secure   bool
	pickups  *pickup.Box // seals receipt codes into their page's cookie (public_receipt.go)
	// stamps are the receipt page rendered once per language and readers sentence, with holes
	// for the code and the token (receipt_stamp.go).
	stamps receiptStamps
	// keepIt is the receipt page's warning to note the code down, by language (receiptPage):
	// the same words for every receipt, written out once.
	keepIt sync.Map
	// receiptCookieTails are the attributes of the receipt's Set-Cookie line, by path
	// (receiptCookieLine).
	receiptCookieTails sync.Map
	// calendar is replaced whole when an administrator changes a holiday override (see
	// reloadCalendar); calendarMu keeps reloads in order, so the last one wins with the newest data.
	calendar   atomic.Pointer[workday.Calendar]
	calendarMu sync.Mutex
	// calendarGen is the calendar's generation (storage.GenCalendar) when it was put in place:
	// another process's change moves it on, and cal reloads.
	calendarGen atomic.Int64
	counts      countsCache // the notice board's yearly figures
	// changesState holds "METHOD /route" for every registered route whose method is not
	// safe: the routes the CSRF check guards.
	changesState map[string]bool
	publicURL    string // Config.PublicURL without a trailing slash
	kiosk        kioskTimes
	assets       *assets // static/, hashed, for the "asset" template function and /static/
	pseudoRTL    bool    // Config.PseudoRTL
	learner      *tagging.Learner
	readiness    *Readiness // Config.Readiness (health.go)
}

// publicBase is the portal's address for printed links: Config.PublicURL, or else the scheme
// and host the request came in on (a staff member printing a poster reaches the portal the way
// the public will, at least in a small county network).
func (s *Server) publicBase(c echo.Context) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// New builds the Echo instance with every route and middleware in place. It parses every
// template now, so a broken template stops the program at start-up, not at a user's request.
func New(cfg Config) (*echo.Echo, error) {
	if cfg.Store == nil || cfg.Receipts == nil || cfg.Templates == nil || cfg.Static == nil {
		return nil, errors.New("handlers: Store, Receipts, Templates and Static are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	staticFS, err := fs.Sub(cfg.Static, "static")
	if err != nil {
		return nil, err
	}
	static, err := loadAssets(staticFS)
	if err != nil {
		return nil, err
	}
	renderer, err := newRenderer(cfg.Templates, static)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:     cfg.Store,
		receipts:  cfg.Receipts,
		captchas:  cfg.Captchas,
		log:       slog.New(dayOnly{cfg.Logger.Handler()}),
		staffLog:  cfg.Logger,
		secure:    cfg.SecureCookies,
		publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		kiosk:     newKioskTimes(cfg.KioskIdle, cfg.KioskReceipt),
		assets:    static,
		pseudoRTL: cfg.PseudoRTL,
		learner:   cfg.Learner,
	}
	if s.pickups, err = newPickups(cfg.Receipts); err != nil {
		return nil, err
	}
	if s.learner == nil {
		if s.learner, err = tagging.Open(context.Background(), cfg.Store); err != nil {
			return nil, err
		}
	}
	if cfg.Calendar != nil {
		s.calendar.Store(cfg.Calendar)
		gen, err := cfg.Store.Generation(context.Background(), storage.GenCalendar)
		if err != nil {
			return nil, err
		}
		s.calendarGen.Store(gen)
	} else if err := s.reloadCalendar(context.Background()); err != nil {
		return nil, err
	}
	s.readiness = cfg.Readiness
	if s.readiness == nil {
		s.readiness = &Readiness{}
		s.readiness.Serving()
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = renderer
	e.HTTPErrorHandler = s.handleError
	// The portal never needs a client address. ExtractIPDirect keeps Echo from trusting
	// X-Forwarded-For should anything ever call RealIP.
	e.IPExtractor = echo.ExtractIPDirect()
	s.routes(e)
	return e, nil
}
