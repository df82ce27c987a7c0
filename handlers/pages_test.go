package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/storage"
)

// TestEveryPageRenders walks every page a person or a reviewer can reach.
func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	token, err := h.store.CreateSetupToken(ctx)
	if err != nil {
		t.Fatalf("CreateSetupToken: %v", err)
	}
	id, _ := h.seed(t, storage.NewOpinion{Content: "挂号窗口的工作人员态度很差。", Dept: "挂号处"})
	staff, _ := h.staff(t)
	public := h.browser()

	tests := []struct {
		name   string
		b      *browser
		method string
		target string
		status int
		wants  []string
	}{
		{"home", public, http.MethodGet, "/", 200, []string{"您的意见，我们认真听", "匿名承诺", `<a href="/xinxiang">信箱</a>页`}},
		{"submit", public, http.MethodGet, "/submit", 200, []string{"我要留言", `name="captcha_id"`, "县人民医院"}},
		{"submit from poster", public, http.MethodGet, "/submit?unit=county-hospital&dept=x", 200,
			[]string{`<option value="county-hospital" selected>县人民医院</option>`, `id="dept" name="dept" type="text" maxlength="50" value="x"`}},
		{"track", public, http.MethodGet, "/track", 200, []string{"查询回复", `name="code"`}},
		{"login", public, http.MethodGet, "/admin/login", 200, []string{"工作人员登录", `name="next" value="/admin/queue"`}},
		{"setup", public, http.MethodGet, "/admin/setup/" + token, 200, []string{"设置第一位管理员", `action="/admin/setup/` + token + `"`}},
		{"queue", staff, http.MethodGet, "/admin/queue", 200, []string{"意见队列", "挂号窗口的工作人员态度很差。", "/admin/opinions/" + id}},
		{"item", staff, http.MethodGet, "/admin/opinions/" + id, 200, []string{"投诉 · 县人民医院 · 挂号处", "四风标注", "内部备注", "处理记录"}},
		{"404", public, http.MethodGet, "/no-such-page", 404, []string{"没有找到这个页面"}},
		{"404 under admin", staff, http.MethodGet, "/admin/no-such-page", 404, []string{"没有找到这个页面"}},
		{"404 unknown opinion", staff, http.MethodGet, "/admin/opinions/NOSUCHID00", 404, []string{"没有找到这个页面"}},
		{"405", public, http.MethodPost, "/healthz", 405, []string{"无法这样访问"}},
	}
	public.getCSRF(t, "/track")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r *response
			if tc.method == http.MethodPost {
				r = tc.b.post(t, tc.target, nil)
			} else {
				r = tc.b.get(t, tc.target)
			}
			if r.Code != tc.status {
				t.Fatalf("%s %s: status got %d, want %d\n%s", tc.method, tc.target, r.Code, tc.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type got %q, want text/html", ct)
			}
			wantContains(t, r.Body, tc.wants...)
			wantContains(t, r.Body, `<html lang="zh-CN" dir="ltr">`, "民声不记录您的 IP 地址", "</html>")
			wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ")
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors were logged while rendering pages:\n%s", logs)
	}
}

// TestSecurityHeaders checks the headers on every kind of answer, error pages included.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	public := h.browser()
	public.getCSRF(t, "/submit")

	tests := []struct {
		name   string
		do     func(t *testing.T) *response
		status int
	}{
		{"home", func(t *testing.T) *response { return public.get(t, "/") }, 200},
		{"submit", func(t *testing.T) *response { return public.get(t, "/submit") }, 200},
		{"track", func(t *testing.T) *response { return public.get(t, "/track") }, 200},
		{"healthz", func(t *testing.T) *response { return public.get(t, "/healthz") }, 200},
		{"login", func(t *testing.T) *response { return public.get(t, "/admin/login") }, 200},
		{"queue", func(t *testing.T) *response { return staff.get(t, "/admin/queue") }, 200},
		{"queue redirect", func(t *testing.T) *response { return public.get(t, "/admin/queue") }, 303},
		{"404", func(t *testing.T) *response { return public.get(t, "/nope") }, 404},
		{"404 captcha", func(t *testing.T) *response { return public.get(t, "/captcha/nope.png") }, 404},
		{"405", func(t *testing.T) *response { return public.post(t, "/healthz", nil) }, 405},
		{"403 csrf", func(t *testing.T) *response {
			return h.browser().postForm(t, "/track", url.Values{"code": {"x"}})
		}, 403},
		{"403 staff", func(t *testing.T) *response { return public.post(t, "/admin/logout", nil) }, 403},
		{"422 track", func(t *testing.T) *response { return public.post(t, "/track", url.Values{"code": {"x"}}) }, 422},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do(t)
			if r.Code != tc.status {
				t.Fatalf("status got %d, want %d", r.Code, tc.status)
			}
			csp := r.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy got %q, want frame-ancestors 'none'", csp)
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy got %q, must not allow unsafe-*", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
			} {
				if got := r.Header.Get(name); got != want {
					t.Errorf("%s got %q, want %q", name, got, want)
				}
			}
		})
	}

	t.Run("static is cacheable", func(t *testing.T) {
		r := public.get(t, "/static/style.css")
		wantStatus(t, r, 200)
		if got := r.Header.Get("Cache-Control"); strings.Contains(got, "no-store") {
			t.Errorf("Cache-Control on static got %q, want cacheable", got)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("X-Content-Type-Options on static got %q", got)
		}
	})
}

// TestCSRFCookie checks that the CSRF cookie is a session cookie: it goes when the browser closes.
func TestCSRFCookie(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/submit")
	var raw string
	for _, v := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "ms_csrf=") {
			raw = v
		}
	}
	if raw == "" {
		t.Fatalf("no ms_csrf Set-Cookie in %q", r.Header.Values("Set-Cookie"))
	}
	lower := strings.ToLower(raw)
	for _, bad := range []string{"expires=", "max-age="} {
		if strings.Contains(lower, bad) {
			t.Errorf("ms_csrf cookie %q has %s: want a session cookie", raw, bad)
		}
	}
	for _, want := range []string{"httponly", "samesite=lax", "path=/"} {
		if !strings.Contains(lower, want) {
			t.Errorf("ms_csrf cookie %q lacks %s", raw, want)
		}
	}

	t.Run("only pages with forms set it", func(t *testing.T) {
		for _, target := range []string{"/", "/healthz", "/static/style.css", "/no-such-page"} {
			if v := h.browser().get(t, target).Header.Values("Set-Cookie"); len(v) != 0 {
				t.Errorf("GET %s set cookies %q, want none", target, v)
			}
		}
		for _, target := range []string{"/submit", "/track", "/admin/login"} {
			b := h.browser()
			b.get(t, target)
			if _, ok := b.cookies["ms_csrf"]; !ok {
				t.Errorf("GET %s set no ms_csrf cookie", target)
			}
		}
	})

	t.Run("kept across pages", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, "/submit")
		first := b.token
		b.getCSRF(t, "/track")
		if b.token != first {
			t.Errorf("token changed between pages: got %q, want %q", b.token, first)
		}
		if v := b.get(t, "/").Header.Values("Set-Cookie"); len(v) != 0 {
			t.Errorf("a browser with a token got a new Set-Cookie: %q", v)
		}
	})
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withSecureCookies)
	h.newStaff(t, "审核员甲")
	b := h.browser()
	b.getCSRF(t, "/admin/login")
	r := b.post(t, "/admin/login", url.Values{"username": {"审核员甲"}, "password": {staffPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	for _, name := range []string{"ms_csrf", "ms_session"} {
		c, ok := b.cookies[name]
		if !ok {
			t.Errorf("no %s cookie", name)
			continue
		}
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("%s: Secure=%v HttpOnly=%v SameSite=%v, want Secure, HttpOnly, Lax", name, c.Secure, c.HttpOnly, c.SameSite)
		}
	}
}

// TestBodyLimit: a body over 64 KB is refused (413) and nothing is stored; the form comes back
// with the text (TestRefusalGivesFormBack).
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	b.getCSRF(t, "/submit")
	v := validOpinion()
	v.Set("content", strings.Repeat("a", 70*1024))
	r := b.post(t, "/submit", v)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantContains(t, r.Body, "内容太长了")
	if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options got %q, want DENY", got)
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("opinions stored: got %d, want 0", n)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/healthz")
	wantStatus(t, r, 200)
	if r.Body != "ok" {
		t.Errorf("body got %q, want %q", r.Body, "ok")
	}
}

func TestCaptchaMedia(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	id, _ := h.captchaFor(t, page.Body)
	wantContains(t, page.Body, `src="/captcha/`+id+`.png"`, `href="/captcha/`+id+`.wav"`)

	tests := []struct {
		name   string
		target string
		status int
		ctype  string
		magic  []byte
	}{
		{"png", "/captcha/" + id + ".png", 200, "image/png", []byte("\x89PNG\r\n\x1a\n")},
		{"wav", "/captcha/" + id + ".wav", 200, "audio/wav", []byte("RIFF")},
		{"unknown png", "/captcha/doesnotexist.png", 404, "text/html", nil},
		{"unknown wav", "/captcha/doesnotexist.wav", 404, "text/html", nil},
		{"other extension", "/captcha/" + id + ".gif", 404, "text/html", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.get(t, tc.target)
			wantStatus(t, r, tc.status)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type got %q, want %q", ct, tc.ctype)
			}
			if got := r.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control got %q, want no-store", got)
			}
			if tc.magic != nil && !bytes.HasPrefix([]byte(r.Body), tc.magic) {
				t.Errorf("body starts %q, want %q", r.Body[:min(8, len(r.Body))], tc.magic)
			}
		})
	}
	t.Run("viewing does not spend the captcha", func(t *testing.T) {
		if _, ok := h.captchas.Answer(id); !ok {
			t.Errorf("captcha %s gone after viewing its image", id)
		}
	})
}

func TestNoCaptchaConfigured(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	wantNotContains(t, page.Body, "captcha_id", "/captcha/")
	r := b.follow(t, b.post(t, "/submit", validOpinion()))
	wantStatus(t, r, http.StatusOK)
	receiptOf(t, r)
	if n := h.countOpinions(t); n != 1 {
		t.Errorf("opinions stored: got %d, want 1", n)
	}
	wantStatus(t, b.get(t, "/captcha/anything.png"), http.StatusNotFound)
}
