package e2e

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
)

// box is an element's place on the page, in CSS pixels from the viewport's top left corner.
type box struct{ L, T, W, H float64 }

func (b box) right() float64 { return b.L + b.W }

// pageLayout is what the right-to-left test reads of a page: its direction, whether anything
// lies outside the phone's width, and where every element is.
type pageLayout struct {
	Lang, Dir                string
	ScrollWidth, ClientWidth float64
	Outside                  []string       // elements sticking out of the viewport, sideways
	Brand                    *box           // the portal's name in the header
	Boxes                    map[string]box // every laid-out element by its place in the tree
}

// pageLayoutJS measures the page. An element is named by its path of tag names and sibling
// positions, the same in two languages of one page, with its id or first class for people to
// read. Boxes holds the boxes that are not inline: an inline element (a link inside a sentence)
// stands where the bidirectional algorithm puts its words, and Chinese data (a unit's name, an
// opinion) rightly stays left-to-right inside a right-to-left line. The language switch differs
// between the two languages (the pseudo one is not offered), so it is left out. An element
// inside a box that clips or scrolls sideways (a wide table in its own scrolling box, the
// honeypot) may lie outside the viewport: the page itself still does not scroll.
const pageLayoutJS = `(() => {
  const cw = document.documentElement.clientWidth;
  const name = e => {
    const parts = [];
    for (; e && e !== document.body; e = e.parentElement) {
      let i = 0;
      for (let s = e; (s = s.previousElementSibling);) i++;
      parts.unshift(e.tagName.toLowerCase() + i);
    }
    return parts.join('/');
  };
  const label = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/)[0] : '');
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.clipPath !== 'none') return true;
    }
    return false;
  };
  const out = {Lang: document.documentElement.lang, Dir: document.documentElement.dir,
    ScrollWidth: document.scrollingElement.scrollWidth, ClientWidth: document.scrollingElement.clientWidth,
    Outside: [], Brand: null, Boxes: {}};
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (getComputedStyle(e).display !== 'inline' && !e.closest('nav.languages')) {
      out.Boxes[name(e) + ' ' + label(e)] = {L: r.left, T: r.top + scrollY, W: r.width, H: r.height};
    }
    if ((r.left < -0.5 || r.right > cw + 0.5) && !clipped(e)) {
      out.Outside.push(label(e) + ' from ' + Math.round(r.left) + ' to ' + Math.round(r.right));
    }
  }
  const brand = document.querySelector('header.site .brand');
  if (brand) { const r = brand.getBoundingClientRect(); out.Brand = {L: r.left, T: r.top, W: r.width, H: r.height}; }
  return out;
})()`

// mirrorTolerance is how far, in CSS pixels, an element of the right-to-left page may stand from
// the mirror image of its place on the left-to-right page: sub-pixel rounding, no more.
const mirrorTolerance = 1.5

// readLayout measures the page open in tab: first whether it fits, as it is drawn, then where
// its boxes are with kerning and ligatures off. A word drawn backwards meets other pairs of
// letters than the same word forwards ("sA" for "As"), so with kerning its width differs by a
// pixel or two; without, a word is as wide whichever way it is drawn, and the pseudo language's
// page must be the exact mirror of the English one. The rule goes in through the CSS object
// model, which the page's Content-Security-Policy (no inline style) leaves alone.
func readLayout(t *testing.T, tab context.Context, where string) pageLayout {
	t.Helper()
	fits, err := run(tab, chromedp.Evaluate[pageLayout](pageLayoutJS))
	if err != nil {
		t.Fatalf("%s: measure the page: %s", where, errContext(err))
	}
	const plainLetters = `(() => { document.styleSheets[0].insertRule(
	  "* { font-kerning: none !important; font-variant-ligatures: none !important; }"); return true; })()`
	if _, err := run(tab, chromedp.Evaluate[bool](plainLetters)); err != nil {
		t.Fatalf("%s: switch kerning off: %s", where, errContext(err))
	}
	l, err := run(tab, chromedp.Evaluate[pageLayout](pageLayoutJS))
	if err != nil {
		t.Fatalf("%s: measure the page: %s", where, errContext(err))
	}
	l.ScrollWidth, l.ClientWidth, l.Outside = fits.ScrollWidth, fits.ClientWidth, fits.Outside
	return l
}

// checkFits fails when the page scrolls sideways or an element sticks out of the viewport.
func checkFits(t *testing.T, tab context.Context, l pageLayout, where string) {
	t.Helper()
	if l.ScrollWidth > l.ClientWidth || len(l.Outside) > 0 {
		t.Errorf("%s: the page is %v px wide in a %v px window; sticking out: %v", where, l.ScrollWidth, l.ClientWidth, firstOf(l.Outside, 8))
		saveScreenshot(t, tab, "rtl-too-wide-"+fileName(where)+".png")
	}
}

// checkMirrors compares the same page in English (ltr) and in the pseudo right-to-left language
// (which is English drawn backwards, so every word keeps its width): each element must stand
// where the mirror image of its English place is, with the same width. Heights are not
// compared: a line that mixes right-to-left words with left-to-right data (a date, a code) may
// break at another place once reordered, which moves what follows down by a line without
// anything being wrong with the layout.
func checkMirrors(t *testing.T, ltr, rtl pageLayout, where string) {
	t.Helper()
	if ltr.Dir != "ltr" || rtl.Dir != "rtl" || rtl.Lang != locale.PseudoRTL {
		t.Errorf("%s: html dir %q (lang %q) and %q (lang %q), want ltr and rtl (lang %s)", where, ltr.Dir, ltr.Lang, rtl.Dir, rtl.Lang, locale.PseudoRTL)
		return
	}
	cw := ltr.ClientWidth
	if ltr.Brand == nil || rtl.Brand == nil {
		t.Errorf("%s: no brand in the header", where)
	} else if start, end := ltr.Brand.L, cw-rtl.Brand.right(); math.Abs(start-end) > mirrorTolerance {
		t.Errorf("%s: the brand starts %.1f px from the left edge in English but %.1f px from the right edge right-to-left", where, start, end)
	}
	var wrong, missing []string
	for name, a := range ltr.Boxes {
		b, ok := rtl.Boxes[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		if math.Abs(b.L-(cw-a.right())) > mirrorTolerance || math.Abs(b.W-a.W) > mirrorTolerance {
			wrong = append(wrong, fmt.Sprintf("%s at %.1f+%.1f (top %.1f), want %.1f+%.1f (top %.1f)", name, b.L, b.W, b.T, cw-a.right(), a.W, a.T))
		}
	}
	sort.Strings(wrong)
	sort.Strings(missing)
	t.Logf("%s: %d elements, %d not mirrored, %d only in English", where, len(ltr.Boxes), len(wrong), len(missing))
	if len(wrong) > 0 || len(missing) > 0 {
		t.Errorf("%s: %d of %d elements do not mirror the English page:\n  %s\nmissing right-to-left: %v",
			where, len(wrong), len(ltr.Boxes), strings.Join(firstOf(wrong, 10), "\n  "), firstOf(missing, 5))
	}
}

func firstOf(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("… and %d more", len(s)-n))
	}
	return s
}

func fileName(s string) string {
	return strings.NewReplacer("/", "_", "?", "_", "&", "_", " ", "_").Replace(strings.TrimPrefix(s, "/"))
}

// publicVisit brings a tab to one public page (or the answer to one of its forms) in the
// language whose path prefix it is given.
type publicVisit struct {
	name string
	open func(t *testing.T, tab context.Context, prefix string)
}

// TestPagesMirrorRightToLeft opens every public page, and the main staff pages, on a 360 px
// phone with JavaScript off, in English and in the pseudo right-to-left language (-pseudo-rtl:
// English drawn backwards on a page with dir="rtl"): neither scrolls sideways nor lets an
// element stick out, and the right-to-left page is the mirror image of the English one (the
// brand at the right edge, labels and fields starting at the right, every element in place).
// A right-to-left catalog (Uyghur, say) then needs no change to the pages.
func TestPagesMirrorRightToLeft(t *testing.T) {
	browser := newBrowserWithin(t, 5*time.Minute)
	w := newStaffWorld(t, withPseudoRTL)
	h := w.h
	ctx := context.Background()

	// An opinion answered and waiting for its rating: the track page shows the most.
	norm, err := receipt.Parse(receipt.New())
	if err != nil {
		t.Fatal(err)
	}
	tracked, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Dept: "门诊收费处",
		Submitter: "patient", Content: "门诊收费处排队两个小时没人管，希望增开窗口。"}, h.Receipts.Hash(norm))
	if err != nil {
		t.Fatalf("store an opinion: %v", err)
	}
	walk(t, h.Store, tracked, lifecycle.Satisfaction)
	if err := h.Store.SetReply(ctx, 0, tracked, "已增开两个收费窗口，谢谢您的反映。"); err != nil {
		t.Fatalf("reply: %v", err)
	}
	pingyiCodes, err := h.Store.IssueCodes(ctx, 0, w.evaluation, 1, h.Receipts)
	if err != nil {
		t.Fatalf("issue 评议码: %v", err)
	}
	token, err := h.Store.CreateSetupToken(ctx)
	if err != nil {
		t.Fatalf("setup token: %v", err)
	}
	survey := strconv.FormatInt(w.survey, 10)

	get := func(path string, status int64) func(*testing.T, context.Context, string) {
		return func(t *testing.T, tab context.Context, prefix string) {
			t.Helper()
			wantStatus(t, "GET "+prefix+path, navigate(t, tab, h.URL+prefix+path), status)
		}
	}
	typeCode := func(path, code string, status int64) func(*testing.T, context.Context, string) {
		return func(t *testing.T, tab context.Context, prefix string) {
			t.Helper()
			get(path, 200)(t, tab, prefix)
			do(t, tab, "type the code", chromedp.SendKeys(chromedp.CSS("#code"), code))
			wantStatus(t, "POST "+prefix+path, clickAndLoad(t, tab, `form:has(#code) button[type=submit]`), status)
		}
	}
	visits := []publicVisit{
		{"home", get("/", 200)},
		{"submit", get("/submit", 200)},
		{"submit refused", func(t *testing.T, tab context.Context, prefix string) {
			get("/submit", 200)(t, tab, prefix)
			wantStatus(t, "POST "+prefix+"/submit, empty", clickAndLoad(t, tab, `form.opinion button[type=submit]`), 422)
		}},
		{"receipt", func(t *testing.T, tab context.Context, prefix string) {
			get("/submit?unit=county-hospital", 200)(t, tab, prefix)
			submitOpinion(t, tab, h, "POST "+prefix+"/submit", "suggestion", "patient", "建议门诊大厅增加自助挂号机，老人排队太辛苦。")
		}},
		{"track", get("/track", 200)},
		{"track an answered opinion", typeCode("/track", norm, 200)},
		{"track an unknown code", typeCode("/track", receipt.New(), 404)},
		{"gongshi", get("/gongshi", 200)},
		{"xinxiang", get("/xinxiang", 200)},
		{"survey", get("/survey/"+survey, 200)},
		{"survey done", get("/survey/"+survey+"/done", 200)},
		{"pingyi", get("/pingyi", 200)},
		{"pingyi form", typeCode("/pingyi", pingyiCodes[0], 200)},
		{"pingyi done", get("/pingyi/done", 200)},
		{"kiosk", get("/kiosk/"+w.site, 200)},
		{"login", get("/admin/login", 200)},
		{"setup", get("/admin/setup/"+token, 200)},
		{"404", get("/no-such-page", 404)},
	}
	phone := newTab(t, browser, h, true)
	for _, v := range visits {
		v.open(t, phone, "/en")
		ltr := readLayout(t, phone, v.name+" in English")
		checkFits(t, phone, ltr, v.name+" in English")
		v.open(t, phone, "/"+locale.PseudoRTL)
		rtl := readLayout(t, phone, v.name+" right-to-left")
		checkFits(t, phone, rtl, v.name+" right-to-left")
		checkMirrors(t, ltr, rtl, v.name)
		saveScreenshot(t, phone, "rtl-"+fileName(v.name)+".png")
	}

	// Staff pages: the administrator's language is their profile's.
	users, err := h.Store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var admin int64
	for _, u := range users {
		if u.Username == adminName {
			admin = u.ID
		}
	}
	staffLogin(t, phone, h, adminName, adminPassword)
	pages := menuLinks(t, phone)
	for _, p := range w.pagesOf(storage.RoleAdmin) {
		pages = append(pages, p.path)
	}
	inLanguage := func(lang string) {
		t.Helper()
		if err := h.Store.SetLanguage(ctx, admin, lang); err != nil {
			t.Fatalf("set the administrator's language to %s: %v", lang, err)
		}
	}
	staffPage := func(path, lang string) (pageLayout, bool) {
		t.Helper()
		inLanguage(lang)
		if got := navigate(t, phone, h.URL+path); got != 200 {
			t.Errorf("GET %s (%s): HTTP status %d, want 200", path, lang, got)
			return pageLayout{}, false
		}
		l := readLayout(t, phone, path+" in "+lang)
		checkFits(t, phone, l, path+" in "+lang)
		return l, true
	}
	for _, p := range pages {
		ltr, ok := staffPage(p, locale.En)
		if !ok {
			continue
		}
		rtl, ok := staffPage(p, locale.PseudoRTL)
		if !ok {
			continue
		}
		checkMirrors(t, ltr, rtl, p)
		saveScreenshot(t, phone, "rtl-"+fileName(p)+".png")
	}
	// The staff menu, opened on the phone (a <details>: no script).
	var open [2]pageLayout
	for i, lang := range []string{locale.En, locale.PseudoRTL} {
		inLanguage(lang)
		wantStatus(t, "GET /admin/queue", navigate(t, phone, h.URL+"/admin/queue"), 200)
		do(t, phone, "open the menu", chromedp.Click(chromedp.CSS("header details.staff-menu > summary")))
		open[i] = readLayout(t, phone, "the open staff menu in "+lang)
		checkFits(t, phone, open[i], "the open staff menu in "+lang)
	}
	checkMirrors(t, open[0], open[1], "the open staff menu")
	saveScreenshot(t, phone, "rtl-staff-menu.png")
}
