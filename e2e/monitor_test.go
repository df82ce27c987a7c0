package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestCitizenSupervisor: an appointed 行风/社会监督员 on a phone with JavaScript off logs in,
// lands on their own page, gives an opinion, follows its progress as the office works on it,
// reads the 公示 of their unit in detail, and is refused the queue and the export.
func TestCitizenSupervisor(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const name, password = "监督员王", "supervisor-password-2026"
	if _, err := h.Store.CreateScopedUser(ctx, 0, storage.NewUser{Username: name, Password: password, Role: "monitor",
		Linked: []string{"county-hospital"}}); err != nil {
		t.Fatalf("create the supervisor: %v", err)
	}
	browser := newBrowser(t)
	phone := newTab(t, browser, h, true)

	step(t, "1. the supervisor logs in and lands on their own page, not the queue")
	wantStatus(t, "GET /admin/login", navigate(t, phone, h.URL+"/admin/login"), 200)
	do(t, phone, "log in",
		chromedp.SendKeys(chromedp.CSS("#username"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	wantStatus(t, "POST /admin/login", clickAndLoad(t, phone, `form[action="/admin/login"] button[type=submit]`), 200)
	wantContains(t, "the page after login", textOf(t, phone, "main h1"), "我的监督")
	menu := textOf(t, phone, "nav.staff")
	if strings.Contains(menu, "意见队列") || strings.Contains(menu, "台账") {
		t.Errorf("the supervisor's menu offers staff pages: %q", menu)
	}

	step(t, "2. they give an opinion; it is saved with their role")
	wantStatus(t, "open the form", clickAndLoad(t, phone, `a[href="/admin/jiandu/submit"].button`), 200)
	const words = "县人民医院门诊收费处中午没有人值守，排队的病人等了很久。"
	do(t, phone, "fill the form",
		chromedp.SetValue(chromedp.CSS("#type"), "complaint"),
		chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#dept"), "门诊收费处"),
		chromedp.SendKeys(chromedp.CSS("#content"), words))
	wantStatus(t, "send", clickAndLoad(t, phone, `form[action="/admin/jiandu/submit"] button[type=submit]`), 200)
	wantContains(t, "after sending", textOf(t, phone, "#monitor-done"), "您的意见已经保存")
	mine := textOf(t, phone, ".monitor-item")
	wantContains(t, "their item", mine, "县人民医院")
	wantContains(t, "their item", mine, "门诊收费处")

	step(t, "3. the office hands it out and the work starts; the supervisor sees the progress")
	var id string
	err := h.Store.EachOpinion(ctx, storage.OpinionFilter{}, func(o storage.Opinion) error {
		if o.Content == words {
			id = o.ID
			if o.Submitter != storage.MonitorSubmitter {
				t.Errorf("stored submitter %q, want monitor", o.Submitter)
			}
		}
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("the supervisor's opinion is not stored (%v)", err)
	}
	for _, to := range []string{lifecycle.Triaged, lifecycle.Assigned, lifecycle.Rectifying} {
		if err := h.Store.Transition(ctx, 0, id, lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "收费处主任",
			Measures: "午间安排轮班", Ledger: "problem", Deadline: "2030-01-01", Kind: "timed"}); err != nil {
			t.Fatalf("step to %s: %v", to, err)
		}
	}
	if err := h.Store.Publish(ctx, 0, id, "收费处午间值守", "安排午间轮班，保证有人收费", ""); err != nil {
		t.Fatalf("publish: %v", err)
	}
	wantStatus(t, "reload their page", navigate(t, phone, h.URL+"/admin/jiandu"), 200)
	mine = textOf(t, phone, "#mine-"+id)
	wantContains(t, "their item's progress", mine, "整改时限")
	wantContains(t, "their item's steps", textOf(t, phone, "#mine-"+id+" ol.steps"), "→")

	step(t, "4. the 公示 of their unit, in detail")
	wantStatus(t, "open the board", navigate(t, phone, h.URL+"/admin/jiandu/gongshi"), 200)
	board := textOf(t, phone, "#pub-"+id)
	wantContains(t, "the board", board, "收费处午间值守")
	wantContains(t, "the board", board, "整改时限")
	if strings.Contains(board, words) {
		t.Errorf("the board shows what was written: %q", board)
	}

	step(t, "5. the queue, an item and the export are refused")
	wantStatus(t, "GET /admin/queue", navigate(t, phone, h.URL+"/admin/queue"), 403)
	wantStatus(t, "GET /admin/opinions/"+id, navigate(t, phone, h.URL+"/admin/opinions/"+id), 403)
	wantStatus(t, "GET /admin/export", navigate(t, phone, h.URL+"/admin/export?month=2026-04&format=csv"), 403)
	saveScreenshot(t, phone, "citizen-supervisor-refused")
}
