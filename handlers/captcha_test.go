package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// captchaForm is one public form that carries the captcha, with everything a person could
// have typed and chosen on it, and what the page must show of that when it comes back.
type captchaForm struct {
	name   string
	path   string     // the page, as a person opens it
	post   string     // where the form posts
	fill   url.Values // every field filled and every choice made
	kept   []string   // how the page shows fill again
	text   string     // the free text, which must come back exactly
	textID string     // the textarea holding it
	// blank empties one required field, and missing is the message that field then gets.
	blank   func(v url.Values)
	missing string
	lost    string // the entry of kept that blank takes away
	kiosk   bool   // the lobby tablet: no link may lead off the page
	stored  func(t *testing.T) int
	// done is the status of a successful post: the kiosk's receipt page (200), or 303 to the
	// receipt (/submit/done) or the thanks.
	done int
}

// captchaForms sets up every public form that shows the captcha: /submit from a site's poster,
// a site's kiosk and a survey.
func captchaForms(t *testing.T, h *harness) []captchaForm {
	t.Helper()
	site := kioskSite(t, h)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	const opinion = "收费处排队两个小时，窗口只开了一个，<工作人员>还在聊天 & 玩手机。"
	opinionFill := func() url.Values {
		v := validOpinion()
		v.Set("type", "suggestion")
		v.Set("submitter", "family")
		v.Set("unit", "tcm-hospital")
		v.Set("dept", "针灸科")
		v.Set("about_leadership", "1")
		v.Set("contact", "王女士 138 1234 5678")
		v.Set("content", opinion)
		v.Set("confirm_personal", "1") // ticked under an earlier personal-data warning
		return v
	}
	opinionKept := []string{`value="suggestion" checked`, `value="family" checked`,
		`<option value="tcm-hospital" selected>`, `value="针灸科"`, `name="about_leadership" value="1" checked`,
		`value="王女士 138 1234 5678"`, `<input type="hidden" name="confirm_personal" value="1">`}
	// The kiosk's fields say autocomplete="off" before whether they are chosen.
	kioskKept := []string{`value="suggestion" autocomplete="off" checked`, `value="family" autocomplete="off" checked`,
		`<option value="tcm-hospital" selected>`, `value="针灸科"`, `name="about_leadership" value="1" autocomplete="off" checked`,
		`value="王女士 138 1234 5678"`, `<input type="hidden" name="confirm_personal" value="1">`}
	opinionBlank := func(v url.Values) { v.Del("submitter") }
	stored := func(t *testing.T) int { return h.countOpinions(t) }

	poster := opinionFill()
	poster.Set("site", site.Code)
	const comment = "候诊椅子太少，<老人>只能站着。"
	return []captchaForm{
		{name: "submit", path: "/submit?site=" + site.Code, post: "/submit", fill: poster,
			kept: append([]string{`name="site" value="` + site.Code + `"`}, opinionKept...),
			text: opinion, textID: "content", blank: opinionBlank, missing: "请选择您的身份。", lost: opinionKept[1],
			stored: stored, done: http.StatusSeeOther},
		{name: "kiosk", path: "/kiosk/" + site.Code, post: "/kiosk/" + site.Code, fill: opinionFill(), kept: kioskKept,
			text: opinion, textID: "content", blank: opinionBlank, missing: "请选择您的身份。", lost: kioskKept[1],
			kiosk: true, stored: stored,
			done: http.StatusOK},
		{name: "survey", path: surveyURL(sv), post: surveyURL(sv),
			fill: url.Values{"unit": {"tcm-hospital"}, "dept": {"内科"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"},
				"comment": {comment}},
			kept: []string{`<option value="tcm-hospital" selected>`, `value="内科"`,
				`name="` + itemName(sv, 0) + `" value="3" checked`, `name="` + itemName(sv, 1) + `" value="1" checked`},
			text: comment, textID: "comment", blank: func(v url.Values) { v.Del(itemName(sv, 1)) }, missing: "这一项还没有选",
			lost: `name="` + itemName(sv, 1) + `" value="1" checked`, stored: func(t *testing.T) int { return h.responses(t, sv) }, done: http.StatusSeeOther},
	}
}

// withCaptcha copies v and adds a captcha id and answer.
func withCaptcha(v url.Values, id, answer string) url.Values {
	out := url.Values{"captcha_id": {id}, "captcha_answer": {answer}}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// wantKept checks that the page shows everything the person filled in, the free text exactly,
// but for the entry named lost, if any.
func wantKept(t *testing.T, f captchaForm, body string, lost string) {
	t.Helper()
	for _, k := range f.kept {
		if k != lost {
			wantContains(t, body, k)
		}
	}
	if got, ok := textarea(body, f.textID); !ok || got != f.text {
		t.Errorf("textarea %s: got %q, want the text as typed %q", f.textID, got, f.text)
	}
}

// TestNewCaptchaKeepsEverything: 换一张 (a second submit button, no script) brings the same form
// back with every field and choice kept and a fresh captcha, spends the old one, stores nothing
// and shows no error; the fresh captcha then sends the form as it is.
func TestNewCaptchaKeepsEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, f := range captchaForms(t, h) {
		t.Run(f.name, func(t *testing.T) {
			b := h.browser()
			page := b.getCSRF(t, f.path)
			// To the form's own address (never the page's query, which would fill fields left
			// empty), coming back at the captcha.
			wantContains(t, page.Body, `name="action" value="newcaptcha" formnovalidate formaction="`+f.post+`#captcha"`)
			// 提交 comes first, so it stays the form's default button: Enter (or 前往 on a
			// phone's keyboard) in the answer field sends the form rather than renewing it.
			send, renew := strings.Index(page.Body, `<button type="submit" class="button">提交</button>`),
				strings.Index(page.Body, `value="newcaptcha"`)
			if send < 0 || send > renew {
				t.Errorf("提交 at %d, 换一张 at %d: 提交 must be the form's first submit button", send, renew)
			}
			oldID, _ := h.captchaFor(t, page.Body)
			before := f.stored(t)

			v := withCaptcha(f.fill, oldID, "")
			v.Set("action", "newcaptcha")
			r := b.post(t, f.post, v)
			wantStatus(t, r, http.StatusOK)
			wantKept(t, f, r.Body, "")
			wantContains(t, r.Body, "已换了一张新的验证码")
			wantNotContains(t, r.Body, `class="field-error"`, `aria-invalid="true"`, `class="notice error"`)
			newID, answer := h.captchaFor(t, r.Body)
			if newID == oldID {
				t.Fatalf("换一张 showed the same captcha %q", oldID)
			}
			if oldAnswer, _ := h.captchas.Answer(oldID); oldAnswer != "" {
				if ok, err := h.captchas.Verify(context.Background(), oldID, oldAnswer); ok || err != nil {
					t.Errorf("the old captcha %q still answers after 换一张 (%v); it must be spent", oldID, err)
				}
			}
			if after := f.stored(t); after != before {
				t.Fatalf("换一张 stored something: %d → %d", before, after)
			}

			r = b.post(t, f.post, withCaptcha(f.fill, newID, answer))
			wantStatus(t, r, f.done)
			if after := f.stored(t); after != before+1 {
				t.Errorf("sending with the new captcha: stored %d → %d, want one more", before, after)
			}
		})
	}
}

// captchaBlockRe is the captcha's part of a form, from its group to the group's end.
var captchaBlockRe = regexp.MustCompile(`(?s)<fieldset class="captcha[^"]*" id="captcha">.*?</fieldset>`)

// TestCaptchaCheckedWithOtherFields: a wrong or missing captcha answer and a field left empty
// come back together in one 422, each message by its own field, the text kept.
func TestCaptchaCheckedWithOtherFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	answers := []struct {
		name, msg string
		answer    func(right string) string
	}{
		{"wrong answer", "验证码不对或已过期", wrongAnswer},
		{"no answer", "请输入验证码", func(string) string { return "" }},
	}
	for _, f := range captchaForms(t, h) {
		for _, a := range answers {
			t.Run(f.name+"/"+a.name, func(t *testing.T) {
				b := h.browser()
				page := b.getCSRF(t, f.path)
				id, right := h.captchaFor(t, page.Body)
				before := f.stored(t)
				v := withCaptcha(f.fill, id, a.answer(right))
				f.blank(v)
				r := b.post(t, f.post, v)
				wantStatus(t, r, http.StatusUnprocessableEntity)
				wantContains(t, r.Body, f.missing)
				wantKept(t, f, r.Body, f.lost)
				block := captchaBlockRe.FindString(r.Body)
				if !strings.Contains(block, a.msg) {
					t.Errorf("captcha group %q\ndoes not hold its message %q", block, a.msg)
				}
				wantContains(t, block, `aria-invalid="true"`, `aria-describedby="captcha-error captcha-help"`,
					`id="captcha-error"`)
				if after := f.stored(t); after != before {
					t.Errorf("stored %d → %d, want nothing", before, after)
				}
			})
		}
	}
}

var (
	audioRe      = regexp.MustCompile(`(?s)<audio ([^>]*)>(.*?)</audio>`)
	labelledByRe = regexp.MustCompile(`aria-labelledby="([^"]+)"`)
)

// TestCaptchaAudioOnEveryForm: every form with the captcha plays its sound in place, in an
// <audio controls> element with a visible label, for the same challenge as the image, on the
// first view and when the form comes back refused or renewed; the page's policy lets it play.
func TestCaptchaAudioOnEveryForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, f := range captchaForms(t, h) {
		t.Run(f.name, func(t *testing.T) {
			b := h.browser()
			// check looks at one view of the form, before its captcha is spent.
			check := func(r *response) {
				t.Helper()
				if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "media-src 'self'") {
					t.Errorf("Content-Security-Policy %q does not let the page play its own sound", csp)
				}
				id, _ := h.captchaFor(t, r.Body)
				block := captchaBlockRe.FindString(r.Body)
				wantContains(t, block, `<img src="/captcha/`+id+`.png"`)
				m := audioRe.FindStringSubmatch(block)
				if m == nil {
					t.Fatalf("no <audio> in the captcha group:\n%s", block)
				}
				wantContains(t, m[1], "controls", `src="/captcha/`+id+`.wav"`)
				l := labelledByRe.FindStringSubmatch(m[1])
				if l == nil {
					t.Fatalf("<audio %s> has no label", m[1])
				}
				label := regexp.MustCompile(`id="` + regexp.QuoteMeta(l[1]) + `"[^>]*>([^<]+)<`).FindStringSubmatch(block)
				if label == nil || !strings.Contains(label[1], "语音验证码") {
					t.Errorf("the audio's label #%s is not visible text naming the sound: %q", l[1], label)
				}
				if f.kiosk {
					wantNotContains(t, r.Body, "<a ")
				} else if !strings.Contains(m[2], `<a href="/captcha/`+id+`.wav"`) {
					t.Errorf("no fallback link to the sound inside <audio>: %q", m[2])
				}
				// The sound is served as the page names it, for that very challenge.
				wav := b.get(t, "/captcha/"+id+".wav")
				wantStatus(t, wav, http.StatusOK)
				if ct, cc := wav.Header.Get("Content-Type"), wav.Header.Get("Cache-Control"); ct != "audio/wav" || cc != "no-store" {
					t.Errorf("sound served as %q, cache %q; want audio/wav, no-store", ct, cc)
				}
			}

			first := b.getCSRF(t, f.path)
			check(first)
			id, _ := h.captchaFor(t, first.Body)
			refused := b.post(t, f.post, withCaptcha(f.fill, id, "x"))
			wantStatus(t, refused, http.StatusUnprocessableEntity)
			check(refused)
			renewID, _ := h.captchaFor(t, refused.Body)
			renew := withCaptcha(f.fill, renewID, "")
			renew.Set("action", "newcaptcha")
			renewed := b.post(t, f.post, renew)
			wantStatus(t, renewed, http.StatusOK)
			check(renewed)
		})
	}
}

// TestCaptchaSoundRanges: Safari and WeChat on iPhones only play a sound whose server answers
// byte ranges, so the .wav answers one with 206.
func TestCaptchaSoundRanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	id, _ := h.captchaFor(t, b.getCSRF(t, "/submit").Body)
	b.headers.Set("Range", "bytes=0-3")
	r := b.get(t, "/captcha/"+id+".wav")
	wantStatus(t, r, http.StatusPartialContent)
	if r.Body != "RIFF" || !strings.HasPrefix(r.Header.Get("Content-Range"), "bytes 0-3/") {
		t.Errorf("range answer %q, Content-Range %q; want RIFF, bytes 0-3/…", r.Body, r.Header.Get("Content-Range"))
	}
	if ct, cc := r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"); ct != "audio/wav" || cc != "no-store" {
		t.Errorf("range served as %q, cache %q; want audio/wav, no-store", ct, cc)
	}
}
