package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
	"minsheng/storage"
)

// TestPlanScopedReading: a draft open for comment to one unit's staff is no public page; that
// unit's liaison reads and comments on it on a staff page, anonymously (the opinion names no
// one and no audit row links them to it), another unit's liaison does not see it; a plan
// published to all staff is read on the staff page, never on the public one.
func TestPlanScopedReading(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	cid := planCampaign(t, h)
	unitDraft := draftPlan(t, h, cid, "县人民医院内部整改方案")
	openForComment(t, h, unitDraft, campaign.ScopeUnit("county-hospital"))
	staffPlan := draftPlan(t, h, cid, "全系统制度建设计划")
	publishPlan(t, h, staffPlan, campaign.ScopeStaff)

	public := h.browser()
	wantStatus(t, public.get(t, pathOf("/yijian/", unitDraft)), http.StatusNotFound)
	wantStatus(t, public.get(t, pathOf("/gongshi/plan/", staffPlan)), http.StatusNotFound)
	wantNotContains(t, public.get(t, "/gongshi").Body, "县人民医院内部整改方案")

	liaison := h.staffAs(t, access.Liaison) // county-hospital
	if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "中医院联络员", Password: staffPassword,
		Role: access.Liaison, Unit: "tcm-hospital"}); err != nil {
		t.Fatal(err)
	}
	other := h.login(t, "中医院联络员", staffPassword)
	other.getCSRF(t, "/admin/queue")

	wantStatus(t, other.get(t, pathOf("/admin/plans/", unitDraft)), http.StatusNotFound)
	wantStatus(t, other.get(t, pathOf("/admin/plans/", unitDraft)+"/comment"), http.StatusNotFound)
	wantContains(t, other.get(t, pathOf("/admin/plans/", staffPlan)).Body, "全系统制度建设计划")
	list := liaison.get(t, "/admin/plans")
	wantContains(t, list.Body, "县人民医院内部整改方案", "全系统制度建设计划")
	page := liaison.get(t, pathOf("/admin/plans/", unitDraft))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, pathOf(`href="/admin/plans/`, unitDraft)+`/comment"`, "县人民医院职工")
	wantNotContains(t, page.Body, `id="step-`) // a liaison takes no step

	words := "希望整改方案里写明夜班人手怎么安排。"
	r := commentForm(t, liaison, pathOf("/admin/plans/", unitDraft)+"/comment", url.Values{"submitter": {"staff"}, "content": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = commentForm(t, liaison, pathOf("/admin/plans/", unitDraft)+"/comment", url.Values{"submitter": {"staff"}, "content": {words}})
	wantStatus(t, r, http.StatusSeeOther)
	if receiptOf(t, liaison.follow(t, r)) == "" {
		t.Fatal("no receipt")
	}
	comments, err := h.store.PlanComments(ctx, unitDraft, access.Viewer{Role: access.Reviewer})
	if err != nil || len(comments) != 1 || comments[0].Content != words || comments[0].UnitCode != "county-hospital" {
		t.Fatalf("the staff comment: %+v %v", comments, err)
	}
	history, err := h.store.AuditOf(ctx, comments[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range history {
		if e.Username != "" {
			t.Errorf("the comment's history names %s (%s): a staff comment must stay anonymous", e.Username, e.Action)
		}
	}
}

// TestPlanCommentAfterThePeriod: a comment typed while the draft was open and sent after the
// office closed it is refused with the words kept, and nothing is stored.
func TestPlanCommentAfterThePeriod(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := draftPlan(t, h, planCampaign(t, h), "征求意见稿")
	openForComment(t, h, id, campaign.ScopePublic)
	b := h.browser()
	page := b.getCSRF(t, pathOf("/yijian/", id))
	captcha, answer := h.captchaFor(t, page.Body)
	stepPlanAs(t, h, access.Reviewer, id, storage.PlanStep{Action: plan.CloseComment})
	before := h.countOpinions(t)
	words := "慢慢写完的意见，写完才发现已经截止了。"
	r := b.post(t, pathOf("/yijian/", id), url.Values{"captcha_id": {captcha}, "captcha_answer": {answer},
		"submitter": {"public"}, "content": {words}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, words, "征求意见已经结束")
	wantStatus(t, b.get(t, pathOf("/yijian/", id)), http.StatusNotFound) // the page is gone once closed
	if after := h.countOpinions(t); after != before {
		t.Fatalf("opinions %d → %d", before, after)
	}
}

// TestStaffCommentAfterThePeriod: a liaison's comment sent after the office closed the draft
// comes back with the words, though the liaison no longer opens the draft itself.
func TestStaffCommentAfterThePeriod(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := draftPlan(t, h, planCampaign(t, h), "科室内部征求意见稿")
	openForComment(t, h, id, campaign.ScopeUnit("county-hospital"))
	liaison := h.staffAs(t, access.Liaison)
	path := pathOf("/admin/plans/", id) + "/comment"
	page := liaison.getCSRF(t, path)
	captcha, answer := h.captchaFor(t, page.Body)
	stepPlanAs(t, h, access.Reviewer, id, storage.PlanStep{Action: plan.CloseComment})
	words := "夜班护士太少，方案里要写明增加人手的时间。"
	r := liaison.post(t, path, url.Values{"captcha_id": {captcha}, "captcha_answer": {answer}, "submitter": {"staff"}, "content": {words}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, words, "征求意见已经结束")
	wantStatus(t, liaison.get(t, pathOf("/admin/plans/", id)), http.StatusNotFound)
}

// TestPlanAuditWords: the audit log words a plan's steps (the states in words, no codes).
func TestPlanAuditWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := draftPlan(t, h, planCampaign(t, h), "审计用的方案")
	openForComment(t, h, id, campaign.ScopePublic)
	admin, err := h.store.CreateUser(context.Background(), 0, "审计管理员", staffPassword, storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	b := h.login(t, admin.Username, staffPassword)
	page := b.get(t, "/admin/audit?action=plan_open_comment")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "方案公开征求意见", "方案 "+pathOf("", id)+"：草稿 → 征求意见中")
	wantNotContains(t, page.Body, "draft→comment")
}

// TestPlanEditAndReturn: the office edits the text and a task (the task form filled from
// ?task=N); a plan returned by the 督导组 shows its note and can be edited again; the list
// filters by state.
func TestPlanEditAndReturn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cid := planCampaign(t, h)
	id := draftPlan(t, h, cid, "待修改的方案")
	other := draftPlan(t, h, cid, "另一份草稿")
	path := pathOf("/admin/plans/", id)
	office := h.staffAs(t, access.Reviewer)

	r := office.post(t, path, url.Values{"kind": {"special"}, "title": {strings.Repeat("长", 101)}, "body": {"改过的正文"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "标题最多 100 个字。", "改过的正文")
	wantStatus(t, office.post(t, path, url.Values{"kind": {"special"}, "title": {"改过的方案"}, "body": {"二、改过的正文"}}), http.StatusSeeOther)
	page := office.get(t, path+"?task=1")
	wantContains(t, page.Body, "<h1>改过的方案</h1>", "<h2>二、改过的正文</h2>", "修改第 1 项任务", `value="缩短门诊候诊时间"`)
	wantStatus(t, office.post(t, path+"/tasks", url.Values{"seq": {"1"}, "what": {"缩短急诊候诊时间"}}), http.StatusSeeOther)
	wantStatus(t, office.post(t, path+"/tasks/1/delete", url.Values{}), http.StatusSeeOther)
	wantStatus(t, office.post(t, path+"/tasks/1/delete", url.Values{}), http.StatusNotFound)

	wantStatus(t, office.post(t, path+"/step", url.Values{"action": {"submit"}}), http.StatusSeeOther)
	wantStatus(t, office.post(t, path, url.Values{"kind": {"special"}, "title": {"审核中改标题"}}), http.StatusConflict)
	supervisor := h.staffAs(t, access.Supervisor)
	wantStatus(t, supervisor.post(t, path+"/step", url.Values{"action": {"return"}, "note": {"请补充验收标准。"}}), http.StatusSeeOther)
	page = office.get(t, path)
	wantContains(t, page.Body, "已退回修改", "请补充验收标准。", `id="plan-edit"`, `id="step-submit"`)

	list := office.get(t, "/admin/plans?status=returned")
	wantContains(t, list.Body, "改过的方案")
	wantNotContains(t, list.Body, "另一份草稿")
	wantContains(t, office.get(t, "/admin/plans?status=draft").Body, pathOf(`href="/admin/plans/`, other))
}
