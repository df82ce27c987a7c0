package handlers_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/qrimg/qrtest"
	"minsheng/storage"
)

// What every poster must say.
var posterPromises = []string{
	"不用留姓名，不记录手机和网络信息。",
	"提交后会给您一个查询码，凭码查看答复。",
	"反映工作人员收受红包、回扣等违纪问题，",
	"请选择“举报”，只有纪检监察人员能看到。",
}

// loginSiteAdmin adds an administrator, logs them in and keeps the CSRF token of the sites page.
func loginSiteAdmin(t *testing.T, h *harness) *browser {
	t.Helper()
	if _, err := h.store.CreateUser(context.Background(), 0, "意见箱管理员", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	b := h.login(t, "意见箱管理员", staffPassword)
	b.getCSRF(t, "/admin/sites")
	return b
}

func newSiteForm() url.Values {
	return url.Values{"name": {"住院部三楼意见箱"}, "building": {"住院部"}, "floor": {"3F"}, "ward": {"内科病区护士站旁"},
		"unit": {"county-hospital"}, "dept": {"内科"}}
}

var posterPathRe = regexp.MustCompile(`^/admin/sites/([0-9A-Z]{6})/poster$`)

// addSite posts the add form and returns the new site's code from the redirect to its poster.
func addSite(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	r := b.post(t, "/admin/sites", form)
	wantStatus(t, r, http.StatusSeeOther)
	m := posterPathRe.FindStringSubmatch(r.location())
	if m == nil {
		t.Fatalf("add site redirects to %q, want its poster", r.location())
	}
	return m[1]
}

// svgTexts parses an SVG document with encoding/xml and returns its root and the content of
// every <text> element.
func svgTexts(t *testing.T, doc string) (root xml.StartElement, texts []string, nested int) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	var inText bool
	var cur strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("poster.svg is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root.Name.Local == "" {
				root = el.Copy()
			} else if el.Name.Local == "svg" {
				nested++
			}
			if el.Name.Local == "text" {
				inText = true
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
				texts = append(texts, cur.String())
			}
		}
	}
	return root, texts, nested
}

func xmlAttr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Ensure an administrator registers a site and gets its poster: on the page (QR, short URL,
// promise, 举报 line), as an A4 SVG and as a QR PNG, all holding the configured public address;
// and that the short URL leads to the form with the site, which stores the opinion as qr.
func TestSitePosterRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha, withPublicURL("https://ms.example.gov.cn/"))
	admin := loginSiteAdmin(t, h)
	code := addSite(t, admin, newSiteForm())
	short := "https://ms.example.gov.cn/q/" + code

	t.Run("poster page", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/poster")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `<article class="poster"`, `<svg xmlns="http://www.w3.org/2000/svg"`,
			`<p class="poster-url" id="poster-url">`+short+`</p>`, "扫码留言 · 说说您遇到的问题",
			"县人民医院 · 内科", "住院部三楼意见箱（住院部 · 3F · 内科病区护士站旁）",
			posterPromises[0]+"<br>"+posterPromises[1], posterPromises[2]+"<br>"+posterPromises[3],
			`href="/admin/sites/`+code+`/poster.svg"`, `href="/admin/sites/`+code+`/qr.png"`, "Ctrl")
		wantNotContains(t, r.Body, "-public-url", "address-warning", "<no value>", "ZgotmplZ")
		if got := qrtest.ReadSVG(t, r.Body); got != short {
			t.Errorf("the page's QR code holds %q, want %q", got, short)
		}
	})

	t.Run("poster.svg", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/poster.svg")
		wantStatus(t, r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
			t.Errorf("Content-Type %q, want image/svg+xml", ct)
		}
		cd := r.Header.Get("Content-Disposition")
		wantContains(t, cd, "attachment;", `filename="minsheng-poster-`+code+`.svg"`,
			"filename*=UTF-8''"+url.PathEscape("意见箱海报-"+code+".svg"))
		if dir := os.Getenv("MINSHENG_SCREENSHOTS"); dir != "" { // for people to look at, as the e2e screenshots
			if err := os.WriteFile(filepath.Join(dir, "site-poster.svg"), []byte(r.Body), 0o644); err != nil {
				t.Errorf("keep poster.svg: %v", err)
			}
		}
		root, texts, nested := svgTexts(t, r.Body)
		if root.Name.Local != "svg" || xmlAttr(root, "viewBox") != "0 0 210 297" || xmlAttr(root, "width") != "210mm" {
			t.Errorf("root element %s viewBox %q width %q, want an A4 svg", root.Name.Local, xmlAttr(root, "viewBox"), xmlAttr(root, "width"))
		}
		if !strings.Contains(xmlAttr(root, "font-family"), "Noto Sans CJK SC") {
			t.Errorf("font-family %q names no CJK font", xmlAttr(root, "font-family"))
		}
		if nested != 1 {
			t.Errorf("%d nested <svg>, want the QR code as one", nested)
		}
		all := strings.Join(texts, "\n")
		wantContains(t, all, append([]string{"扫码留言 · 说说您遇到的问题", short, "县人民医院 · 内科"}, posterPromises...)...)
		if got := qrtest.ReadSVG(t, r.Body); got != short {
			t.Errorf("the SVG's QR code holds %q, want %q", got, short)
		}
	})

	t.Run("qr.png", func(t *testing.T) {
		r := admin.get(t, "/admin/sites/"+code+"/qr.png")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Header.Get("Content-Disposition"), "attachment;", "minsheng-qr-"+code+".png")
		img, err := png.Decode(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatalf("qr.png is not a PNG: %v", err)
		}
		if w := img.Bounds().Dx(); w < 1000 {
			t.Errorf("qr.png is %d px wide, want print size (about 1200)", w)
		}
		if got := qrtest.Decode(t, img); got != short {
			t.Errorf("qr.png holds %q, want %q", got, short)
		}
	})

	t.Run("short URL to a stored qr opinion", func(t *testing.T) {
		for _, typed := range []string{code, strings.ToLower(code)} {
			r := h.browser().get(t, "/q/"+typed)
			wantStatus(t, r, http.StatusSeeOther)
			if got, want := r.location(), "/submit?site="+code; got != want {
				t.Fatalf("/q/%s redirects to %q, want %q", typed, got, want)
			}
		}
		b := h.browser()
		page := b.getCSRF(t, "/submit?site="+code)
		wantContains(t, page.Body, `<option value="county-hospital" selected>`, `value="内科"`, `name="site" value="`+code+`"`)
		v := validOpinion()
		v.Set("site", code)
		r := b.follow(t, b.post(t, "/submit", v))
		wantStatus(t, r, http.StatusOK)
		o := h.byReceipt(t, receiptOf(t, r))
		if o.Channel != "qr" || o.SiteCode != code || o.Site != "住院部三楼意见箱" {
			t.Errorf("stored channel %q site %q %q; want qr %q 住院部三楼意见箱", o.Channel, o.SiteCode, o.Site, code)
		}
		list := admin.get(t, "/admin/sites")
		wantStatus(t, list, http.StatusOK)
		wantContains(t, list.Body, "<h1>意见箱</h1>", "登记意见箱", `<a href="/admin/sites">意见箱</a>`, "民声不记录您的 IP 地址", "</html>")
		wantNotContains(t, list.Body, "<no value>", "ZgotmplZ")
		row := regexp.MustCompile(`(?s)<tr id="site-` + code + `">.*?</tr>`).FindString(list.Body)
		wantContains(t, row, "<td>1</td>", "启用中")
	})

	t.Run("retired site's link gives the plain form", func(t *testing.T) {
		wantStatus(t, admin.post(t, "/admin/sites/"+code+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		r := h.browser().get(t, "/q/"+code)
		wantStatus(t, r, http.StatusSeeOther)
		if r.location() != "/submit" {
			t.Fatalf("a retired site's /q/ redirects to %q, want /submit", r.location())
		}
		form := h.browser().get(t, r.location())
		wantStatus(t, form, http.StatusOK)
		wantNotContains(t, form.Body, `name="site"`)
		poster := admin.get(t, "/admin/sites/"+code+"/poster")
		wantStatus(t, poster, http.StatusOK)
		wantContains(t, poster.Body, "这个意见箱已停用")
	})

	t.Run("unknown codes", func(t *testing.T) {
		r := h.browser().get(t, "/q/NOSUCH")
		wantStatus(t, r, http.StatusSeeOther)
		if r.location() != "/submit" {
			t.Errorf("/q/NOSUCH redirects to %q, want /submit", r.location())
		}
		for _, p := range []string{"/poster", "/poster.svg", "/qr.png"} {
			wantStatus(t, admin.get(t, "/admin/sites/NOSUCH"+p), http.StatusNotFound)
		}
	})
}

// Ensure that without -public-url the poster holds the address the page was opened on, and
// says so before anyone prints it.
func TestSitePosterWithoutPublicURL(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := loginSiteAdmin(t, h)
	code := addSite(t, admin, newSiteForm())
	r := admin.get(t, "/admin/sites/"+code+"/poster")
	wantStatus(t, r, http.StatusOK)
	want := "http://example.com/q/" + code // httptest's requests go to example.com
	wantContains(t, r.Body, `id="poster-url">`+want+`<`, "-public-url", "MINSHENG_PUBLIC_URL")
	if got := qrtest.ReadSVG(t, r.Body); got != want {
		t.Errorf("QR code holds %q, want %q", got, want)
	}
}

// Ensure wrong input comes back with a Chinese message next to its field and what was typed.
func TestSiteValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := loginSiteAdmin(t, h)
	ctx := context.Background()
	if err := h.store.CreateUnit(ctx, 0, storage.NewUnit{Code: "old-clinic", Name: "旧门诊部", ParentCode: "bureau", Kind: storage.UnitCounty}); err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetUnitActive(ctx, 0, "old-clinic", false); err != nil {
		t.Fatal(err)
	}
	code := addSite(t, admin, newSiteForm())

	tests := []struct {
		name, field, value, message string
	}{
		{"no name", "name", "", "请填写名称"},
		{"name too long", "name", strings.Repeat("箱", 51), "名称太长了：最多 50 个字"},
		{"building too long", "building", strings.Repeat("楼", 31), "楼栋太长了：最多 30 个字"},
		{"floor too long", "floor", strings.Repeat("层", 11), "楼层太长了：最多 10 个字"},
		{"ward too long", "ward", strings.Repeat("区", 31), "病区或位置太长了：最多 30 个字"},
		{"dept too long", "dept", strings.Repeat("科", 51), "科室太长了：最多 50 个字"},
		{"no unit", "unit", "", "请从列表中选择单位"},
		{"unknown unit", "unit", "no-such-unit", "请从列表中选择单位"},
		{"retired unit", "unit", "old-clinic", "请从列表中选择单位"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := newSiteForm()
			form.Set("ward", "护士站旁<b>") // kept as typed, escaped
			form.Set(tc.field, tc.value)
			r := admin.post(t, "/admin/sites", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.message, `id="`+tc.field+`"`, "请按红字提示修改")
			if tc.field != "unit" {
				wantContains(t, r.Body, `value="`+tc.value+`"`)
			}
			if tc.field != "ward" {
				wantContains(t, r.Body, `value="护士站旁&lt;b&gt;"`)
			}
			wantNotContains(t, r.Body, "<no value>", "ZgotmplZ")

			r = admin.post(t, "/admin/sites/"+code, form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.message, "修改没有保存", `id="`+tc.field+`-`+code+`"`, "<details class=\"step\" open>")
		})
	}
	sites, err := h.store.Sites(ctx)
	if err != nil || len(sites) != 1 || sites[0].Name != "住院部三楼意见箱" {
		t.Errorf("after refused posts the sites are %+v (%v); want the one site, unchanged", sites, err)
	}

	t.Run("edit saves", func(t *testing.T) {
		form := newSiteForm()
		form.Set("name", "门诊大厅意见箱")
		form.Set("unit", "tcm-hospital")
		r := admin.post(t, "/admin/sites/"+code, form)
		wantStatus(t, r, http.StatusSeeOther)
		st, err := h.store.Site(ctx, code)
		if err != nil || st.Name != "门诊大厅意见箱" || st.UnitCode != "tcm-hospital" {
			t.Errorf("after the edit the site is %+v (%v)", st, err)
		}
	})
}

// Ensure only an administrator may see or change sites and their posters.
func TestSitesOnlyForAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	site, err := h.store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", UnitCode: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/admin/sites/" + site.Code
	for _, role := range []string{access.Reviewer, access.Supervisor, access.Discipline} {
		t.Run(role, func(t *testing.T) {
			name := "sites-" + role
			if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: name, Password: staffPassword, Role: role}); err != nil {
				t.Fatal(err)
			}
			b := h.login(t, name, staffPassword)
			b.getCSRF(t, "/admin/queue")
			for _, p := range []string{"/admin/sites", base + "/poster", base + "/poster.svg", base + "/qr.png"} {
				wantStatus(t, b.get(t, p), http.StatusForbidden)
			}
			wantStatus(t, b.post(t, "/admin/sites", newSiteForm()), http.StatusForbidden)
			wantStatus(t, b.post(t, base, newSiteForm()), http.StatusForbidden)
			wantStatus(t, b.post(t, base+"/active", url.Values{"active": {"0"}}), http.StatusForbidden)
			if r := b.get(t, "/admin/queue"); strings.Contains(r.Body, `href="/admin/sites"`) {
				t.Error("the menu links to 意见箱 for a non-administrator")
			}
		})
	}
	if st, err := h.store.ActiveSite(ctx, site.Code); err != nil || st.Name != "门诊大厅意见箱" {
		t.Errorf("site after refused changes: %+v, %v", st, err)
	}
	sites, _ := h.store.Sites(ctx)
	if len(sites) != 1 {
		t.Errorf("%d sites after refused adds, want 1", len(sites))
	}
}

// Ensure the transcription form offers the registered sites a staff member may enter items for
// (active ones, of their units) as suggestions for the 意见箱或地点 field.
func TestTranscribeSuggestsSites(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	add := func(name, unit string) storage.Site {
		t.Helper()
		st, err := h.store.AddSite(ctx, storage.NewSite{Name: name, UnitCode: unit})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	add("门诊大厅意见箱", "county-hospital")
	add("青山卫生院意见箱", "qingshan-thc")
	old := add("旧楼意见箱", "county-hospital")
	if err := h.store.SetSiteActive(ctx, 0, old.Code, false); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "liaison-county", Password: staffPassword,
		Role: access.Liaison, Unit: "county-hospital"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user  string
		role        string
		want, wantN []string
	}{
		{"office", "office", access.Reviewer, []string{"门诊大厅意见箱", "青山卫生院意见箱"}, []string{"旧楼意见箱"}},
		{"liaison", "liaison-county", "", []string{"门诊大厅意见箱"}, []string{"青山卫生院意见箱", "旧楼意见箱"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.role != "" {
				if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: tc.user, Password: staffPassword, Role: tc.role}); err != nil {
					t.Fatal(err)
				}
			}
			r := h.login(t, tc.user, staffPassword).get(t, "/admin/transcribe")
			wantStatus(t, r, http.StatusOK)
			list := regexp.MustCompile(`(?s)<datalist id="site-names">.*?</datalist>`).FindString(r.Body)
			wantContains(t, r.Body, `list="site-names"`)
			for _, name := range tc.want {
				wantContains(t, list, `<option value="`+name+`">`)
			}
			wantNotContains(t, list, tc.wantN...)
		})
	}
}
