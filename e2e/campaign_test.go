package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/receipt"
	"minsheng/storage"
)

// TestCampaignWindow runs a campaign's collection window in the browser: the administrator
// creates a campaign whose 听取意见 phase holds today, with one question; a patient on a phone
// (scripts off) sees the banner, answers the question on /submit, and the answer is kept with
// the opinion. The administrator then ends the window yesterday: the question is gone from the
// form, a poster's link to the campaign says in plain words that it is closed, and the form
// still takes opinions.
func TestCampaignWindow(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	cst := time.FixedZone("CST", 8*3600)
	now := time.Now().In(cst)
	day := func(offset int) string { return now.AddDate(0, 0, offset).Format("2006-01-02") }
	const name, question, answer = "春季“四风”问题征求意见活动", "您对我院门诊服务有什么建议？", "希望周末也开放专家门诊。"

	step(t, "1. the administrator creates the campaign with a window around today")
	if _, err := h.Store.CreateUser(ctx, 0, "admin1", reviewerPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	office := newTab(t, browser, h, false)
	wantStatus(t, "GET /admin/login", navigate(t, office, h.URL+"/admin/login"), 200)
	do(t, office, "log in as the administrator",
		chromedp.SendKeys(chromedp.CSS("#username"), "admin1"),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, office, `form[action="/admin/login"] button[type=submit]`), 200)
	wantStatus(t, "GET /admin/campaigns", navigate(t, office, h.URL+"/admin/campaigns"), 200)
	wantStatus(t, "new campaign", clickAndLoad(t, office, `a[href="/admin/campaigns/new"]`), 200)
	do(t, office, "fill the campaign",
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SetValue(chromedp.CSS("#phase-1 select[name=phase_kind]"), "listen"),
		chromedp.SetValue(chromedp.CSS("#phase-1 input[name=phase_start]"), day(-3)),
		chromedp.SetValue(chromedp.CSS("#phase-1 input[name=phase_end]"), day(10)),
		chromedp.SetValue(chromedp.CSS("#phase-2 select[name=phase_kind]"), "rectify"),
		chromedp.SetValue(chromedp.CSS("#phase-2 input[name=phase_start]"), day(11)),
		chromedp.SetValue(chromedp.CSS("#phase-2 input[name=phase_end]"), day(60)),
		chromedp.SendKeys(chromedp.CSS("#questions"), question),
	)
	wantStatus(t, "POST /admin/campaigns", clickAndLoad(t, office, `form.campaign button[type=submit]`), 200)
	wantContains(t, "the campaign list", textOf(t, office, "table.campaigns"), name)
	wantContains(t, "the campaign list", textOf(t, office, "table.campaigns"), "听取意见")
	all, err := h.Store.Campaigns(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("campaigns: %d, %v", len(all), err)
	}
	id := strconv.FormatInt(all[0].ID, 10)

	step(t, "2. a patient sees the banner and answers the campaign's question")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /", navigate(t, phone, h.URL+"/"), 200)
	wantContains(t, "the banner", textOf(t, phone, ".campaign-banner"), name+" · 听取意见")
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit"), 200)
	field := "#answer_" + id + "_1"
	wantContains(t, "the campaign's questions", textOf(t, phone, "#campaign-"+id), question)
	do(t, phone, "choose the unit and answer the question",
		chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS(field), answer),
	)
	saveScreenshot(t, phone, "campaign-question-360.png")
	code := submitOpinion(t, phone, h, "POST /submit", "suggestion", "patient", "门诊挂号排队时间太长，希望增加自助挂号机。")
	o := storedOpinion(t, h, code)
	got, err := h.Store.CampaignAnswers(ctx, o.ID)
	if o.CampaignID != all[0].ID || err != nil || len(got) != 1 || got[0].Answer != answer || got[0].Question != question {
		t.Fatalf("stored: campaign %d, answers %+v, %v", o.CampaignID, got, err)
	}

	step(t, "3. the administrator ends the window yesterday")
	wantStatus(t, "GET the campaign", navigate(t, office, h.URL+"/admin/campaigns/"+id), 200)
	do(t, office, "move the phases",
		chromedp.SetValue(chromedp.CSS("#phase-1 input[name=phase_start]"), day(-10)),
		chromedp.SetValue(chromedp.CSS("#phase-1 input[name=phase_end]"), day(-1)),
		chromedp.SetValue(chromedp.CSS("#phase-2 input[name=phase_start]"), day(0)),
	)
	wantStatus(t, "POST the campaign", clickAndLoad(t, office, `form.campaign button[type=submit]`), 200)
	wantContains(t, "the campaign list", textOf(t, office, "table.campaigns"), "整改落实")

	step(t, "4. the question is closed with a plain message; the form still takes opinions")
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit"), 200)
	if n, err := run(phone, chromedp.Evaluate[int](`document.querySelectorAll('.campaign-questions').length`)); err != nil || n != 0 {
		t.Fatalf("the form shows %d campaign question sets after the window (%v), want none", n, err)
	}
	wantStatus(t, "GET /submit?campaign=", navigate(t, phone, h.URL+"/submit?campaign="+id), 200)
	closed := textOf(t, phone, "#campaign-"+id)
	wantContains(t, "the closed questions", closed, "本次活动的征求意见已于")
	wantContains(t, "the closed questions", closed, "您仍可以随时通过常设意见箱反映问题")
	if strings.Contains(closed, question) {
		t.Errorf("the closed campaign still asks its question: %q", closed)
	}
	saveScreenshot(t, phone, "campaign-closed-360.png")
	do(t, phone, "choose the unit", chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"))
	later := submitOpinion(t, phone, h, "POST /submit after the window", "complaint", "patient", "住院部夜间噪音太大，影响休息。")
	if o := storedOpinion(t, h, later); o.CampaignID != all[0].ID { // the campaign runs on, in 整改落实
		t.Errorf("the later opinion's campaign is %d, want %d", o.CampaignID, all[0].ID)
	}
}

// storedOpinion finds the opinion a receipt code shown in the browser belongs to.
func storedOpinion(t *testing.T, h *harness, code string) storage.Opinion {
	t.Helper()
	n, err := receipt.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	o, err := h.Store.OpinionByReceipt(context.Background(), h.Receipts.Hash(n))
	if err != nil {
		t.Fatalf("OpinionByReceipt: %v", err)
	}
	return o
}
