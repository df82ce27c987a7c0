package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"minsheng/qrimg/qrtest"
	"minsheng/storage"
	"minsheng/vocab"
)

// loginDesk opens a desk tab of A4 size (at twice the pixels, so that a screenshot reads small
// QR codes) and logs in as username.
func loginDesk(t *testing.T, browser context.Context, h *harness, username, password string) context.Context {
	t.Helper()
	desk := newTab(t, browser, h, false)
	do(t, desk, "A4-sized viewport", chromedp.EmulateViewport(a4Width, a4Height, chromedp.EmulateScale(2)))
	wantStatus(t, "GET /admin/login", navigate(t, desk, h.URL+"/admin/login"), 200)
	do(t, desk, "fill the login form",
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, desk, `form[action="/admin/login"] button[type=submit]`), 200)
	return desk
}

// pdfMediaBoxRe reads a page's size in points from the PDF.
var pdfMediaBoxRe = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// TestPaperFormPrintsOnOnePage prints a site's paper opinion form (征求意见表) as the office
// would: it prints on exactly one A4 page without the staff menu, every field of the web form
// is on it with ruled lines for the text, and its QR code, read back from the print rendering
// by an independent decoder, holds the site's short URL (the poster's). The button above it
// opens transcription with the channel and the site chosen.
func TestPaperFormPrintsOnOnePage(t *testing.T) {
	browser := newBrowser(t)
	const public = "https://minsheng.example.gov.cn"
	h := newHarness(t, withPublicURL(public))
	site, err := h.Store.AddSite(context.Background(), storage.NewSite{Name: "住院部护士站意见箱", Building: "住院楼", Floor: "3F",
		UnitCode: "county-hospital", Dept: "内科"})
	if err != nil {
		t.Fatalf("add site: %v", err)
	}
	want := public + "/q/" + site.Code

	step(t, "1. a reviewer opens the paper forms and the site's form")
	desk := loginDesk(t, browser, h, reviewerName, reviewerPassword)
	wantStatus(t, "open the paper forms", clickAndLoad(t, desk, `nav.staff a[href="/admin/paper"]`), 200)
	wantStatus(t, "open the site's form", clickAndLoad(t, desk, `#paper-sites a[href="/admin/paper/site/`+site.Code+`"]`), 200)
	form := textOf(t, desk, "#paperform")
	for _, line := range []string{"征求意见表", "县人民医院 · 内科", "住院部护士站意见箱", "不用写姓名", "意见类型：", "我是：",
		"涉及科室（可不填）：", "您的意见或建议：", "联系方式（可不填）：", "填好后怎么交", "举报请勾选“举报”", want} {
		wantContains(t, "paper form", form, line)
	}
	for _, term := range append(append([]vocab.Term(nil), vocab.Types...), vocab.Submitters...) {
		wantContains(t, "paper form's choices", form, term.Label)
	}
	lines, err := run(desk, chromedp.Evaluate[int](`document.querySelectorAll("#paperform .paper-line").length`))
	if err != nil || lines < 8 {
		t.Errorf("%d ruled lines for the text (%v), want at least 8", lines, err)
	}

	step(t, "2. printed: no staff menu, everything inside the sheet, one A4 page")
	emulatePrint(t, desk)
	for _, sel := range []string{"header.site", "footer.site", ".paper-tools"} {
		display, err := run(desk, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("`+sel+`")).display`))
		if err != nil {
			t.Fatalf("read the display of %s: %s", sel, errContext(err))
		}
		if display != "none" {
			t.Errorf("%s is printed (display %q); the form must print alone", sel, display)
		}
	}
	inside, err := run(desk, chromedp.Evaluate[bool](`(() => { const f = document.querySelector("#paperform").getBoundingClientRect();
		return [...document.querySelectorAll("#paperform > *")].every(e => e.getBoundingClientRect().bottom <= f.bottom + 0.5); })()`))
	if err != nil {
		t.Fatalf("measure the form: %s", errContext(err))
	}
	if !inside {
		t.Error("part of the form falls outside the A4 sheet: its content is too tall")
	}
	pdf := printPDF(t, desk)
	if n := pdfPages(pdf); n != 1 {
		t.Errorf("the form prints on %d pages, want 1", n)
	}
	if m := pdfMediaBoxRe.FindSubmatch(pdf); m == nil {
		t.Error("no page size in the PDF")
	} else if w, _ := strconv.ParseFloat(string(m[1]), 64); w < 593 || w > 598 {
		t.Errorf("page width %s pt, want A4's 595", m[1])
	} else if ht, _ := strconv.ParseFloat(string(m[2]), 64); ht < 839 || ht > 845 {
		t.Errorf("page height %s pt, want A4's 842", m[2])
	}

	step(t, "3. the QR code of the printed form holds the site's short URL")
	printed, err := run(desk, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot in print media: %s", errContext(err))
	}
	keepScreenshot(t, "paper-form-print.png", printed)
	if got := qrtest.DecodePNG(t, printed); got != want {
		t.Fatalf("QR code on the printed form holds %q, want %q", got, want)
	}

	step(t, "4. the slips that come back: transcription opens with the channel and the site chosen")
	emulateScreen(t, desk)
	wantStatus(t, "open transcription", clickAndLoad(t, desk, "#paper-transcribe"), 200)
	if got := valueOf(t, desk, "#site"); got != "住院部护士站意见箱" {
		t.Errorf("site field = %q, want the site's name", got)
	}
	if got := valueOf(t, desk, "#unit"); got != "county-hospital" {
		t.Errorf("unit = %q, want county-hospital", got)
	}
	wantChannel := "box"
	if vocab.Transcribed("paper") {
		wantChannel = "paper"
	}
	if got := valueOf(t, desk, "#channel"); got != wantChannel {
		t.Errorf("channel = %q, want %q", got, wantChannel)
	}
}

// emulateScreen makes tab render its pages for the screen again.
func emulateScreen(t *testing.T, tab context.Context) {
	t.Helper()
	do(t, tab, "emulate screen media", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}))
}

// TestDirectoryOnPhone: an administrator fills in the channel directory; a patient follows
// the home page's link to it on a 360 px phone with JavaScript off, reads the numbers as links
// a phone dials, the box sites and a unit's commitments; the page does not scroll sideways,
// asks nothing of another site, and axe finds nothing.
func TestDirectoryOnPhone(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.Store.CreateUser(ctx, 0, adminName, adminPassword, storage.RoleAdmin); err != nil {
		t.Fatalf("create administrator: %v", err)
	}
	if _, err := h.Store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F", UnitCode: "county-hospital"}); err != nil {
		t.Fatalf("add site: %v", err)
	}

	step(t, "1. the administrator writes the numbers and a unit's commitments")
	desk := loginDesk(t, browser, h, adminName, adminPassword)
	wantStatus(t, "open the directory", clickAndLoad(t, desk, `nav.staff a[href="/admin/qudao"]`), 200)
	do(t, desk, "fill the numbers",
		chromedp.SendKeys(chromedp.CSS("#complaint_phone"), "0816-1234567"),
		chromedp.SendKeys(chromedp.CSS("#report_phone"), "0816-7654321"),
		chromedp.SendKeys(chromedp.CSS("#supervision_phone"), "12320"),
		chromedp.SendKeys(chromedp.CSS("#email"), "xinxiang@example.gov.cn"),
	)
	wantStatus(t, "save the numbers", clickAndLoad(t, desk, "#contacts-save"), 200)
	wantContains(t, "saved", textOf(t, desk, "#directory-saved"), "已保存")
	do(t, desk, "fill the county hospital's entry",
		chromedp.SendKeys(chromedp.CSS("#liaison_post-county-hospital"), "院办公室主任"),
		chromedp.SetValue(chromedp.CSS("#commitments-county-hospital"), "首诊负责制：首位接诊医生负责到底。\n限时办结：投诉5个工作日内答复。"),
	)
	wantStatus(t, "save the unit", clickAndLoad(t, desk, `#unit-county-hospital button[type=submit]`), 200)

	step(t, "2. a patient's phone follows the home page's link")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /", navigate(t, phone, h.URL+"/"), 200)
	wantStatus(t, "follow the link", clickAndLoad(t, phone, `#home-directory a[href="/qudao"]`), 200)
	page := textOf(t, phone, "main")
	for _, line := range []string{"投诉电话", "0816-1234567", "举报电话", "监督电话", "12320", "xinxiang@example.gov.cn",
		"门诊大厅意见箱", "门诊楼 · 1F", "院办公室主任", "首诊负责制：首位接诊医生负责到底。", "限时办结：投诉5个工作日内答复。"} {
		wantContains(t, "directory", page, line)
	}
	if href := attrOf(t, phone, `#directory-phones a[href^="tel:"]`, "href"); href != "tel:08161234567" {
		t.Errorf("complaint number link = %q, want tel:08161234567", href)
	}
	saveScreenshot(t, phone, "directory-360.png")
	wide, err := run(phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("measure: %s", errContext(err))
	}
	if wide > phoneWidth {
		t.Errorf("the page is %d px wide in a %d px window: it scrolls sideways", wide, phoneWidth)
	}
	foreign, err := run(phone, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name)
		.filter(n => new URL(n).origin !== location.origin)`))
	if err != nil {
		t.Fatalf("list requests: %s", errContext(err))
	}
	if len(foreign) > 0 {
		t.Errorf("the page asked other sites for %v", foreign)
	}
	checkAxe(t, phone, true, "/qudao at 360 px")
}

// TestSymposiumBatchInBrowser: a reviewer records a meeting and the three opinions raised at it
// in one form; the meeting's page lists the three with their statuses and codes, and each is
// in the queue, filtered by the channel 座谈会.
func TestSymposiumBatchInBrowser(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	desk := loginDesk(t, browser, h, reviewerName, reviewerPassword)

	step(t, "1. the reviewer opens the meetings and records one")
	wantStatus(t, "open the meetings", clickAndLoad(t, desk, `nav.staff a[href="/admin/symposia"]`), 200)
	wantStatus(t, "record a meeting", clickAndLoad(t, desk, "#symposium-new"), 200)
	opinions := []string{"夜班护士人手不够，病人按铃要等很久。", "建议门诊增加自助缴费机，排队太长。", "食堂饭菜太贵，品种也少，希望改进。"}
	do(t, desk, "fill the meeting",
		chromedp.SetValue(chromedp.CSS("#unit"), "county-hospital"),
		chromedp.SendKeys(chromedp.CSS("#host"), "分管副院长"),
		chromedp.Click(chromedp.CSS(`#categories input[value="staff"]`)),
		chromedp.Click(chromedp.CSS(`#categories input[value="patient"]`)),
		chromedp.SendKeys(chromedp.CSS("#participants"), "15"),
	)
	for i, text := range opinions {
		n := strconv.Itoa(i + 1)
		do(t, desk, "fill opinion "+n,
			chromedp.SendKeys(chromedp.CSS("#content_"+n), text),
			chromedp.SetValue(chromedp.CSS("#type_"+n), "suggestion"),
			chromedp.SendKeys(chromedp.CSS("#dept_"+n), "内科"),
		)
	}
	wantStatus(t, "save the meeting", clickAndLoad(t, desk, "#symposium-save"), 200)

	step(t, "2. the meeting's page lists the three, in order, with their codes")
	wantContains(t, "saved", textOf(t, desk, "#symposium-saved"), "已保存：会议和 3 条意见")
	table := textOf(t, desk, "#symposium-opinions")
	last := -1
	for _, text := range opinions {
		i := strings.Index(table, text)
		if i < 0 || i < last {
			t.Errorf("the meeting's page lists %q out of order or not at all:\n%s", text, table)
		}
		last = i
	}
	wantContains(t, "statuses", table, "待梳理")
	codes, err := run(desk, chromedp.Evaluate[int](`document.querySelectorAll(".symposium-codes code").length`))
	if err != nil || codes != 3 {
		t.Errorf("%d receipt codes shown (%v), want 3", codes, err)
	}
	href := attrOf(t, desk, "#symposium-opinions a", "href")

	step(t, "3. in the queue, under the channel 座谈会")
	wantStatus(t, "open the queue", navigate(t, desk, h.URL+"/admin/queue?channel=forum"), 200)
	queue := textOf(t, desk, "main")
	for _, text := range opinions {
		wantContains(t, "queue", queue, string([]rune(text)[:8]))
	}
	wantStatus(t, "open the first opinion", navigate(t, desk, h.URL+href), 200)
	wantContains(t, "the opinion", textOf(t, desk, "main"), opinions[0])
	wantStatus(t, "back to its meeting", clickAndLoad(t, desk, "#item-symposium"), 200)
	wantContains(t, "the meeting", textOf(t, desk, "#symposium-facts"), "分管副院长")
}
