package e2e

import (
	"context"
	"fmt"
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

// The desktop the staff pages are also tried on.
const (
	desktopWidth  = 1280
	desktopHeight = 900
)

// staffPassword is the password of every account the staff-page tests create.
const staffPassword = "staff-pages-password-789"

// staffWorld is a portal with one account of every role and opinions in the states where each
// role has something to read or do.
type staffWorld struct {
	h          *harness
	assigned   string // about and handed to 县人民医院: the liaison starts the work
	reported   string // reported done: the 督导组 does the look-back
	rated      string // rated 基本满意 with a comment
	received   string // new: the office sorts it
	report     string // a 举报 handed to 县人民医院: 纪检 alone sees it
	survey     int64
	evaluation int64
	site       string
}

// staffRoles are the accounts of newStaffWorld, one per role, in the order they are tried.
var staffRoles = []struct{ user, role string }{
	{adminName, storage.RoleAdmin},
	{reviewerName, storage.RoleReviewer},
	{"liaison1", "liaison"},
	{"leader1", "leader"},
	{"supervisor1", "supervisor"},
	{"discipline1", "discipline"},
}

func newStaffWorld(t *testing.T, opts ...harnessOption) *staffWorld {
	t.Helper()
	// Posters print the configured public address; the loopback address the test server
	// listens on would (rightly) get a warning instead of a QR code.
	h := newHarness(t, append([]harnessOption{withPublicURL("https://minsheng.example.gov.cn")}, opts...)...)
	ctx := context.Background()
	w := &staffWorld{h: h}
	for _, r := range staffRoles[2:] {
		n := storage.NewUser{Username: r.user, Password: staffPassword, Role: r.role}
		switch r.role {
		case "liaison":
			n.Unit = "county-hospital"
		case "leader":
			n.Linked = []string{"county-hospital"}
		}
		if _, err := h.Store.CreateScopedUser(ctx, 0, n); err != nil {
			t.Fatalf("create %s: %v", r.user, err)
		}
	}
	if _, err := h.Store.CreateUser(ctx, 0, adminName, adminPassword, storage.RoleAdmin); err != nil {
		t.Fatalf("create administrator: %v", err)
	}
	opinion := func(typ, content, status string) string {
		t.Helper()
		norm, _ := receipt.Parse(receipt.New())
		id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: typ, UnitCode: "county-hospital", Dept: "门诊收费处",
			Submitter: "patient", Content: content, Contact: "微信 zhang_san_1980"}, h.Receipts.Hash(norm))
		if err != nil {
			t.Fatalf("store an opinion: %v", err)
		}
		walk(t, h.Store, id, status)
		return id
	}
	w.assigned = opinion("complaint", "收费处排队两个小时，窗口只开了一个。我的电话 13812345678，请联系我。", lifecycle.Assigned)
	w.reported = opinion("suggestion", "建议门诊大厅增加自助挂号机，老人排队太辛苦。", lifecycle.Reported)
	w.rated = opinion("complaint", "住院部卫生间的热水时有时无，冬天洗漱很不方便。", lifecycle.Satisfaction)
	if err := h.Store.Rate(ctx, w.rated, "basically", "热水有了，但晚上十点以后还是没有。"); err != nil {
		t.Fatalf("rate: %v", err)
	}
	w.received = opinion("complaint", "急诊科医生值班时间玩手机，病人等了很久没人管。", lifecycle.Received)
	w.report = opinion("report", "某科室医生收红包，手术前要家属先给钱。", lifecycle.Assigned)
	var err error
	if w.survey, err = h.Store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "门诊服务满意度测评",
		StartsOn: today(0), EndsOn: today(30), Scale: storage.ScaleThree, Units: []string{"county-hospital"},
		Items: []string{"挂号排队时间", "医生态度"}, ItemThreshold: 85, OverallThreshold: 90}); err != nil {
		t.Fatalf("create survey: %v", err)
	}
	if w.evaluation, err = h.Store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "局领导班子民主评议",
		Meeting: "动员大会", UnitCode: "county-hospital", OpensOn: today(0), ClosesOn: today(10)}); err != nil {
		t.Fatalf("create evaluation: %v", err)
	}
	site, err := h.Store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "county-hospital", Dept: "门诊收费处"})
	if err != nil {
		t.Fatalf("add site: %v", err)
	}
	w.site = site.Code
	return w
}

// today returns the date days from now, as the pages write dates.
func today(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }

// walk moves an opinion along the procedure to status, supplying what each step needs.
func walk(t *testing.T, store *storage.Store, id, status string) {
	t.Helper()
	for _, to := range lifecycle.PathTo(status) {
		st := lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "门诊部王主任", Measures: "高峰时段增开两个收费窗口",
			Ledger: "problem", Deadline: today(40), Kind: "timed", Report: "已增开两个窗口，排队不超过二十分钟"}
		if err := store.Transition(context.Background(), 0, id, st); err != nil {
			t.Fatalf("walk %s to %s: step %s: %v", id, status, to, err)
		}
	}
}

// staffPage is a page to try and the status it answers with.
type staffPage struct {
	path   string
	status int64
}

// pagesOf lists, for one role, the staff pages besides those its menu links to: the items it
// works on, their 交办单, the pages reached from lists, and a refusal page.
func (w *staffWorld) pagesOf(role string) []staffPage {
	ok := func(paths ...string) []staffPage {
		var out []staffPage
		for _, p := range paths {
			out = append(out, staffPage{p, 200})
		}
		return out
	}
	item := func(id string) []staffPage { return ok("/admin/opinions/"+id, "/admin/opinions/"+id+"/sheet") }
	switch role {
	case storage.RoleAdmin:
		return append(item(w.assigned), ok("/admin/opinions/"+w.rated, "/admin/sites/"+w.site+"/poster",
			"/admin/surveys/"+strconv.FormatInt(w.survey, 10))...)
	case storage.RoleReviewer:
		return append(item(w.assigned), append(ok("/admin/opinions/"+w.received, "/admin/opinions/"+w.rated,
			"/admin/queue?status=assigned&month="+time.Now().Format("2006-01")),
			staffPage{"/admin/opinions/" + w.received + "/sheet", 409})...) // not handed out yet
	case "liaison":
		return append(item(w.assigned), append(ok("/admin/opinions/"+w.reported),
			staffPage{"/admin/units", 403})...)
	case "leader":
		return append(item(w.assigned), staffPage{"/admin/opinions/" + w.report, 404})
	case "supervisor":
		return append(item(w.reported), ok("/admin/evaluations/"+strconv.FormatInt(w.evaluation, 10))...)
	case "discipline":
		return item(w.report)
	}
	return nil
}

// TestStaffPagesFitPhonesAndPassAxe logs in as every role on a 360 px phone with JavaScript
// off and visits every staff page the role has, in each language (the account's own choice,
// as its profile sets it; the pages before a session by their path's prefix): none may scroll
// sideways, the menu folds into a <details> that opens without script, 退出 stays readable, and
// axe-core finds nothing on the page at 360 px nor at 1280 px (once per address and language: a
// page another role already had differs only in its data).
func TestStaffPagesFitPhonesAndPassAxe(t *testing.T) {
	axeSource(t) // first: without axe there is nothing to check
	w := newStaffWorld(t)
	ctx := context.Background()
	users, err := w.h.Store.Users(ctx)
	if err != nil {
		t.Fatalf("list the accounts: %v", err)
	}
	ids := map[string]int64{}
	for _, u := range users {
		ids[u.Username] = u.ID
	}
	axed := map[string]bool{} // pages axe has checked, at both widths, by address and language
	for _, r := range staffRoles {
		t.Run(r.role, func(t *testing.T) {
			// Two axe runs on each of up to 20 pages, in three languages.
			browser := newBrowserWithin(t, time.Duration(len(locale.Languages))*5*time.Minute)
			phone := newTab(t, browser, w.h, true)
			desk := newTab(t, browser, w.h, false)
			do(t, desk, "desktop viewport", chromedp.EmulateViewport(desktopWidth, desktopHeight))
			inLanguage := func(lang string) {
				t.Helper()
				if err := w.h.Store.SetLanguage(ctx, ids[r.user], lang); err != nil {
					t.Fatalf("set %s's language to %s: %v", r.user, lang, err)
				}
			}
			// check measures the page open on the phone and runs axe on it there and on the
			// desktop, where is the page's address and language.
			check := func(where, deskURL string) {
				t.Helper()
				checkPhonePage(t, phone, where)
				if axed[where] { // the same page as another role: its markup differs only in data
					return
				}
				axed[where] = true
				checkAxe(t, phone, true, where+" at 360 px")
				navigate(t, desk, deskURL)
				checkAxe(t, desk, false, where+" at 1280 px")
			}
			password := staffPassword
			switch r.user {
			case adminName:
				password = adminPassword
			case reviewerName:
				password = reviewerPassword
			}
			if r.role == storage.RoleAdmin { // the pages before a session: login, first set-up
				token, err := w.h.Store.CreateSetupToken(ctx)
				if err != nil {
					t.Fatalf("setup token: %v", err)
				}
				for _, lang := range locale.Languages {
					for _, p := range []string{"/admin/login", "/admin/setup/" + token} {
						u := w.h.URL + langPrefix(lang) + p
						wantStatus(t, "GET "+langPrefix(lang)+p, navigate(t, phone, u), 200)
						check(p+" in "+lang, u)
					}
				}
			}
			inLanguage(locale.Default)
			staffLogin(t, phone, w.h, r.user, password)
			checkStaffMenu(t, phone, desk, w.h)

			var pages []staffPage
			for _, link := range menuLinks(t, phone) {
				pages = append(pages, staffPage{link, 200})
			}
			pages = append(pages, w.pagesOf(r.role)...)
			var tried []string
			for _, lang := range locale.Languages {
				inLanguage(lang)
				for _, p := range pages {
					// One page's failure must not hide the next page's: errors, not fatal.
					if got := navigate(t, phone, w.h.URL+p.path); got != p.status {
						t.Errorf("GET %s in %s: HTTP status %d, want %d", p.path, lang, got, p.status)
						continue
					}
					check(p.path+" in "+lang, w.h.URL+p.path)
					tried = append(tried, p.path+" ("+lang+")")
				}
				if r.role == storage.RoleAdmin { // the 评议码 slips: the answer to a POST, shown once
					for _, tab := range []struct {
						ctx        context.Context
						scriptsOff bool
						where      string
					}{{phone, true, "at 360 px"}, {desk, false, "at 1280 px"}} {
						wantStatus(t, "open 民主评议", navigate(t, tab.ctx, w.h.URL+"/admin/evaluations"), 200)
						count := fmt.Sprintf("#count-%d", w.evaluation)
						do(t, tab.ctx, "ask for 3 slips", chromedp.Clear(chromedp.CSS(count)), chromedp.SendKeys(chromedp.CSS(count), "3"))
						wantStatus(t, "print slips "+tab.where,
							clickAndLoad(t, tab.ctx, fmt.Sprintf(`form[action="/admin/evaluations/%d/codes"] button`, w.evaluation)), 200)
						if tab.scriptsOff {
							checkPhonePage(t, tab.ctx, "评议码纸条 in "+lang)
						}
						checkAxe(t, tab.ctx, tab.scriptsOff, "评议码纸条 in "+lang+" "+tab.where)
					}
					tried = append(tried, "评议码纸条 ("+lang+")")
				}
			}
			inLanguage(locale.Default)
			t.Logf("%s: %d pages at 360 and 1280 px: %s", r.user, len(tried), strings.Join(tried, " "))
		})
	}
}

// langPrefix is the path prefix of a page before a session (and of a public page) in lang.
func langPrefix(lang string) string {
	if lang == locale.Default {
		return ""
	}
	return "/" + lang
}

// staffLogin logs in through the form in tab.
func staffLogin(t *testing.T, tab context.Context, h *harness, user, password string) {
	t.Helper()
	wantStatus(t, "GET /admin/login", navigate(t, tab, h.URL+"/admin/login"), 200)
	do(t, tab, "fill the login form",
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
	)
	wantStatus(t, "log in as "+user, clickAndLoad(t, tab, `form[action="/admin/login"] button[type=submit]`), 200)
}

// menuLinks returns the addresses the staff menu links to, as paths.
func menuLinks(t *testing.T, tab context.Context) []string {
	t.Helper()
	hrefs, err := run(tab, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("nav.staff a[href]")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatalf("read the staff menu: %s", errContext(err))
	}
	if len(hrefs) < 4 {
		t.Fatalf("the staff menu has %d links (%v), want at least 4", len(hrefs), hrefs)
	}
	return hrefs
}

// checkPhonePage fails when the page in tab is wider than the phone: a page that scrolls
// sideways hides half of every line.
func checkPhonePage(t *testing.T, tab context.Context, where string) {
	t.Helper()
	width, err := run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("%s: measure the page: %s", where, errContext(err))
	}
	if width > phoneWidth {
		wide, _ := run(tab, chromedp.Evaluate[[]string](widestJS))
		t.Errorf("%s is %d px wide on a %d px phone: it scrolls sideways (too wide: %v)", where, width, phoneWidth, wide)
		saveScreenshot(t, tab, "too-wide-"+strings.NewReplacer("/", "_", "?", "_", "&", "_").Replace(where)+".png")
	}
}

// widestJS names the innermost elements that stick out past the right edge of the phone, or
// whose text does.
const widestJS = `[...document.querySelectorAll("body *")].filter(e => (e.getBoundingClientRect().right > ` +
	`document.documentElement.clientWidth + 0.5 || e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) && ` +
	`![...e.children].some(c => c.getBoundingClientRect().right > ` +
	`document.documentElement.clientWidth + 0.5)).slice(0, 8).map(e => e.tagName.toLowerCase() + ` +
	`(e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") + ` +
	`" right=" + Math.round(e.getBoundingClientRect().right))`

// menuState is what the staff menu looks like at one moment.
type menuState struct {
	Open         bool    `json:"open"`
	LinksShown   int     `json:"linksShown"`
	LogoutShown  bool    `json:"logoutShown"`
	LogoutInside bool    `json:"logoutInside"` // within the page's width and on the header's background
	Contrast     float64 `json:"contrast"`     // of 退出 against what is behind it
	Color        string  `json:"color"`
	Background   string  `json:"background"`
}

// menuStateJS reads the menu: how many links are on screen, and 退出's contrast against the
// first opaque background behind it (WCAG relative luminance).
const menuStateJS = `(() => {
	const shown = e => !!e && e.checkVisibility() && e.getBoundingClientRect().width > 0;
	const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
		return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
	const out = document.querySelector("button.logout");
	const details = document.querySelector("header details.staff-menu");
	let bg = "rgb(255, 255, 255)";
	for (let e = out; e; e = e.parentElement) {
		const c = rgb(getComputedStyle(e).backgroundColor);
		if (c.length >= 3 && (c.length < 4 || c[3] > 0.9)) { bg = getComputedStyle(e).backgroundColor; break; }
	}
	const fg = out ? getComputedStyle(out).color : "";
	const [a, b] = [lum(rgb(fg)), lum(rgb(bg))];
	const r = out ? out.getBoundingClientRect() : null;
	const header = document.querySelector("header.site").getBoundingClientRect();
	return {open: !!details && details.open,
		linksShown: [...document.querySelectorAll("nav.staff a")].filter(shown).length,
		logoutShown: shown(out),
		logoutInside: !!r && r.right <= document.documentElement.clientWidth && r.left >= 0 &&
			r.top >= header.top && r.bottom <= header.bottom,
		contrast: out ? (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) : 0, color: fg, background: bg};
})()`

func readMenu(t *testing.T, tab context.Context, where string) menuState {
	t.Helper()
	m, err := run(tab, chromedp.Evaluate[menuState](menuStateJS))
	if err != nil {
		t.Fatalf("%s: read the staff menu: %s", where, errContext(err))
	}
	return m
}

// checkStaffMenu checks the menu on the phone (JavaScript off): folded at first, opened by its
// <summary>, then every link and 退出 on screen, readable and inside the page; and on the
// desktop: all there without opening anything.
func checkStaffMenu(t *testing.T, phone, desk context.Context, h *harness) {
	t.Helper()
	wantStatus(t, "GET /admin/queue", navigate(t, phone, h.URL+"/admin/queue"), 200)
	if m := readMenu(t, phone, "phone"); m.Open || m.LinksShown > 0 || m.LogoutShown {
		t.Errorf("on the phone the menu starts open (%+v); it should fold away behind 菜单", m)
	}
	do(t, phone, "open the menu", chromedp.Click(chromedp.CSS("header details.staff-menu > summary")))
	m := readMenu(t, phone, "phone, menu open")
	links := len(menuLinks(t, phone))
	if !m.Open || m.LinksShown != links || !m.LogoutShown {
		t.Errorf("after a tap on 菜单 (JavaScript off) the menu shows %d of %d links, 退出 shown %v (%+v)", m.LinksShown, links, m.LogoutShown, m)
	}
	if !m.LogoutInside || m.Contrast < 4.5 {
		t.Errorf("退出 on the phone: inside the header %v, contrast %.2f (%s on %s), want inside and at least 4.5",
			m.LogoutInside, m.Contrast, m.Color, m.Background)
	}
	checkPhonePage(t, phone, "/admin/queue with the menu open")
	saveScreenshot(t, phone, "staff-menu-open-360.png")

	wantStatus(t, "GET /admin/queue at 1280 px", navigate(t, desk, h.URL+"/admin/queue"), 200)
	d := readMenu(t, desk, "desktop")
	if d.LinksShown != links || !d.LogoutShown || !d.LogoutInside || d.Contrast < 4.5 {
		t.Errorf("on the desktop the menu shows %d of %d links, 退出 shown %v inside %v contrast %.2f; want all, readable, without a tap",
			d.LinksShown, links, d.LogoutShown, d.LogoutInside, d.Contrast)
	}
}
