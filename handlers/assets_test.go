package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	minsheng "minsheng"
)

// publicPages are the pages a visitor can reach without logging in, each with the words that
// prove the right page rendered. Every one of them is held to the same rules: a favicon, its
// own meta description, hashed asset URLs.
func publicPages(t *testing.T, h *harness) []struct{ name, target, want string } {
	t.Helper()
	site := kioskSite(t, h)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	return []struct{ name, target, want string }{
		{"home", "/", "您的意见，我们认真听"},
		{"submit", "/submit", `name="captcha_id"`},
		{"track", "/track", `name="code"`},
		{"gongshi", "/gongshi", "整改公示"},
		{"xinxiang", "/xinxiang", "纪检监察信箱"},
		{"kiosk", "/kiosk/" + site.Code, "自助留言"},
		{"survey", surveyURL(sv), "门诊满意度测评"},
		{"pingyi", "/pingyi", "评议码"},
		{"not found", "/no-such-page", "没有找到这个页面"},
	}
}

var (
	metaDescriptionRe = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	staticURLRe       = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	hashedURLRe       = regexp.MustCompile(`^/static/([a-z0-9_-]+)\.([0-9a-f]{12})\.([a-z]+)$`)
	iconLinkRe        = regexp.MustCompile(`<link rel="icon" href="(/static/favicon\.[0-9a-f]{12}\.svg)" type="image/svg\+xml">`)
)

// Ensure every public page carries its own meta description, a favicon link, and only
// hashed asset URLs, each answering with a year-long immutable cache.
func TestPublicPagesHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	seen := map[string]string{} // description → page
	for _, p := range publicPages(t, h) {
		t.Run(p.name, func(t *testing.T) {
			r := b.get(t, p.target)
			wantContains(t, r.Body, p.want)
			descs := metaDescriptionRe.FindAllStringSubmatch(r.Body, -1)
			if len(descs) != 1 {
				t.Fatalf("%d meta descriptions, want exactly one", len(descs))
			}
			d := descs[0][1]
			if n := len([]rune(d)); n < 20 || n > 160 {
				t.Errorf("meta description %q has %d characters, want 20–160", d, n)
			}
			if other, dup := seen[d]; dup && p.name != "not found" {
				t.Errorf("meta description %q is the same as on %s", d, other)
			}
			if p.name != "not found" {
				seen[d] = p.name
			}
			if !iconLinkRe.MatchString(r.Body) {
				t.Errorf("no favicon link to a hashed SVG in the head")
			}
			urls := staticURLRe.FindAllStringSubmatch(r.Body, -1)
			if len(urls) < 2 {
				t.Fatalf("only %d static URLs in the page, want the style sheet and the icon at least", len(urls))
			}
			for _, m := range urls {
				u := m[1]
				parts := hashedURLRe.FindStringSubmatch(u)
				if parts == nil {
					t.Errorf("static URL %q has no content hash", u)
					continue
				}
				a := b.get(t, u)
				wantStatus(t, a, http.StatusOK)
				if got := a.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
					t.Errorf("%s: Cache-Control %q, want a year, immutable", u, got)
				}
				plain, err := fs.ReadFile(minsheng.StaticFS, "static/"+parts[1]+"."+parts[3])
				if err != nil {
					t.Fatalf("%s names no embedded file: %v", u, err)
				}
				if a.Body != string(plain) {
					t.Errorf("%s does not serve static/%s.%s", u, parts[1], parts[3])
				}
			}
		})
	}
}

// Ensure the asset URLs follow the content: the old unhashed paths still answer (revalidated,
// never kept for a year), a wrong hash is not found, and /static/ lists nothing.
func TestStaticPaths(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	hashed := staticURLRe.FindStringSubmatch(b.get(t, "/").Body)
	if hashed == nil || !strings.Contains(hashed[1], "/static/style.") {
		t.Fatalf("home page links no style sheet: %v", hashed)
	}
	hash := hashedURLRe.FindStringSubmatch(hashed[1])[2]

	plain := b.get(t, "/static/style.css")
	wantStatus(t, plain, http.StatusOK)
	if got := plain.Header.Get("Cache-Control"); strings.Contains(got, "immutable") || !strings.Contains(got, "no-cache") {
		t.Errorf("unhashed style.css: Cache-Control %q, want revalidation (no-cache), never immutable", got)
	}
	if !strings.HasPrefix(plain.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style.css Content-Type %q", plain.Header.Get("Content-Type"))
	}
	etag := plain.Header.Get("ETag")
	if !strings.Contains(etag, hash) {
		t.Errorf("unhashed style.css ETag %q does not carry the content hash %s", etag, hash)
	}
	b.headers.Set("If-None-Match", etag)
	wantStatus(t, b.get(t, "/static/style.css"), http.StatusNotModified)
	b.headers.Del("If-None-Match")
	wantStatus(t, b.get(t, "/static/kiosk.js"), http.StatusOK)

	// Staff pages share the layout: their links are hashed too.
	staff, _ := h.staff(t)
	for _, target := range []string{"/admin/login", "/admin/queue", "/admin/ledgers"} {
		page := staff.get(t, target)
		wantStatus(t, page, http.StatusOK)
		for _, m := range staticURLRe.FindAllStringSubmatch(page.Body, -1) {
			if !hashedURLRe.MatchString(m[1]) {
				t.Errorf("%s links %s, without a content hash", target, m[1])
			}
		}
	}

	for _, target := range []string{"/static/", "/static", "/static/style.0123456789ab.css", "/static/nothing.css",
		"/static/../embed.go", "/static/style." + hash + ".js"} {
		if r := b.get(t, target); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, r.Code)
		}
	}
}

// Ensure /favicon.ico answers with the embedded icon, so no browser logs a 404 for it.
func TestFavicon(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/favicon.ico")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "image/x-icon" && ct != "image/vnd.microsoft.icon" {
		t.Errorf("Content-Type %q, want an icon", ct)
	}
	if !strings.HasPrefix(r.Body, "\x00\x00\x01\x00") {
		t.Errorf("body does not start like an ICO file: % x", r.Body[:min(8, len(r.Body))])
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") || strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want the icon cached", cc)
	}
	if v := r.Header.Values("Set-Cookie"); len(v) != 0 {
		t.Errorf("favicon set cookies %q", v)
	}
}

// Ensure robots.txt keeps crawlers out of the staff pages and the captchas, and nowhere else.
func TestRobotsTxt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/robots.txt")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", ct)
	}
	var disallowed []string
	agentAll := false
	for _, line := range strings.Split(r.Body, "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, ":"); ok {
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "user-agent":
				agentAll = strings.TrimSpace(v) == "*"
			case "disallow":
				if agentAll {
					disallowed = append(disallowed, strings.TrimSpace(v))
				}
			}
		}
	}
	blocked := func(path string) bool {
		for _, d := range disallowed {
			if d != "" && strings.HasPrefix(path, d) {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"/admin", "/admin/login", "/admin/queue", "/captcha/x.png"} {
		if !blocked(p) {
			t.Errorf("robots.txt lets crawlers into %s:\n%s", p, r.Body)
		}
	}
	for _, p := range []string{"/", "/submit", "/track", "/gongshi", "/xinxiang", "/kiosk/abc", "/survey/1", "/pingyi"} {
		if blocked(p) {
			t.Errorf("robots.txt keeps crawlers out of the public page %s", p)
		}
	}
	// Audit tools such as Lighthouse read robots.txt from inside a page, under its policy.
	if csp := h.browser().get(t, "/").Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("the pages' policy %q refuses an in-page read of /robots.txt", csp)
	}
}

// gunzip decompresses body, failing the test when it is not gzip.
func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(out)
}

// Ensure HTML and CSS go compressed to a browser that accepts gzip, and that nothing is
// compressed where compression would leak or waste: the captcha, POST answers (receipts, the
// person's own words), staff pages, and a page carrying a form token whose URL someone else
// could have chosen (BREACH).
func TestCompression(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	plainB := h.browser()
	home := plainB.get(t, "/")
	style := staticURLRe.FindStringSubmatch(home.Body)[1]
	staff, _ := h.staff(t)
	staff.headers.Set("Accept-Encoding", "gzip")

	zip := h.browser()
	form := zip.getCSRF(t, "/submit") // read plain, for the token and the captcha
	id, _ := h.captchaFor(t, form.Body)
	zip.headers.Set("Accept-Encoding", "gzip, deflate, br")

	tests := []struct {
		name   string
		do     func() *response
		gzip   bool
		substr string // in the decoded body
	}{
		{"home", func() *response { return zip.get(t, "/") }, true, "您的意见，我们认真听"},
		{"gongshi", func() *response { return zip.get(t, "/gongshi") }, true, "整改公示"},
		{"xinxiang", func() *response { return zip.get(t, "/xinxiang") }, true, "信箱"},
		{"not found", func() *response { return zip.get(t, "/no-such-page") }, true, "没有找到这个页面"},
		{"hashed css", func() *response { return zip.get(t, style) }, true, "box-sizing"},
		{"old css path", func() *response { return zip.get(t, "/static/style.css") }, true, "box-sizing"},
		{"kiosk script", func() *response { return zip.get(t, "/static/kiosk.js") }, true, "location.replace"},
		{"form without query", func() *response { return zip.get(t, "/submit") }, true, `name="_csrf"`},
		{"track form", func() *response { return zip.get(t, "/track") }, true, `name="_csrf"`},
		{"form with a query", func() *response { return zip.get(t, "/submit?dept="+url.QueryEscape("门诊")) }, false, `name="_csrf"`},
		{"captcha image", func() *response { return zip.get(t, "/captcha/"+id+".png") }, false, "PNG"},
		{"captcha sound", func() *response { return zip.get(t, "/captcha/"+id+".wav") }, false, "RIFF"},
		{"favicon", func() *response { return zip.get(t, "/favicon.ico") }, false, "\x00\x00\x01\x00"},
		{"post answer", func() *response {
			return zip.post(t, "/track", url.Values{"code": {"没有这个查询码"}})
		}, false, `name="code"`},
		{"staff page", func() *response { return staff.get(t, "/admin/queue") }, false, "意见队列"},
		{"no gzip asked", func() *response { return plainB.get(t, "/gongshi") }, false, "整改公示"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do()
			if r.Code >= 300 && r.Code != http.StatusNotFound && r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", r.Code)
			}
			enc := r.Header.Get("Content-Encoding")
			body := r.Body
			if tc.gzip {
				if enc != "gzip" {
					t.Fatalf("Content-Encoding %q, want gzip", enc)
				}
				body = gunzip(t, r.Body)
				if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("Vary %q, want Accept-Encoding", r.Header.Get("Vary"))
				}
				if r.Header.Get("Content-Length") != "" && r.Header.Get("Content-Length") != strconv.Itoa(len(r.Body)) {
					t.Errorf("Content-Length %s, body is %d bytes", r.Header.Get("Content-Length"), len(r.Body))
				}
			} else if enc != "" {
				t.Fatalf("Content-Encoding %q, want none", enc)
			}
			if !strings.Contains(body, tc.substr) {
				t.Errorf("decoded body lacks %q", tc.substr)
			}
		})
	}

	t.Run("same bytes either way", func(t *testing.T) {
		for _, target := range []string{"/", style} {
			if got, want := gunzip(t, zip.get(t, target).Body), plainB.get(t, target).Body; !bytes.Equal([]byte(got), []byte(want)) {
				t.Errorf("%s: gzip body differs from the plain one", target)
			}
		}
	})
}
