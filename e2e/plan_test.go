package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/campaign"
)

// TestPlanEndToEnd is the plans' part of issue #14's "done when": the 活动办 drafts a plan
// with a task on the staff pages and opens it for comment to the public; a member of the public
// finds it from the home page on a phone with JavaScript off and comments anonymously (the
// opinion form's pipeline: captcha, receipt code); the office sees the comment beside the draft
// and sends it for review; the 督导组 approves; the office publishes it saying what changed; the
// public page shows the plan with the count of comments received.
func TestPlanEndToEnd(t *testing.T) {
	browser := newBrowserWithin(t, 3*time.Minute) // three people, two of them staff
	h := newHarness(t)
	ctx := context.Background()
	const (
		supervisorName = "duda1"
		title          = "县人民医院门诊服务整改方案"
		comment        = "建议在公开承诺里写明候诊不超过三十分钟，并每月公布抽查结果。"
		changes        = "采纳群众意见：公开承诺写明候诊时限，每月公布抽查结果。"
	)
	if _, err := h.Store.CreateUser(ctx, 0, supervisorName, reviewerPassword, "supervisor"); err != nil {
		t.Fatal(err)
	}
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }
	if _, err := h.Store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "作风建设征求意见活动", ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: day(-5), EndsOn: day(20)}}}); err != nil {
		t.Fatal(err)
	}

	step(t, "1. the reviewer drafts the plan and its task, and opens it for comment to the public")
	desk := newTab(t, browser, h, false)
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET /admin/plans", navigate(t, desk, h.URL+"/admin/plans"), 200)
	do(t, desk, "fill the new plan",
		chromedp.Click(chromedp.CSS(`#plan-new input[name=kind][value=rectification]`)),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#body"), "一、总体要求\n坚持问题导向，立行立改。\n（一）工作目标\n门诊候诊时间明显缩短。"),
	)
	wantStatus(t, "create the draft", clickAndLoad(t, desk, `#plan-new button[type=submit]`), 200)
	wantContains(t, "the plan page", textOf(t, desk, "#plan-status"), "草稿")
	wantContains(t, "the plan's headings", textOf(t, desk, "#plan-text h2"), "一、总体要求")
	do(t, desk, "fill the task",
		chromedp.SendKeys(chromedp.CSS("#what"), "缩短门诊候诊时间"),
		chromedp.SendKeys(chromedp.CSS("#goal"), "平均候诊不超过三十分钟"),
		chromedp.SendKeys(chromedp.CSS("#leader_post"), "分管副院长"),
		chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SetValue(chromedp.CSS("#deadline"), day(60)),
	)
	wantStatus(t, "save the task", clickAndLoad(t, desk, `#task-form button[type=submit]`), 200)
	wantContains(t, "the task table", textOf(t, desk, "#task-1"), "缩短门诊候诊时间")
	do(t, desk, "set the comment period",
		chromedp.SetValue(chromedp.CSS("#step-open_comment input[name=to]"), day(10)),
	)
	wantStatus(t, "open for comment", clickAndLoad(t, desk, `#step-open_comment button[type=submit]`), 200)
	wantContains(t, "the plan page", textOf(t, desk, "#plan-status"), "征求意见中")
	checkAxe(t, desk, false, "the plan page")

	step(t, "2. a member of the public finds the draft from the home page and comments anonymously")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /", navigate(t, phone, h.URL+"/"), 200)
	wantStatus(t, "open the draft", clickAndLoad(t, phone, "#open-plans a"), 200)
	wantContains(t, "the draft", textOf(t, phone, "h1"), title)
	wantContains(t, "the draft's tasks", textOf(t, phone, "#plan-tasks"), "分管副院长")
	checkAxe(t, phone, true, "the draft open for comment")
	checkPhonePage(t, phone, "the draft open for comment")
	captchaID := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "write the comment",
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=patient]`)),
		chromedp.SendKeys(chromedp.CSS("#content"), comment),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)),
	)
	wantStatus(t, "send the comment", clickAndLoad(t, phone, `form.opinion button[type=submit]`), 200)
	if code := strings.TrimSpace(textOf(t, phone, "#receipt-code")); code == "" {
		t.Fatal("no receipt code after the comment")
	}

	step(t, "3. the office sees the comment beside the draft and sends the plan for review")
	wantStatus(t, "reload the plan", navigate(t, desk, mustLocation(t, desk)), 200)
	wantContains(t, "the comments beside the draft", textOf(t, desk, "#plan-comments"), "候诊不超过三十分钟")
	wantStatus(t, "submit for review", clickAndLoad(t, desk, `#step-submit button[type=submit]`), 200)
	wantContains(t, "the plan page", textOf(t, desk, "#plan-status"), "督导组审核中")
	planURL := mustLocation(t, desk)

	step(t, "4. the 督导组 approves, signed in on a browser of its own")
	review := separateTab(t, browser)
	staffLogin(t, review, h, supervisorName, reviewerPassword)
	wantStatus(t, "open the plan", navigate(t, review, planURL), 200)
	do(t, review, "write the review note", chromedp.SendKeys(chromedp.CSS("#note-approve"), "同意。"))
	wantStatus(t, "approve", clickAndLoad(t, review, `#step-approve button[type=submit]`), 200)
	wantContains(t, "the plan page", textOf(t, review, "#plan-status"), "已批准")

	step(t, "5. the office publishes it to the public, saying what changed")
	wantStatus(t, "open the plan", navigate(t, desk, planURL), 200)
	wantContains(t, "the publish form", textOf(t, desk, "#step-publish"), "共收到意见 1 条")
	do(t, desk, "say what changed", chromedp.SendKeys(chromedp.CSS("#changes"), changes))
	wantStatus(t, "publish", clickAndLoad(t, desk, `#step-publish button[type=submit]`), 200)
	wantContains(t, "the plan page", textOf(t, desk, "#plan-status"), "已公示")
	public := attrOf(t, desk, "#plan-public-link", "href")

	step(t, "6. the public reads the published plan with the count of comments received")
	reader := newTab(t, browser, h, true)
	wantStatus(t, "GET "+public, navigate(t, reader, h.URL+public), 200)
	wantContains(t, "the published plan", textOf(t, reader, "h1"), title)
	wantContains(t, "the count of comments", textOf(t, reader, "#plan-comment-count"), "共收到意见 1 条")
	wantContains(t, "what changed", textOf(t, reader, "#plan-changes"), changes)
	checkAxe(t, reader, true, "the published plan")
	checkPhonePage(t, reader, "the published plan")
	saveScreenshot(t, reader, "plan-published.png")
	if plans, err := h.Store.PublishedPlans(ctx, 0, campaign.Reader{}); err != nil || len(plans) != 1 || plans[0].Title != title {
		t.Errorf("PublishedPlans for the public = %+v, %v", plans, err)
	}
}

// mustLocation is the address the tab shows.
func mustLocation(t *testing.T, tab context.Context) string {
	t.Helper()
	loc, err := run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// separateTab opens a desktop tab in a browser context of its own (its own cookies): another
// person at another computer.
func separateTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a separate tab: %s", errContext(err))
	}
	return ctx
}
