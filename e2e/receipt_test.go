package e2e

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"minsheng/receipt"
	"minsheng/storage"
)

// codeLayout is how the receipt code lies on the page, measured by the browser.
type codeLayout struct {
	Lines        int     `json:"lines"`        // distinct rows its text boxes sit on
	Height       float64 `json:"height"`       // the content box, padding excluded
	LineHeight   float64 `json:"lineHeight"`   // one line of its font
	ScrollWidth  float64 `json:"scrollWidth"`  // its content's width…
	ClientWidth  float64 `json:"clientWidth"`  // …and its box's
	PageWidth    float64 `json:"pageWidth"`    // the document's, against the viewport's:
	ViewportWide float64 `json:"viewportWide"` // no sideways scrolling
}

const codeLayoutJS = `(() => {
	const el = document.getElementById('receipt-code');
	const cs = getComputedStyle(el);
	const range = document.createRange();
	range.selectNodeContents(el);
	const rows = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
	return {lines: rows.size,
		height: el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom),
		lineHeight: parseFloat(cs.lineHeight), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
		pageWidth: document.documentElement.scrollWidth, viewportWide: window.innerWidth};
})()`

// TestReceiptSurvivesBackAndReload: on a 360 px phone with JavaScript off, the receipt page
// after a submission comes back on Back (from /track) and on a reload, with the same code and no
// "Confirm Form Resubmission"; the code is in no URL the browser visited, its cookie is a
// session cookie that does not hold it, and the code sits on one line without sideways scroll.
func TestReceiptSurvivesBackAndReload(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	phone := newTab(t, browser, h, true)
	var mu sync.Mutex
	var visited []string // every URL the tab asked for, redirects included
	err := chromedp.Listen(phone, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			visited = append(visited, e.Request.URL+e.Request.URLFragment)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %s", errContext(err))
	}

	step(t, "1. submit an opinion: the receipt page shows the code")
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit?unit=county-hospital"), 200)
	code := submitOpinion(t, phone, h, "POST /submit", "complaint", "patient", "门诊收费处只开一个窗口，排队一个多小时，希望高峰时多开窗口。")
	receiptURL := location(t, phone)
	if receiptURL != h.URL+"/submit/done" {
		t.Fatalf("the receipt is shown at %s, want %s/submit/done", receiptURL, h.URL)
	}
	saveScreenshot(t, phone, "receipt-360.png")

	step(t, "2. the code sits on one line at 360 px, and the page does not scroll sideways")
	layout, err := run(phone, chromedp.Evaluate[codeLayout](codeLayoutJS))
	if err != nil {
		t.Fatalf("measure the receipt code: %s", errContext(err))
	}
	t.Logf("receipt code layout: %+v", layout)
	if layout.ViewportWide != phoneWidth {
		t.Fatalf("viewport is %v px wide, want %d", layout.ViewportWide, phoneWidth)
	}
	if layout.Lines != 1 || layout.Height > 1.5*layout.LineHeight {
		t.Errorf("the code takes %d lines (%.0f px high, one line is %.0f px), want one", layout.Lines, layout.Height, layout.LineHeight)
	}
	if layout.ScrollWidth > layout.ClientWidth || layout.PageWidth > layout.ViewportWide {
		t.Errorf("the code overflows: %.0f px in a %.0f px box, page %.0f px in a %.0f px viewport",
			layout.ScrollWidth, layout.ClientWidth, layout.PageWidth, layout.ViewportWide)
	}

	step(t, "3. on to /track, then Back: the same code, no resubmission")
	wantStatus(t, "GET /track", clickAndLoad(t, phone, `a[href="/track"]`), 200)
	goBack(t, phone, receiptURL)
	wantReceiptPage(t, phone, h, "after Back", receiptURL, code)

	step(t, "4. reload: the same code, no resubmission")
	do(t, phone, "reload", chromedp.Reload())
	wantReceiptPage(t, phone, h, "after reload", receiptURL, code)

	step(t, "5. the code never entered a URL, and its cookie is a session cookie that does not hold it")
	history, err := run(phone, chromedp.Action[page.GetNavigationHistoryResult](
		func(ctx context.Context, tgt *chromedp.Target) (page.GetNavigationHistoryResult, error) {
			return cdp.Call(ctx, tgt, page.GetNavigationHistory, cdp.Empty{})
		}))
	if err != nil {
		t.Fatalf("read the tab's history: %s", errContext(err))
	}
	mu.Lock()
	urls := append([]string(nil), visited...)
	mu.Unlock()
	for _, e := range history.Entries {
		urls = append(urls, e.URL, e.UserTypedURL)
	}
	norm, _ := receipt.Parse(code)
	for _, u := range urls {
		for _, f := range []string{code, norm, strings.ToLower(code), strings.ToLower(norm)} {
			if strings.Contains(u, f) {
				t.Errorf("the receipt %q is in a URL the browser visited: %s", f, u)
			}
		}
	}
	if len(urls) < 5 {
		t.Fatalf("only %d URLs recorded; the listener missed the visit", len(urls))
	}
	cookies, err := run(phone, chromedp.Action[network.GetCookiesResult](
		func(ctx context.Context, tgt *chromedp.Target) (network.GetCookiesResult, error) {
			return cdp.Call(ctx, tgt, network.GetCookies, network.GetCookiesParams{URLs: []string{receiptURL}})
		}))
	if err != nil {
		t.Fatalf("read cookies: %s", errContext(err))
	}
	found := false
	for _, c := range cookies.Cookies {
		if !c.Session {
			t.Errorf("cookie %s lasts beyond the browser session (expires %v)", c.Name, c.Expires)
		}
		if strings.Contains(c.Value, norm) || strings.Contains(c.Value, code) {
			t.Errorf("cookie %s holds the receipt", c.Name)
		}
		found = found || c.Name == "ms_receipt"
	}
	if !found {
		t.Error("no ms_receipt cookie: what brought the code back?")
	}

	step(t, "6. 我已记下，清除查询码 (a borrowed phone): Back no longer shows the code")
	wantStatus(t, "clear the code", clickAndLoad(t, phone, `form[action="/submit/done/forget"] button[type=submit]`), 200)
	goBack(t, phone, receiptURL)
	if got := shown(phone); got.Code != "" || !strings.Contains(textOf(t, phone, "h1"), "查询码已不再显示") {
		t.Fatalf("after clearing, Back shows code %q", got.Code)
	}
}

// wantReceiptPage checks that the tab shows the receipt page with code, not an error page or a
// form sent again.
func wantReceiptPage(t *testing.T, tab context.Context, h *harness, when, wantURL, code string) {
	t.Helper()
	if got := shown(tab); got.URL != wantURL || got.Code != code {
		t.Fatalf("%s: the tab is at %s showing code %q, want %s showing %q", when, got.URL, got.Code, wantURL, code)
	}
	page, err := h.Store.ListOpinions(context.Background(), storage.OpinionFilter{}, storage.Cursor{}, 10)
	if err != nil {
		t.Fatalf("%s: list opinions: %v", when, err)
	}
	if n := len(page.Opinions); n != 1 {
		t.Fatalf("%s: %d opinions stored, want 1 (was the form sent again?)", when, n)
	}
}

// goBack presses Back and waits until the tab is at want with its receipt on screen. It does
// not wait for a load event: a page restored from the back-forward cache fires none.
func goBack(t *testing.T, tab context.Context, want string) {
	t.Helper()
	do(t, tab, "go back", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		h, err := cdp.Call(ctx, tgt, page.GetNavigationHistory, cdp.Empty{})
		if err != nil {
			return err
		}
		if h.CurrentIndex < 1 {
			return errors.New("no page to go back to")
		}
		_, err = cdp.Call(ctx, tgt, page.NavigateToHistoryEntry,
			page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID})
		return err
	}))
	deadline := time.Now().Add(actionTimeout)
	for shown(tab).URL != want {
		if time.Now().After(deadline) {
			t.Fatalf("Back did not return to %s (at %s)", want, shown(tab).URL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// page is what a tab shows, read by evaluating in the page: after Back the page may come from
// the back-forward cache, where chromedp's DOM queries find no document.
type pageShown struct {
	URL   string `json:"url"`
	Ready string `json:"ready"`
	Code  string `json:"code"` // the receipt code's text, "" without one
}

func shown(tab context.Context) pageShown {
	p, _ := run(tab, chromedp.Evaluate[pageShown](`({url: location.href, ready: document.readyState,
		code: (document.getElementById('receipt-code') || {innerText: ''}).innerText.trim()})`))
	return p
}

// location is the tab's current URL.
func location(t *testing.T, tab context.Context) string {
	t.Helper()
	u, err := run(tab, chromedp.Location())
	if err != nil {
		t.Fatalf("read the tab's URL: %s", errContext(err))
	}
	return u
}
