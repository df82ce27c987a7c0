package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/receipt"
)

const (
	// opinionText carries markup: it must come back as text on every page, never as a tag.
	opinionText = "门诊收费处排队两个小时没人管，窗口工作人员态度冷漠，希望改进。<script>alert(1)</script>"
	scriptText  = "<script>alert(1)</script>"
	replyText   = "已转门诊部整改，增开两个收费窗口。谢谢您的反映。"
)

// TestOpinionLifecycle follows one opinion from a poster's QR code to the reply the submitter
// reads: a patient's phone with JavaScript off submits it (after a first, too-short try), a
// reviewer tags, answers and closes it, and the patient reads the reply with the receipt code.
func TestOpinionLifecycle(t *testing.T) {
	start := time.Now()
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	phone := newTab(t, browser, h, true)

	step(t, "1. open the poster link: the unit and department are filled in")
	posterURL := h.URL + "/submit?" + url.Values{"unit": {"county-hospital"}, "dept": {"内科病房"}}.Encode()
	wantStatus(t, "GET /submit", navigate(t, phone, posterURL), 200)
	if got := valueOf(t, phone, "#unit"); got != "county-hospital" {
		t.Fatalf("unit select = %q, want county-hospital (from ?unit=)", got)
	}
	if got := valueOf(t, phone, "#dept"); got != "内科病房" {
		t.Fatalf("dept input = %q, want 内科病房 (from ?dept=)", got)
	}
	saveScreenshot(t, phone, "submit-form-360.png")

	step(t, "2. a too-short first try comes back with the error and with nothing lost")
	firstCaptcha := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "fill the too-short form",
		chromedp.Click(chromedp.CSS(`input[name=type][value=complaint]`)),
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=family]`)),
		chromedp.SetValue(chromedp.CSS("#content"), "太短"),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, firstCaptcha)),
	)
	wantStatus(t, "POST /submit with short content", clickAndLoad(t, phone, `form.opinion button[type=submit]`), 422)
	wantContains(t, "field error under #content", textOf(t, phone, "#content ~ .field-error"), "内容太短了")
	wantContains(t, "form message", textOf(t, phone, ".notice.error"), "您写的内容都还在")
	if got := valueOf(t, phone, "#content"); got != "太短" {
		t.Fatalf("textarea after the failed submit = %q, want the text typed (太短)", got)
	}
	if got := attrOf(t, phone, "#content", "aria-invalid"); got != "true" {
		t.Fatalf("#content aria-invalid = %q, want true", got)
	}
	// The other answers survive too: unit, department and both radio buttons.
	if got := valueOf(t, phone, "#unit"); got != "county-hospital" {
		t.Fatalf("unit after the failed submit = %q, want county-hospital", got)
	}
	if got := valueOf(t, phone, "#dept"); got != "内科病房" {
		t.Fatalf("dept after the failed submit = %q, want 内科病房", got)
	}
	for _, sel := range []string{`input[name=type][value=complaint]`, `input[name=submitter][value=family]`} {
		if !hasAttr(t, phone, sel, "checked") {
			t.Fatalf("%s lost its choice after the failed submit", sel)
		}
	}
	if got := valueOf(t, phone, "#captcha_answer"); got != "" {
		t.Fatalf("captcha answer kept after the failed submit (%q); a spent captcha must be retyped", got)
	}
	secondCaptcha := attrOf(t, phone, `input[name=captcha_id]`, "value")
	if secondCaptcha == firstCaptcha {
		t.Fatalf("the form came back with the spent captcha %q; want a new one", firstCaptcha)
	}

	step(t, "3. the full opinion goes through and shows a receipt code")
	code := submitOpinion(t, phone, h, "POST /submit", "complaint", "family", opinionText)
	t.Logf("receipt code %s", code)

	step(t, "4. the reviewer logs in, tags the opinion, replies and takes it through 整改 to 满意度回访")
	desk := newTab(t, browser, h, false) // staff use an ordinary browser
	wantStatus(t, "GET /admin/login", navigate(t, desk, h.URL+"/admin/login"), 200)
	do(t, desk, "fill the login form",
		chromedp.SendKeys(chromedp.CSS("#username"), reviewerName),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, desk, `form[action="/admin/login"] button[type=submit]`), 200)
	wantContains(t, "page after login", textOf(t, desk, "h1"), "意见队列")
	link := itemLink(t, desk, "门诊收费处")
	wantContains(t, "queue excerpt", textOf(t, desk, link), scriptText) // shown as text in the queue too
	wantStatus(t, "open the item", clickAndLoad(t, desk, link), 200)
	itemURL, err := run(desk, chromedp.Location())
	if err != nil {
		t.Fatalf("read item URL: %v", err)
	}
	wantContains(t, "item content", textOf(t, desk, ".quote"), opinionText)
	wantContains(t, "initial status", textOf(t, desk, "#current-status"), "待梳理")

	styleBox := `input[name=style][value=bureaucratism]`
	do(t, desk, "tick 官僚主义", chromedp.Click(chromedp.CSS(styleBox)))
	wantStatus(t, "save styles", clickAndLoad(t, desk, `form[action$="/styles"] button[type=submit]`), 200)
	if !hasAttr(t, desk, styleBox, "checked") {
		t.Fatal("官僚主义 is not ticked on the reloaded item page")
	}
	for _, other := range []string{"formalism", "hedonism", "extravagance"} {
		if hasAttr(t, desk, `input[name=style][value=`+other+`]`, "checked") {
			t.Fatalf("style %s is ticked but was never chosen", other)
		}
	}

	do(t, desk, "type the reply", chromedp.SetValue(chromedp.CSS("#reply"), replyText))
	wantStatus(t, "save reply", clickAndLoad(t, desk, `form[action$="/reply"] button[type=submit]`), 200)
	if got := valueOf(t, desk, "#reply"); got != replyText {
		t.Fatalf("reply box after saving = %q, want %q", got, replyText)
	}
	wantContains(t, "reply panel", textOf(t, desk, `form[action$="/reply"]`), "上次答复")

	// One step at a time, through the forms of the 下一步 panel (plain <details>, no script).
	advanceStep(t, desk, "triaged", "已分类")
	advanceStep(t, desk, "assigned", "已交办",
		chromedp.SetValue(chromedp.CSS("#step-assigned select[name=lead_unit]"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=responsible]"), "门诊部主任"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned textarea[name=measures]"), "高峰时段增开两个收费窗口"),
		chromedp.SendKeys(chromedp.CSS("#step-assigned input[name=deadline_days]"), "5"),
	)
	wantContains(t, "deadline", textOf(t, desk, "#deadline"), "还剩 5 个工作日")
	advanceStep(t, desk, "rectifying", "整改中", chromedp.Click(chromedp.CSS(`#step-rectifying input[name=kind][value=immediate]`)))
	advanceStep(t, desk, "reported", "已整改待核验",
		chromedp.SendKeys(chromedp.CSS("#step-reported textarea[name=report]"), "已增开两个收费窗口，排队不超过二十分钟"))
	advanceStep(t, desk, "lookback", "回头看")
	advanceStep(t, desk, "satisfaction", "满意度回访")
	saveScreenshot(t, desk, "item-page.png")
	audit := textOf(t, desk, ".audit")
	for _, want := range []string{"标注四风", "答复", "更改状态", reviewerName} {
		wantContains(t, "audit log", audit, want)
	}

	step(t, "5. the item is in the queue filtered by 官僚主义")
	wantStatus(t, "GET /admin/queue?style=bureaucratism", navigate(t, desk, h.URL+"/admin/queue?style=bureaucratism"), 200)
	link = itemLink(t, desk, "门诊收费处")
	if href := attrOf(t, desk, link, "href"); !strings.HasSuffix(itemURL, href) {
		t.Fatalf("queue links to %s, want the item at %s", href, itemURL)
	}
	row := textOf(t, desk, "table.queue tbody tr")
	wantContains(t, "queue row", row, "官僚主义")
	wantContains(t, "queue row", row, "满意度回访")

	step(t, "6. the submitter reads the reply with the receipt code and rates the result (JavaScript off)")
	reader := newTab(t, browser, h, true)
	wantStatus(t, "GET /track", navigate(t, reader, h.URL+"/track"), 200)
	do(t, reader, "type the receipt code", chromedp.SendKeys(chromedp.CSS("#code"), code))
	wantStatus(t, "POST /track", clickAndLoad(t, reader, `form[action="/track"] button[type=submit]`), 200)
	page := textOf(t, reader, "main")
	wantContains(t, "track page", page, "已整改完毕，请您评价是否满意")
	wantContains(t, "track page", page, "立行立改")
	wantContains(t, "track page", page, replyText)
	wantContains(t, "track page", page, "内科病房")
	// The markup in the opinion is shown literally, i.e. it was escaped, not parsed.
	wantContains(t, "track page", textOf(t, reader, "body"), scriptText)
	quote, err := run(reader, chromedp.InnerHTML(chromedp.CSS(".tracked .quote")))
	if err != nil {
		t.Fatalf("read the quoted opinion's HTML: %v", err)
	}
	wantContains(t, "quoted opinion HTML", quote, "&lt;script&gt;alert(1)&lt;/script&gt;")

	step(t, "7. screenshots for people")
	saveScreenshot(t, reader, "track-reply-360.png")

	do(t, reader, "choose 满意", chromedp.Click(chromedp.CSS(`input[name=rating][value=satisfied]`)))
	wantStatus(t, "POST /track/rate", clickAndLoad(t, reader, `form[action="/track/rate"] button[type=submit]`), 200)
	wantContains(t, "after rating", textOf(t, reader, "main"), "谢谢您的评价")
	wantContains(t, "after rating", textOf(t, reader, "main"), "您的评价：满意")

	step(t, "8. the reviewer strikes it off (销号) and the submitter sees it finished")
	wantStatus(t, "reload the item", navigate(t, desk, itemURL), 200)
	advanceStep(t, desk, "closed", "已销号")
	wantStatus(t, "GET /track", navigate(t, reader, h.URL+"/track"), 200)
	do(t, reader, "type the receipt code again", chromedp.SendKeys(chromedp.CSS("#code"), code))
	wantStatus(t, "POST /track", clickAndLoad(t, reader, `form[action="/track"] button[type=submit]`), 200)
	wantContains(t, "track page after 销号", textOf(t, reader, "#public-status"), "已办结")

	t.Logf("lifecycle took %s", time.Since(start).Round(time.Millisecond))
}

// TestTrackUnknownCode shows that a well-formed but unknown receipt code gets the Chinese
// explanation and keeps what the person typed, so they can correct one character.
func TestTrackUnknownCode(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	phone := newTab(t, browser, h, true)

	typed := receipt.New() // well-formed, never issued
	wantStatus(t, "GET /track", navigate(t, phone, h.URL+"/track"), 200)
	do(t, phone, "type an unknown code", chromedp.SendKeys(chromedp.CSS("#code"), typed))
	wantStatus(t, "POST /track", clickAndLoad(t, phone, `form[action="/track"] button[type=submit]`), 404)
	wantContains(t, "error under #code", textOf(t, phone, "#code ~ .field-error"), "没有找到这个查询码")
	if got := valueOf(t, phone, "#code"); got != typed {
		t.Fatalf("#code after the failed lookup = %q, want the typed %q", got, typed)
	}
	if got := attrOf(t, phone, "#code", "aria-invalid"); got != "true" {
		t.Fatalf("#code aria-invalid = %q, want true", got)
	}
}

// itemLink returns a selector for the queue link whose text contains needle.
func itemLink(t *testing.T, ctx context.Context, needle string) string {
	t.Helper()
	nodes, err := run(ctx, chromedp.Nodes(chromedp.CSSAll("a.item-link")))
	if err != nil {
		t.Fatalf("find queue links: %v", err)
	}
	for _, n := range nodes {
		text, err := run(ctx, chromedp.Text(chromedp.NodeIDs{n.NodeID}))
		if err != nil {
			t.Fatalf("read queue link text: %v", err)
		}
		if strings.Contains(text, needle) {
			return `a.item-link[href="` + n.AttributeValue("href") + `"]`
		}
	}
	t.Fatalf("no queue link contains %q (%d links)", needle, len(nodes))
	return ""
}
