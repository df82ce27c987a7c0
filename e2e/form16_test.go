package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/receipt"
	"minsheng/storage"
)

// TestSegmentAndTargetOnAPhone: on a 360 px phone with JavaScript off, a staff member gives
// their segment and names a staff member by post and badge. Chosen as a patient first, the
// segment is refused next to its field with everything kept; chosen as staff, the opinion is
// stored with both. The form carries the confidentiality notice, fits the phone and passes axe
// before and after the refusal.
func TestSegmentAndTargetOnAPhone(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	phone := newTab(t, browser, h, true)

	step(t, "the form, with the notice")
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit"), 200)
	wantContains(t, "the notice", textOf(t, phone, "#confidential"), "任何人不得打击报复")
	checkPhonePage(t, phone, "/submit")
	checkAxe(t, phone, true, "/submit")

	step(t, "a segment given as a patient: refused next to the field, all kept")
	const text = "收费窗口的工作人员上午十点才来，病人排队等了四十分钟，也没有人解释。"
	captchaID := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "fill the form",
		chromedp.Click(chromedp.CSS(`input[name=type][value=complaint]`)),
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=patient]`)),
		chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SetValue(chromedp.CSS("#segment"), "nursing"),
		chromedp.Click(chromedp.CSS(`input[name=target_kind][value=staff]`)),
		chromedp.SendKeys(chromedp.CSS("#target_post"), "收费窗口"),
		chromedp.SendKeys(chromedp.CSS("#target_badge"), "a0123"),
		chromedp.SendKeys(chromedp.CSS("#content"), text),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)),
	)
	wantStatus(t, "POST /submit as a patient with a segment", clickAndLoad(t, phone, `form.opinion button[type=submit]`), 422)
	wantContains(t, "the segment's message", textOf(t, phone, "#segment + .field-error"), "只有职工才填所在群体")
	if v := valueOf(t, phone, "#target_badge"); v != "A0123" {
		t.Errorf("badge kept as %q, want A0123", v)
	}
	if v := valueOf(t, phone, "#segment"); v != "nursing" {
		t.Errorf("segment kept as %q", v)
	}
	if n, err := run(phone, chromedp.Evaluate[int](`document.querySelectorAll(".field-error").length`)); err != nil || n != 1 {
		t.Errorf("%d messages on the page (%v), want the segment's alone", n, err)
	}
	checkPhonePage(t, phone, "/submit refused")
	checkAxe(t, phone, true, "/submit refused")

	step(t, "the same as staff: stored with the segment and the person named")
	code := submitOpinion(t, phone, h, "POST /submit as staff", "complaint", "staff", text)
	norm, _ := receipt.Parse(code)
	o, err := h.Store.OpinionByReceipt(context.Background(), h.Receipts.Hash(norm))
	if err != nil {
		t.Fatal(err)
	}
	if o.Submitter != "staff" || o.Segment != "nursing" || o.Target != (storage.Target{Kind: "staff", Post: "收费窗口", Badge: "A0123"}) {
		t.Errorf("stored %+v", o)
	}
}
