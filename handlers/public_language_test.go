package handlers_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// publicWords are what the public form, its receipt and the track page say in one language.
type publicWords struct {
	lang, prefix string
	form         []string // the empty form
	short        []string // the form again after a text that is too short
	receipt      []string // the receipt page
	track        []string // the tracked opinion
	unknown      string   // a well-formed code that finds nothing
	simplified   []string // words the page must not show: another script's or language's
}

var publicLanguages = []publicWords{
	{
		lang: "en", prefix: "/en",
		form: []string{`<html lang="en" dir="ltr">`, "<h1>Leave a message</h1>", "What would you like to tell us?",
			"Which hospital or unit is it about?", "What happened", "(optional)", "Send", "Verification code",
			"read out in English", "New code", "Complaint", "Patient"},
		short: []string{"This is too short. Please write at least 10 characters",
			"Please correct what is marked in red, then send it again. Everything you wrote is still here."},
		receipt: []string{"Your message has been saved", "Your reference code", "Please write it down or take a screenshot now.",
			"The health bureau&#39;s opinion staff will read it", "within 10 minutes of sending",
			"I have noted it down: clear the code", `action="/en/submit/done/forget"`, `href="/en/track"`},
		track: []string{"Progress", "We have it and a member of staff will read it soon", "No reply yet", "What you wrote",
			"Look up another code", "Hospital or unit", "Complaint"},
		unknown:    "We could not find this code.",
		simplified: []string{"我要留言", "请", "处理进展", "还没有答复"},
	},
	{
		lang: "zh-Hant", prefix: "/zh-Hant",
		form: []string{`<html lang="zh-Hant" dir="ltr">`, "<h1>我要留言</h1>", "具體情況", "關於哪個單位", "（選填）",
			"語音驗證碼（普通話讀出圖片上的 6 位數字）", "換一張驗證碼"},
		short:   []string{"內容太短了，請至少寫 10 個字，把事情說清楚。", "請按紅字提示修改後再提交。您寫的內容都還在。"},
		receipt: []string{"您的意見已經保存", "您的查詢碼", "由衛生健康局的意見辦理人員閱讀", `action="/zh-Hant/submit/done/forget"`},
		track:   []string{"處理進展", "已收到，等待工作人員閱讀", "還沒有答覆", "您當時寫的"},
		unknown: "沒有找到這個查詢碼。",
		// Simplified forms of the same words, which the conversion must have replaced.
		simplified: []string{"具体情况", "请按红字", "处理进展", "您的意见已经保存"},
	},
}

// TestPublicFormInEachLanguage: a person writes in English (and in Traditional Chinese) from
// the form to the receipt to the track page, every step in their language and under their
// language's addresses: a text too short is refused in their words, the receipt comes by a
// redirect that keeps the language, and the code is looked up on the track page in it.
func TestPublicFormInEachLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, lw := range publicLanguages {
		t.Run(lw.lang, func(t *testing.T) {
			b := h.browser()
			page := b.getCSRF(t, lw.prefix+"/submit")
			wantContains(t, page.Body, lw.form...)
			wantContains(t, page.Body, `action="`+lw.prefix+`/submit"`, `formaction="`+lw.prefix+`/submit#captcha"`,
				`src="`+lw.prefix+`/captcha/`, `href="`+lw.prefix+`/track"`)
			wantNotContains(t, shownText(page.Body), lw.simplified...)

			v := validOpinion()
			v.Set("content", "太短")
			id, answer := h.captchaFor(t, page.Body)
			r := b.post(t, lw.prefix+"/submit", withCaptcha(v, id, answer))
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, lw.short...)
			wantContains(t, r.Body, lw.form[0])

			id, answer = h.captchaFor(t, r.Body)
			posted := b.post(t, lw.prefix+"/submit", withCaptcha(validOpinion(), id, answer))
			wantStatus(t, posted, http.StatusSeeOther)
			if got, want := posted.location(), lw.prefix+"/submit/done"; got != want {
				t.Fatalf("POST %s/submit redirects to %q, want %q", lw.prefix, got, want)
			}
			done := b.follow(t, posted)
			wantStatus(t, done, http.StatusOK)
			wantContains(t, done.Body, lw.receipt...)
			wantNotContains(t, shownText(done.Body), lw.simplified...)
			code := receiptOf(t, done)

			b.getCSRF(t, lw.prefix+"/track")
			tracked := b.post(t, lw.prefix+"/track", url.Values{"code": {code}})
			wantStatus(t, tracked, http.StatusOK)
			wantContains(t, tracked.Body, lw.track...)
			wantContains(t, tracked.Body, validOpinion().Get("content"))
			wantNotContains(t, shownText(tracked.Body), lw.simplified...)

			missing := b.post(t, lw.prefix+"/track", url.Values{"code": {"2222-2222-2222-2222-2222"}})
			wantStatus(t, missing, http.StatusNotFound)
			wantContains(t, missing.Body, lw.unknown)
		})
	}
}

// TestReceiptInEveryLanguage: the receipt page of an English post shows the code under the
// other languages' addresses too (its language switch), each saying who reads it in its own
// words; clearing it under /en/ clears it everywhere and goes on to the English home page.
func TestReceiptInEveryLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/en/submit")
	id, answer := h.captchaFor(t, page.Body)
	v := validOpinion()
	v.Set("about_leadership", "1")
	done := b.follow(t, b.post(t, "/en/submit", withCaptcha(v, id, answer)))
	code := receiptOf(t, done)
	wantContains(t, done.Body, "You wrote about the unit&#39;s leaders")

	// The browser keeps one ticket cookie per receipt address; this harness keeps one cookie
	// per name, so each language is asked with the ticket at its own address.
	ticket := b.cookies["ms_receipt"]
	if ticket == nil || ticket.Path != "/en/submit/done" {
		t.Fatalf("receipt cookie %+v: want the ticket at /en/submit/done (the reader's own, set last)", ticket)
	}
	for _, tt := range []struct{ prefix, readers string }{
		{"", "您反映的是单位领导的问题"},
		{"/zh-Hant", "您反映的是單位領導的問題"},
		{"/en", "You wrote about the unit&#39;s leaders"},
	} {
		other := h.browser()
		other.cookies["ms_receipt"] = &http.Cookie{Name: "ms_receipt", Value: ticket.Value, Path: tt.prefix + "/submit/done"}
		r := other.get(t, tt.prefix+"/submit/done")
		if got := receiptOf(t, r); got != code {
			t.Errorf("%s/submit/done shows %q, want %q", tt.prefix, got, code)
		}
		wantContains(t, r.Body, tt.readers)
	}

	b.getCSRF(t, "/en/submit/done")
	forgot := b.post(t, "/en/submit/done/forget", url.Values{})
	wantStatus(t, forgot, http.StatusSeeOther)
	if got := forgot.location(); got != "/en/" {
		t.Errorf("clearing the code under /en/ goes to %q, want /en/", got)
	}
	cleared := 0
	for _, c := range (&http.Response{Header: forgot.Header}).Cookies() {
		if c.Name == "ms_receipt" && c.MaxAge < 0 {
			cleared++
		}
	}
	if cleared != 3 {
		t.Errorf("clearing removed %d receipt cookies, want one per language (3)", cleared)
	}
	gone := b.get(t, "/en/submit/done")
	wantContains(t, gone.Body, "The reference code is no longer shown", `href="/en/track"`, `href="/en/submit"`)
	wantNotContains(t, gone.Body, code)
}

// TestCaptchaAudioInReadersLanguage: the same captcha speaks English digits under /en/ and
// Mandarin under / and /zh-Hant/, and the page under /en/ plays the English one and says so.
func TestCaptchaAudioInReadersLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.get(t, "/en/submit")
	id, _ := h.captchaFor(t, page.Body)
	wantContains(t, page.Body, `<audio controls controlslist="nodownload" preload="none" src="/en/captcha/`+id+`.wav"`,
		`<img src="/en/captcha/`+id+`.png"`, "read out in English")
	wantContains(t, b.get(t, "/zh-Hant/submit").Body, "普通話讀出")

	sound := map[string][]byte{}
	for _, prefix := range []string{"", "/zh-Hant", "/en"} {
		r := b.get(t, prefix+"/captcha/"+id+".wav")
		wantStatus(t, r, http.StatusOK)
		if got := r.Header.Get("Content-Type"); got != "audio/wav" {
			t.Errorf("%s/captcha/%s.wav: Content-Type %q, want audio/wav", prefix, id, got)
		}
		sound[prefix] = []byte(r.Body)
	}
	if bytes.Equal(sound["/en"], sound[""]) {
		t.Error("the captcha sounds the same under /en/ and /: the English page must play English digits")
	}
	if !bytes.Equal(sound["/zh-Hant"], sound[""]) {
		t.Error("the captcha sounds different under /zh-Hant/ and /: both are Mandarin")
	}
	var english, mandarin bytes.Buffer
	if ok, err := h.captchas.WriteAudioIn(&english, id, "en"); !ok || err != nil {
		t.Fatalf("WriteAudioIn en: %v %v", ok, err)
	}
	if ok, err := h.captchas.WriteAudio(&mandarin, id); !ok || err != nil {
		t.Fatalf("WriteAudio: %v %v", ok, err)
	}
	if !bytes.Equal(sound["/en"], english.Bytes()) || !bytes.Equal(sound[""], mandarin.Bytes()) {
		t.Error("the sounds served are not the library's English and Mandarin recordings of the captcha")
	}
}

// TestKioskInEnglish: a kiosk set up under /en/ speaks English, refuses a short text in
// English, shows the English receipt, and resets to its English address.
func TestKioskInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	home := "/en/kiosk/" + site.Code
	b := h.browser()

	form := b.getCSRF(t, home)
	wantContains(t, form.Body, `<html lang="en" dir="ltr">`, "<h1>Leave a message</h1>",
		"this page clears itself when nobody has touched it for 2 minutes", "You are at: 门诊大厅自助机 (县人民医院)",
		`action="`+home+`" class="opinion kiosk"`, `data-kiosk-home="`+home+`"`, `formaction="`+home+`#captcha"`,
		"This machine cannot play sound.", "Minsheng does not record your IP address")
	wantNotContains(t, form.Body, "<a ", "<nav")

	v := validOpinion()
	v.Set("content", "太短")
	id, answer := h.captchaFor(t, form.Body)
	r := b.post(t, home, withCaptcha(v, id, answer))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "This is too short.", `data-kiosk-home="`+home+`"`)

	r = kioskSubmit(t, b, home, validOpinion())
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "Your message has been saved", "Please write this code down or take a photo of it.",
		`<noscript><meta http-equiv="refresh" content="60;url=`+home+`"></noscript>`,
		`<span id="kiosk-countdown">60</span> seconds`, `href="`+home+`" data-kiosk-reset>Done</a>`,
		"The health bureau&#39;s opinion staff will read it")
	receiptOf(t, r)
	wantNotContains(t, shownText(r.Body), "您的意见已经保存", "查询码")

	missing := b.get(t, "/en/kiosk/NOSUCH")
	wantStatus(t, missing, http.StatusNotFound)
	wantContains(t, missing.Body, "This message point is not set up yet")
}

// TestPublicLinksKeepTheLanguage: the poster's short link, the mailbox page and a refused
// form stay in the reader's language.
func TestPublicLinksKeepTheLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site := kioskSite(t, h)
	b := h.browser()
	for _, tt := range []struct{ target, want string }{
		{"/en/q/" + site.Code, "/en/submit?site=" + site.Code},
		{"/en/q/" + strings.ToLower(site.Code), "/en/submit?site=" + site.Code},
		{"/zh-Hant/q/" + site.Code, "/zh-Hant/submit?site=" + site.Code},
		{"/en/q/NOSUCH", "/en/submit"},
	} {
		r := b.get(t, tt.target)
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.location(); got != tt.want {
			t.Errorf("GET %s redirects to %q, want %q", tt.target, got, tt.want)
		}
	}
	wantContains(t, b.get(t, "/en/submit?site="+site.Code).Body, "You are at: 门诊大厅自助机 (县人民医院)")

	boxes := b.get(t, "/en/xinxiang")
	wantStatus(t, boxes, http.StatusOK)
	wantContains(t, boxes.Body, "<h1>Mailboxes</h1>", "<strong>Who reads it:</strong> Read only by discipline inspection staff.",
		`href="/en/submit?mailbox=discipline"`, "Not sure whom to write to?", `Just <a href="/en/submit">leave a message</a>`,
		"<strong>门诊大厅自助机</strong> (县人民医院 · ")
	wantContains(t, b.get(t, "/zh-Hant/xinxiang").Body, "<strong>誰會讀：</strong>只由紀檢監察人員閱讀")
	letter := b.get(t, "/en/submit?mailbox=discipline")
	wantContains(t, letter.Body, "To: <strong>", "</strong>. Read only by discipline inspection staff.")

	// A form refused before its words are read (here, its token is wrong) comes back in English.
	page := b.getCSRF(t, "/en/submit")
	id, answer := h.captchaFor(t, page.Body)
	v := withCaptcha(validOpinion(), id, answer)
	v.Set("_csrf", strings.Repeat("A", 43))
	r := b.postForm(t, "/en/submit", v)
	wantStatus(t, r, http.StatusForbidden)
	wantContains(t, r.Body, "This page was open too long and has expired, so your message has not been saved yet.",
		"everything you wrote is still here", "press “Send” again", `action="/en/submit"`)
}
