package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/receipt"
)

// TestReceiptSurvivesBackAndReload: POST /submit answers 303 to /submit/done, which shows the
// code on every load (Back, reload) while it is kept; the code is in no URL, no header and no
// log, and the browser keeps only a session cookie whose value is not the code. Another browser
// sees nothing, and "我已记下，清除" drops it at once.
func TestReceiptSurvivesBackAndReload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	id, answer := h.captchaFor(t, page.Body)
	posted := b.post(t, "/submit", withCaptcha(validOpinion(), id, answer))
	wantStatus(t, posted, http.StatusSeeOther)
	if got := posted.location(); got != "/submit/done" {
		t.Fatalf("POST /submit redirects to %q, want /submit/done", got)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: posted.Header}).Cookies() {
		if c.Name == "ms_receipt" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no ms_receipt cookie with the redirect")
	}
	if !cookie.Expires.IsZero() || cookie.MaxAge != 0 || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode ||
		cookie.Path != "/submit/done" {
		t.Errorf("receipt cookie %+v: want a session cookie (no Expires, no Max-Age), HttpOnly, SameSite=Strict, Path=/submit/done", cookie)
	}

	first := b.get(t, "/submit/done")
	wantStatus(t, first, http.StatusOK)
	code := receiptOf(t, first)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt %q: %v", code, err)
	}
	wantContains(t, first.Body, "由卫生健康局的意见办理人员阅读", "10 分钟内刷新或返回本页还能看到查询码", `action="/submit/done/forget"`)
	for i := range 3 { // reloads and Back
		if got := receiptOf(t, b.get(t, "/submit/done")); got != code {
			t.Fatalf("load %d of the receipt page shows %q, want %q", i+2, got, code)
		}
	}
	wantNotContains(t, b.get(t, "/track").Body, code) // on to /track and back again
	if got := receiptOf(t, b.get(t, "/submit/done")); got != code {
		t.Fatalf("back from /track shows %q, want %q", got, code)
	}

	forms := []string{code, norm, strings.ToLower(code), strings.ToLower(norm)}
	for _, f := range forms {
		if strings.Contains(cookie.Value, f) {
			t.Errorf("the receipt %q is in its cookie", f)
		}
		for _, r := range b.seen {
			for name, vs := range r.Header {
				if strings.Contains(strings.Join(vs, " "), f) {
					t.Errorf("receipt %q in response header %s", f, name)
				}
			}
		}
		if strings.Contains(h.logs.String(), f) {
			t.Errorf("receipt %q in the log", f)
		}
	}

	stranger := h.browser()
	gone := stranger.get(t, "/submit/done")
	wantStatus(t, gone, http.StatusOK)
	wantContains(t, gone.Body, "查询码已不再显示")
	wantNotContains(t, gone.Body, `id="receipt-code"`)

	// A stolen or guessed ticket in another browser opens nothing either.
	stranger.cookies["ms_receipt"] = &http.Cookie{Name: "ms_receipt", Value: strings.Repeat("A", len(cookie.Value)), Path: "/submit/done"}
	wantNotContains(t, stranger.get(t, "/submit/done").Body, `id="receipt-code"`)

	b.getCSRF(t, "/submit/done")
	forgot := b.post(t, "/submit/done/forget", url.Values{})
	wantStatus(t, forgot, http.StatusSeeOther)
	if _, kept := b.cookies["ms_receipt"]; kept {
		t.Error("the receipt cookie outlives 清除")
	}
	b.cookies["ms_receipt"] = cookie // a browser that kept it anyway still sees nothing
	after := b.get(t, "/submit/done")
	wantContains(t, after.Body, "查询码已不再显示")
	wantNotContains(t, after.Body, code, `id="receipt-code"`)
}

// TestReceiptSaysWhoReads: the receipt names who will read the opinion; a 举报 is for the
// discipline inspectors alone, on the web and on a kiosk.
func TestReceiptSaysWhoReads(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const discipline = "只有纪检监察人员能看到和办理"
	tests := []struct {
		name string
		set  url.Values
		want string
	}{
		{"举报", url.Values{"type": {"report"}}, discipline},
		{"about the leadership", url.Values{"about_leadership": {"1"}}, "这个单位的工作人员看不到"},
		{"a mailbox", url.Values{"mailbox": {"discipline"}}, "只由纪检监察人员阅读"},
		{"an opinion", url.Values{}, "由卫生健康局的意见办理人员阅读"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validOpinion()
			for k, vs := range tt.set {
				v[k] = vs
			}
			r := h.browser().submit(t, v)
			wantStatus(t, r, http.StatusOK)
			receiptOf(t, r)
			wantContains(t, r.Body, tt.want)
			wantNotContains(t, shownText(r.Body), staffTerms...) // a receipt speaks public words
			if tt.want != discipline {
				wantNotContains(t, r.Body, discipline)
			}
		})
	}
	t.Run("举报 on a kiosk", func(t *testing.T) {
		site := kioskSite(t, h)
		b := h.browser()
		path := "/kiosk/" + site.Code
		page := b.getCSRF(t, path)
		id, answer := h.captchaFor(t, page.Body)
		v := validOpinion()
		v.Set("type", "report")
		v.Set("captcha_id", id)
		v.Set("captcha_answer", answer)
		r := b.post(t, path, v)
		wantStatus(t, r, http.StatusOK)
		receiptOf(t, r)
		wantContains(t, r.Body, discipline)
	})
}

// TestTranscribedReceiptSurvivesReload: a slip staff type in is saved once and answered with
// 303; the page it leads to shows the receipt on every reload without storing the slip again,
// keeps the batch's sticky fields, and carries neither the code nor the slip's text in its URL.
// Opening the form afresh shows no old receipt.
func TestTranscribedReceiptSurvivesReload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	b.getCSRF(t, "/admin/transcribe?batch=1")
	v := slip()
	v.Set("batch", "1")
	v.Set("count", "4")
	r := b.post(t, "/admin/transcribe", v)
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.location()
	if !strings.HasPrefix(loc, "/admin/transcribe?") {
		t.Fatalf("redirect to %q, want the transcription page", loc)
	}
	q, err := url.ParseQuery(strings.TrimPrefix(loc, "/admin/transcribe?"))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"saved": "1", "batch": "1", "count": "5", "channel": "letter",
		"received_on": "2026-04-10", "site": "局办公室收发室", "unit": "county-hospital"} {
		if got := q.Get(k); got != want {
			t.Errorf("redirect's %s = %q, want %q", k, got, want)
		}
	}
	var code string
	for i := range 3 { // the redirect, then reloads
		page := b.get(t, loc)
		wantStatus(t, page, http.StatusOK)
		got := receiptOf(t, page)
		if i > 0 && got != code {
			t.Fatalf("reload %d shows %q, want %q", i, got, code)
		}
		code = got
		wantContains(t, page.Body, "本批已录入 5 条", `value="局办公室收发室"`, `value="2026-04-10"`)
		if c, _ := textarea(page.Body, "content"); c != "" {
			t.Errorf("the next slip's content is %q, want it empty", c)
		}
	}
	norm, _ := receipt.Parse(code)
	for _, f := range []string{code, norm, "急诊科夜间"} {
		if strings.Contains(loc, f) || strings.Contains(loc, url.QueryEscape(f)) {
			t.Errorf("%q in the redirect's URL %q", f, loc)
		}
	}
	if n := h.countOpinions(t); n != 1 {
		t.Errorf("%d opinions stored after reloads, want 1", n)
	}
	if h.byReceipt(t, code).Channel != "letter" {
		t.Error("the receipt shown does not find the slip")
	}
	wantNotContains(t, b.get(t, "/admin/transcribe?batch=1").Body, `id="receipt-code"`)
}
