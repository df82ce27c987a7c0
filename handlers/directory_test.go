package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
	"minsheng/vocab"
)

func validContacts() url.Values {
	return url.Values{"complaint_phone": {"0816-1234567"}, "report_phone": {"(0816) 765 4321"},
		"supervision_phone": {"12320"}, "email": {"xinxiang@example.gov.cn"}, "hours": {"工作日 8:30–17:30"}}
}

// TestDirectoryEditedByAdministrators: only administrators edit the directory; the public page
// then shows what they wrote, with dialable links, the registered box sites and each unit's
// liaison post and commitments in order.
func TestDirectoryEditedByAdministrators(t *testing.T) {
	h := newHarness(t)
	for _, role := range []string{access.Reviewer, access.Liaison, access.Leader, access.Supervisor, access.Discipline} {
		t.Run(role+" may not edit", func(t *testing.T) {
			b := h.staffAs(t, role)
			wantStatus(t, b.get(t, "/admin/qudao"), http.StatusForbidden)
			wantStatus(t, b.post(t, "/admin/qudao", validContacts()), http.StatusForbidden)
			wantStatus(t, b.post(t, "/admin/qudao/units/county-hospital", url.Values{"liaison_post": {"x"}}), http.StatusForbidden)
		})
	}
	if _, err := h.store.AddSite(context.Background(), storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "county-hospital"}); err != nil {
		t.Fatal(err)
	}
	admin := h.staffAs(t, access.Admin)
	r := admin.post(t, "/admin/qudao", validContacts())
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, admin.follow(t, r).Body, "已保存，公开页面已更新。", `value="0816-1234567"`)
	r = admin.post(t, "/admin/qudao/units/county-hospital", url.Values{"liaison_post": {"院办公室主任"}, "liaison_phone": {"0816-2222222"},
		"commitments": {"首诊负责制：首位接诊医生负责到底。\r\n\r\n  限时办结：投诉5个工作日内答复。  \r\n"}})
	wantStatus(t, r, http.StatusSeeOther)
	public := h.browser()
	page := public.get(t, "/qudao")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<a href="tel:08161234567">0816-1234567</a>`, `<a href="tel:08167654321">(0816) 765 4321</a>`,
		`href="mailto:xinxiang@example.gov.cn"`, "门诊大厅意见箱", "门诊楼 · 1F", "院办公室主任",
		"<li>首诊负责制：首位接诊医生负责到底。</li><li>限时办结：投诉5个工作日内答复。</li>")
	wantNotContains(t, page.Body, "<script", "县中医院</h3>") // a unit that publishes nothing is left out
	home := public.get(t, "/")
	wantContains(t, home.Body, `<a href="/qudao">联系渠道与服务承诺</a>`)
	if n := countAudit(t, h, "directory", "contacts") + countAudit(t, h, "directory", "unit county-hospital"); n != 2 {
		t.Errorf("%d directory audit rows, want 2", n)
	}
	log := admin.get(t, "/admin/audit?action=directory")
	wantContains(t, log.Body, "修改联系渠道与服务承诺", "电话和电子邮箱", "单位联络人和服务承诺：county-hospital")
}

// TestDirectoryRefused: wrong numbers, addresses and lists are refused with 422 beside their
// field, the words kept, nothing stored.
func TestDirectoryRefused(t *testing.T) {
	h := newHarness(t)
	admin := h.staffAs(t, access.Admin)
	tests := []struct {
		name, target string
		form         url.Values
		wants        []string
	}{
		{"a phone with letters", "/admin/qudao", url.Values{"complaint_phone": {"call 12345"}}, []string{"请填写电话号码", `value="call 12345"`}},
		{"an address without @", "/admin/qudao", url.Values{"email": {"xinxiang.example.gov.cn"}}, []string{"请填写完整的电子邮箱地址", `value="xinxiang.example.gov.cn"`}},
		{"a post too long", "/admin/qudao/units/county-hospital", url.Values{"liaison_post": {strings.Repeat("长", 51)}}, []string{"联络人职务"}},
		{"a commitment too long", "/admin/qudao/units/county-hospital", url.Values{"commitments": {"第一条\n" + strings.Repeat("长", 201)}}, []string{"第 2 条服务承诺太长", "第一条"}},
		{"too many commitments", "/admin/qudao/units/county-hospital", url.Values{"commitments": {strings.Repeat("一条承诺\n", 21)}}, []string{"服务承诺最多 20 条，现在是 21 条。"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.post(t, tc.target, tc.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.wants...)
			wantContains(t, r.Body, "还没有保存")
		})
	}
	wantStatus(t, admin.post(t, "/admin/qudao/units/no-such-unit", url.Values{"liaison_post": {"主任"}}), http.StatusNotFound)
	if n := countAudit(t, h, "directory", "contacts") + countAudit(t, h, "directory", "unit county-hospital"); n != 0 {
		t.Errorf("%d directory audit rows after refusals, want 0", n)
	}
}

// TestPaperForm: the paper form of a site carries the poster's short URL in its QR code and a
// link to transcription with the site chosen; a liaison prints their own unit's alone.
func TestPaperForm(t *testing.T) {
	const public = "https://minsheng.example.gov.cn"
	h := newHarness(t, withPublicURL(public))
	ctx := context.Background()
	site, err := h.store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", UnitCode: "county-hospital", Dept: "挂号处"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.store.AddSite(ctx, storage.NewSite{Name: "中医院大厅意见箱", UnitCode: "tcm-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.staff(t)
	list := b.get(t, "/admin/paper")
	wantContains(t, list.Body, "/admin/paper/site/"+site.Code, "/admin/paper/unit/county-hospital")
	r := b.get(t, "/admin/paper/site/"+site.Code)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "征求意见表", public+"/q/"+site.Code, "<svg", "县人民医院 · 挂号处", "不用写姓名",
		"举报请勾选“举报”", "意见箱编号 "+site.Code,
		`href="/admin/transcribe?batch=1&amp;channel=`+paperChannelNow()+`&amp;site=`+url.QueryEscape("门诊大厅意见箱")+`&amp;unit=county-hospital"`)
	for _, label := range []string{"意见", "建议", "投诉", "举报", "表扬", "患者", "家属", "职工", "群众", "其他"} {
		wantContains(t, r.Body, `<span class="paper-box">`+label+`</span>`)
	}
	unit := b.get(t, "/admin/paper/unit/county-hospital")
	wantContains(t, unit.Body, public+"/submit?unit=county-hospital")
	// The link fills the transcription form: the site and unit are chosen.
	tr := b.get(t, "/admin/transcribe?batch=1&channel="+paperChannelNow()+"&site="+url.QueryEscape("门诊大厅意见箱")+"&unit=county-hospital")
	wantContains(t, tr.Body, `value="门诊大厅意见箱"`, `<option value="county-hospital" selected>`)

	liaison := h.staffAs(t, access.Liaison)
	wantStatus(t, liaison.get(t, "/admin/paper/site/"+site.Code), http.StatusOK)
	wantStatus(t, liaison.get(t, "/admin/paper/site/"+other.Code), http.StatusNotFound)
	wantStatus(t, liaison.get(t, "/admin/paper/unit/tcm-hospital"), http.StatusNotFound)
	wantStatus(t, h.staffAs(t, access.Leader).get(t, "/admin/paper"), http.StatusForbidden)
	// The 督导组 types in its own findings alone: no paper form.
	wantStatus(t, h.staffAs(t, access.Supervisor).get(t, "/admin/paper/site/"+site.Code), http.StatusForbidden)
}

// paperChannelNow is the channel paper slips are typed in with: 征求意见表 once the channel is
// in the vocabulary, else 意见箱.
func paperChannelNow() string {
	if vocab.Transcribed("paper") {
		return "paper"
	}
	return "box"
}
