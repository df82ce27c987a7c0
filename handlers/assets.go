package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// hashLen is how many hex digits of a file's SHA-256 go into its URL: 48 bits, plenty to tell
// one version of a style sheet from the next.
const hashLen = 12

// Cache lifetimes. A hashed URL names one content for ever, so a browser may keep it a year
// without asking again; the old unhashed paths (bookmarks, pages cached before the hashes came)
// still answer, but are revalidated each time so an upgrade is seen at once.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "public, no-cache"
	cacheWellKnown  = "public, max-age=86400" // /favicon.ico and /robots.txt: fixed paths
)

// asset is one embedded static file, read and hashed once at start-up.
type asset struct {
	name   string // path under static/, e.g. "style.css"
	hashed string // the same with the hash before the extension: "style.0123456789ab.css"
	etag   string
	ctype  string
	body   []byte
	gz     []byte // body gzipped, for text types that shrink; nil otherwise
}

// assets are the embedded static files by URL path (both spellings), with the template
// function that turns "style.css" into "/static/style.<hash>.css".
type assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// loadAssets reads every file of static (the static/ folder), hashes it and compresses what
// is worth compressing. Doing it once at start-up costs a few milliseconds and no request pays.
func loadAssets(static fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:hashLen]
		ext := path.Ext(p)
		f := &asset{name: p, hashed: strings.TrimSuffix(p, ext) + "." + hash + ext, etag: `"` + hash + `"`,
			ctype: mime.TypeByExtension(ext), body: body}
		if f.ctype == "" {
			f.ctype = http.DetectContentType(body)
		}
		if compressible(f.ctype) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(body)
			if err := zw.Close(); err != nil {
				return err
			}
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		a.byName[f.name], a.byHashed[f.hashed] = f, f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return a, nil
}

// URL is the template function "asset": the hashed URL of an embedded file. An unknown name
// fails the page rather than linking to nothing.
func (a *assets) URL(name string) (string, error) {
	f, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("asset %q: no such file in static/", name)
	}
	return "/static/" + f.hashed, nil
}

// serveStatic handles GET /static/*: a hashed path with a year-long immutable cache, an
// unhashed one revalidated by its ETag. Anything else, a folder included, is not found: there
// is no directory listing.
func (a *assets) serveStatic(c echo.Context) error {
	p := c.Param("*")
	if f, ok := a.byHashed[p]; ok {
		return a.send(c, f, cacheImmutable)
	}
	if f, ok := a.byName[p]; ok {
		return a.send(c, f, cacheRevalidate)
	}
	return echo.ErrNotFound
}

// serveFile answers a well-known path (/favicon.ico) with the embedded file name.
func (a *assets) serveFile(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, ok := a.byName[name]
		if !ok {
			return echo.ErrNotFound
		}
		return a.send(c, f, cacheWellKnown)
	}
}

// send writes f, gzipped when the browser accepts it and the file shrinks. A Range request
// gets the plain bytes, whose offsets it means.
func (a *assets) send(c echo.Context, f *asset, cacheControl string) error {
	w, r := c.Response(), c.Request()
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Type", f.ctype)
	body, etag := f.body, f.etag
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) && r.Header.Get("Range") == "" {
			h.Set("Content-Encoding", "gzip")
			body, etag = f.gz, `"`+strings.Trim(f.etag, `"`)+`-gz"`
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	return nil
}

// robotsTxt keeps crawlers out of the staff pages and the captchas. Every public page,
// kiosks included, stays crawlable: a page blocked here would be marked "not indexable".
const robotsTxt = `# minsheng: the public pages may be indexed; staff pages and captchas may not.
User-agent: *
Disallow: /admin
Disallow: /captcha/
`

// serveRobots handles GET /robots.txt.
func serveRobots(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", cacheWellKnown)
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(robotsTxt))
}
