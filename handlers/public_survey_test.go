package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"minsheng/stats"
	"minsheng/storage"
)

// newSurvey stores a three-level survey with two items and a free-text question over the county
// and TCM hospitals, open from start to end (baseTime is 2026-04-15), and returns it.
func (h *harness) newSurvey(t *testing.T, start, end string) storage.Survey {
	t.Helper()
	ctx := context.Background()
	id, err := h.store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "门诊满意度测评", StartsOn: start, EndsOn: end,
		Scale: storage.ScaleThree, FreeText: "您还有什么建议？", Units: []string{"county-hospital", "tcm-hospital"},
		Items: []string{"挂号等候时间", "医生解释病情"}, ItemThreshold: 85, OverallThreshold: 90})
	if err != nil {
		t.Fatalf("CreateSurvey: %v", err)
	}
	sv, err := h.store.Survey(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func surveyURL(sv storage.Survey) string { return "/survey/" + strconv.FormatInt(sv.ID, 10) }

func itemName(sv storage.Survey, i int) string { return "q" + strconv.FormatInt(sv.Items[i].ID, 10) }

// answerSurvey opens the survey at page, solves the captcha and posts vals over it.
func (b *browser) answerSurvey(t *testing.T, sv storage.Survey, page string, vals url.Values) *response {
	t.Helper()
	r := b.getCSRF(t, page)
	id, answer := b.h.captchaFor(t, r.Body)
	v := url.Values{"captcha_id": {id}, "captcha_answer": {answer}}
	for k, vs := range vals {
		v[k] = vs
	}
	return b.post(t, surveyURL(sv), v)
}

func (h *harness) responses(t *testing.T, sv storage.Survey) int {
	t.Helper()
	res, err := stats.ComputeSurvey(context.Background(), h.store, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res.All.Responses
}

func TestSurveyAnswerFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	b := h.browser()
	page := surveyURL(sv) + "?unit=county-hospital&dept=" + url.QueryEscape("内科")
	r := b.getCSRF(t, page)
	wantContains(t, r.Body, `id="fixed-unit">县人民医院<`, `value="内科"`, "挂号等候时间", "基本满意", "您还有什么建议？")
	if got := r.Header.Values("Set-Cookie"); len(got) != 1 || got[0][:8] != "ms_csrf=" {
		t.Errorf("cookies set: %q, want the CSRF cookie alone", got)
	}
	r = b.answerSurvey(t, sv, page, url.Values{"unit": {"county-hospital"}, "from_link": {"1"}, "dept": {"内科"},
		itemName(sv, 0): {"3"}, itemName(sv, 1): {"2"}, "comment": {"候诊椅子太少"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.location() != surveyURL(sv)+"/done" {
		t.Fatalf("Location = %q", r.location())
	}
	wantContains(t, b.get(t, r.location()).Body, `id="survey-thanks"`, "门诊满意度测评")
	res, err := stats.ComputeSurvey(context.Background(), h.store, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.All.Responses != 1 || res.Depts[0].Dept != "内科" || res.All.Items[0].Satisfied != 1 || res.All.Items[1].Basic != 1 ||
		len(res.Comments) != 1 || res.Comments[0].Text != "候诊椅子太少" {
		t.Errorf("stored results = %+v", res)
	}
}

func TestSurveyAnswerRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	page := surveyURL(sv) + "?unit=county-hospital"
	full := func() url.Values {
		return url.Values{"unit": {"county-hospital"}, "from_link": {"1"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"},
			"comment": {"我写的建议"}}
	}
	tests := []struct {
		name   string
		change func(v url.Values)
		status int
		wants  []string
	}{
		{"missing answer keeps the other choice and the text", func(v url.Values) { v.Del(itemName(sv, 1)) }, 422,
			[]string{"这一项还没有选", `name="` + itemName(sv, 0) + `" value="3" checked`, "我写的建议"}},
		{"off the scale", func(v url.Values) { v.Set(itemName(sv, 0), "5") }, 422, []string{"这一项还没有选"}},
		{"unit not covered", func(v url.Values) { v.Set("unit", "bureau"); v.Del("from_link") }, 422,
			[]string{"请从列表中选择一个单位", `<select id="unit"`}},
		{"wrong captcha", func(v url.Values) { v.Set("captcha_answer", "000000x") }, 422,
			[]string{"验证码不对", `value="1" checked`}},
		{"comment too long", func(v url.Values) { v.Set("comment", strings.Repeat("好", 1001)) }, 422, []string{"内容太长了"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			v := full()
			tc.change(v)
			r := b.answerSurvey(t, sv, page, v)
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, tc.wants...)
			if id, _ := h.captchaFor(t, r.Body); id == v.Get("captcha_id") {
				t.Error("the form came back with the used captcha, want a fresh one")
			}
		})
	}
	t.Run("no CSRF token", func(t *testing.T) {
		b := h.browser()
		r := b.getCSRF(t, page)
		id, answer := h.captchaFor(t, r.Body)
		v := full()
		v.Set("captcha_id", id)
		v.Set("captcha_answer", answer)
		wantStatus(t, b.postForm(t, surveyURL(sv), v), http.StatusForbidden)
	})
	if n := h.responses(t, sv); n != 0 {
		t.Errorf("responses stored = %d, want 0", n)
	}
}

func TestSurveyPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	open := h.newSurvey(t, "2026-04-01", "2026-04-30")
	ended := h.newSurvey(t, "2026-03-01", "2026-03-31")
	later := h.newSurvey(t, "2026-05-01", "2026-05-31")
	tests := []struct {
		name, target string
		status       int
		wants, nots  []string
	}{
		{"unit not covered shows the covered units", surveyURL(open) + "?unit=bureau", 200,
			[]string{`<select id="unit"`, "县人民医院", "县中医院"}, []string{"县卫生健康局机关", "fixed-unit"}},
		{"ended", surveyURL(ended) + "?unit=county-hospital", 200, []string{"survey-closed", "已于 2026-03-31 结束"},
			[]string{"captcha_id", "<form method=\"post\" action=\"/survey"}},
		{"not yet open", surveyURL(later), 200, []string{"survey-closed", "从 2026-05-01 开始"}, []string{"captcha_id"}},
		{"unknown survey", "/survey/999", 404, nil, nil},
		{"malformed id", "/survey/abc", 404, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.browser().get(t, tc.target)
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, tc.wants...)
			wantNotContains(t, r.Body, tc.nots...)
		})
	}
	t.Run("answer to an ended survey", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, surveyURL(open))
		r := b.post(t, surveyURL(ended), url.Values{"unit": {"county-hospital"}, itemName(ended, 0): {"3"}, itemName(ended, 1): {"3"}})
		wantStatus(t, r, http.StatusGone)
		wantContains(t, r.Body, "survey-closed")
		if n := h.responses(t, ended); n != 0 {
			t.Errorf("responses stored = %d, want 0", n)
		}
	})
}

// TestSurveyCaptchaOnce: the survey's captcha is spent with its response (one write), once:
// the same solved captcha posted from four browsers at once stores one response, and each other
// post comes back 422 with the captcha's message beside it and every answer kept. A right answer
// sent with another field's message is spent all the same: one guess per captcha.
func TestSurveyCaptchaOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	page := surveyURL(sv) + "?unit=county-hospital"
	full := url.Values{"unit": {"county-hospital"}, "from_link": {"1"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"},
		"comment": {"我写的建议"}}
	browsers := make([]*browser, 4)
	var id, answer string
	for i := range browsers {
		browsers[i] = h.browser()
		r := browsers[i].getCSRF(t, page)
		if i == 0 {
			id, answer = h.captchaFor(t, r.Body)
		}
	}
	v := url.Values{"captcha_id": {id}, "captcha_answer": {answer}}
	for k, vs := range full {
		v[k] = vs
	}
	got := make([]*response, len(browsers))
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = b.post(t, surveyURL(sv), v)
		}()
	}
	wg.Wait()
	stored := 0
	for _, r := range got {
		if r == nil {
			t.Fatal("a post did not come back")
		}
		if r.Code == http.StatusSeeOther {
			stored++
			continue
		}
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "验证码不对", `value="3" checked`, "我写的建议")
	}
	if n := h.responses(t, sv); stored != 1 || n != 1 {
		t.Fatalf("one captcha posted four times: %d answered 303, %d responses stored; want 1 and 1", stored, n)
	}

	// A right answer that comes back with another message is spent: sent again, refused.
	b := h.browser()
	r := b.getCSRF(t, page)
	id, answer = h.captchaFor(t, r.Body)
	v = url.Values{"captcha_id": {id}, "captcha_answer": {answer}, "unit": {"county-hospital"}, "from_link": {"1"},
		itemName(sv, 0): {"3"}}
	wantStatus(t, b.post(t, surveyURL(sv), v), http.StatusUnprocessableEntity)
	v.Set(itemName(sv, 1), "2")
	again := b.post(t, surveyURL(sv), v)
	wantStatus(t, again, http.StatusUnprocessableEntity)
	wantContains(t, again.Body, "验证码不对", `value="2" checked`)
	if n := h.responses(t, sv); n != 1 {
		t.Fatalf("%d responses stored, want still 1", n)
	}
}
