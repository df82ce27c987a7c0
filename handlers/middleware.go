package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"minsheng/receipt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// logRequests logs one line per staff request and per server error: method, route pattern,
// status and duration. It never logs an address, a user agent, a query string or a path
// parameter. Public requests that did not fail on the server are not logged at all: every log
// line carries the time to the millisecond, and a line for POST /submit would date an opinion
// far more finely than the day the database keeps.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status, _ = s.classify(err)
		}
		if status >= http.StatusInternalServerError || strings.HasPrefix(c.Path(), "/admin") {
			s.log.Info("request", "method", c.Request().Method, "route", c.Path(), "status", status,
				"ms", time.Since(start).Milliseconds())
		}
		return err
	}
}

// contentSecurityPolicy allows nothing from elsewhere and no script at all: the portal works
// without JavaScript (WeChat's browser may have it off) and no third party is ever contacted.
// connect-src 'self' changes nothing for the portal's own pages (no script of theirs connects
// anywhere), but audit tools that read /robots.txt from inside the page, as Lighthouse does,
// would otherwise be refused and report it missing.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets headers on every response, error pages included.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			// Pages carry receipts, replies and tokens: never keep them in a cache.
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

const (
	csrfCookie = "ms_csrf"
	csrfField  = "_csrf"
	csrfKey    = "csrf"
)

// csrf protects every state-changing request with a double-submit token: a random value in a
// cookie that must come back in the form field _csrf. Echo's own CSRF middleware is not used
// because it always gives its cookie an expiry date (24 h by default): a lasting cookie on a
// patient's phone is a trace of having visited the complaint form. This cookie has no expiry,
// so it goes when the browser closes, and it is only issued by a page that has a form (see
// csrfToken): the home page, the CSS and error pages set no cookie at all.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(csrfCookie); err == nil && validToken(ck.Value) {
			c.Set(csrfKey, ck.Value)
		}
		if !s.changesState[c.Request().Method+" "+c.Path()] {
			// Safe methods, and requests no route takes (the router answers 404 or 405).
			return next(c)
		}
		token, _ := c.Get(csrfKey).(string)
		sent := c.FormValue(csrfField)
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			return s.csrfFailed(c)
		}
		return next(c)
	}
}

// csrfFailed answers a request whose token is missing or wrong. A person whose browser lost
// the cookie (it was closed, or the page sat open too long) gets their form back with what
// they typed and a new token, so nothing they wrote is lost; everything else gets 403.
func (s *Server) csrfFailed(c echo.Context) error {
	if c.Request().Method != http.MethodPost {
		return errCSRF
	}
	switch c.Path() {
	case "/submit":
		var f submitForm
		if err := c.Bind(&f); err == nil {
			f.normalise()
			return s.renderSubmit(c, http.StatusForbidden, f, nil,
				"页面停留太久已过期，您的意见还没有保存。内容都还在，请核对后再点一次“提交”。")
		}
	case "/kiosk/:site":
		site, err := s.store.ActiveSite(c.Request().Context(), c.Param("site"))
		var f submitForm
		if err == nil && c.Bind(&f) == nil {
			f.normalise()
			return s.renderKiosk(c, http.StatusForbidden, site, f, nil,
				"页面停留太久已过期，您的意见还没有保存。内容都还在，请核对后再点一次“提交”。")
		}
	case "/pingyi/answer":
		// The form comes back only for a code that opens an evaluation now (within the look-up
		// budget); anything else is a plain 403, as for any request without its token.
		var f evaluationForm
		if err := c.Bind(&f); err == nil {
			f.readOthers(c)
			if n, err := receipt.Parse(f.Code); err == nil && s.lookups.Allow() {
				if ev, err := s.store.EvaluationByCode(c.Request().Context(), s.receipts.Hash(n)); err == nil {
					return s.renderPingyiForm(c, http.StatusForbidden, ev, f, nil,
						"页面停留太久已过期，您的评议还没有保存。勾选和填写的都还在，请核对后再点一次“提交”。")
				}
			}
		}
	case "/survey/:id":
		if sv, err := s.surveyByParam(c); err == nil {
			var f surveyForm
			if err := c.Bind(&f); err == nil {
				f.readAnswers(c, sv)
				return s.renderSurvey(c, http.StatusForbidden, sv, f, nil,
					"页面停留太久已过期，您的评价还没有保存。选的都还在，请核对后再点一次“提交”。")
			}
		}
	case "/track/rate":
		code := truncate(c.FormValue("code"), maxCodeInput)
		if n, err := receipt.Parse(code); err == nil && s.lookups.Allow() {
			if o, err := s.store.OpinionByReceipt(c.Request().Context(), s.receipts.Hash(n)); err == nil {
				return s.renderTracked(c, http.StatusForbidden, o, code, trackPage{
					Message: "页面停留太久已过期，您的评价还没有保存。选的和写的都还在，请核对后再提交一次。",
					Words:   truncate(strings.TrimSpace(c.FormValue("words")), maxRatingWords), Chosen: c.FormValue("rating")})
			}
		}
	case "/track":
		return s.render(c, http.StatusForbidden, "track", trackPage{Code: truncate(c.FormValue("code"), maxCodeInput),
			Message: "页面停留太久已过期。请核对查询码后再点一次“查询”。"})
	}
	return errCSRF
}

// errCSRF is returned for a missing or wrong token. Handlers of public forms turn it into the
// form again, with the person's text, rather than a bare error page.
var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")

// csrfToken returns the request's CSRF token, issuing one (and its cookie) the first time a
// page that needs it is rendered. Pages render into a buffer before anything is sent, so the
// cookie can still be set here.
func (s *Server) csrfToken(c echo.Context) string {
	if t, ok := c.Get(csrfKey).(string); ok && t != "" {
		return t
	}
	t := newToken()
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: t, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
	c.Set(csrfKey, t)
	return t
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func validToken(t string) bool {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil && len(b) == 32
}
