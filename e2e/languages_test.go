package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/locale"
)

// TestSubmitAndTrackInEachLanguage is a patient who reads English, then one who reads
// Traditional Chinese, on a phone with JavaScript off: from the home page in their language
// they write an opinion (solving the real captcha), are sent on to the receipt in their
// language (the 303 stays under their prefix), and read its status with the code on the track
// page. Every page says it is in their language (html lang), shows the layout's words from
// their catalog and no sentence of the Simplified Chinese catalog; no link, form or redirect
// drops them back into the default language.
func TestSubmitAndTrackInEachLanguage(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	tests := []struct {
		lang, content string
	}{
		{locale.En, "The queue at the payment window took two hours and only one window was open. Please open more at busy times."},
		{locale.ZhHant, "門診收費處排隊兩個小時，只開了一個窗口，希望高峰時段多開幾個窗口。"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			leftovers, err := testkit.LeftoverPhrases(tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			p := locale.Get(tt.lang)
			prefix := "/" + tt.lang
			phone := newTab(t, browser, h, true) // proves JavaScript is off
			here := func(where string) {
				t.Helper()
				checkPageLanguage(t, phone, p, leftovers, where)
			}

			step(t, "1. the home page in %s", tt.lang)
			wantStatus(t, "GET "+prefix+"/", navigate(t, phone, h.URL+prefix+"/"), 200)
			here("home")

			step(t, "2. the form, from the header's link, then from a poster's link with its unit")
			wantStatus(t, "follow the header's link to the form",
				clickAndLoad(t, phone, `header.site nav a[href="`+prefix+`/submit"]`), 200)
			here("submit form")
			wantStatus(t, "GET "+prefix+"/submit?unit=county-hospital",
				navigate(t, phone, h.URL+prefix+"/submit?unit=county-hospital"), 200)
			here("submit form from a poster")
			if got := attrOf(t, phone, "form.opinion", "action"); got != prefix+"/submit" {
				t.Fatalf("the form posts to %q, want %q: the answer would come in another language", got, prefix+"/submit")
			}

			step(t, "3. the opinion goes through; the receipt is in %s", tt.lang)
			code := submitOpinion(t, phone, h, "POST "+prefix+"/submit", "complaint", "patient", tt.content)
			if got := locationOf(t, phone); got != h.URL+prefix+"/submit/done" {
				t.Fatalf("after the form the browser is at %s, want %s (the 303 keeps the language)", got, h.URL+prefix+"/submit/done")
			}
			here("receipt")
			wantContains(t, "receipt page", textOf(t, phone, "main"), code)

			step(t, "4. the header's link to the track page, and the code typed in")
			wantStatus(t, "follow the header's link to the track page",
				clickAndLoad(t, phone, `header.site nav a[href="`+prefix+`/track"]`), 200)
			here("track form")
			if got := attrOf(t, phone, "form:has(#code)", "action"); got != prefix+"/track" {
				t.Fatalf("the track form posts to %q, want %q", got, prefix+"/track")
			}
			do(t, phone, "type the receipt code", chromedp.SendKeys(chromedp.CSS("#code"), code))
			wantStatus(t, "POST "+prefix+"/track", clickAndLoad(t, phone, `form:has(#code) button[type=submit]`), 200)
			if got := locationOf(t, phone); got != h.URL+prefix+"/track" {
				t.Fatalf("the tracked opinion is shown at %s, want %s", got, h.URL+prefix+"/track")
			}
			here("tracked opinion")
			if got, want := strings.TrimSpace(textOf(t, phone, "#public-status")), lifecycle.PublicLabelIn(p, lifecycle.Received); got != want {
				t.Errorf("the status reads %q, want %q", got, want)
			}
			wantContains(t, "tracked opinion", textOf(t, phone, "main"), tt.content)
			saveScreenshot(t, phone, "track-"+tt.lang+"-360.png")
		})
	}
}

// checkPageLanguage fails unless the page in tab is wholly in p's language: html lang and dir,
// the layout's privacy note and menu from p's catalog, the language switch marking p's
// language as the current one, and none of leftovers (the zh-CN catalog's phrases p's
// language does not write) anywhere in the text.
func checkPageLanguage(t *testing.T, tab context.Context, p *locale.Printer, leftovers []string, where string) {
	t.Helper()
	if lang, dir := attrOf(t, tab, "html", "lang"), attrOf(t, tab, "html", "dir"); lang != p.Lang() || dir != p.Dir() {
		t.Errorf("%s: <html lang=%q dir=%q>, want lang=%q dir=%q", where, lang, dir, p.Lang(), p.Dir())
	}
	if footer := textOf(t, tab, "footer.site"); !strings.Contains(footer, p.T("layout.privacy")) {
		t.Errorf("%s: the footer lacks %q: %q", where, p.T("layout.privacy"), footer)
	}
	menu := textOf(t, tab, "header.site nav")
	for _, key := range []string{"nav.submit", "nav.track", "nav.gongshi"} {
		if !strings.Contains(menu, p.T(key)) {
			t.Errorf("%s: the menu lacks %q: %q", where, p.T(key), menu)
		}
	}
	if got := strings.TrimSpace(textOf(t, tab, `nav.languages [aria-current]`)); got != p.Name() {
		t.Errorf("%s: the language switch marks %q as the current language, want %q", where, got, p.Name())
	}
	if found := testkit.FindLeftovers(leftovers, textOf(t, tab, "body")); len(found) > 0 {
		t.Errorf("%s: in %s, the page still shows zh-CN text: %q", where, p.Lang(), found)
	}
}

// locationOf is the address of the page in tab.
func locationOf(t *testing.T, tab context.Context) string {
	t.Helper()
	u, err := run(tab, chromedp.Location())
	if err != nil {
		t.Fatalf("read the address: %s", errContext(err))
	}
	return u
}
