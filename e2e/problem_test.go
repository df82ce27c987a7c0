package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/receipt"
)

// TestProblemEndToEnd is issue #11's "done when" for problems (问题): two people report the
// same thing in different words on the public form; the reviewer opens the second's item page,
// which suggests the first; 归入同一问题 gathers them; one rectification is assigned on the
// problem; both submitters' /track pages show the grouped outcome, each with its own receipt.
func TestProblemEndToEnd(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	const (
		firstText  = "门诊挂号窗口太少了，每天早上排队两个多小时才挂上号，老人根本站不住。"
		secondText = "挂号窗口太少，早上排队要两个多小时，老人站不住，希望多开几个挂号窗口。"
		title      = "早上挂号排长队"
	)

	step(t, "1. two people report the same thing in different words, each on their own phone")
	codes := make([]string, 2)
	for i, text := range []string{firstText, secondText} {
		phone := newTab(t, browser, h, true)
		wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit?unit=county-hospital"), 200)
		codes[i] = submitOpinion(t, phone, h, "POST /submit", "complaint", "patient", text)
	}
	ids := make([]string, 2)
	for i, code := range codes {
		norm, err := receipt.Parse(code)
		if err != nil {
			t.Fatal(err)
		}
		o, err := h.Store.OpinionByReceipt(context.Background(), h.Receipts.Hash(norm))
		if err != nil {
			t.Fatalf("opinion of receipt %d: %v", i+1, err)
		}
		ids[i] = o.ID
	}

	step(t, "2. the reviewer opens the second's item page: it suggests the first")
	desk := newTab(t, browser, h, false)
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET the second's item", navigate(t, desk, h.URL+"/admin/opinions/"+ids[1]), 200)
	row := "#similar-" + ids[0]
	wantContains(t, "similar opinions", textOf(t, desk, row), "相似度")
	wantContains(t, "similar opinions", textOf(t, desk, row), "老人根本站不住")
	saveScreenshot(t, desk, "similar-opinions.png")

	step(t, "3. 归入同一问题, with a title for the new problem")
	do(t, desk, "type the problem's title", chromedp.SendKeys(chromedp.CSS(row+` input[name=title]`), title))
	wantStatus(t, "归入同一问题", clickAndLoad(t, desk, row+` button[type=submit]`), 200)
	wantContains(t, "the item's problem", textOf(t, desk, "#problem-link"), title)
	wantContains(t, "the item's problem", textOf(t, desk, "#problem-count"), "2 人反映")

	checkAxe(t, desk, false, "the item page with its problem")

	step(t, "4. one rectification on the problem: from its page to the carrier, 已分类 then 已交办")
	wantStatus(t, "open the problem", clickAndLoad(t, desk, "#problem-link"), 200)
	wantContains(t, "problem page", textOf(t, desk, "h1"), title)
	problemURL, err := run(desk, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	checkAxe(t, desk, false, "the problem page")
	wantStatus(t, "open the carrier", clickAndLoad(t, desk, "#carrier-link"), 200)
	advanceStep(t, desk, "triaged", "已分类")
	advanceStep(t, desk, "assigned", "已交办",
		chromedp.SetValue(chromedp.CSS("#step-assigned select[name=lead_unit]"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=responsible]"), "门诊部主任"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned textarea[name=measures]"), "早高峰增开两个挂号窗口"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=deadline_days]"), "5"),
	)
	carrier, err := h.Store.ProblemOf(context.Background(), ids[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	rect, err := h.Store.Rectification(context.Background(), carrier.Carrier)
	if err != nil || rect.Deadline == "" || rect.LeadUnitName == "" {
		t.Fatalf("the carrier's rectification: %+v, %v", rect, err)
	}

	step(t, "5. both submitters read the grouped outcome with their own receipt codes")
	var statuses []string
	for i, code := range codes {
		reader := newTab(t, browser, h, true)
		wantStatus(t, "GET /track", navigate(t, reader, h.URL+"/track"), 200)
		do(t, reader, "type the receipt code", chromedp.SendKeys(chromedp.CSS("#code"), code))
		wantStatus(t, "POST /track", clickAndLoad(t, reader, `form[action="/track"] button[type=submit]`), 200)
		wantContains(t, "track page", textOf(t, reader, "#together"), "还有 1 位群众反映了相似的情况")
		page := textOf(t, reader, "main")
		wantContains(t, "track page", page, rect.LeadUnitName)  // the carrier's lead unit
		wantContains(t, "track page", page, rect.Deadline+" 前") // and its deadline
		other := []string{secondText, firstText}[i]
		if strings.Contains(page, other) || strings.Contains(page, title) {
			t.Errorf("submitter %d reads the other's words or the staff's title:\n%s", i+1, page)
		}
		statuses = append(statuses, strings.TrimSpace(textOf(t, reader, "#public-status")))
		if i == 1 {
			saveScreenshot(t, reader, "track-together-360.png")
		}
	}
	if statuses[0] != statuses[1] || statuses[0] != "已交给负责单位办理" {
		t.Errorf("the two /track pages say %q: want both to follow the carrier, 已交给负责单位办理", statuses)
	}

	step(t, "6. the new staff pages on a phone without JavaScript: no sideways scrolling, nothing for axe")
	phone := newTab(t, browser, h, true)
	staffLogin(t, phone, h, reviewerName, reviewerPassword)
	for _, page := range []string{problemURL, h.URL + "/admin/queue?view=problems", h.URL + "/admin/opinions/" + ids[1]} {
		wantStatus(t, "GET "+page, navigate(t, phone, page), 200)
		checkPhonePage(t, phone, page)
		checkAxe(t, phone, true, page)
		wantContains(t, page, textOf(t, phone, "main"), "2 人反映") // the problem's count, on each
	}

	if p, err := h.Store.ProblemOf(context.Background(), ids[0], nil); err != nil || p.Count != 2 || p.Status != "assigned" {
		t.Errorf("the problem after the story: %+v, %v", p, err)
	}
}
