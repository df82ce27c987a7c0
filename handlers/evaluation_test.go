package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minsheng/receipt"
	"minsheng/storage"
)

var slipCodeRe = regexp.MustCompile(`class="slip-code">([^<]+)<`)

// createEvaluation has admin create an evaluation of the bureau's leadership open on the
// harness's day, and returns its id.
func createEvaluation(t *testing.T, h *harness, admin *browser, title string) int64 {
	t.Helper()
	admin.getCSRF(t, "/admin/evaluations")
	r := admin.post(t, "/admin/evaluations", url.Values{"title": {title}, "meeting": {"县卫生健康局党委班子 动员大会"},
		"unit": {"bureau"}, "opens_on": {"2026-04-15"}, "closes_on": {"2026-04-20"}})
	if r.Code != http.StatusSeeOther || r.location() != "/admin/evaluations" {
		t.Fatalf("create evaluation: status %d to %q, want 303 to the list\n%s", r.Code, r.location(), r.Body)
	}
	evs, err := h.store.Evaluations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Title == title {
			return ev.ID
		}
	}
	t.Fatalf("evaluation %q not stored", title)
	return 0
}

// printSlips has admin print n codes for evaluation id and reads them off the slips page.
func printSlips(t *testing.T, admin *browser, id int64, n int) []string {
	t.Helper()
	admin.getCSRF(t, "/admin/evaluations")
	r := admin.post(t, "/admin/evaluations/"+strconv.FormatInt(id, 10)+"/codes", url.Values{"count": {strconv.Itoa(n)}})
	if r.Code != http.StatusOK {
		t.Fatalf("print slips: status %d, want 200\n%s", r.Code, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("slips page Cache-Control = %q, want no-store", cc)
	}
	wantContains(t, r.Body, "只显示这一次", "/pingyi", "不与任何人对应", "县卫生健康局党委班子 动员大会")
	var codes []string
	for _, m := range slipCodeRe.FindAllStringSubmatch(r.Body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != n {
		t.Fatalf("slips show %d codes, want %d", len(codes), n)
	}
	return codes
}

// answer is one attendee's form as posted.
func answer(code, overall, suggestions string, problems ...string) url.Values {
	v := url.Values{"code": {code}, "overall": {overall}, "suggestions": {suggestions}}
	for _, p := range problems {
		v.Add("problems", p)
	}
	return v
}

// TestEvaluationThroughToSummary: the administrator creates an evaluation and prints slips,
// attendees answer anonymously with their codes, and the supervision group reads the summary
// with the numbers the answers make; nobody else does.
func TestEvaluationThroughToSummary(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	h := w.h
	admin := w.browsers["admin"]

	admin.getCSRF(t, "/admin/evaluations")
	r := admin.post(t, "/admin/evaluations", url.Values{"title": {""}, "meeting": {"动员大会"}, "unit": {"bureau"},
		"opens_on": {"2026-04-15"}, "closes_on": {"2026-04-14"}})
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid evaluation: status %d, want 422", r.Code)
	}
	wantContains(t, r.Body, "请填写标题。", "结束日期不能早于开始日期。", `value="动员大会"`)

	id := createEvaluation(t, h, admin, "领导班子作风民主评议")
	codes := printSlips(t, admin, id, 7)
	summaryURL := "/admin/evaluations/" + strconv.FormatInt(id, 10)

	pub := h.browser()
	pub.getCSRF(t, "/pingyi")
	for _, bad := range []string{"ABCD", receipt.New()} {
		r = pub.post(t, "/pingyi", url.Values{"code": {bad}})
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("code %q: status %d, want 422", bad, r.Code)
		}
		wantContains(t, r.Body, "没有找到这个评议码", `value="`+bad+`"`)
	}

	// A code typed in lower case with spaces still opens the form.
	typed := strings.ToLower(strings.ReplaceAll(codes[0], "-", " "))
	r = pub.post(t, "/pingyi", url.Values{"code": {typed}})
	if r.Code != http.StatusOK {
		t.Fatalf("good code: status %d, want 200\n%s", r.Code, r.Body)
	}
	wantContains(t, r.Body, `action="/pingyi/answer"`, `name="code" value="`+typed+`"`, "形式主义", "文山会海（会议、文件、简报过多）",
		`value="formalism-meetings"`, `value="good"`, "较好", "县卫生健康局机关领导班子")

	// Leaving out the overall rating keeps what was ticked and written.
	r = pub.post(t, "/pingyi/answer", answer(typed, "", "希望少开会多办事", "formalism-meetings", "hedonism-drinking"))
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("no overall: status %d, want 422", r.Code)
	}
	wantContains(t, r.Body, "请选择一项总体评价", `value="formalism-meetings" checked`, `value="hedonism-drinking" checked`, "希望少开会多办事")
	wantNotContains(t, r.Body, `value="formalism-falsify" checked`)

	answers := []url.Values{
		answer(typed, "good", "希望少开会多办事", "formalism-meetings", "bureaucratism-hard"),
		answer(codes[1], "good", "", "formalism-meetings"),
		answer(codes[2], "fair", "", "formalism-meetings", "formalism-falsify"),
		answer(codes[3], "fair", "建议公开三公经费"),
		answer(codes[4], "average", "", "bureaucratism-hard"),
		answer(codes[5], "poor", "", "bureaucratism-hard", "extravagance-banquets"),
	}
	answers[3].Set("other_hedonism", "午休时间过长")
	for i, a := range answers {
		r = pub.post(t, "/pingyi/answer", a)
		if r.Code != http.StatusSeeOther || r.location() != "/pingyi/done" {
			t.Fatalf("answer %d: status %d to %q, want 303 to /pingyi/done\n%s", i, r.Code, r.location(), r.Body)
		}
	}
	wantContains(t, pub.get(t, "/pingyi/done").Body, "谢谢您参加评议")

	// The same code again, at either step, is refused in plain words.
	for _, step := range []string{"/pingyi", "/pingyi/answer"} {
		r = pub.post(t, step, answer(codes[0], "good", ""))
		if r.Code != http.StatusConflict {
			t.Errorf("%s with a used code: status %d, want 409", step, r.Code)
		}
		wantContains(t, r.Body, "这个评议码已经用过了")
	}

	sup := w.browsers["supervisor"]
	r = sup.get(t, summaryURL)
	if r.Code != http.StatusOK {
		t.Fatalf("supervisor summary: status %d, want 200\n%s", r.Code, r.Body)
	}
	wantContains(t, r.Body, `id="answers">6<`, "已打印 7 份，已使用 6 份", "<td>好</td><td>2</td><td>33.3%</td>",
		"<td>差</td><td>1</td><td>16.7%</td>", "好评率（好 + 较好）：<strong>66.7%</strong>（4 份）",
		`<tr id="problem-formalism-meetings"><td>文山会海（会议、文件、简报过多）</td><td>3</td><td>50.0%</td>`,
		`<tr id="problem-bureaucratism-hard"><td>门难进、脸难看、事难办</td><td>3</td><td>50.0%</td>`,
		"午休时间过长", "希望少开会多办事", "建议公开三公经费")
	wantNotContains(t, r.Body, `id="few"`)
	if strings.Index(r.Body, "problem-formalism-meetings") > strings.Index(r.Body, "problem-formalism-falsify") {
		t.Error("formalism problems not sorted by count")
	}
	x := sup.get(t, summaryURL+"/export")
	if x.Code != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("supervisor export: status %d, %q", x.Code, x.Header.Get("Content-Disposition"))
	}
	book, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatalf("export is not a workbook: %v", err)
	}
	defer book.Close()
	if got, _ := book.GetCellValue("汇总", "B6"); got != "6" {
		t.Errorf("exported answers = %q, want 6", got)
	}
	list := sup.get(t, "/admin/evaluations")
	wantContains(t, list.Body, `href="`+summaryURL+`"`)
	wantNotContains(t, list.Body, "生成并打印")

	// Only the supervision group reads results; administrators see counts on the list.
	for _, role := range []string{"admin", "reviewer", "liaison-county", "discipline", "leader-tcm"} {
		if r := w.browsers[role].get(t, summaryURL); r.Code != http.StatusForbidden {
			t.Errorf("%s GET summary: status %d, want 403", role, r.Code)
		}
		if r := w.browsers[role].get(t, summaryURL+"/export"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET export: status %d, want 403", role, r.Code)
		}
	}
	adminList := admin.get(t, "/admin/evaluations")
	wantContains(t, adminList.Body, "已打印 7 份，已使用 6 份", "生成并打印")
	wantNotContains(t, adminList.Body, `href="`+summaryURL+`"`, "希望少开会多办事")
	for _, role := range []string{"reviewer", "liaison-county", "leader-tcm", "discipline"} {
		if r := w.browsers[role].get(t, "/admin/evaluations"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET list: status %d, want 403", role, r.Code)
		}
	}
	sup.getCSRF(t, "/admin/evaluations")
	for _, target := range []string{"/admin/evaluations", summaryURL + "/codes", summaryURL + "/close"} {
		if r := sup.post(t, target, url.Values{"title": {"x"}, "count": {"1"}}); r.Code != http.StatusForbidden {
			t.Errorf("supervisor POST %s: status %d, want 403", target, r.Code)
		}
	}

	// No code ever travels in a URL, and nothing about the public visits is logged.
	for _, seen := range pub.seen {
		for _, c := range codes {
			n, _ := receipt.Parse(c)
			if loc := seen.location(); strings.Contains(loc, c) || strings.Contains(loc, n) || strings.Contains(loc, "code") {
				t.Errorf("Location %q carries a code", loc)
			}
		}
	}
	logs := h.logs.String()
	wantNotContains(t, logs, "/pingyi", codes[0], "192.0.2.1")
}

// TestEvaluationPeriods: a closed evaluation takes no answers and no more slips; a code of one
// that has not started yet says when it opens.
func TestEvaluationPeriods(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	ctx := context.Background()
	if _, err := h.store.CreateUser(ctx, 0, "evaladmin", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := h.login(t, "evaladmin", staffPassword)
	id := createEvaluation(t, h, admin, "动员大会评议")
	codes := printSlips(t, admin, id, 2)
	pub := h.browser()
	pub.getCSRF(t, "/pingyi")

	h.clock.Set(baseTime.Add(-24 * time.Hour))
	r := pub.post(t, "/pingyi", url.Values{"code": {codes[0]}})
	if r.Code != http.StatusGone {
		t.Errorf("before it opens: status %d, want 410", r.Code)
	}
	wantContains(t, r.Body, "这次评议从 2026-04-15 开始")

	h.clock.Set(baseTime)
	r = pub.post(t, "/pingyi", url.Values{"code": {codes[0]}})
	if r.Code != http.StatusOK {
		t.Fatalf("open: status %d, want 200", r.Code)
	}
	admin.getCSRF(t, "/admin/evaluations")
	closeURL := "/admin/evaluations/" + strconv.FormatInt(id, 10) + "/close"
	// Without the box ticked nothing closes: it cannot be undone.
	r = admin.post(t, closeURL, nil)
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("close without confirming: status %d, want 422", r.Code)
	}
	wantContains(t, r.Body, "请勾选“确认提前结束”")
	if r := pub.post(t, "/pingyi", url.Values{"code": {codes[0]}}); r.Code != http.StatusOK {
		t.Fatalf("still open after an unconfirmed close: status %d, want 200", r.Code)
	}
	if r := admin.post(t, closeURL, url.Values{"confirm": {"1"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("close: status %d, want 303", r.Code)
	}
	// The form was open when the person started; the answer after closing is refused, kindly.
	r = pub.post(t, "/pingyi/answer", answer(codes[0], "good", "写好的建议"))
	if r.Code != http.StatusGone {
		t.Errorf("answer after closing: status %d, want 410", r.Code)
	}
	wantContains(t, r.Body, "这次评议已经结束")
	list := admin.getCSRF(t, "/admin/evaluations")
	wantContains(t, list.Body, "已提前结束", "已打印 2 份，已使用 0 份")
	wantNotContains(t, list.Body, "/admin/evaluations/"+strconv.FormatInt(id, 10)+"/codes")
	r = admin.post(t, "/admin/evaluations/"+strconv.FormatInt(id, 10)+"/codes", url.Values{"count": {"3"}})
	if r.Code != http.StatusUnprocessableEntity {
		t.Errorf("slips for a closed evaluation: status %d, want 422", r.Code)
	}
	for _, bad := range []string{"0", "501", "十"} {
		r = admin.post(t, "/admin/evaluations/"+strconv.FormatInt(id, 10)+"/codes", url.Values{"count": {bad}})
		if r.Code != http.StatusUnprocessableEntity {
			t.Errorf("count %q: status %d, want 422", bad, r.Code)
		}
	}
	if r := admin.post(t, "/admin/evaluations/999/close", nil); r.Code != http.StatusNotFound {
		t.Errorf("close unknown: status %d, want 404", r.Code)
	}
}

// TestEvaluationValidation: every wrong field comes back with its message and the rest kept.
func TestEvaluationValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	if _, err := h.store.CreateUser(context.Background(), 0, "evaladmin", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := h.login(t, "evaladmin", staffPassword)
	codes := printSlips(t, admin, createEvaluation(t, h, admin, "评议"), 1)
	pub := h.browser()
	pub.getCSRF(t, "/pingyi")
	tests := []struct {
		name  string
		form  url.Values
		wants []string
	}{
		{"unknown overall", answer(codes[0], "excellent", "建议甲", "formalism-meetings"),
			[]string{"请选择一项总体评价", `value="formalism-meetings" checked`, "建议甲"}},
		{"unknown problem", answer(codes[0], "good", "建议乙", "formalism-nope"),
			[]string{"有一项问题不在列表中", `value="good" checked`, "建议乙"}},
		{"suggestions too long", answer(codes[0], "fair", strings.Repeat("长", 2001)),
			[]string{"意见建议太长了：最多 2000 个字", `value="fair" checked`}},
		{"other problems too long", func() url.Values {
			v := answer(codes[0], "poor", "建议丁")
			v.Set("other_extravagance", strings.Repeat("多", 201))
			return v
		}(), []string{"其他问题太长了：最多 200 个字", "建议丁"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pub.post(t, "/pingyi/answer", tt.form)
			if r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Code)
			}
			wantContains(t, r.Body, tt.wants...)
		})
	}
	if ev, _ := h.store.Evaluations(context.Background()); ev[0].Used != 0 {
		t.Errorf("a refused form used its code")
	}
}

// TestEvaluationCodeBudget: code checks share the receipt look-ups' budget, so a guessing
// script is slowed down to a trickle.
func TestEvaluationCodeBudget(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	pub := h.browser()
	pub.getCSRF(t, "/pingyi")
	limited := false
	for range 60 {
		if r := pub.post(t, "/pingyi", url.Values{"code": {receipt.New()}}); r.Code == http.StatusTooManyRequests {
			limited = true
			wantContains(t, r.Body, "请等一分钟")
			break
		}
	}
	if !limited {
		t.Error("60 guesses in a row were never limited")
	}
}

// TestEvaluationPagesRender renders each evaluation page, empty and filled.
func TestEvaluationPagesRender(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	id := createEvaluation(t, w.h, w.browsers["admin"], "空的评议")
	printSlips(t, w.browsers["admin"], id, 1)
	pub := w.h.browser()
	tests := []struct {
		name   string
		b      *browser
		target string
		wants  []string
	}{
		{"code page", pub, "/pingyi", []string{"请输入会上发给您的纸条上的评议码", `name="code"`}},
		{"done", pub, "/pingyi/done", []string{"谢谢您参加评议"}},
		{"list for admin", w.browsers["admin"], "/admin/evaluations", []string{"新建民主评议", "空的评议", `href="/admin/evaluations">民主评议</a>`}},
		{"list for supervisor", w.browsers["supervisor"], "/admin/evaluations", []string{"空的评议", `href="/admin/evaluations">民主评议</a>`}},
		{"summary without answers", w.browsers["supervisor"], "/admin/evaluations/" + strconv.FormatInt(id, 10),
			[]string{`id="answers">0<`, "评议表不足 5 份", "还没有人填写意见和建议", "<strong>—</strong>"}},
		{"unknown summary", w.browsers["supervisor"], "/admin/evaluations/999", []string{"没有找到这个页面"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.get(t, tt.target)
			wantContains(t, r.Body, tt.wants...)
			wantContains(t, r.Body, `<html lang="zh-CN" dir="ltr">`, "</html>")
			wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ")
		})
	}
	if r := w.browsers["reviewer"].get(t, "/admin/queue"); strings.Contains(r.Body, `href="/admin/evaluations"`) {
		t.Error("a reviewer is offered the 民主评议 link")
	}
}

// TestEvaluationExpiredPageKeepsAnswers: an attendee whose page outlived the CSRF cookie gets
// the form back with their ticks and words, and the code is not used up.
func TestEvaluationExpiredPageKeepsAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	if _, err := h.store.CreateUser(context.Background(), 0, "evaladmin", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := h.login(t, "evaladmin", staffPassword)
	codes := printSlips(t, admin, createEvaluation(t, h, admin, "评议"), 1)
	pub := h.browser()
	pub.getCSRF(t, "/pingyi")
	delete(pub.cookies, "ms_csrf")
	v := answer(codes[0], "fair", "会议太多，希望精简", "formalism-meetings")
	v.Set("_csrf", pub.token)
	r := pub.postForm(t, "/pingyi/answer", v)
	wantStatus(t, r, http.StatusForbidden)
	wantContains(t, r.Body, "页面停留太久已过期，您的评议还没有保存。", "会议太多，希望精简",
		`value="fair" checked`, `value="formalism-meetings" checked`)
	if ev, _ := h.store.Evaluations(context.Background()); ev[0].Used != 0 {
		t.Errorf("the expired page used its code")
	}
}
