package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/invisible"
)

// logRequests logs one line per staff request and per server error: method, route pattern,
// status and duration. It never logs an address, a user agent, a query string or a path
// parameter. Public requests that did not fail on the server are not logged at all, and the
// lines of those that did carry the day, not the time (logFor): a line for POST /submit with
// its time would date an opinion far more finely than the day the database keeps.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status, _ = s.classify(err)
		}
		if status >= http.StatusInternalServerError || strings.HasPrefix(c.Path(), "/admin") {
			s.logFor(c).Info("request", "method", c.Request().Method, "route", c.Path(), "status", status,
				"ms", time.Since(start).Milliseconds())
		}
		return err
	}
}

// cleanForms removes invisible format characters (bidi overrides, zero-width characters: see
// package invisible) from every form value and query parameter, public and staff, before any
// handler reads them: the one place they are removed, so that no stored text can show on a
// reviewer's screen in another order than it was written, whatever form it came by. It runs
// after readForm, which has parsed (or refused) the body.
func cleanForms(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.URL.RawQuery != "" {
			if q, err := url.ParseQuery(r.URL.RawQuery); err == nil && removeInvisible(q) {
				r.URL.RawQuery = q.Encode()
			}
		}
		removeInvisible(r.Form)
		removeInvisible(r.PostForm)
		if r.MultipartForm != nil {
			removeInvisible(r.MultipartForm.Value)
		}
		return next(c)
	}
}

// removeInvisible cleans every key and value of vals in place and reports whether any changed.
func removeInvisible(vals url.Values) bool {
	changed := false
	for k, vs := range vals {
		for i, v := range vs {
			if clean := invisible.Remove(v); clean != v {
				vs[i], changed = clean, true
			}
		}
		if clean := invisible.Remove(k); clean != k {
			delete(vals, k)
			vals[clean] = append(vals[clean], vs...)
			changed = true
		}
	}
	return changed
}

// contentSecurityPolicy allows nothing from elsewhere and no script at all: the portal works
// without JavaScript (WeChat's browser may have it off) and no third party is ever contacted.
// connect-src 'self' changes nothing for the portal's own pages (no script of theirs connects
// anywhere), but audit tools that read /robots.txt from inside the page, as Lighthouse does,
// would otherwise be refused and report it missing.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// hsts tells a browser that has reached the portal over HTTPS to use nothing else for a
// year, so a network in the middle cannot strip it to plain HTTP (where cookies could be read or
// planted). Subdomains of the portal's own host are included; preload is left to the operator,
// since it is hard to undo.
const hsts = "max-age=31536000; includeSubDomains"

// The headers securityHeaders sets, their names in canonical form.
var (
	hstsValue            = []string{hsts}
	noStore              = []string{"no-store"}
	securityHeaderValues = []struct {
		name  string
		value []string
	}{
		{"Content-Security-Policy", []string{contentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Referrer-Policy", []string{"no-referrer"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), payment=(), usb=()"}},
	}
)

// securityHeaders sets headers on every response, error pages included. HSTS is sent only when
// the portal is served over HTTPS (-secure-cookies): over plain HTTP it would be ignored, and
// a test install on a bare address must not be told it is HTTPS-only.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// The values are shared slices, set without Header.Set's copy of each (a response
		// header's value is replaced or appended to, never written in place): seven
		// allocations a request fewer (#11).
		h := c.Response().Header()
		if s.secure {
			h["Strict-Transport-Security"] = hstsValue
		}
		for _, kv := range securityHeaderValues {
			h[kv.name] = kv.value
		}
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			// Pages carry receipts, replies and tokens: never keep them in a cache.
			h["Cache-Control"] = noStore
		}
		return next(c)
	}
}

const (
	csrfCookie = "ms_csrf"
	csrfField  = "_csrf"
	csrfKey    = "csrf"
)

// csrf protects every state-changing request with a token that must come back in the form
// field _csrf.
//
// A request that carries a staff session cookie must bring that session's own token (see
// staffToken): a double-submit cookie alone would let anyone who can plant a cookie in a staff
// member's browser (over plain HTTP, or from a sibling subdomain) pair it with a token they got
// from the public login page, or from their own staff session.
//
// Everyone else gets a double-submit token: a random value in a cookie that must come back in
// the form. Echo's own CSRF middleware is not used because it always gives its cookie an expiry
// date (24 h by default): a lasting cookie on a patient's phone is a trace of having visited
// the complaint form. This cookie has no expiry, so it goes when the browser closes, and it is
// only issued by a page that has a form (see csrfToken): the home page, the CSS and error pages
// set no cookie at all.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			c.Set(csrfKey, staffToken(ck.Value))
		} else if ck, err := c.Cookie(csrfCookie); err == nil && validToken(ck.Value) {
			c.Set(csrfKey, ck.Value)
		}
		if !s.changesState[c.Request().Method+" "+c.Path()] {
			// Safe methods, and requests no route takes (the router answers 404 or 405).
			return next(c)
		}
		token, _ := c.Get(csrfKey).(string)
		sent := c.FormValue(csrfField)
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			// A person whose browser lost the cookie (it was closed, or the page sat open too
			// long) gets their form back with what they typed and a new token (refusals.go).
			return errCSRF
		}
		return next(c)
	}
}

// errCSRF is returned for a missing or wrong token. On a public form the error handler turns it
// into the form again, with the person's text, rather than a bare error page.
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

// staffToken is the CSRF token of the staff session whose cookie value is session: a hash of
// the cookie, which only that browser holds, so it changes with every login and no other
// session's token matches. The label keeps it apart from the session hash the database stores
// (a copy of the database must not yield tokens).
func staffToken(session string) string {
	sum := sha256.Sum256([]byte("minsheng staff csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(sum[:])
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
