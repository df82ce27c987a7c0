package handlers

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// answerHead lets every GET route answer HEAD (link checkers, uptime probes and some proxies
// send it): the request is routed as a GET, its status and headers go out as they are, with
// the Content-Length the body would have had, and the body is dropped. It runs before routing
// (e.Pre), so the router, which knows no HEAD routes, never answers 405. Errors are rendered
// here, inside the wrapper, so an error page's HEAD matches its GET too.
func answerHead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodHead {
			return next(c)
		}
		req.Method = http.MethodGet
		w := &headWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = w
		if err := next(c); err != nil {
			c.Error(err)
		}
		// net/http must see HEAD again, or it would expect the declared body.
		req.Method = http.MethodHead
		w.send()
		return nil
	}
}

// headWriter holds back the status until the handler is done, counting the body it drops, so
// the real Content-Length can be declared.
type headWriter struct {
	http.ResponseWriter
	status int
	n      int
}

func (w *headWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *headWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

// Flush does nothing: nothing is sent before the handler is done.
func (w *headWriter) Flush() {}

func (w *headWriter) send() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.ResponseWriter.Header()
	if h.Get("Content-Length") == "" && h.Get("Transfer-Encoding") == "" && w.status >= 200 &&
		w.status != http.StatusNoContent && w.status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(w.n))
	}
	w.ResponseWriter.WriteHeader(w.status)
}

// errMalformedBody answers a body that is not valid form encoding.
var errMalformedBody = echo.NewHTTPError(http.StatusBadRequest, "malformed form body")

// readForm parses a form body once, before anything reads a field, and refuses one that is not
// valid encoding (a stray "%zz", a raw ";"). Without it net/http's error is lost at the first
// FormValue: the broken field, and everything after it, silently reads as empty, so a person
// would be told to fill in a field they filled in. No browser sends such a body, so nobody
// loses words to this refusal. A body over the limit keeps its 413.
func readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodGet || req.Method == http.MethodHead || req.Body == nil {
			return next(c)
		}
		var err error
		switch ct, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); ct {
		case echo.MIMEApplicationForm:
			err = req.ParseForm()
		case echo.MIMEMultipartForm:
			if isFileUpload(c) {
				err = readUploadForm(c) // files in memory, text in the form (attachments.go)
			} else {
				err = req.ParseMultipartForm(64 << 10)
			}
		}
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return he
			}
			return errMalformedBody
		}
		return next(c)
	}
}
