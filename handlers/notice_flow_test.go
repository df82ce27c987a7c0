package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/storage"
)

// liaisonOf logs in a new liaison of unit.
func liaisonOf(t *testing.T, h *harness, name, unit string) *browser {
	t.Helper()
	if _, err := h.store.CreateScopedUser(context.Background(), 0, storage.NewUser{Username: name, Password: staffPassword,
		Role: access.Liaison, Unit: unit}); err != nil {
		t.Fatal(err)
	}
	b := h.login(t, name, staffPassword)
	b.getCSRF(t, "/admin/zhuanlan")
	return b
}

func TestUnitScopedNoticeReachesThatUnitOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newNoticeWorld(t, h)
	office, _ := h.staff(t)
	office.getCSRF(t, "/admin/notices")
	r := office.post(t, "/admin/notices", url.Values{"kind": {"brief"}, "campaign": {w.campaign}, "title": {"青山乡卫生院简报"},
		"body": {"只给青山乡卫生院职工看。"}, "scope": {"unit"}, "unit": {"qingshan-thc"}})
	wantStatus(t, r, http.StatusSeeOther)
	item := r.location()
	if !strings.HasPrefix(item, "/admin/zhuanlan/") {
		t.Fatalf("publish went to %q, want the item's staff page", item)
	}
	id := strings.TrimPrefix(item, "/admin/zhuanlan/")
	mine, other := liaisonOf(t, h, "青山联络员", "qingshan-thc"), liaisonOf(t, h, "中医联络员", "tcm-hospital")
	public := h.browser()

	tests := []struct {
		name   string
		b      *browser
		target string
		status int
		shows  bool
	}{
		{"the unit's liaison, the column", mine, "/admin/zhuanlan", 200, true},
		{"the unit's liaison, the item", mine, item, 200, true},
		{"another unit's liaison, the column", other, "/admin/zhuanlan", 200, false},
		{"another unit's liaison, the item", other, item, 404, false},
		{"the public column", public, "/zhuanlan", 200, false},
		{"the public item", public, "/zhuanlan/" + id, 404, false},
		{"the campaign's public page", public, "/gongshi/c/" + w.campaign, 200, false},
		{"the public with a staff cookie set for /admin only", mine, "/zhuanlan", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.get(t, tt.target)
			wantStatus(t, r, tt.status)
			if got := strings.Contains(r.Body, "青山乡卫生院简报"); got != tt.shows {
				t.Errorf("%s shows the unit's 简报: %v, want %v", tt.target, got, tt.shows)
			}
		})
	}
	// The other unit's 简报 of the world is not the 青山 liaison's either; the public notice is.
	wantNotContains(t, mine.get(t, "/admin/zhuanlan").Body, briefTitle)
	wantContains(t, mine.get(t, "/admin/zhuanlan").Body, noticeTitle)
	// A liaison reads, never publishes.
	wantStatus(t, mine.post(t, "/admin/notices", url.Values{"kind": {"notice"}, "title": {"t"}, "body": {"b"}, "scope": {"public"}}), http.StatusForbidden)
	wantStatus(t, mine.get(t, "/admin/notices"), http.StatusForbidden)
	wantStatus(t, mine.post(t, "/admin/notices/"+id+"/withdraw", nil), http.StatusForbidden)

	// Withdrawn: gone from the unit's column, kept and marked on the management page.
	wantStatus(t, office.post(t, "/admin/notices/"+id+"/withdraw", nil), http.StatusSeeOther)
	wantNotContains(t, mine.get(t, "/admin/zhuanlan").Body, "青山乡卫生院简报")
	wantStatus(t, mine.get(t, item), http.StatusNotFound)
	wantContains(t, office.get(t, "/admin/notices").Body, "青山乡卫生院简报", "已于 2026-04-15 撤回")
	wantStatus(t, office.post(t, "/admin/notices/99999/withdraw", nil), http.StatusNotFound)
}

func TestPublicColumnAndCampaignPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newNoticeWorld(t, h)
	office, _ := h.staff(t)
	office.getCSRF(t, "/admin/notices")
	r := office.post(t, "/admin/notices", url.Values{"kind": {"notice"}, "campaign": {w.campaign}, "title": {"全系统职工通知"},
		"body": {"职工内部材料。"}, "scope": {"staff"}})
	wantStatus(t, r, http.StatusSeeOther)

	cid := mustAtoi(t, w.campaign)
	published, staffOnly := draftPlan(t, h, cid, "县人民医院整改方案"), draftPlan(t, h, cid, "内部专项整治方案")
	publishPlan(t, h, published, campaign.ScopePublic)
	publishPlan(t, h, staffOnly, campaign.ScopeStaff)
	draftPlan(t, h, cid, "还在起草的制度建设计划")

	public := h.browser()
	column := public.get(t, "/zhuanlan")
	wantStatus(t, column, http.StatusOK)
	wantContains(t, column.Body, noticeTitle, `href="/zhuanlan/`+w.notice+`"`, "整改任务书和时间表")
	wantNotContains(t, column.Body, "全系统职工通知", briefTitle)
	// Newest first: the notice was published after the task list.
	if strings.Index(column.Body, noticeTitle) > strings.Index(column.Body, `href="/zhuanlan/`+w.taskList+`"`) {
		t.Error("the column does not list the newest first")
	}
	page := public.get(t, "/gongshi/c/"+w.campaign)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, noticeCampaign, "整改落实", `aria-current="step"`, noticeTask, noticePost, "已交给负责单位", noticeTitle)
	wantContains(t, page.Body, "县人民医院整改方案", pathOf(`href="/gongshi/plan/`, published)+`"`)
	wantNotContains(t, page.Body, noticePerson, "全系统职工通知", briefTitle, "内部专项整治方案", "还在起草的制度建设计划")
	wantContains(t, public.get(t, "/gongshi").Body, `href="/gongshi/c/`+w.campaign+`"`, `href="/zhuanlan"`)
	wantContains(t, public.get(t, "/en/gongshi/c/"+w.campaign).Body, "Putting things right", "Rectification tasks and timetable")
	wantStatus(t, public.get(t, "/gongshi/c/999"), http.StatusNotFound)
	wantStatus(t, public.get(t, "/zhuanlan/x"), http.StatusNotFound)
	if _, ok := public.cookies["ms_session"]; ok {
		t.Error("a public page set a staff session")
	}
	// Staff read the staff-wide notice under /admin.
	wantContains(t, office.get(t, "/admin/zhuanlan").Body, "全系统职工通知", briefTitle, noticeTitle)
}

func TestTaskListPostNameAndWorkbook(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newNoticeWorld(t, h)
	office, _ := h.staff(t)
	ctx := context.Background()

	// A second item, assigned through the item page's form with "publish the name" ticked.
	named, _ := h.seed(t, storage.NewOpinion{Content: "夜间急诊没有医生。"})
	h.setCampaign(t, named, mustAtoi(t, w.campaign))
	for _, step := range []url.Values{{"status": {"triaged"}}} {
		wantStatus(t, office.post(t, "/admin/opinions/"+named+"/status", step), http.StatusSeeOther)
	}
	tooLong := url.Values{"status": {"assigned"}, "lead_unit": {"county-hospital"}, "responsible": {"李医生"},
		"post": {strings.Repeat("岗", 51)}, "measures": {"排班"}, "ledger": {"problem"}, "deadline": {"2026-05-29"}}
	r := office.post(t, "/admin/opinions/"+named+"/status", tooLong)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "责任岗位最多 50 个字。", strings.Repeat("岗", 51))
	wantStatus(t, assignWithPost(t, office, named, true), http.StatusSeeOther)
	rect, err := h.store.Rectification(ctx, named)
	if err != nil || rect.Post != noticePost || !rect.PublishName || rect.Responsible != noticePerson {
		t.Fatalf("Rectification = %+v, %v; want the post and the tick", rect, err)
	}
	wantContains(t, office.get(t, "/admin/opinions/"+named).Body, `id="post">`+noticePost, "公开")
	wantContains(t, office.get(t, "/admin/opinions/"+named+"/sheet").Body, `id="sheet-post">`+noticePost)
	if err := h.store.Publish(ctx, 0, named, "夜间急诊值班不到位", "已调整排班。", ""); err != nil {
		t.Fatal(err)
	}

	preview := office.get(t, "/admin/tasklist?campaign="+w.campaign)
	wantStatus(t, preview, http.StatusOK)
	wantContains(t, preview.Body, noticeTask, "夜间急诊值班不到位", noticePost+"（"+noticePerson+"）", "待确定",
		`href="/admin/tasklist/print?campaign=`+w.campaign+`"`, `href="/admin/tasklist.xlsx?campaign=`+w.campaign+`"`)
	wantNotContains(t, preview.Body, "夜间急诊没有医生。", "收费处高峰时只开一个窗口。")

	print := office.get(t, "/admin/tasklist/print?campaign="+w.campaign)
	wantStatus(t, print, http.StatusOK)
	wantContains(t, print.Body, `<article class="tasklist-doc"`, `class="tasklist"`, noticeCampaign, "夜间急诊值班不到位")

	x := office.get(t, "/admin/tasklist.xlsx?campaign="+w.campaign)
	wantStatus(t, x, http.StatusOK)
	if ct := x.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("Content-Type = %q", ct)
	}
	rows := readTaskBook(t, x.Body)
	want := [][]string{
		{noticeCampaign},
		{"序号", "整改任务", "牵头单位", "责任岗位", "整改类别", "完成时限", "进展情况"},
		{"1", "夜间急诊值班不到位", "县人民医院", noticePost + "（" + noticePerson + "）", "待确定", "2026-05-20", "已交给负责单位"},
		{"2", noticeTask, "县人民医院", noticePost, "待确定", "2026-05-29", "已交给负责单位"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q, want %q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	if n := countAudit(t, h, "export", "tasklist campaign="+w.campaign); n != 1 {
		t.Errorf("the download audited %d times, want once", n)
	}

	// Published through the form: frozen. The work moves on; the published list does not.
	r = office.post(t, "/admin/notices", url.Values{"kind": {"tasklist"}, "campaign": {w.campaign}, "title": {"第二批整改任务"},
		"scope": {"public"}})
	wantStatus(t, r, http.StatusSeeOther)
	id := strings.TrimPrefix(r.location(), "/admin/zhuanlan/")
	wantStatus(t, office.post(t, "/admin/opinions/"+named+"/status", url.Values{"status": {"rectifying"}, "kind": {"immediate"}}), http.StatusSeeOther)
	shown := h.browser().get(t, "/zhuanlan/"+id)
	wantContains(t, shown.Body, "夜间急诊值班不到位", "待确定")
	wantNotContains(t, shown.Body, "立行立改")
	wantContains(t, office.get(t, "/admin/tasklist?campaign="+w.campaign).Body, "立行立改")
	// …nor does its workbook, for the public, while the unit's 简报 is no workbook for anyone.
	book := h.browser().get(t, "/zhuanlan/"+id+"/xlsx")
	wantStatus(t, book, http.StatusOK)
	frozen := readTaskBook(t, book.Body)
	if len(frozen) != 4 || frozen[0][0] != "第二批整改任务" || frozen[2][1] != "夜间急诊值班不到位" || frozen[2][4] != "待确定" {
		t.Errorf("the published workbook = %q, want the list as published", frozen)
	}
	wantStatus(t, h.browser().get(t, "/zhuanlan/"+w.brief+"/xlsx"), http.StatusNotFound)
	wantStatus(t, h.browser().get(t, "/zhuanlan/"+w.notice+"/xlsx"), http.StatusNotFound)
	wantStatus(t, office.get(t, "/admin/zhuanlan/"+id+"/xlsx"), http.StatusOK)
	if n := countAudit(t, h, "export", "tasklist #"+id); n != 1 {
		t.Errorf("the staff download audited %d times, want once", n)
	}
	// The campaign's page shows the newest public task list.
	wantContains(t, h.browser().get(t, "/gongshi/c/"+w.campaign).Body, "第二批整改任务")

	// A refused task list comes back to its own page with the words kept.
	r = office.post(t, "/admin/notices", url.Values{"kind": {"tasklist"}, "campaign": {w.campaign}, "title": {"留着的标题"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请选择发布范围。", `value="留着的标题"`, `id="tasklist"`)
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// countAudit counts the audit log's rows of action with detail.
func countAudit(t *testing.T, h *harness, action, detail string) int {
	t.Helper()
	return storetest.CountAudit(t, h.store, action, detail)
}

// readTaskBook opens a task list workbook and returns its sheet's rows.
func readTaskBook(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("整改任务表")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
