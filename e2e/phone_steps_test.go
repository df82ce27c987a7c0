package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/lifecycle"
)

// TestLiaisonWorksFromPhone: a liaison on a 360 px phone with JavaScript off starts the work
// handed to their unit and reports it done, and a leader reads it, all without a sideways
// scroll.
func TestLiaisonWorksFromPhone(t *testing.T) {
	w := newStaffWorld(t)
	browser := newBrowser(t)
	phone := newTab(t, browser, w.h, true)
	staffLogin(t, phone, w.h, "liaison1", staffPassword)
	item := w.h.URL + "/admin/opinions/" + w.assigned

	advance := func(status, label string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step(t, "the liaison moves the item to %s", label)
		wantStatus(t, "open the item", navigate(t, phone, item), 200)
		do(t, phone, "open the step", chromedp.Click(chromedp.CSS("#step-"+status+" > summary")))
		checkPhonePage(t, phone, "item with the step "+status+" open")
		inside, err := run(phone, chromedp.Evaluate[bool](`[...document.querySelectorAll("#step-`+status+` input, #step-`+status+
			` textarea, #step-`+status+` button")].filter(e => e.type !== "hidden").every(e => e.getBoundingClientRect().right <= 360)`))
		if err != nil || !inside {
			t.Errorf("a control of the step %s sticks out past the phone's edge (%v)", status, err)
		}
		if len(fill) > 0 {
			do(t, phone, "fill the step", fill...)
		}
		wantStatus(t, "submit the step", clickAndLoad(t, phone, "#step-"+status+" button[type=submit]"), 200)
		wantContains(t, "status after the step", textOf(t, phone, "#current-status"), label)
	}
	advance(lifecycle.Rectifying, "整改中", chromedp.Click(chromedp.CSS(`#step-rectifying input[name=kind][value=timed]`)))
	saveScreenshot(t, phone, "liaison-item-360.png")
	advance(lifecycle.Reported, "已整改待核验",
		chromedp.SendKeys(chromedp.CSS("#step-reported textarea[name=report]"), "已增开两个收费窗口，高峰时段排队不超过二十分钟。"))

	step(t, "the leader of the linked unit reads it on a phone")
	leader := newTab(t, newBrowser(t), w.h, true)
	staffLogin(t, leader, w.h, "leader1", staffPassword)
	wantStatus(t, "open the queue", navigate(t, leader, w.h.URL+"/admin/queue"), 200)
	checkPhonePage(t, leader, "leader's queue")
	wantStatus(t, "open the item from the queue", clickAndLoad(t, leader, itemLink(t, leader, "收费处排队")), 200)
	checkPhonePage(t, leader, "leader's item")
	wantContains(t, "leader reads the status", textOf(t, leader, "#current-status"), "已整改待核验")
	wantContains(t, "leader reads the report", textOf(t, leader, "main"), "排队不超过二十分钟")
	if strings.Contains(textOf(t, leader, "main"), "13812345678") {
		t.Error("the leader's page shows the phone number written in the opinion; it must be masked")
	}
}
