package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"minsheng/qrimg/qrtest"
	"minsheng/storage"
)

// Administrator credentials the poster test creates.
const (
	adminName     = "admin1"
	adminPassword = "another-long-password-456"
)

// A4 at 96 CSS pixels per inch is 794 × 1123; the window leaves room for the staff header.
const (
	a4Width  = 900
	a4Height = 1300
)

// TestSitePosterScans prints a site's poster the way an administrator would see it, reads its QR
// code back from a screenshot with an independent decoder, and follows it as a patient's phone
// would: the code must lead to the form with the site's unit and department filled in. The
// poster must also print on exactly one A4 page without the staff menu.
func TestSitePosterScans(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	// The poster prints the public address (-public-url); the test server's own loopback
	// address would get a warning instead of a QR code (see TestPosterOnLocalAddress in handlers).
	const public = "https://minsheng.example.gov.cn"
	h := newHarness(t, withPublicURL(public))
	ctx := context.Background()
	if _, err := h.Store.CreateUser(ctx, 0, adminName, adminPassword, storage.RoleAdmin); err != nil {
		t.Fatalf("create administrator: %v", err)
	}
	site, err := h.Store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "tcm-hospital", Dept: "针灸科"})
	if err != nil {
		t.Fatalf("add site: %v", err)
	}
	want := public + "/q/" + site.Code

	step(t, "1. the administrator logs in and opens the site's poster at A4 size")
	desk := newTab(t, browser, h, false)
	do(t, desk, "A4-sized viewport", chromedp.EmulateViewport(a4Width, a4Height))
	wantStatus(t, "GET /admin/login", navigate(t, desk, h.URL+"/admin/login"), 200)
	do(t, desk, "fill the login form",
		chromedp.SendKeys(chromedp.CSS("#username"), adminName),
		chromedp.SendKeys(chromedp.CSS("#password"), adminPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, desk, `form[action="/admin/login"] button[type=submit]`), 200)
	wantContains(t, "staff menu", textOf(t, desk, "nav.staff"), "意见箱")
	wantStatus(t, "open the sites list", clickAndLoad(t, desk, `nav.staff a[href="/admin/sites"]`), 200)
	wantStatus(t, "open the poster", clickAndLoad(t, desk, `#site-`+site.Code+` a[href$="/poster"]`), 200)
	wantContains(t, "short URL under the QR code", textOf(t, desk, "#poster-url"), want)
	poster := textOf(t, desk, "#poster")
	for _, line := range []string{"扫码留言", "不用留姓名，不记录手机和网络信息。", "提交后会给您一个查询码，凭码查看答复。",
		"请选择“举报”，只有纪检监察人员能看到。", "县中医院 · 针灸科"} {
		wantContains(t, "poster text", poster, line)
	}

	step(t, "2. the QR code read back from a screenshot holds the short URL")
	shot, err := run(desk, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %s", errContext(err))
	}
	keepScreenshot(t, "site-poster.png", shot)
	if got := qrtest.DecodePNG(t, shot); got != want {
		t.Fatalf("QR code in the screenshot holds %q, want %q", got, want)
	}

	step(t, "3. printed: no staff menu, the QR code still readable, exactly one A4 page")
	emulatePrint(t, desk)
	for _, sel := range []string{"header.site", "footer.site", ".poster-tools"} {
		display, err := run(desk, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("`+sel+`")).display`))
		if err != nil {
			t.Fatalf("read the display of %s: %s", sel, errContext(err))
		}
		if display != "none" {
			t.Errorf("%s is printed (display %q); the poster must print alone", sel, display)
		}
	}
	// The poster hides what overflows it, so check that its last line is inside it.
	inside, err := run(desk, chromedp.Evaluate[bool](`document.querySelector(".poster-foot").getBoundingClientRect().bottom <= `+
		`document.querySelector("#poster").getBoundingClientRect().bottom`))
	if err != nil {
		t.Fatalf("measure the poster: %s", errContext(err))
	}
	if !inside {
		t.Error("the poster's last line falls outside the A4 sheet: its content is too tall")
	}
	printed, err := run(desk, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot in print media: %s", errContext(err))
	}
	keepScreenshot(t, "site-poster-print.png", printed)
	if got := qrtest.DecodePNG(t, printed); got != want {
		t.Fatalf("QR code in the print-media screenshot holds %q, want %q", got, want)
	}
	if n := pdfPages(printPDF(t, desk)); n != 1 {
		t.Errorf("the poster prints on %d pages, want 1", n)
	}

	step(t, "4. a phone follows the code: the form has the site's unit and department")
	phone := newTab(t, browser, h, true)
	// The public name does not resolve here: the phone goes to the same path on the test server.
	wantStatus(t, "follow the QR code", navigate(t, phone, h.URL+strings.TrimPrefix(want, public)), 200)
	if got := valueOf(t, phone, "#unit"); got != "tcm-hospital" {
		t.Fatalf("unit select = %q, want tcm-hospital (the site's unit)", got)
	}
	if got := valueOf(t, phone, "#dept"); got != "针灸科" {
		t.Fatalf("dept input = %q, want 针灸科 (the site's department)", got)
	}
	wantContains(t, "the form names the place", textOf(t, phone, "main"), "门诊大厅意见箱")
	loc, err := run(phone, chromedp.Location())
	if err != nil {
		t.Fatalf("read the form's URL: %v", err)
	}
	wantContains(t, "the form's URL", loc, "/submit?site="+site.Code)
}

// emulatePrint makes tab render its pages as they print (CSS media "print").
func emulatePrint(t *testing.T, tab context.Context) {
	t.Helper()
	do(t, tab, "emulate print media", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
}

// printPDF prints the page in tab as Chromium's print dialog would, with the page size the
// page's CSS asks for.
func printPDF(t *testing.T, tab context.Context) []byte {
	t.Helper()
	pdf, err := run(tab, chromedp.Action[[]byte](func(ctx context.Context, tgt *chromedp.Target) ([]byte, error) {
		prefer := true
		r, err := cdp.Call(ctx, tgt, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
		return r.Data, err
	}))
	if err != nil {
		t.Fatalf("print to PDF: %s", errContext(err))
	}
	return pdf
}

// pdfPageRe matches a page object (not the /Pages tree) in an uncompressed PDF object table.
var pdfPageRe = regexp.MustCompile(`/Type\s*/Page\b`)

func pdfPages(pdf []byte) int { return len(pdfPageRe.FindAll(pdf, -1)) }
