package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/report"
	"minsheng/storage"
)

// consultationOf returns the consultation of the summary report of month ("" unit).
func consultationOf(t *testing.T, h *harness, month string) storage.ReportConsultation {
	t.Helper()
	c, err := h.store.ReportConsultationFor(context.Background(), storage.ReportKey{Kind: "summary", Period: month})
	if err != nil {
		t.Fatalf("ReportConsultationFor(%s): %v", month, err)
	}
	return c
}

// openReportForComment opens the summary report of month for comment to scope (and scopeUnit)
// until 2026-04-25 through the staff page, as b.
func openReportForComment(t *testing.T, h *harness, b *browser, month, scope, scopeUnit string) storage.ReportConsultation {
	t.Helper()
	r := b.post(t, "/admin/reports/consultation", url.Values{"period": {month}, "kind": {"summary"}, "title": {month + "汇总征求意见稿"},
		"basics": {"本月收到意见若干条。"}, "scope": {scope}, "scope_unit": {scopeUnit}, "from": {"2026-04-15"}, "to": {"2026-04-25"}})
	wantStatus(t, r, http.StatusSeeOther)
	return consultationOf(t, h, month)
}

// TestReportCommentThroughTheRouter: the 活动办 opens a report's draft for comment (a refused
// opening comes back 422 as typed; a liaison may not open it); the public reads the snapshot
// and comments through the opinion pipeline (a wrong captcha keeps the words; the comment an
// opinion linked in its transaction); the office sees it beside the draft; issuing closes the
// period and the issued report says 1 comment received and what changed; a "what changed" too
// long is 422 with every word kept.
func TestReportCommentThroughTheRouter(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // 2026-04-15
	ctx := context.Background()
	office := h.staffAs(t, access.Reviewer)
	month := "2026-03"
	text := url.Values{"period": {month}, "kind": {"summary"}, "title": {"2026年3月意见建议办理情况汇总（征求意见稿）"},
		"basics": {"本月共收到意见建议若干条，已全部登记。"}, "problems": {"挂号排队时间长的问题比较集中。"},
		"causes": {"高峰时段窗口开放不足。"}, "measures": {"增开窗口，推行分时段预约。"}}
	wantStatus(t, office.post(t, "/admin/reports/draft", text), http.StatusSeeOther)
	draftPath := "/admin/reports/draft?kind=summary&period=" + month
	wantContains(t, office.get(t, draftPath).Body, `id="consultation-open"`, "这份报告稿还没有征求过意见。")

	opening := func(from, to string) url.Values {
		v := url.Values{"scope": {"public"}, "from": {from}, "to": {to}}
		for k, vs := range text {
			v[k] = vs
		}
		return v
	}
	bad := opening("2026-04-15", "2026-04-10")
	bad.Set("measures", "刚写的改进措施，还没保存。")
	r := office.post(t, "/admin/reports/consultation", bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "结束日期不能早于开始日期。", `value="2026-04-10"`, "挂号排队时间长的问题比较集中。", "刚写的改进措施，还没保存。")
	if _, err := h.store.ReportConsultationFor(ctx, storage.ReportKey{Kind: "summary", Period: month}); err == nil {
		t.Fatal("a refused opening opened the draft")
	}
	wantStatus(t, h.staffAs(t, access.Liaison).post(t, "/admin/reports/consultation", url.Values{"period": {month},
		"kind": {"summary"}, "unit": {"county-hospital"}, "scope": {"public"}, "from": {"2026-04-15"}, "to": {"2026-04-25"}}),
		http.StatusForbidden)
	wantStatus(t, office.post(t, "/admin/reports/consultation", opening("2026-04-15", "2026-04-25")), http.StatusSeeOther)
	cons := consultationOf(t, h, month)
	wantAudited(t, h, "测评-reviewer", "report_open_comment", strconv.FormatInt(cons.ID, 10)+" summary "+month+"  2026-04-15–2026-04-25")

	// The public finds it on the home page, reads the text as opened, and comments.
	public := h.browser()
	yijian := pathOf("/yijian/baogao/", cons.ID)
	wantContains(t, public.get(t, "/").Body, `href="`+yijian+`"`)
	page := public.get(t, yijian)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "2026年3月意见建议办理情况汇总（征求意见稿）", "增开窗口，推行分时段预约。", "（社会公众）",
		`name="captcha_id"`)
	words := "建议把挂号排队的问题写得更具体，说明哪几个时段最挤。"
	r = commentForm(t, public, yijian, url.Values{"submitter": {"patient"}, "content": {words}, "captcha_answer": {"000000"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, words)
	before := h.countOpinions(t)
	r = commentForm(t, public, yijian, url.Values{"submitter": {"patient"}, "content": {words}})
	wantStatus(t, r, http.StatusSeeOther)
	if code := receiptOf(t, public.follow(t, r)); code == "" {
		t.Fatal("no receipt code shown")
	}
	if after := h.countOpinions(t); after != before+1 {
		t.Fatalf("opinions %d → %d, want one more", before, after)
	}
	comments, err := h.store.ReportConsultationComments(ctx, cons.ID, access.Viewer{Role: access.Reviewer})
	if err != nil || len(comments) != 1 || comments[0].Content != words || comments[0].Type != "suggestion" || comments[0].UnitCode != "bureau" {
		t.Fatalf("the comment: %+v, %v", comments, err)
	}

	// Beside the draft, for the office.
	page = office.get(t, draftPath)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `href="/admin/opinions/`+comments[0].ID+`"`, "建议把挂号排队的问题写得更具体", "共收到意见 1 条。",
		`href="`+yijian+`"`, `id="consultation-close"`)
	wantContains(t, office.get(t, "/admin/opinions/"+comments[0].ID).Body,
		`<a href="`+pathOf("/admin/reports/consultation/", cons.ID)+`" id="item-report-draft">2026年3月意见建议办理情况汇总（征求意见稿）</a>`)

	// Issuing: "what changed" too long is refused with every word kept; then issued.
	issue := url.Values{}
	for k, v := range text {
		issue[k] = v
	}
	issue.Set("title", "2026年3月意见建议办理情况汇总")
	issue.Set("changes", strings.Repeat("改", 301))
	r = office.post(t, "/admin/reports/issue", issue)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "最多 300 个字。", strings.Repeat("改", 301), "高峰时段窗口开放不足。")
	changes := "根据意见，写明了上午八点到十点挂号最挤。"
	issue.Set("changes", changes)
	r = office.post(t, "/admin/reports/issue", issue)
	wantStatus(t, r, http.StatusSeeOther)
	page = office.follow(t, r)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "征求意见：2026-04-15至2026-04-15，共收到意见 1 条。", changes)
	issued, err := report.Load(ctx, h.store, strings.TrimPrefix(r.location(), "/admin/reports/"))
	if err != nil || issued.Consultation == nil || issued.Consultation.Comments != 1 || issued.Consultation.Changes != changes {
		t.Fatalf("the issued report's consultation: %+v, %v", issued.Consultation, err)
	}
	wantStatus(t, public.get(t, yijian), http.StatusNotFound) // closed by issuing
	r = public.post(t, yijian, url.Values{"submitter": {"patient"}, "content": {"晚到的意见。"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "晚到的意见。", "征求意见已经结束")
	if n := consultationOf(t, h, month).Comments; n != 1 {
		t.Errorf("comments after issuing: %d, want 1", n)
	}
}

// TestReportCommentScopes: a draft open to the staff is read and commented on under /admin
// only, anonymously; one open to a unit's staff by that unit's staff alone (and the office).
func TestReportCommentScopes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	office := h.staffAs(t, access.Reviewer)
	liaison := h.staffAs(t, access.Liaison) // county-hospital
	if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "中医院联络员", Password: staffPassword,
		Role: access.Liaison, Unit: "tcm-hospital"}); err != nil {
		t.Fatal(err)
	}
	other := h.login(t, "中医院联络员", staffPassword)
	staffOnly := openReportForComment(t, h, office, "2026-02", "staff", "")
	unitOnly := openReportForComment(t, h, office, "2026-01", "unit", "county-hospital")
	staffPage, unitPage := pathOf("/admin/reports/consultation/", staffOnly.ID), pathOf("/admin/reports/consultation/", unitOnly.ID)
	for _, tc := range []struct {
		name   string
		b      *browser
		target string
		want   int
	}{
		{"the public, a staff draft", h.browser(), pathOf("/yijian/baogao/", staffOnly.ID), http.StatusNotFound},
		{"the public, a unit draft", h.browser(), pathOf("/yijian/baogao/", unitOnly.ID), http.StatusNotFound},
		{"a liaison, a staff draft", liaison, staffPage, http.StatusOK},
		{"the unit's liaison, its draft", liaison, unitPage, http.StatusOK},
		{"another unit's liaison, the unit draft", other, unitPage, http.StatusNotFound},
		{"the office, the unit draft", office, unitPage, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) { wantStatus(t, tc.b.get(t, tc.target), tc.want) })
	}
	wantNotContains(t, h.browser().get(t, "/").Body, "/yijian/baogao/")
	// Staff find the drafts open to them beside the archive.
	wantContains(t, liaison.get(t, "/admin/reports").Body, `href="`+staffPage+`"`, `href="`+unitPage+`"`)
	wantContains(t, other.get(t, "/admin/reports").Body, `href="`+staffPage+`"`)
	wantNotContains(t, other.get(t, "/admin/reports").Body, `href="`+unitPage+`"`)
	wantStatus(t, other.post(t, unitPage, url.Values{"submitter": {"staff"}, "content": {"x"}}), http.StatusNotFound)

	words := "建议在报告里写明职工反映的排班问题。"
	audited := func() int {
		rows, err := h.store.RecentAudit(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	before := audited()
	r := commentForm(t, liaison, staffPage, url.Values{"submitter": {"staff"}, "content": {words}})
	wantStatus(t, r, http.StatusSeeOther)
	if after := audited(); after != before {
		t.Errorf("a staff member's comment wrote %d audit rows: it must stay anonymous", after-before)
	}
	comments, err := h.store.ReportConsultationComments(ctx, staffOnly.ID, access.Viewer{Role: access.Reviewer})
	if err != nil || len(comments) != 1 || comments[0].Content != words {
		t.Fatalf("the staff comment: %+v, %v", comments, err)
	}
	if unit := comments[0].UnitCode; unit != "bureau" {
		t.Errorf("a staff-wide comment filed under %q, want the bureau", unit)
	}

	// The office ends the unit draft's period from its draft's page; not from another report's.
	closeURL := unitPage + "/close"
	form := url.Values{"period": {"2026-02"}, "kind": {"summary"}, "title": {"二月汇总"}}
	wantStatus(t, office.post(t, closeURL, form), http.StatusNotFound)
	wantStatus(t, liaison.post(t, closeURL, form), http.StatusForbidden)
	form.Set("period", "2026-01")
	wantStatus(t, office.post(t, closeURL, form), http.StatusSeeOther)
	wantStatus(t, liaison.get(t, unitPage), http.StatusNotFound)
	if c := consultationOf(t, h, "2026-01"); c.Open || c.To != "2026-04-15" {
		t.Errorf("closed: %+v", c)
	}
}
