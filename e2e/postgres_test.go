package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/storage"
)

// TestPostgresMainJourneys walks the main journeys in the browser with the portal on
// PostgreSQL (#15), in one browser to keep the package's time down: every other test here
// runs on SQLite, and the handler tests run every route on both engines. A patient's phone
// (JavaScript off) submits an opinion and reads it at /track with the receipt code; a reviewer
// logs in, finds it in the queue, replies and assigns it; the phone reads the reply at /track;
// the reviewer puts it on the 公示 board, which the phone then shows; a patient answers a
// survey and an administrator reads the answer in its results.
func TestPostgresMainJourneys(t *testing.T) {
	// The database first: starting the cluster and migrating it is not the browser's time.
	h := newPostgresHarness(t)
	browser := newBrowserWithin(t, 2*browserBudget) // four journeys in one browser
	if got := h.Store.Backend(); got != "postgres" {
		t.Fatalf("Backend() = %q, want postgres", got)
	}
	ctx := context.Background()
	const (
		text      = "儿科输液室晚上只有一个护士，孩子的针头回血了叫了很久才来，希望晚上多排一个人。"
		reply     = "已请儿科调整夜班，晚八点到十二点增加一名护士。"
		pubTitle  = "儿科夜间输液护士不足"
		comment   = "挂号窗口的工作人员很耐心。"
		survTitle = "门诊服务满意度测评"
	)

	step(t, "1. a phone submits an opinion and gets a receipt code")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit?unit=county-hospital&dept=儿科"), 200)
	code := submitOpinion(t, phone, h, "POST /submit", "complaint", "family", text)

	step(t, "2. the receipt code finds it at /track")
	trackByCode(t, phone, h, code)
	wantContains(t, "track page", textOf(t, phone, "main"), text)

	step(t, "3. a reviewer logs in, opens it from the queue, replies and assigns it")
	desk := newTab(t, browser, h, false)
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantContains(t, "page after login", textOf(t, desk, "h1"), "意见队列")
	wantStatus(t, "open the item", clickAndLoad(t, desk, itemLink(t, desk, "儿科")), 200)
	wantContains(t, "item content", textOf(t, desk, ".quote"), text)
	do(t, desk, "type the reply", chromedp.SetValue(chromedp.CSS("#reply"), reply))
	wantStatus(t, "save reply", clickAndLoad(t, desk, `form[action$="/reply"] button[type=submit]`), 200)
	advanceStep(t, desk, "triaged", "已分类")
	advanceStep(t, desk, "assigned", "已交办",
		chromedp.SetValue(chromedp.CSS("#step-assigned select[name=lead_unit]"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=responsible]"), "儿科护士长"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned textarea[name=measures]"), "夜班增加一名护士"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=deadline_days]"), "5"),
	)
	wantContains(t, "deadline", textOf(t, desk, "#deadline"), "还剩 5 个工作日")

	step(t, "4. the phone reads the reply at /track with the receipt code")
	trackByCode(t, phone, h, code)
	wantContains(t, "the reply at /track", textOf(t, phone, "#reply-text"), reply)

	step(t, "5. the reviewer puts it on the 公示 board, and the phone reads it there")
	do(t, desk, "fill the board's entry",
		chromedp.SendKeys(chromedp.CSS(`#publish input[name=pub_title]`), pubTitle),
		chromedp.SendKeys(chromedp.CSS(`#publish textarea[name=pub_body]`), reply),
	)
	wantStatus(t, "publish", clickAndLoad(t, desk, `form[action$="/publish"] button[type=submit]`), 200)
	wantStatus(t, "GET /gongshi", navigate(t, phone, h.URL+"/gongshi"), 200)
	board := textOf(t, phone, "main")
	wantContains(t, "公示 board", board, pubTitle)
	wantContains(t, "公示 board", board, reply)

	step(t, "6. the phone answers a survey; an administrator reads the answer in its results")
	today := h.Store.Today()
	sv, err := h.Store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: survTitle, StartsOn: today, EndsOn: today,
		Scale: storage.ScaleThree, Units: []string{"county-hospital"}, Items: []string{"挂号排队时间", "医生态度"},
		FreeText: "您还想说什么", ItemThreshold: 85, OverallThreshold: 90})
	if err != nil {
		t.Fatalf("create the survey: %v", err)
	}
	survey := "/survey/" + strconv.FormatInt(sv, 10)
	wantStatus(t, "GET "+survey, navigate(t, phone, h.URL+survey+"?unit=county-hospital"), 200)
	captchaID := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "answer the survey",
		chromedp.Click(chromedp.CSS(`fieldset.choices:nth-of-type(1) label.choice:first-of-type input`)),
		chromedp.Click(chromedp.CSS(`fieldset.choices:nth-of-type(2) label.choice:first-of-type input`)),
		chromedp.SendKeys(chromedp.CSS("#comment"), comment),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)),
	)
	wantStatus(t, "POST "+survey, clickAndLoad(t, phone, `form.opinion button[type=submit]`), 200)
	wantContains(t, "after the survey", textOf(t, phone, "#survey-thanks"), "谢谢您的评价")
	if _, err := h.Store.CreateUser(ctx, 0, adminName, adminPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	admin := loginDesk(t, browser, h, adminName, adminPassword)
	wantStatus(t, "GET the survey's results", navigate(t, admin, h.URL+"/admin/surveys/"+strconv.FormatInt(sv, 10)), 200)
	wantContains(t, "survey results", textOf(t, admin, "#comments"), comment)
	wantContains(t, "survey results", textOf(t, admin, "main"), survTitle)
}
