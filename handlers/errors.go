package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// errorPage is the data of templates/pages/error.html, in the reader's words.
type errorPage struct {
	Title   string
	Message string
}

// kioskErrorPage is the data of templates/pages/kiosk_error.html.
type kioskErrorPage struct {
	kioskFrame
	errorPage
}

// handleError is Echo's one error handler: it maps errors to a status and a kind page in the
// reader's language (a staff member's own, or the public path's: a 404 under /en/ is English).
// Only server-side failures are logged, and never with request details.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, words := s.classify(err)
	if status >= 500 {
		s.logFor(c).Error("request failed", "route", c.Path(), "status", status, "err", err)
	}
	switch status {
	case http.StatusServiceUnavailable:
		c.Response().Header().Set("Retry-After", "30")
	case http.StatusTooManyRequests:
		c.Response().Header().Set("Retry-After", "60")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if s.giveFormBack(c, status, err) {
		return
	}
	page := words.in(s.printer(c))
	if strings.HasPrefix(c.Path(), "/kiosk/") {
		// On a lobby tablet the error keeps the kiosk's layout, with no way off the kiosk,
		// and clears itself after the idle time like the form.
		kioskHeaders(c)
		frame := kioskFrame{Home: kioskHome(c.Param("site")), IdleMS: s.kiosk.idle.Milliseconds()}
		if rerr := s.render(c, status, "kiosk_error", kioskErrorPage{kioskFrame: frame, errorPage: page}); rerr == nil {
			return
		}
	}
	if rerr := s.render(c, status, "error", page); rerr != nil {
		s.logFor(c).Error("render error page", "err", rerr)
		_ = c.String(status, page.Message)
	}
}

// errorWords are the catalog keys of an error page's title and text, not yet in a language.
type errorWords struct {
	title, text string
}

// in writes the page in the language of p.
func (w errorWords) in(p *locale.Printer) errorPage {
	return errorPage{Title: p.T(w.title), Message: p.T(w.text)}
}

func (s *Server) classify(err error) (int, errorWords) {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errCSRF):
		return http.StatusForbidden, errorWords{"error.expired_title", "error.expired_text"}
	case errors.Is(err, errMalformedBody):
		return http.StatusBadRequest, errorWords{"error.malformed_title", "error.malformed_text"}
	case errors.Is(err, errWholePortal):
		return http.StatusForbidden, errorWords{"branch15.whole_portal_title", "branch15.whole_portal_text"}
	case errors.Is(err, errOutsideBranch):
		return http.StatusForbidden, errorWords{"branch15.outside_title", "branch15.outside_text"}
	case errors.As(err, &he):
		return he.Code, wordsForStatus(he.Code)
	case errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound, wordsForStatus(http.StatusNotFound)
	case isOverload(err):
		return http.StatusServiceUnavailable, wordsForStatus(http.StatusServiceUnavailable)
	default:
		return http.StatusInternalServerError, wordsForStatus(http.StatusInternalServerError)
	}
}

func wordsForStatus(code int) errorWords {
	switch code {
	case http.StatusNotFound:
		return errorWords{"error.not_found_title", "error.not_found_text"}
	case http.StatusMethodNotAllowed:
		return errorWords{"error.method_title", "error.method_text"}
	case http.StatusRequestEntityTooLarge:
		return errorWords{"error.too_large_title", "error.too_large_text"}
	case http.StatusTooManyRequests:
		return errorWords{"error.too_many_title", "error.too_many_text"}
	case http.StatusForbidden:
		return errorWords{"error.forbidden_title", "error.forbidden_text"}
	case http.StatusServiceUnavailable:
		return errorWords{"error.busy_title", "error.busy_text"}
	}
	if code >= 500 {
		return errorWords{"error.broken_title", "error.broken_text"}
	}
	return errorWords{"error.bad_request_title", "error.bad_request_text"}
}

// isOverload reports whether err means the portal was too busy rather than broken: the
// submission queue was full or the write lock could not be had in time (storage.ErrBusy), the
// store is shutting down, or the work ran out of time. Such a request deserves 503 and a
// retry, not a 500. Which database said so is storage's business.
func isOverload(err error) bool {
	return errors.Is(err, storage.ErrBusy) || errors.Is(err, storage.ErrClosed) || errors.Is(err, context.DeadlineExceeded)
}
