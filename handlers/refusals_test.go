package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/lifecycle"
	"minsheng/receipt"
	"minsheng/storage"
)

// publicFormCase is one public form: where a person opens it, where it posts, what they
// filled in, and what must come back when it is refused.
type publicFormCase struct {
	name, page, path string
	fill             func(text string) url.Values
	// choices are markup that shows the person's choices kept (a ticked radio, a code typed).
	choices []string
	// textField names the field that holds the person's words ("" for a form with none, where
	// a too-long body is padded with a field of its own).
	textField string
}

// publicFormCases builds every public form on h, with what it takes to fill each in: a site
// for the kiosk, a survey, an opinion at 满意度回访 for rating, an evaluation's code.
func publicFormCases(t *testing.T, h *harness) []publicFormCase {
	t.Helper()
	_, staff := h.staff(t)
	rateID, rateCode := h.seed(t, storage.NewOpinion{Content: "门诊收费处窗口太少，排队两个小时。"})
	h.walkTo(t, staff.ID, rateID, lifecycle.Satisfaction)
	_, trackCode := h.seed(t, storage.NewOpinion{})
	site := kioskSite(t, h)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	if _, err := h.store.CreateUser(context.Background(), 0, "refusaladmin", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := h.login(t, "refusaladmin", staffPassword)
	evalCodes := printSlips(t, admin, createEvaluation(t, h, admin, "拒绝也要留住内容"), 2)

	draft := draftPlan(t, h, planCampaign(t, h), "拒绝时留住意见的征求意见稿")
	openForComment(t, h, draft, campaign.ScopePublic)
	comment := func(text string) url.Values { return url.Values{"submitter": {"family"}, "content": {text}} }

	opinion := func(text string) url.Values {
		v := validOpinion()
		v.Set("type", "suggestion")
		v.Set("submitter", "family")
		v.Set("content", text)
		return v
	}
	return []publicFormCase{
		{"submit", "/submit", "/submit", opinion,
			[]string{`value="suggestion" checked`, `value="family" checked`}, "content"},
		{"kiosk", "/kiosk/" + site.Code, "/kiosk/" + site.Code, opinion,
			[]string{`value="suggestion" autocomplete="off" checked`, `value="family" autocomplete="off" checked`}, "content"},
		{"plan comment", pathOf("/yijian/", draft), pathOf("/yijian/", draft), comment, []string{`value="family" checked`}, "content"},
		{"track", "/track", "/track", func(string) url.Values { return url.Values{"code": {trackCode}} },
			[]string{`value="` + trackCode + `"`}, ""},
		{"track/rate", "/track", "/track/rate", func(text string) url.Values {
			return url.Values{"code": {rateCode}, "rating": {"dissatisfied"}, "words": {text}}
		}, []string{`value="dissatisfied" checked`}, "words"},
		{"survey", surveyURL(sv), surveyURL(sv), func(text string) url.Values {
			return url.Values{"unit": {"tcm-hospital"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"}, "comment": {text}}
		}, []string{`<option value="tcm-hospital" selected>`, `value="3" checked`, `value="1" checked`}, "comment"},
		{"pingyi", "/pingyi", "/pingyi", func(string) url.Values { return url.Values{"code": {evalCodes[0]}} },
			[]string{`value="` + evalCodes[0] + `"`}, ""},
		{"pingyi/answer", "/pingyi", "/pingyi/answer", func(text string) url.Values {
			return answer(evalCodes[1], "fair", text, "formalism-meetings")
		}, []string{`value="fair" checked`, `value="formalism-meetings" checked`}, "suggestions"},
	}
}

// refuseWhenAsked stands for any part of the portal that refuses a request after the CSRF
// check and the body limit have let it through: the request's X-Refuse header names the refusal.
func refuseWhenAsked(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Header.Get("X-Refuse") {
		case "429":
			return echo.NewHTTPError(http.StatusTooManyRequests)
		case "503":
			return fmt.Errorf("store: %w", storage.ErrBusy)
		}
		return next(c)
	}
}

// TestRefusalGivesFormBack: every kind of refusal on every public form — an expired page
// (403), a text too long (413), too many requests (429), a busy database (503) — answers with
// the form, the person's words and choices in it, and a sentence saying what to do; nothing is
// stored.
func TestRefusalGivesFormBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.e.Use(refuseWhenAsked)
	words := "夜里病房太吵，护士站的电话一直响，希望晚上调小铃声。"
	long := strings.Repeat("长", 70<<10/9+1000) // over 64 KB once form-encoded
	kinds := []struct {
		status int
		text   string
		send   func(b *browser, path string, v url.Values) *response
		words  []string // in the message
	}{
		{http.StatusForbidden, words, func(b *browser, path string, v url.Values) *response {
			delete(b.cookies, "ms_csrf") // the browser lost its cookie under the open page
			v.Set("_csrf", b.token)
			return b.postForm(t, path, v)
		}, []string{"页面停留太久已过期"}},
		{http.StatusRequestEntityTooLarge, long, func(b *browser, path string, v url.Values) *response {
			return b.post(t, path, v)
		}, []string{"内容太长了"}},
		{http.StatusTooManyRequests, words, func(b *browser, path string, v url.Values) *response {
			b.headers.Set("X-Refuse", "429")
			return b.post(t, path, v)
		}, []string{"的人太多", "请等一分钟"}},
		{http.StatusServiceUnavailable, words, func(b *browser, path string, v url.Values) *response {
			b.headers.Set("X-Refuse", "503")
			return b.post(t, path, v)
		}, []string{"系统繁忙"}},
	}
	for _, form := range publicFormCases(t, h) {
		for _, kind := range kinds {
			t.Run(fmt.Sprintf("%s %d", form.name, kind.status), func(t *testing.T) {
				before := h.snapshot(t)
				b := h.browser()
				b.getCSRF(t, form.page)
				v := form.fill(kind.text)
				if form.textField == "" && kind.status == http.StatusRequestEntityTooLarge {
					v.Set("padding", kind.text)
				}
				r := kind.send(b, form.path, v)
				wantStatus(t, r, kind.status)
				wantContains(t, r.Body, kind.words...)
				wantContains(t, r.Body, `<form method="post"`, `name="_csrf"`)
				wantContains(t, r.Body, form.choices...)
				if form.textField != "" && !strings.Contains(html.UnescapeString(r.Body), kind.text) {
					t.Errorf("the person's words are not in the form that came back")
				}
				if kind.status == http.StatusTooManyRequests || kind.status == http.StatusServiceUnavailable {
					if r.Header.Get("Retry-After") == "" {
						t.Errorf("%d without Retry-After", kind.status)
					}
				}
				if after := h.snapshot(t); after != before {
					t.Errorf("stored data changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// TestRefusalBusyDatabaseKeepsWords: a database whose write lock is held elsewhere makes every
// public form that writes answer 503 with the form and the person's words, never 500.
func TestRefusalBusyDatabaseKeepsWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withBusyTimeout(50*time.Millisecond), withoutCaptcha)
	words := "夜里病房太吵，护士站的电话一直响，希望晚上调小铃声。"
	cases := publicFormCases(t, h)
	storetest.HoldWriteLock(t, h.store) // let go when the test ends
	for _, form := range cases {
		if form.textField == "" {
			continue // /track and /pingyi only read, which a held write lock does not stop
		}
		t.Run(form.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, form.page)
			r := b.post(t, form.path, form.fill(words))
			wantStatus(t, r, http.StatusServiceUnavailable)
			wantContains(t, r.Body, "系统繁忙", words)
			wantContains(t, r.Body, form.choices...)
		})
	}
}

// TestFloodOfWrongCodesLeavesRealCodesWorking: a flood of 200 wrong codes on each look-up form
// is slowed down (429, with Retry-After and the typed code kept), and the very next look-up
// with a real code goes through at once.
func TestFloodOfWrongCodesLeavesRealCodesWorking(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := publicFormCases(t, h)
	valid := map[string]int{"track": 200, "track/rate": 200, "pingyi": 200, "pingyi/answer": 303}
	for _, form := range cases {
		want, ok := valid[form.name]
		if !ok {
			continue
		}
		t.Run(form.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, form.page)
			limited := 0
			for i := range 200 {
				wrong := receipt.New()
				v := form.fill("")
				v.Set("code", wrong)
				r := b.post(t, form.path, v)
				switch r.Code {
				case http.StatusNotFound, http.StatusUnprocessableEntity:
				case http.StatusTooManyRequests:
					limited++
					if r.Header.Get("Retry-After") == "" {
						t.Fatalf("wrong code %d: 429 without Retry-After", i)
					}
					wantContains(t, r.Body, "请等一分钟", `value="`+wrong+`"`)
				default:
					t.Fatalf("wrong code %d: status %d", i, r.Code)
				}
			}
			if limited == 0 {
				t.Fatal("200 wrong codes in a row were never slowed down")
			}
			v := form.fill("谢谢，已经改好了。")
			r := b.post(t, form.path, v)
			wantStatus(t, r, want)
		})
	}
}
