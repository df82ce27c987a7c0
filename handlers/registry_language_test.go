package handlers_test

import (
	"bytes"
	"context"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/qrimg/qrtest"
	"minsheng/storage"
)

// adminIn adds an administrator whose profile speaks lang and logs them in.
func adminIn(t *testing.T, h *harness, name, lang string) *browser {
	t.Helper()
	u := h.addUser(t, storage.NewUser{Username: name, Role: access.Admin})
	if err := h.store.SetLanguage(context.Background(), u.ID, lang); err != nil {
		t.Fatalf("SetLanguage: %v", err)
	}
	return h.login(t, name, staffPassword)
}

// Ensure the registries and transcription speak the administrator's language: each page's
// words, its choices and the message beside a wrong field, with none of the Chinese left.
func TestRegistryPagesInTheAdministratorsLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withPublicURL("https://ms.example.gov.cn"))
	en := adminIn(t, h, "registry-en", "en")
	hant := adminIn(t, h, "registry-hant", "zh-Hant")
	site, err := h.store.AddSite(context.Background(), storage.NewSite{Name: "门诊大厅意见箱", UnitCode: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		b         *browser
		page      string
		want      []string // on the page
		form      url.Values
		post      string // where form goes ("" for page)
		wantError []string
		notWant   []string // the zh-CN words that must be gone
	}{
		{"mailboxes in English", en, "/admin/mailboxes",
			[]string{"<h1>Mailboxes</h1>", "Add a mailbox", "Reader roles", "Named readers", "“Who reads it”, as the public sees it",
				"Read by the hospital president in person", "Discipline inspection (纪检监察)", "The discipline mailbox cannot be retired."},
			url.Values{"name": {""}, "description": {strings.Repeat("说", 201)}}, "",
			[]string{"Please give the mailbox a name", "Description: Too long: at most 200 characters, and this has 201.",
				"Please tick at least one reader role or one named reader"},
			[]string{"添加信箱", "读者角色", "请填写信箱名称", "说明太长了"}},
		{"sites in English", en, "/admin/sites",
			[]string{"<h1>Suggestion boxes</h1>", "Register a suggestion box", "Messages received", "In use", "(optional, for example: 1F)"},
			url.Values{"name": {"住院部意见箱"}, "building": {strings.Repeat("楼", 31)}, "unit": {"no-such-unit"}}, "",
			[]string{"Building: Too long: at most 30 characters, and this has 31.", "Please choose a unit from the list.",
				"Please correct what the red notes say."},
			[]string{"登记意见箱", "楼栋太长了", "请从列表中选择单位"}},
		{"poster page in English", en, "/admin/sites/" + site.Code + "/poster",
			[]string{"Poster: 门诊大厅意见箱", "Language of the poster:", "To print, press", "Download the poster (SVG)",
				`lang="zh-CN"`, "扫码留言 · 说说您遇到的问题"}, // the poster itself: the default language until one is chosen
			nil, "", nil,
			[]string{"下载海报 SVG", "打印：按"}},
		{"calendar in English", en, "/admin/calendar",
			[]string{"<h1>Holidays and working days</h1>", "up to 2027", "have not been entered yet: 2028.", "Enter a day",
				"Working day (swap, 调休)"},
			url.Values{"day": {"1999-10-01"}, "name": {strings.Repeat("节", 21)}}, "",
			[]string{"The date must be between the years 2000 and 2100.", "Please choose whether this day is a day off or a working day.",
				"Name: Too long: at most 20 characters, and this has 21.", "Nothing was saved yet."},
			[]string{"节假日设置", "日期需要在", "名称太长了"}},
		{"transcription in English", en, "/admin/transcribe",
			[]string{"<h1>Enter a received item</h1>", "Suggestion box or place", ">Letter</option>", ">Someone else</option>",
				">Comment</option>", "Save"},
			url.Values{"channel": {"web"}, "received_on": {"2999-01-01"}, "type": {"opinion"}, "submitter": {"other"},
				"unit": {"county-hospital"}}, "",
			[]string{"Please choose how it came", "The date received cannot be after today (2026-04-15).",
				"Please type in what the item says, word for word.", "Everything you typed is still here."},
			[]string{"录入来件", "请选择来件渠道", "收到日期不能晚于今天", "请照原文录入来件内容"}},
		{"sites in Traditional Chinese", hant, "/admin/sites",
			[]string{"<h1>意見箱</h1>", "登記意見箱", "啓用中", "（選填，例如：門診樓）"},
			url.Values{"name": {""}, "unit": {"county-hospital"}}, "",
			[]string{"請填寫名稱，例如：門診大廳意見箱。", "請按紅字提示修改。"},
			[]string{"登记意见箱", "请填写名称"}},
		{"calendar in Traditional Chinese", hant, "/admin/calendar",
			[]string{"<h1>節假日設置</h1>", "錄入一天", "上班（調休）"},
			url.Values{"day": {"2027-10-01"}}, "",
			[]string{"請選擇這一天放假還是上班。"},
			[]string{"节假日设置", "录入一天"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.getCSRF(t, tt.page)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.want...)
			wantNotContains(t, r.Body, append([]string{"<no value>", "ZgotmplZ"}, tt.notWant...)...)
			if tt.form == nil {
				return
			}
			target := tt.post
			if target == "" {
				target = tt.page
			}
			r = tt.b.post(t, target, tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.wantError...)
			wantNotContains(t, r.Body, append([]string{"<no value>", "ZgotmplZ"}, tt.notWant...)...)
		})
	}
}

// Ensure the calendar names holidays in the reader's language: the built-in arrangement beside
// an entered day, the name entered when it is a holiday the portal knows, and a swap; a name it
// does not know stays as entered.
func TestCalendarHolidayNamesInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := adminIn(t, h, "calendar-en", "en")
	b.getCSRF(t, "/admin/calendar")
	for _, day := range []url.Values{
		{"day": {"2026-10-01"}, "kind": {"work"}},                    // built in: National Day
		{"day": {"2026-10-08"}, "kind": {"off"}, "name": {"国庆节"}},    // an ordinary Thursday
		{"day": {"2026-09-20"}, "kind": {"off"}},                     // built in: a Sunday worked for National Day
		{"day": {"2026-11-11"}, "kind": {"off"}, "name": {"县庆"}},     // a name of the county's own
		{"day": {"2026-12-26"}, "kind": {"work"}, "name": {"元旦节调休"}}, // an ordinary Saturday
	} {
		wantStatus(t, b.post(t, "/admin/calendar", day), http.StatusSeeOther)
	}
	page := b.get(t, "/admin/calendar?done=set")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "Saved. Rectification deadlines follow the new arrangement from now on.")
	row := func(day string) string {
		return html.UnescapeString(shownText(regexp.MustCompile(`(?s)<tr id="day-` + day + `">.*?</tr>`).FindString(page.Body)))
	}
	tests := []struct{ day, want string }{
		{"2026-10-01", "Day off (National Day)"},
		{"2026-10-08", "National Day"},
		{"2026-10-08", "Working day"},
		{"2026-10-08", "Thu"},
		{"2026-09-20", "Working day (National Day swap)"},
		{"2026-11-11", "县庆"},
		{"2026-12-26", "New Year's Day swap"},
		{"2026-12-26", "Day off (weekend)"},
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+tt.want, func(t *testing.T) {
			wantContains(t, row(tt.day), tt.want)
			wantNotContains(t, row(tt.day), "国庆节", "周", "放假", "上班", "调休")
		})
	}
}

// Ensure a poster is printed in the language the administrator picks (?lang=), whatever their
// own: its words, and a short address and QR code under the language's prefix, so that a person
// who scans an English poster lands on the English form; on the page, in the SVG and in the PNG.
func TestSitePosterInAChosenLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha, withPublicURL("https://ms.example.gov.cn/"))
	admin := loginSiteAdmin(t, h) // speaks zh-CN
	code := addSite(t, admin, newSiteForm())
	english := "https://ms.example.gov.cn/en/q/" + code

	t.Run("poster page", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/poster?lang=en")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `<article class="poster" id="poster" lang="en" dir="ltr" aria-label="A4 poster">`,
			"Scan to write to us · Tell us what went wrong", "No name needed.", "choose “Report of misconduct”",
			"住院部三楼意见箱 (住院部 · 3F · 内科病区护士站旁)", "No. "+code,
			`id="poster-url">`+english+`<`,
			`href="/admin/sites/`+code+`/poster.svg?lang=en"`, `href="/admin/sites/`+code+`/qr.png?lang=en"`,
			"打印：按", // the page itself speaks the administrator's language
			`<strong aria-current="page" lang="en">English</strong>`, `href="/admin/sites/`+code+`/poster" lang="zh-CN"`)
		wantNotContains(t, r.Body, "扫码留言", "不用留姓名", "编号 "+code)
		if got := qrtest.ReadSVG(t, r.Body); got != english {
			t.Errorf("the page's QR code holds %q, want %q", got, english)
		}
	})

	t.Run("poster.svg", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/poster.svg?lang=en")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Header.Get("Content-Disposition"), `filename="minsheng-poster-`+code+`-en.svg"`,
			url.PathEscape("意见箱海报-"+code+"-en.svg"))
		root, texts, _ := svgTexts(t, r.Body)
		if xmlAttr(root, "lang") != "en" {
			t.Errorf("the SVG's xml:lang is %q, want en", xmlAttr(root, "lang"))
		}
		all := strings.Join(texts, "\n")
		wantContains(t, all, "Scan to write to us", english, "only the discipline inspectors can read it", "No. "+code)
		wantNotContains(t, all, "扫码留言", "编号")
		if got := qrtest.ReadSVG(t, r.Body); got != english {
			t.Errorf("the SVG's QR code holds %q, want %q", got, english)
		}
	})

	t.Run("qr.png", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/qr.png?lang=en")
		wantStatus(t, r, http.StatusOK)
		img, err := png.Decode(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatalf("qr.png is not a PNG: %v", err)
		}
		if got := qrtest.Decode(t, img); got != english {
			t.Errorf("qr.png holds %q, want %q", got, english)
		}
	})

	t.Run("scanned, it opens the English form", func(t *testing.T) {
		b := h.browser()
		r := b.get(t, "/en/q/"+code)
		wantStatus(t, r, http.StatusSeeOther)
		if got, want := r.location(), "/en/submit?site="+code; got != want {
			t.Fatalf("/en/q/%s redirects to %q, want %q", code, got, want)
		}
		form := b.get(t, r.location())
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form.Body, `<html lang="en"`, `name="site" value="`+code+`"`)
	})

	t.Run("other languages", func(t *testing.T) {
		for _, tc := range []struct{ query, url, headline string }{
			{"?lang=zh-Hant", "https://ms.example.gov.cn/zh-Hant/q/" + code, "掃碼留言"},
			{"?lang=zh-CN", "https://ms.example.gov.cn/q/" + code, "扫码留言"},
			{"?lang=xx", "https://ms.example.gov.cn/q/" + code, "扫码留言"},    // unknown: the default
			{"?lang=ar-XB", "https://ms.example.gov.cn/q/" + code, "扫码留言"}, // not offered to readers
		} {
			t.Run(tc.query, func(t *testing.T) {
				r := admin.get(t, "/admin/sites/"+code+"/poster"+tc.query)
				wantStatus(t, r, http.StatusOK)
				wantContains(t, r.Body, `id="poster-url">`+tc.url+`<`, tc.headline)
			})
		}
	})
}
