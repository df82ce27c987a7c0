package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/lifecycle"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestNoticeEndToEnd is issue #14's public notice with a scope, in a real browser: the office
// hands out a campaign's item to a post (the person's name not published), puts it on the
// board, previews the 整改任务书和时间表 and publishes it to the public → a phone with
// JavaScript off finds it on /gongshi's campaign page, post and no name; the office publishes
// a 简报 to the county hospital's staff → that unit's liaison reads it at /admin/zhuanlan,
// another unit's liaison and the public do not.
func TestNoticeEndToEnd(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	const (
		task   = "门诊收费窗口高峰排长队"
		post   = "分管副院长"
		person = "门诊部王主任"
		brief  = "县人民医院整改简报第1期"
	)

	step(t, "1. a campaign running today, with an item of it sorted and waiting to be handed out")
	cid, err := h.Store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "春季“四风”问题征求意见活动", Units: []string{"county-hospital"},
		ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: today(-30), EndsOn: today(-1)},
			{Kind: campaign.Rectify, StartsOn: today(0), EndsOn: today(30)}}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := receipt.Parse(receipt.New())
	if err != nil {
		t.Fatal(err)
	}
	id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
		Content: "收费处高峰时只开一个窗口，排了一个多小时。"}, h.Receipts.Hash(code))
	if err != nil {
		t.Fatal(err)
	}
	if o, err := h.Store.Opinion(ctx, id); err != nil || o.CampaignID != cid {
		t.Fatalf("the opinion arrived in campaign %d (%v), want %d", o.CampaignID, err, cid)
	}
	walk(t, h.Store, id, lifecycle.Triaged)
	for _, u := range []storage.NewUser{{Username: "county-liaison", Role: access.Liaison, Unit: "county-hospital"},
		{Username: "tcm-liaison", Role: access.Liaison, Unit: "tcm-hospital"}} {
		u.Password = reviewerPassword
		if _, err := h.Store.CreateScopedUser(ctx, 0, u); err != nil {
			t.Fatal(err)
		}
	}

	step(t, "2. the office hands it out to a post, the name not ticked, and puts it on the board")
	desk := newTab(t, browser, h, false)
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET the item", navigate(t, desk, h.URL+"/admin/opinions/"+id), 200)
	advanceStep(t, desk, "assigned", "已交办",
		chromedp.SetValue(chromedp.CSS("#step-assigned select[name=lead_unit]"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=responsible]"), person),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=post]"), post),
		chromedp.SendKeys(chromedp.CSS("#step-assigned textarea[name=measures]"), "高峰时段增开收费窗口"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=deadline_days]"), "10"),
	)
	wantContains(t, "the item's post", textOf(t, desk, "#post"), post)
	do(t, desk, "write the board's words",
		chromedp.SendKeys(chromedp.CSS(`#publish input[name=pub_title]`), task),
		chromedp.SendKeys(chromedp.CSS(`#publish textarea[name=pub_body]`), "已要求县人民医院高峰时段增开收费窗口。"))
	wantStatus(t, "公示", clickAndLoad(t, desk, `#publish form[action$="/publish"] button[type=submit]`), 200)

	step(t, "3. the task list: previewed, then published to the public")
	wantStatus(t, "GET /admin/tasklist", navigate(t, desk, h.URL+"/admin/tasklist"), 200)
	rows := textOf(t, desk, "#tasklist tbody")
	wantContains(t, "the task list", rows, task)
	wantContains(t, "the task list", rows, post)
	if strings.Contains(rows, person) {
		t.Errorf("the task list names %s though the name was not ticked: %q", person, rows)
	}
	checkAxe(t, desk, false, "the task list")
	wantStatus(t, "publish the task list", clickAndLoad(t, desk, "#publish-tasklist button[type=submit]"), 200)
	wantContains(t, "the published task list", textOf(t, desk, "#notice-item"), task)

	step(t, "4. a phone, scripts off: /gongshi → the campaign's page shows the task list")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /gongshi", navigate(t, phone, h.URL+"/gongshi"), 200)
	wantStatus(t, "open the campaign", clickAndLoad(t, phone, "#gongshi-campaigns li:first-child a"), 200)
	wantContains(t, "the current phase", textOf(t, phone, `#timeline [aria-current="step"]`), "整改落实")
	public := textOf(t, phone, "#campaign-tasklist")
	wantContains(t, "the campaign's task list", public, task)
	wantContains(t, "the campaign's task list", public, post)
	if strings.Contains(public, person) {
		t.Errorf("the public task list names %s: %q", person, public)
	}
	checkPhonePage(t, phone, "the campaign's page")
	checkAxe(t, phone, true, "the campaign's page")
	saveScreenshot(t, phone, "gongshi-campaign-360.png")

	step(t, "5. a 简报 for the county hospital's staff only")
	wantStatus(t, "GET /admin/notices", navigate(t, desk, h.URL+"/admin/notices"), 200)
	do(t, desk, "fill the 简报",
		chromedp.SetValue(chromedp.CSS("#kind"), "brief"),
		chromedp.SendKeys(chromedp.CSS("#title"), brief),
		chromedp.SendKeys(chromedp.CSS("#body"), "本院已增开两个收费窗口。"),
		chromedp.Click(chromedp.CSS(`#scope-choice input[value=unit]`)),
		chromedp.SetValue(chromedp.CSS(`#scope-choice select[name=unit]`), "county-hospital"))
	wantStatus(t, "publish the 简报", clickAndLoad(t, desk, "#publish-notice button[type=submit]"), 200)
	wantContains(t, "the 简报's scope", textOf(t, desk, "#scope-words"), "县人民医院职工")

	step(t, "5b. the office's pages of the column fit a phone, scripts off, and pass axe")
	for _, page := range []string{"/admin/notices", "/admin/zhuanlan", "/admin/tasklist"} {
		wantStatus(t, "GET "+page+" on the phone", navigate(t, phone, h.URL+page), 200) // the browser's staff session
		checkPhonePage(t, phone, page)
		checkAxe(t, phone, true, page+" at 360 px")
	}

	step(t, "6. the county hospital's liaison reads it; the other unit's liaison and the public do not")
	for _, tc := range []struct {
		user  string
		shows bool
	}{{"county-liaison", true}, {"tcm-liaison", false}} {
		tab := newTab(t, browser, h, false)
		staffLogin(t, tab, h, tc.user, reviewerPassword)
		wantStatus(t, "GET /admin/zhuanlan as "+tc.user, navigate(t, tab, h.URL+"/admin/zhuanlan"), 200)
		column := textOf(t, tab, "#zhuanlan")
		if got := strings.Contains(column, brief); got != tc.shows {
			t.Errorf("%s sees the 简报: %v, want %v (%q)", tc.user, got, tc.shows, column)
		}
		wantContains(t, tc.user+"'s column", column, "整改任务书和时间表")
	}
	wantStatus(t, "GET /zhuanlan", navigate(t, phone, h.URL+"/zhuanlan"), 200)
	if column := textOf(t, phone, "#zhuanlan"); strings.Contains(column, brief) || !strings.Contains(column, "整改任务书和时间表") {
		t.Errorf("the public column = %q: want the task list, not the 简报", column)
	}
}
