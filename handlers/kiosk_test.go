package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/qrimg/qrtest"
	"minsheng/receipt"
	"minsheng/storage"
)

// kioskSite registers the lobby of the county hospital's outpatient building.
func kioskSite(t *testing.T, h *harness) storage.Site {
	t.Helper()
	site, err := h.store.AddSite(context.Background(), storage.NewSite{Name: "门诊大厅自助机", Building: "门诊楼",
		Floor: "1F", UnitCode: "county-hospital", Dept: "门诊部"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	return site
}

// kioskRetire takes a site out of use, as an administrator retiring it would.
func kioskRetire(t *testing.T, h *harness, code string) {
	t.Helper()
	admin, err := h.store.CreateUser(context.Background(), 0, "站点管理员", staffPassword, storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetSiteActive(context.Background(), admin.ID, code, false); err != nil {
		t.Fatal(err)
	}
}

// kioskSubmit opens the kiosk's form, solves its captcha and posts vals over it.
func kioskSubmit(t *testing.T, b *browser, path string, vals url.Values) *response {
	t.Helper()
	page := b.getCSRF(t, path)
	v := url.Values{}
	id, answer := b.h.captchaFor(t, page.Body)
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	for k, vs := range vals {
		v[k] = vs
	}
	return b.post(t, path, v)
}

// wantKioskHeaders checks what every kiosk page carries: a policy that allows the portal's own
// script and is otherwise the portal's usual one, and no caching anywhere.
func wantKioskHeaders(t *testing.T, r *response, usual string) {
	t.Helper()
	if got, want := r.Header.Get("Content-Security-Policy"), usual+"; script-src 'self'"; got != want {
		t.Errorf("kiosk CSP:\n got %q\nwant %q", got, want)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("kiosk Cache-Control got %q, want no-store", got)
	}
}

var scriptTagRe = regexp.MustCompile(`<script[^>]*>`)

// kioskScriptRe is the one script tag a kiosk page may carry: static/kiosk.js by its hashed URL.
var kioskScriptRe = regexp.MustCompile(`^<script src="/static/kiosk\.[0-9a-f]{12}\.js" defer>$`)

// TestKioskForm: the form of a site's kiosk, with its unit chosen, nothing to autofill, no way
// off the page, and script allowed here alone.
func TestKioskForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	b := h.browser()
	usual := h.browser().get(t, "/submit").Header.Get("Content-Security-Policy")
	if usual == "" || strings.Contains(usual, "script-src") || !strings.Contains(usual, "default-src 'none'") {
		t.Fatalf("/submit CSP %q: want the usual policy, with no script allowed", usual)
	}

	r := b.get(t, "/kiosk/"+site.Code)
	wantStatus(t, r, http.StatusOK)
	wantKioskHeaders(t, r, usual)
	wantContains(t, r.Body,
		`<form method="post" action="/kiosk/`+site.Code+`" class="opinion kiosk" autocomplete="off" novalidate>`,
		`<option value="county-hospital" selected>县人民医院</option>`,
		`id="dept" name="dept" type="text" maxlength="50" autocomplete="off" value="门诊部"`,
		`<textarea id="content" name="content" rows="8" maxlength="5000" autocomplete="off"`,
		`id="contact" name="contact" type="text" maxlength="100" autocomplete="off" value=""`,
		`name="captcha_id"`, `<audio controls`,
		`data-kiosk-home="/kiosk/`+site.Code+`"`, `data-kiosk-idle-ms="120000"`, "2 分钟没有操作",
		"您在：门诊大厅自助机（县人民医院）", "民声不记录您的 IP 地址", "</html>")
	// A kiosk has no way off the page: no menu, no links at all, no refresh that could wipe
	// someone mid-sentence.
	wantNotContains(t, r.Body, "<a ", "<nav", `http-equiv="refresh"`, "<no value>", "ZgotmplZ", "templates:")
	for _, tag := range scriptTagRe.FindAllString(r.Body, -1) {
		if !kioskScriptRe.MatchString(tag) {
			t.Errorf("script tag %q: only the kiosk script, from /static, may be loaded", tag)
		}
	}
	if r.Header.Get("Set-Cookie") == "" || strings.Contains(strings.ToLower(r.Header.Get("Set-Cookie")), "expires") {
		t.Errorf("kiosk form's CSRF cookie %q: want a session cookie", r.Header.Get("Set-Cookie"))
	}

	// The script itself is served, and every other page still runs none.
	js := b.get(t, "/static/kiosk.js")
	wantStatus(t, js, http.StatusOK)
	wantContains(t, js.Body, "location.replace(home)", "pageshow")
	if got := b.get(t, "/submit").Header.Get("Content-Security-Policy"); got != usual {
		t.Errorf("/submit CSP after a kiosk visit got %q, want %q", got, usual)
	}
}

// TestKioskSubmit: a kiosk opinion is stored with channel kiosk and the site, and the receipt
// page shows the code in the page only, with a QR code of the /track page.
func TestKioskSubmit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onSQLite) // it reads the SQLite file itself (PostgreSQL: storage's own tests)
	site := kioskSite(t, h)
	other := kioskSite(t, h)
	b := h.browser()
	b.headers.Set("User-Agent", "UA-CANARY-KIOSK")
	usual := b.get(t, "/submit").Header.Get("Content-Security-Policy")

	vals := validOpinion()
	vals.Set("unit", "tcm-hospital") // the site's unit is a choice, not a rule
	vals.Set("dept", "针灸科")
	// Fields the public form would take from a poster link are not the kiosk's to decide.
	vals.Set("site", other.Code)
	vals.Set("mailbox", "director")
	vals.Set("channel", "web")
	path := "/kiosk/" + site.Code
	r := kioskSubmit(t, b, path, vals)
	wantStatus(t, r, http.StatusOK)
	wantKioskHeaders(t, r, usual)
	wantContains(t, r.Body, "您的意见已经保存", "请记下或拍下这个查询码", "扫码打开查询页，输入查询码查看答复",
		`<noscript><meta http-equiv="refresh" content="60;url=/kiosk/`+site.Code+`"></noscript>`,
		`data-kiosk-receipt-ms="60000"`, `<span id="kiosk-countdown">60</span>`,
		`<a class="button kiosk-done" href="/kiosk/`+site.Code+`" data-kiosk-reset>完成</a>`)
	wantNotContains(t, r.Body, "<nav", "<no value>", "ZgotmplZ")
	code := receiptOf(t, r)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt.Parse(%q): %v", code, err)
	}

	o := h.byReceipt(t, code)
	if o.Channel != "kiosk" || o.SiteCode != site.Code || o.Site != site.Name || o.MailboxCode != "" ||
		o.UnitCode != "tcm-hospital" || o.Dept != "针灸科" || o.Content != vals.Get("content") {
		t.Errorf("stored channel %q site %q (%q) mailbox %q unit %q dept %q content %q; want kiosk %q (%q), no mailbox, tcm-hospital 针灸科 and the text",
			o.Channel, o.Site, o.SiteCode, o.MailboxCode, o.UnitCode, o.Dept, o.Content, site.Name, site.Code)
	}
	if o.CreatedOn != "2026-04-15" {
		t.Errorf("stored date %q, want the day only (2026-04-15)", o.CreatedOn)
	}

	// The QR code opens the track page; the code is in the page's text and nowhere else.
	qr := qrtest.ReadSVG(t, r.Body)
	if qr != "http://example.com/track" {
		t.Errorf("QR code reads %q, want the /track page http://example.com/track", qr)
	}
	forms := []string{code, norm, strings.ToLower(code), strings.ToLower(norm)}
	for _, f := range forms {
		if strings.Contains(qr, f) {
			t.Errorf("receipt %q in the QR code %q", f, qr)
		}
		for _, m := range urlAttrRe.FindAllStringSubmatch(r.Body, -1) {
			if strings.Contains(m[1], f) {
				t.Errorf("receipt %q in a URL of the page: %q", f, m[0])
			}
		}
		for _, resp := range b.seen {
			for name, vs := range resp.Header {
				if strings.Contains(strings.Join(vs, " "), f) {
					t.Errorf("receipt %q in response header %s", f, name)
				}
			}
		}
	}
	if n := strings.Count(shownText(r.Body), code); n != 1 {
		t.Errorf("receipt appears %d times in the page, want once (in #receipt-code)", n)
	}
	// Nothing about the device is kept: not the user agent, not in the database, not in the log.
	if bytes.Contains(h.dbBytes(t), []byte("UA-CANARY-KIOSK")) || strings.Contains(h.logs.String(), "UA-CANARY-KIOSK") {
		t.Error("the kiosk's user agent was written down")
	}
}

// urlAttrRe finds the attributes of a page that hold a URL or a refresh target.
var urlAttrRe = regexp.MustCompile(`(?:href|src|action|content|data-kiosk-home)="([^"]*)"`)

// TestKioskSubmitRefused: a kiosk form that is not right comes back as the kiosk's form, with
// what the person wrote, and stores nothing; the captcha is required as on the public form.
func TestKioskSubmitRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	path := "/kiosk/" + site.Code
	const text = "候诊区的空调坏了三天，老人孩子都在发抖，没有人来修。"
	tests := []struct {
		name   string
		change func(v url.Values)
		status int
		wants  []string
	}{
		{"too short", func(v url.Values) { v.Set("content", "太冷") }, http.StatusUnprocessableEntity,
			[]string{"内容太短了", ">太冷</textarea>"}},
		{"no type", func(v url.Values) { v.Del("type") }, http.StatusUnprocessableEntity, []string{"请选择您要反映的类型", text}},
		{"unknown unit", func(v url.Values) { v.Set("unit", "nowhere") }, http.StatusUnprocessableEntity,
			[]string{"请从列表中选择一个单位", text}},
		{"wrong captcha", func(v url.Values) { v.Set("captcha_answer", wrongAnswer(v.Get("captcha_answer"))) },
			http.StatusUnprocessableEntity, []string{"验证码不对或已过期", text}},
		{"no captcha", func(v url.Values) { v.Del("captcha_id"); v.Del("captcha_answer") },
			http.StatusUnprocessableEntity, []string{"验证码不对或已过期", text}},
		{"honeypot", func(v url.Values) { v.Set("website", "http://spam.example") }, http.StatusForbidden,
			[]string{"请勿填写此项", text}},
		{"personal data unconfirmed", func(v url.Values) { v.Set("content", text+"我的电话 13812345678。") },
			http.StatusUnprocessableEntity, []string{"我知道，仍然提交", "13812345678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			usual := b.get(t, "/submit").Header.Get("Content-Security-Policy")
			page := b.getCSRF(t, path)
			v := validOpinion()
			v.Set("content", text)
			id, answer := h.captchaFor(t, page.Body)
			v.Set("captcha_id", id)
			v.Set("captcha_answer", answer)
			tt.change(v)
			before := h.countOpinions(t)
			r := b.post(t, path, v)
			wantStatus(t, r, tt.status)
			wantKioskHeaders(t, r, usual)
			wantContains(t, r.Body, tt.wants...)
			wantContains(t, r.Body, `action="/kiosk/`+site.Code+`"`, `data-kiosk-idle-ms="120000"`, `name="captcha_id"`)
			wantNotContains(t, r.Body, "<a ", `id="receipt-code"`)
			if after := h.countOpinions(t); after != before {
				t.Errorf("opinions stored: %d → %d, want none added", before, after)
			}
		})
	}
}

// TestKioskNotSetUp: an unknown or retired site's kiosk says so, plainly, for a look and for
// a post alike.
func TestKioskNotSetUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	retired := kioskSite(t, h)
	kioskRetire(t, h, retired.Code)
	for _, code := range []string{"ZZZZZZ", retired.Code, "%E9%97%A8%E8%AF%8A"} {
		t.Run(code, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/submit")
			for _, r := range []*response{b.get(t, "/kiosk/"+code), kioskPost(t, b, "/kiosk/"+code)} {
				wantStatus(t, r, http.StatusNotFound)
				wantContains(t, r.Body, "这台自助留言机还没有设置好", "请告诉工作人员")
				wantNotContains(t, r.Body, "goroutine", "sql", `name="content"`, "kiosk.js")
				if csp := r.Header.Get("Content-Security-Policy"); strings.Contains(csp, "script-src") {
					t.Errorf("CSP %q on the not-set-up page: want no script allowed", csp)
				}
			}
			if n := h.countOpinions(t); n != 0 {
				t.Errorf("%d opinions stored through a kiosk that is not set up", n)
			}
		})
	}
}

// kioskPost posts a complete opinion (without a valid captcha) straight to path.
func kioskPost(t *testing.T, b *browser, path string) *response {
	t.Helper()
	return b.post(t, path, validOpinion())
}

// TestKioskExpiredPageKeepsText: a tablet whose CSRF cookie went (the browser restarted under
// the form) gives the person their text back on the kiosk's own form, not a bare 403 page.
func TestKioskExpiredPageKeepsText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	path := "/kiosk/" + site.Code
	b := h.browser()
	b.getCSRF(t, path)
	delete(b.cookies, "ms_csrf")
	v := validOpinion()
	v.Set("_csrf", b.token)
	r := b.postForm(t, path, v)
	wantStatus(t, r, http.StatusForbidden)
	wantContains(t, r.Body, "页面停留太久已过期，您的意见还没有保存。", v.Get("content"), `src="/static/kiosk.`)
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
}

// TestKioskErrorKeepsTheKiosk: an error met on a kiosk (here a body too large even to be given
// back) is shown in the kiosk's layout — no menu, no link off the kiosk, the kiosk's script to clear it after the
// idle time — not in the site's.
func TestKioskErrorKeepsTheKiosk(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	path := "/kiosk/" + site.Code
	b := h.browser()
	b.getCSRF(t, path)
	v := validOpinion()
	v.Set("content", strings.Repeat("a", 300*1024))
	r := b.post(t, path, v)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantContains(t, r.Body, "内容太长了", `data-kiosk-home="`+path+`"`, `data-kiosk-idle-ms="`, `href="`+path+`" data-kiosk-reset`)
	wantNotContains(t, r.Body, `href="/"`, `href="/submit"`, `href="/track"`)
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("opinions stored: %d, want 0", n)
	}
}
