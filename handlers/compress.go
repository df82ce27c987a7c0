package handlers

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// Compression of pages, and BREACH.
//
// gzip shrinks a page to a third, which matters on a cheap phone's mobile data. But a
// compressed response leaks, through its length, whether attacker-chosen text in it matches a
// secret also in it (BREACH): an attacker who can make the victim's browser fetch a page many
// times with guesses in the URL, and can watch the encrypted sizes, learns the secret a
// character at a time. So a response is compressed only when it cannot mix the two:
//
//   - never an answer to a POST: receipts, the person's own words, the tracked opinion;
//   - never a staff page: a session's pages hold contacts and tokens next to search words and
//     submitters' text that anyone can choose;
//   - a page that carries a form token (it asked view.CSRF) only when its URL has no query
//     string: on a GET the query is the only place a stranger's text can enter the page
//     (/submit?dept=… is reflected in the form), and path values must name a real site or
//     survey;
//   - only text (HTML, CSS, JavaScript, SVG, plain text): never the captcha's image and sound,
//     nor anything already compressed. The captcha is also never a secret next to input.
//
// Static files are compressed once at start-up (see assets.go); this middleware does pages.

// secretKey marks, in the request's context, a response that carries a secret: set when the
// page renders a form token.
const secretKey = "carriesSecret"

// compressible reports whether a Content-Type is text that gzip shrinks.
func compressible(ctype string) bool {
	ctype, _, _ = strings.Cut(ctype, ";")
	switch strings.TrimSpace(strings.ToLower(ctype)) {
	case "text/html", "text/css", "text/plain", "text/javascript", "application/javascript", "image/svg+xml":
		return true
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0"
		}
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return zw
}}

// compress gzips pages under the rules above. The choice is made when the page's header is
// written, after the handler has rendered it and so after it could mark it secret.
func (s *Server) compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !acceptsGzip(r) {
			return next(c)
		}
		res := c.Response()
		w := &gzipResponse{ResponseWriter: res.Writer, c: c}
		res.Writer = w
		defer func() {
			res.Writer = w.ResponseWriter
			w.finish()
		}()
		// Error pages are written here, through the wrapper, rather than by Echo after every
		// middleware has returned: a 404 page is a page like any other.
		if err := next(c); err != nil {
			c.Error(err)
		}
		return nil
	}
}

// gzipResponse decides at WriteHeader whether to compress, then streams through gzip if so.
type gzipResponse struct {
	http.ResponseWriter
	c       echo.Context
	decided bool
	zw      *gzip.Writer
}

// mayCompress applies the rules of the package comment to the response about to be sent.
func (g *gzipResponse) mayCompress(status int) bool {
	h := g.Header()
	switch {
	case status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		status == http.StatusPartialContent:
		return false
	case h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")):
		return false
	}
	if _, staff := staffUser(g.c); staff {
		return false
	}
	secret, _ := g.c.Get(secretKey).(bool)
	return !secret || g.c.Request().URL.RawQuery == ""
}

func (g *gzipResponse) WriteHeader(status int) {
	if !g.decided {
		g.decided = true
		if compressible(g.Header().Get("Content-Type")) && !strings.Contains(g.Header().Get("Vary"), "Accept-Encoding") {
			g.Header().Add("Vary", "Accept-Encoding")
		}
		if g.mayCompress(status) {
			g.Header().Set("Content-Encoding", "gzip")
			g.Header().Del("Content-Length")
			if g.c.Request().Method != http.MethodHead {
				g.zw = gzipWriters.Get().(*gzip.Writer)
				g.zw.Reset(g.ResponseWriter)
			}
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far, for streamed answers.
func (g *gzipResponse) Flush() {
	if g.zw != nil {
		_ = g.zw.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets a handler take the connection over, as without this wrapper.
func (g *gzipResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := g.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("compress: the connection cannot be hijacked")
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// finish closes the gzip stream and returns its writer to the pool.
func (g *gzipResponse) finish() {
	if g.zw == nil {
		return
	}
	_ = g.zw.Close()
	g.zw.Reset(io.Discard)
	gzipWriters.Put(g.zw)
	g.zw = nil
}
