package e2e

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestLookBack (#14, features 39 and 41): on the campaign's 回头看 day its open rectifications
// are on the 督导组's list, the one near its deadline with nothing reported marked lagging; the
// lead unit's liaison records the cause and the measures, and the 督导组 reads them.
func TestLookBack(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	today := h.Store.Today()
	day := func(offset int) string {
		d, err := time.Parse("2006-01-02", today)
		if err != nil {
			t.Fatal(err)
		}
		return d.AddDate(0, 0, offset).Format("2006-01-02")
	}
	step(t, "1. a campaign whose 回头看 begins today, two of its opinions handed to the county hospital")
	id, err := h.Store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "征求意见回头看演练", ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: day(-40), EndsOn: day(-21)},
			{Kind: campaign.Rectify, StartsOn: day(-20), EndsOn: day(-1)},
			{Kind: campaign.LookBack, StartsOn: today, EndsOn: day(9)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []storage.NewUser{
		{Username: "dudao", Password: reviewerPassword, Role: access.Supervisor},
		{Username: "hospital", Password: reviewerPassword, Role: access.Liaison, Unit: "county-hospital"},
	} {
		if _, err := h.Store.CreateScopedUser(ctx, 0, u); err != nil {
			t.Fatal(err)
		}
	}
	handOut := func(text, deadline string) string {
		hash := make([]byte, 32)
		if _, err := rand.Read(hash); err != nil {
			t.Fatal(err)
		}
		op, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
			Submitter: "patient", Content: text}, hash)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range lifecycle.PathTo(lifecycle.Rectifying) {
			if err := h.Store.Transition(ctx, 0, op, lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "门诊部主任",
				Measures: "增开窗口", Ledger: "problem", Deadline: deadline, Kind: "timed"}); err != nil {
				t.Fatalf("hand out: step %s: %v", to, err)
			}
		}
		return op
	}
	lagging := handOut("门诊收费处排队太久。", day(3))
	onTime := handOut("住院部晚上太吵。", day(60))
	for _, op := range []string{lagging, onTime} { // recorded by the submission: the campaign runs today
		if o, err := h.Store.Opinion(ctx, op); err != nil || o.CampaignID != id {
			t.Fatalf("opinion %s arrived in campaign %d (%v), want %d", op, o.CampaignID, err, id)
		}
	}

	browser := newBrowser(t)
	login := func(name string) context.Context {
		tab := newTab(t, browser, h, false)
		wantStatus(t, "GET /admin/login", navigate(t, tab, h.URL+"/admin/login"), 200)
		do(t, tab, "log in as "+name,
			chromedp.SendKeys(chromedp.CSS("#username"), name),
			chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword))
		wantStatus(t, "POST /admin/login", clickAndLoad(t, tab, `form[action="/admin/login"] button[type=submit]`), 200)
		return tab
	}

	step(t, "2. the 督导组 opens 回头看 from the menu: both items, the one due in 3 days lagging")
	sup := login("dudao")
	do(t, sup, "open the menu (folded on a narrow window)", chromedp.Click(chromedp.CSS(".staff-menu summary")))
	wantStatus(t, "GET /admin/lookback", clickAndLoad(t, sup, "#nav-lookback"), 200)
	wantContains(t, "the list", textOf(t, sup, "#item-"+lagging), "临近期限未完成")
	wantContains(t, "the list", textOf(t, sup, "#item-"+lagging), "进度滞后，请牵头单位填写原因分析和加快措施。")
	wantContains(t, "the list", textOf(t, sup, "#item-"+onTime), "按期推进")
	wantContains(t, "the summary", textOf(t, sup, "#lookback-summary"), "进度滞后 1 项，其中 1 项还没有填写")
	if hasElement(t, sup, ".lookback-form") {
		t.Error("the 督导组 is offered the form: the lead unit records")
	}
	checkAxe(t, sup, false, "the 回头看 list")

	step(t, "3. the county hospital's liaison records the cause and measures (a missing one first)")
	liaison := login("hospital")
	wantStatus(t, "GET /admin/lookback", navigate(t, liaison, h.URL+"/admin/lookback"), 200)
	form := "#item-" + lagging + " .lookback-form"
	do(t, liaison, "open the form and give the cause only",
		chromedp.Click(chromedp.CSS("#item-"+lagging+" details summary")),
		chromedp.SendKeys(chromedp.CSS("#cause-"+lagging), "收费员休产假，窗口人手不足"))
	wantStatus(t, "POST without measures", clickAndLoad(t, liaison, form+" button[type=submit]"), 422)
	wantContains(t, "the refused form", textOf(t, liaison, form), "请写明加快整改的措施。")
	if got := valueOf(t, liaison, "#cause-"+lagging); got != "收费员休产假，窗口人手不足" {
		t.Errorf("the cause typed was not kept: %q", got)
	}
	checkAxe(t, liaison, false, "the 回头看 form given back")
	do(t, liaison, "give the measures",
		chromedp.SendKeys(chromedp.CSS("#measures-"+lagging), "本周内从住院收费处调两人，高峰增开窗口"))
	wantStatus(t, "POST the note", clickAndLoad(t, liaison, form+" button[type=submit]"), 200)

	step(t, "4. the 督导组 reads the cause and measures on the list")
	sup = login("dudao")
	wantStatus(t, "GET /admin/lookback", navigate(t, sup, h.URL+"/admin/lookback"), 200)
	row := textOf(t, sup, "#item-"+lagging)
	for _, want := range []string{"收费员休产假，窗口人手不足", "本周内从住院收费处调两人，高峰增开窗口", "hospital"} {
		wantContains(t, "the lagging item", row, want)
	}
	wantContains(t, "the summary", textOf(t, sup, "#lookback-summary"), "其中 0 项还没有填写")
	if strings.Contains(textOf(t, sup, "main"), "进度滞后，请牵头单位填写") {
		t.Error("the item still asks for a note")
	}

	step(t, "5. the campaign's figures by phase, from the list")
	wantStatus(t, "GET the figures", clickAndLoad(t, sup, "#lookback-day a"), 200)
	wantContains(t, "the figures", textOf(t, sup, "#phase-all"), "整个活动")
	checkAxe(t, sup, false, "the campaign's figures")
}

// hasElement reports whether the page holds an element matching sel, without waiting for one.
func hasElement(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	n, err := run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
	if err != nil {
		t.Fatalf("count %s: %s", sel, errContext(err))
	}
	return n > 0
}
