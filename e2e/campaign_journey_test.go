package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestCampaignJourney is issue #14's "done when": ONE campaign from start to 回头看, in the
// browser, each step by the person the seeds give it (the other campaign tests go deeper into
// each part):
//  1. the administrator creates the campaign with a collection window around today;
//  2. a patient answers its question with an opinion, which records the campaign;
//  3. the window ends (the administrator moves the phases): the question closes, the form stays;
//  4. the 活动办 drafts a plan and opens it for comment; a member of the public comments
//     anonymously; the 督导组 approves; the 活动办 publishes it;
//  5. the patient's opinion is handed out to a post and the task list published to the public:
//     /gongshi's campaign page shows the plan and the task list; a 简报 for one unit's staff is
//     read by that unit's liaison only;
//  6. the 回头看 date comes (the phases moved again): the open item is on the 督导组's list.
//
// There is no clock to move in a browser test, so time passes by the administrator editing the
// campaign's dates, as they would to correct them.
func TestCampaignJourney(t *testing.T) {
	browser := newBrowserWithin(t, 5*time.Minute) // six people
	h := newHarness(t)
	ctx := context.Background()
	base, err := time.Parse("2006-01-02", h.Store.Today())
	if err != nil {
		t.Fatal(err)
	}
	day := func(offset int) string { return base.AddDate(0, 0, offset).Format("2006-01-02") }
	const (
		name     = "2027年“四风”问题集中整治活动"
		question = "您认为我院在形式主义方面有哪些突出问题？"
		answer   = "检查太多，科室天天填表。"
		opinion  = "门诊收费处高峰时只开一个窗口，排队一个多小时。"
		title    = "县人民医院门诊服务整改方案"
		comment  = "建议公开承诺里写明排队不超过二十分钟。"
		task     = "门诊收费窗口高峰排长队"
		post     = "分管副院长"
		brief    = "县人民医院整改简报第1期"
	)
	for _, u := range []storage.NewUser{
		{Username: "admin1", Role: access.Admin},
		{Username: "dudao", Role: access.Supervisor},
		{Username: "county-liaison", Role: access.Liaison, Unit: "county-hospital"},
		{Username: "tcm-liaison", Role: access.Liaison, Unit: "tcm-hospital"},
	} {
		u.Password = reviewerPassword
		if _, err := h.Store.CreateScopedUser(ctx, 0, u); err != nil {
			t.Fatal(err)
		}
	}
	signIn := func(user string) context.Context {
		tab := separateTab(t, browser)
		staffLogin(t, tab, h, user, reviewerPassword)
		return tab
	}
	// fillPhases sets the campaign form's three phase rows: 听取意见, 整改落实, 回头看.
	fillPhases := func(tab context.Context, dates ...string) {
		t.Helper()
		var fill []chromedp.Action[chromedp.Void]
		for i, kind := range []string{"listen", "rectify", "lookback"} {
			row := "#phase-" + strconv.Itoa(i+1)
			fill = append(fill,
				chromedp.SetValue(chromedp.CSS(row+" select[name=phase_kind]"), kind),
				chromedp.SetValue(chromedp.CSS(row+" input[name=phase_start]"), dates[2*i]),
				chromedp.SetValue(chromedp.CSS(row+" input[name=phase_end]"), dates[2*i+1]))
		}
		do(t, tab, "set the phases", fill...)
		wantStatus(t, "save the campaign", clickAndLoad(t, tab, `form.campaign button[type=submit]`), 200)
	}
	setPhases := func(tab context.Context, id string, dates ...string) {
		t.Helper()
		wantStatus(t, "GET the campaign", navigate(t, tab, h.URL+"/admin/campaigns/"+id), 200)
		fillPhases(tab, dates...)
	}

	step(t, "1. the administrator creates the campaign, its window around today")
	office := signIn("admin1")
	wantStatus(t, "GET /admin/campaigns/new", navigate(t, office, h.URL+"/admin/campaigns/new"), 200)
	do(t, office, "name and question", chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#questions"), question))
	fillPhases(office, day(-3), day(10), day(11), day(60), day(61), day(70))
	all, err := h.Store.Campaigns(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("campaigns: %d, %v", len(all), err)
	}
	cid := strconv.FormatInt(all[0].ID, 10)

	step(t, "2. a patient answers the campaign's question with an opinion")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit"), 200)
	wantContains(t, "the banner", textOf(t, phone, ".campaign-banner"), name)
	do(t, phone, "the unit and the answer", chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#answer_"+cid+"_1"), answer))
	code := submitOpinion(t, phone, h, "POST /submit", "complaint", "patient", opinion)
	item := storedOpinion(t, h, code)
	if item.CampaignID != all[0].ID {
		t.Fatalf("the opinion's campaign is %d, want %s", item.CampaignID, cid)
	}

	step(t, "3. the window ends: the question closes, the form still takes opinions")
	setPhases(office, cid, day(-10), day(-1), day(0), day(30), day(31), day(40))
	wantStatus(t, "GET /submit?campaign=", navigate(t, phone, h.URL+"/submit?campaign="+cid), 200)
	wantContains(t, "the closed question", textOf(t, phone, "#campaign-"+cid), "本次活动的征求意见已于")
	if n, err := run(phone, chromedp.Evaluate[int](`document.querySelectorAll('textarea[name^=answer_]').length`)); err != nil || n != 0 {
		t.Fatalf("%d answer fields after the window (%v), want none", n, err)
	}

	step(t, "4. a plan: drafted, opened for comment, a public comment, approved, published")
	desk := signIn(reviewerName)
	wantStatus(t, "GET /admin/plans", navigate(t, desk, h.URL+"/admin/plans"), 200)
	do(t, desk, "the new plan", chromedp.SetValue(chromedp.CSS("#campaign"), cid),
		chromedp.Click(chromedp.CSS(`#plan-new input[name=kind][value=rectification]`)),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#body"), "一、总体要求\n坚持问题导向，立行立改。"))
	wantStatus(t, "create the draft", clickAndLoad(t, desk, `#plan-new button[type=submit]`), 200)
	do(t, desk, "the comment period", chromedp.SetValue(chromedp.CSS("#step-open_comment input[name=to]"), day(10)))
	wantStatus(t, "open for comment", clickAndLoad(t, desk, `#step-open_comment button[type=submit]`), 200)
	planURL := mustLocation(t, desk)

	wantStatus(t, "GET /", navigate(t, phone, h.URL+"/"), 200)
	wantStatus(t, "open the draft", clickAndLoad(t, phone, "#open-plans a"), 200)
	captchaID := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "the comment", chromedp.Click(chromedp.CSS(`input[name=submitter][value=public]`)),
		chromedp.SendKeys(chromedp.CSS("#content"), comment),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)))
	wantStatus(t, "send the comment", clickAndLoad(t, phone, `form.opinion button[type=submit]`), 200)
	if strings.TrimSpace(textOf(t, phone, "#receipt-code")) == "" {
		t.Fatal("no receipt code after the comment")
	}

	wantStatus(t, "reload the plan", navigate(t, desk, planURL), 200)
	wantContains(t, "the comment beside the draft", textOf(t, desk, "#plan-comments"), "二十分钟")
	wantStatus(t, "submit for review", clickAndLoad(t, desk, `#step-submit button[type=submit]`), 200)
	review := signIn("dudao")
	wantStatus(t, "the 督导组 opens the plan", navigate(t, review, planURL), 200)
	wantStatus(t, "approve", clickAndLoad(t, review, `#step-approve button[type=submit]`), 200)
	wantContains(t, "the plan", textOf(t, review, "#plan-status"), "已批准")
	wantStatus(t, "reload the plan", navigate(t, desk, planURL), 200)
	do(t, desk, "what changed", chromedp.SendKeys(chromedp.CSS("#changes"), "采纳意见：写明排队时限。"))
	wantStatus(t, "publish", clickAndLoad(t, desk, `#step-publish button[type=submit]`), 200)
	wantContains(t, "the plan", textOf(t, desk, "#plan-status"), "已公示")

	step(t, "5. the opinion handed out to a post; the task list and the plan on /gongshi; a unit's 简报")
	walk(t, h.Store, item.ID, lifecycle.Triaged)
	wantStatus(t, "GET the item", navigate(t, desk, h.URL+"/admin/opinions/"+item.ID), 200)
	advanceStep(t, desk, "assigned", "已交办",
		chromedp.SetValue(chromedp.CSS("#step-assigned select[name=lead_unit]"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=responsible]"), "门诊部王主任"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=post]"), post),
		chromedp.SendKeys(chromedp.CSS("#step-assigned textarea[name=measures]"), "高峰时段增开收费窗口"))
	do(t, desk, "the board's words",
		chromedp.SendKeys(chromedp.CSS(`#publish input[name=pub_title]`), task),
		chromedp.SendKeys(chromedp.CSS(`#publish textarea[name=pub_body]`), "已要求高峰时段增开收费窗口。"))
	wantStatus(t, "公示", clickAndLoad(t, desk, `#publish form[action$="/publish"] button[type=submit]`), 200)
	wantStatus(t, "GET the task list", navigate(t, desk, h.URL+"/admin/tasklist?campaign="+cid), 200)
	wantStatus(t, "publish the task list", clickAndLoad(t, desk, "#publish-tasklist button[type=submit]"), 200)

	wantStatus(t, "GET /gongshi/c/", navigate(t, phone, h.URL+"/gongshi/c/"+cid), 200)
	page := textOf(t, phone, "main")
	for _, want := range []string{name, title, task, post} {
		wantContains(t, "the campaign's public page", page, want)
	}
	if strings.Contains(page, "门诊部王主任") {
		t.Error("the public task list names the responsible person; only the post was to be published")
	}

	wantStatus(t, "GET /admin/notices", navigate(t, desk, h.URL+"/admin/notices"), 200)
	do(t, desk, "the 简报", chromedp.SetValue(chromedp.CSS("#kind"), "brief"),
		chromedp.SendKeys(chromedp.CSS("#title"), brief),
		chromedp.SendKeys(chromedp.CSS("#body"), "本院已增开两个收费窗口。"),
		chromedp.Click(chromedp.CSS(`#scope-choice input[value=unit]`)),
		chromedp.SetValue(chromedp.CSS(`#scope-choice select[name=unit]`), "county-hospital"))
	wantStatus(t, "publish the 简报", clickAndLoad(t, desk, "#publish-notice button[type=submit]"), 200)
	for _, tc := range []struct {
		user  string
		shows bool
	}{{"county-liaison", true}, {"tcm-liaison", false}} {
		tab := signIn(tc.user)
		wantStatus(t, "GET /admin/zhuanlan as "+tc.user, navigate(t, tab, h.URL+"/admin/zhuanlan"), 200)
		if got := strings.Contains(textOf(t, tab, "#zhuanlan"), brief); got != tc.shows {
			t.Errorf("%s sees the 简报: %v, want %v", tc.user, got, tc.shows)
		}
	}
	wantStatus(t, "GET /zhuanlan", navigate(t, phone, h.URL+"/zhuanlan"), 200)
	if strings.Contains(textOf(t, phone, "main"), brief) {
		t.Error("the public column shows the unit's 简报")
	}

	step(t, "6. the 回头看 date comes: the open item is on the 督导组's list")
	wantStatus(t, "GET /admin/lookback before the day", navigate(t, review, h.URL+"/admin/lookback?campaign="+cid), 200)
	if hasElement(t, review, "#item-"+item.ID) {
		t.Error("the item is on the 回头看 list before the campaign's 回头看 date")
	}
	setPhases(office, cid, day(-30), day(-21), day(-20), day(-1), day(0), day(9))
	wantStatus(t, "GET /admin/lookback on the day", navigate(t, review, h.URL+"/admin/lookback?campaign="+cid), 200)
	wantContains(t, "the 回头看 list", textOf(t, review, "#item-"+item.ID), "门诊部王主任")
}
