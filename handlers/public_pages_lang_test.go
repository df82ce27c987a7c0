package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// languagesNavRe is the language switch, whose entries name each language in itself (简体中文).
var languagesNavRe = regexp.MustCompile(`(?s)<nav class="languages".*?</nav>`)

// hanIn returns the Han characters a person reads on a page outside the language switch, with
// a little context, or "" when there are none.
func hanIn(body string) string {
	text := html.UnescapeString(tagRe.ReplaceAllString(languagesNavRe.ReplaceAllString(body, ""), " "))
	for i, r := range text {
		if unicode.Is(unicode.Han, r) {
			return excerptAround(text, i)
		}
	}
	return ""
}

// Ensure the public pages of home, notice board, survey and evaluation speak English under
// /en/: their words, their figures and days as English writes them, and every link, form and
// button that leads on staying in English. Pages without administrators' data have no Chinese
// at all but the language switch.
func TestPublicPagesInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, u := h.staff(t)
	working, _ := h.seed(t, storage.NewOpinion{Content: "挂号窗口太少，排队很久。"})
	h.walkTo(t, u.ID, working, lifecycle.Assigned)
	fixed, _ := h.seed(t, storage.NewOpinion{Content: "候诊区的椅子坏了。"})
	h.walkTo(t, u.ID, fixed, lifecycle.Closed)
	for id, title := range map[string]string{working: "挂号排队时间长", fixed: "候诊区座椅损坏"} {
		wantStatus(t, staff.post(t, "/admin/opinions/"+id+"/publish", url.Values{"pub_title": {title},
			"pub_body": {"已安排整改。"}, "pub_result": {"已修好。"}}), http.StatusSeeOther)
	}
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	ended := h.newSurvey(t, "2026-03-01", "2026-03-31")
	later := h.newSurvey(t, "2026-05-01", "2026-05-31")
	tests := []struct {
		name, target string
		status       int
		wants        []string
		noChinese    bool
	}{
		{"home", "/en/", 200, []string{"Tell us what you think", `href="/en/submit">Leave a message</a>`,
			`href="/en/track">Check for a reply with your code</a>`, `href="/en/xinxiang">Mailboxes</a> page`,
			`href="/en/xinxiang#sites">where to find the boxes</a>`, "What happens after you write",
			"Our promise of anonymity", "not even our staff can look up your code"}, true},
		{"notice board", "/en/gongshi", 200, []string{"<h1>What we fixed</h1>", "Being put right", "You told us, we fixed it",
			"挂号排队时间长", "Responsible unit: 县人民医院", "Due by: 1 Jan 2030", "Completed: 15 Apr 2026", "What was done: ",
			"Opinions received in 2026", "2 opinions in all", "Figures as of 15 Apr 2026 at 10:00", "every 5 minutes",
			"Formalism (形式主义)", `<th scope="col">Jan</th>`, `<th scope="col">Apr</th>`, "Opinions received by each unit",
			"Counts below 5 (zero included) are shown as “&lt;5”"}, false},
		{"survey", surveyURL(sv) + "?unit=county-hospital", 200, []string{"You do not need to give your name or sign in",
			"Unit you are rating: ", "Department or ward", "(optional)", "Satisfied", "Mostly satisfied", "Not satisfied",
			`action="/en` + surveyURL(sv) + `"`, `formaction="/en` + surveyURL(sv) + `#captcha"`, ">Send</button>"}, false},
		{"survey ended", surveyURL(ended), 200, []string{"This survey closed on 31 Mar 2026", "“Leave a message”",
			`href="/en/">Back to the home page</a>`}, false},
		{"survey not yet open", surveyURL(later), 200, []string{"This survey opens on 1 May 2026"}, false},
		{"survey thanks", surveyURL(sv) + "/done", 200, []string{"Thank you for your answers", "Your answers to “门诊满意度测评”",
			`href="/en/submit">leave a message</a>`}, false},
		{"evaluation code", "/pingyi", 200, []string{"Democratic evaluation (民主评议)", "Evaluation code", `action="/en/pingyi"`,
			">Start</button>"}, false},
		{"evaluation thanks", "/pingyi/done", 200, []string{"Thank you for taking part", `href="/en/submit">leave a message</a>`,
			`href="/en/">Back to the home page</a>`}, true},
		{"not found", "/no-such-page", 404, []string{"Page not found", "Please start again from the home page",
			`href="/en/">Back to the home page</a>`}, true},
		{"unknown survey", "/survey/999", 404, []string{"Page not found"}, true},
	}
	b := h.browser()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if !strings.HasPrefix(target, "/en/") {
				target = "/en" + target
			}
			r := b.get(t, target)
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, `<html lang="en" dir="ltr">`, "</html>")
			wantContains(t, r.Body, tc.wants...)
			wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ", `href="/submit"`, `action="/survey`, `action="/pingyi`)
			if han := hanIn(r.Body); tc.noChinese && han != "" {
				t.Errorf("the English page still says …%s…", han)
			}
		})
	}
}

// Ensure a survey answered in English is checked in English and, once taken, thanks the person
// in English: the form's problems, the 422 that keeps the answers, and the 303 under /en/.
func TestSurveyAnsweredInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	page := "/en" + surveyURL(sv) + "?unit=county-hospital"
	full := func() url.Values {
		return url.Values{"unit": {"county-hospital"}, "from_link": {"1"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"2"},
			"comment": {"候诊椅子太少"}}
	}
	post := func(t *testing.T, b *browser, v url.Values) *response {
		t.Helper()
		r := b.getCSRF(t, page)
		id, answer := h.captchaFor(t, r.Body)
		v.Set("captcha_id", id)
		v.Set("captcha_answer", answer)
		return b.post(t, "/en"+surveyURL(sv), v)
	}
	tests := []struct {
		name   string
		change func(v url.Values)
		wants  []string
	}{
		{"missing answer", func(v url.Values) { v.Del(itemName(sv, 1)) }, []string{"This question has no answer yet. Please choose one.",
			"Please correct what is marked in red and send it again.", `value="3" checked`, "候诊椅子太少"}},
		{"unit not covered", func(v url.Values) { v.Set("unit", "bureau"); v.Del("from_link") },
			[]string{"Please choose a unit from the list.", `<option value="">Choose a unit</option>`}},
		{"department too long", func(v url.Values) { v.Set("dept", strings.Repeat("科", 51)) },
			[]string{"The department is too long: at most 50 characters, and this has 51."}},
		{"answer too long", func(v url.Values) { v.Set("comment", strings.Repeat("好", 1001)) },
			[]string{"Your answer is too long: at most 1000 characters, and this has 1001."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := full()
			tc.change(v)
			r := post(t, h.browser(), v)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, `<html lang="en" dir="ltr">`, `action="/en`+surveyURL(sv)+`"`)
			wantContains(t, r.Body, tc.wants...)
		})
	}
	t.Run("answered", func(t *testing.T) {
		b := h.browser()
		r := post(t, b, full())
		wantStatus(t, r, http.StatusSeeOther)
		if want := "/en" + surveyURL(sv) + "/done"; r.location() != want {
			t.Fatalf("Location = %q, want %q", r.location(), want)
		}
		wantContains(t, b.follow(t, r).Body, `id="survey-thanks"`, "Thank you for your answers")
	})
	if n := h.responses(t, sv); n != 1 {
		t.Errorf("responses stored = %d, want 1", n)
	}
}

// Ensure the democratic evaluation speaks English from the code to the thanks: the form's
// styles and manifestations from the catalog, its problems in English, the 303 under /en/, and
// a used or unknown code refused in English.
func TestEvaluationInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	if _, err := h.store.CreateUser(context.Background(), 0, "evaladmin", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := h.login(t, "evaladmin", staffPassword)
	codes := printSlips(t, admin, createEvaluation(t, h, admin, "作风评议"), 1)
	pub := h.browser()
	pub.getCSRF(t, "/en/pingyi")

	r := pub.post(t, "/en/pingyi", url.Values{"code": {codes[0]}})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `<html lang="en" dir="ltr">`, "作风评议", "Evaluating: the leadership group of 县卫生健康局机关",
		`action="/en/pingyi/answer"`, "1. Your overall view", "Fairly good", "Formalism (形式主义)",
		"Too many meetings, documents and briefings", "Other problems under Extravagance (奢靡之风)",
		"(optional, up to 2000 characters)", ">Send my evaluation</button>")

	tests := []struct {
		name  string
		form  url.Values
		wants []string
	}{
		{"no overall view", answer(codes[0], "", "建议甲", "formalism-meetings"),
			[]string{"Please choose one overall view: good, fairly good, average or poor.", `value="formalism-meetings" checked`}},
		{"unknown problem", answer(codes[0], "good", "", "formalism-nope"),
			[]string{"One of the problems ticked is not on the list."}},
		{"other problems too long", func() url.Values {
			v := answer(codes[0], "poor", "")
			v.Set("other_extravagance", strings.Repeat("多", 201))
			return v
		}(), []string{"The other problems are too long: at most 200 characters, and this has 201."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pub.post(t, "/en/pingyi/answer", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, "Everything you ticked and wrote is still here.")
			wantContains(t, r.Body, tt.wants...)
		})
	}

	r = pub.post(t, "/en/pingyi/answer", answer(codes[0], "good", "希望少开会", "formalism-meetings"))
	wantStatus(t, r, http.StatusSeeOther)
	if r.location() != "/en/pingyi/done" {
		t.Fatalf("Location = %q, want /en/pingyi/done", r.location())
	}
	wantContains(t, pub.follow(t, r).Body, "Thank you for taking part")

	r = pub.post(t, "/en/pingyi", url.Values{"code": {codes[0]}})
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r.Body, "This evaluation code has already been used")
	r = pub.post(t, "/en/pingyi", url.Values{"code": {"not-a-code"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "We could not find this evaluation code.")
}

// Ensure the pages read right in Traditional Chinese: made from the Simplified by conversion,
// with links and redirects kept under /zh-Hant/.
func TestPublicPagesInTraditional(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	tests := []struct {
		name, target string
		status       int
		wants        []string
	}{
		{"home", "/zh-Hant/", 200, []string{"您的意見，我們認真聽", `href="/zh-Hant/submit">我要留言</a>`, "匿名承諾"}},
		{"notice board", "/zh-Hant/gongshi", 200, []string{"整改公示", "您說我們改", "統計截至 2026年4月15日 10:00", "4月"}},
		{"survey", surveyURL(sv) + "?unit=county-hospital", 200, []string{"基本滿意", "（選填）", `action="/zh-Hant` + surveyURL(sv) + `"`}},
		{"evaluation", "/zh-Hant/pingyi", 200, []string{"民主評議", "評議碼", `action="/zh-Hant/pingyi"`}},
		{"not found", "/zh-Hant/no-such-page", 404, []string{"沒有找到這個頁面", "請從首頁重新進入", `href="/zh-Hant/">返回首頁</a>`}},
	}
	b := h.browser()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if !strings.HasPrefix(target, "/zh-Hant/") {
				target = "/zh-Hant" + target
			}
			r := b.get(t, target)
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, `<html lang="zh-Hant" dir="ltr">`)
			wantContains(t, r.Body, tc.wants...)
		})
	}
	t.Run("survey answered", func(t *testing.T) {
		b := h.browser()
		page := "/zh-Hant" + surveyURL(sv) + "?unit=county-hospital"
		r := b.getCSRF(t, page)
		id, ans := h.captchaFor(t, r.Body)
		r = b.post(t, "/zh-Hant"+surveyURL(sv), url.Values{"unit": {"county-hospital"}, "from_link": {"1"},
			itemName(sv, 0): {"3"}, "captcha_id": {id}, "captcha_answer": {ans}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "這一項還沒有選，請選一個。")
		id, ans = h.captchaFor(t, r.Body)
		r = b.post(t, "/zh-Hant"+surveyURL(sv), url.Values{"unit": {"county-hospital"}, "from_link": {"1"},
			itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"}, "captcha_id": {id}, "captcha_answer": {ans}})
		wantStatus(t, r, http.StatusSeeOther)
		if want := "/zh-Hant" + surveyURL(sv) + "/done"; r.location() != want {
			t.Fatalf("Location = %q, want %q", r.location(), want)
		}
		wantContains(t, b.follow(t, r).Body, "謝謝您的評價")
	})
}

// Ensure an error page is in the reader's language: the path's on public pages, the staff
// member's own on staff pages, whatever the path says.
func TestErrorPagesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, u := h.staff(t)
	tests := []struct {
		name, target string
		b            *browser
		status       int
		wants        []string
	}{
		{"public 404 in English", "/en/no-such-page", h.browser(), 404, []string{`<html lang="en"`, "<title>Page not found · Minsheng</title>", "Please start again from the home page."}},
		{"public 404 in Traditional", "/zh-Hant/survey/abc", h.browser(), 404, []string{`<html lang="zh-Hant"`, "沒有找到這個頁面"}},
		{"public 404 in Simplified", "/no-such-page", h.browser(), 404, []string{`<html lang="zh-CN"`, "没有找到这个页面", `href="/">返回首页</a>`}},
		{"public 405 in English", "/en/gongshi", nil, 405, []string{"This page cannot be opened this way"}},
		{"staff 404 in the staff member's English", "/admin/opinions/no-such-opinion", staff, 404, []string{`<html lang="en"`, "Page not found"}},
	}
	if err := h.store.SetLanguage(context.Background(), u.ID, "en"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r *response
			if tc.b == nil {
				r = h.browser().do(t, http.MethodDelete, tc.target, "", "")
			} else {
				r = tc.b.get(t, tc.target)
			}
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, tc.wants...)
		})
	}
	t.Run("unknown survey answered in English", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, "/en/pingyi")
		r := b.post(t, "/en/survey/999", url.Values{})
		wantStatus(t, r, http.StatusNotFound)
		wantContains(t, r.Body, "Page not found")
	})
}
