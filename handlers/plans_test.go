package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
	"minsheng/storage"
)

// planCampaign saves a campaign running through the harness's day (2026-04-15) and returns it.
func planCampaign(t *testing.T, h *harness) int64 {
	t.Helper()
	id, err := h.store.SaveCampaign(context.Background(), 0, campaign.Campaign{Name: "2026年作风建设征求意见活动",
		ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"},
			{Kind: campaign.Rectify, StartsOn: "2026-05-01", EndsOn: "2026-06-30"}}})
	if err != nil {
		t.Fatalf("SaveCampaign: %v", err)
	}
	return id
}

// draftPlan writes a draft with one task through the store, by the 活动办 (no user: the
// command line), and returns its id.
func draftPlan(t *testing.T, h *harness, campaignID int64, title string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := h.store.CreatePlan(ctx, 0, access.Reviewer, plan.Text{CampaignID: campaignID, Kind: plan.Rectification,
		Title: title, Body: "一、总体要求\n坚持问题导向，立行立改。\n（一）工作目标\n群众反映的问题件件有回音。"})
	if err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	if _, err := h.store.SavePlanTask(ctx, 0, access.Reviewer, id, plan.Task{What: "缩短门诊候诊时间", Goal: "候诊不超过30分钟",
		LeaderPost: "分管副院长", LeaderName: "李四", Unit: "county-hospital", Commitment: "三个月见效", Acceptance: "抽查候诊时间",
		Deadline: "2026-06-30"}); err != nil {
		t.Fatalf("SavePlanTask: %v", err)
	}
	return id
}

// stepPlanAs takes a step through the store.
func stepPlanAs(t *testing.T, h *harness, role string, id int64, st storage.PlanStep) {
	t.Helper()
	if err := h.store.StepPlan(context.Background(), 0, role, id, st); err != nil {
		t.Fatalf("%s by %s: %v", st.Action, role, err)
	}
}

// openForComment opens a draft to scope from today until the end of the month.
func openForComment(t *testing.T, h *harness, id int64, scope string) {
	t.Helper()
	stepPlanAs(t, h, access.Reviewer, id, storage.PlanStep{Action: plan.OpenComment,
		Opening: plan.Opening{Scope: scope, From: h.store.Today(), To: "2026-04-30"}})
}

// publishPlan takes a draft through review to publication with scope.
func publishPlan(t *testing.T, h *harness, id int64, scope string) {
	t.Helper()
	stepPlanAs(t, h, access.Reviewer, id, storage.PlanStep{Action: plan.Submit})
	stepPlanAs(t, h, access.Supervisor, id, storage.PlanStep{Action: plan.Approve})
	stepPlanAs(t, h, access.Reviewer, id, storage.PlanStep{Action: plan.Publish,
		Publication: plan.Publication{Scope: scope, Changes: "采纳了关于公开承诺的意见。"}})
}

// commentForm opens a comment page, solves its captcha and posts vals to it.
func commentForm(t *testing.T, b *browser, page string, vals url.Values) *response {
	t.Helper()
	r := b.getCSRF(t, page)
	v := url.Values{}
	id, answer := b.h.captchaFor(t, r.Body)
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	for k, vs := range vals {
		v[k] = vs
	}
	return b.post(t, page, v)
}

func pathOf(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

// TestPlanThroughTheRouter: the 活动办 drafts a plan and its task on the staff pages (a refused
// form comes back 422 with what was typed), opens it for comment; the public comments through
// the opinion pipeline (a refusal keeps the words; the receipt after the commit; the comment an
// opinion linked to the plan); the 督导组 approves; it is published, and the public page says
// how many comments came in and what changed.
func TestPlanThroughTheRouter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	cid := planCampaign(t, h)
	office := h.staffAs(t, access.Reviewer)

	r := office.post(t, "/admin/plans", url.Values{"campaign": {strconv.FormatInt(cid, 10)}, "kind": {"rectification"},
		"title": {"  "}, "body": {"一、总体要求\n写了一半的正文"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请填写标题。", "写了一半的正文")
	r = office.post(t, "/admin/plans", url.Values{"campaign": {strconv.FormatInt(cid, 10)}, "kind": {"rectification"},
		"title": {"县人民医院整改方案"}, "body": {"一、总体要求\n坚持<b>问题</b>导向。\n（一）工作目标\n件件有回音。"}})
	wantStatus(t, r, http.StatusSeeOther)
	planPath := r.location()
	id, err := strconv.ParseInt(strings.TrimPrefix(planPath, "/admin/plans/"), 10, 64)
	if err != nil {
		t.Fatalf("created plan at %q", planPath)
	}
	page := office.get(t, planPath)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "<h2>一、总体要求</h2>", "<h3>（一）工作目标</h3>", "<p>坚持&lt;b&gt;问题&lt;/b&gt;导向。</p>", "草稿")
	wantNotContains(t, page.Body, "<b>问题</b>")

	r = office.post(t, planPath+"/tasks", url.Values{"what": {""}, "goal": {"候诊不超过30分钟"}, "deadline": {"明年"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请填写任务内容。", "候诊不超过30分钟", "请按“2027-03-07”的格式填写日期。")
	r = office.post(t, planPath+"/tasks", url.Values{"what": {"缩短门诊候诊时间"}, "goal": {"候诊不超过30分钟"},
		"leader_post": {"分管副院长"}, "leader_name": {"王五"}, "unit": {"county-hospital"}, "deadline": {"2026-06-30"}})
	wantStatus(t, r, http.StatusSeeOther)

	r = office.post(t, planPath+"/step", url.Values{"action": {"open_comment"}, "scope": {"public"}, "from": {"2026-04-15"}, "to": {"2026-04-10"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "结束日期不能早于开始日期。", `value="2026-04-10"`)
	r = office.post(t, planPath+"/step", url.Values{"action": {"open_comment"}, "scope": {"public"}, "from": {"2026-04-15"}, "to": {"2026-04-25"}})
	wantStatus(t, r, http.StatusSeeOther)

	// The public finds it on the home page and /gongshi, and comments.
	public := h.browser()
	for _, where := range []string{"/", "/gongshi"} {
		wantContains(t, public.get(t, where).Body, `href="`+pathOf("/yijian/", id)+`"`, "县人民医院整改方案")
	}
	yijian := pathOf("/yijian/", id)
	words := "建议把候诊时间的承诺写进公开承诺里。"
	r = commentForm(t, public, yijian, url.Values{"submitter": {"patient"}, "content": {words}, "captcha_answer": {"000000"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, words, "缩短门诊候诊时间", "分管副院长")
	wantNotContains(t, r.Body, "王五") // the name is not published
	before := h.countOpinions(t)
	r = commentForm(t, public, yijian, url.Values{"submitter": {"patient"}, "content": {words}})
	wantStatus(t, r, http.StatusSeeOther)
	if code := receiptOf(t, public.follow(t, r)); code == "" {
		t.Fatal("no receipt code shown")
	}
	if after := h.countOpinions(t); after != before+1 {
		t.Fatalf("opinions %d → %d, want one more", before, after)
	}
	comments, err := h.store.PlanComments(ctx, id, access.Viewer{Role: access.Reviewer})
	if err != nil || len(comments) != 1 || comments[0].Content != words || comments[0].Type != "suggestion" ||
		comments[0].Contact != "" || comments[0].UnitCode != "bureau" {
		t.Fatalf("the comment: %+v, %v", comments, err)
	}
	page = office.get(t, planPath)
	wantContains(t, page.Body, `href="/admin/opinions/`+comments[0].ID+`"`, words)
	wantContains(t, office.get(t, "/admin/opinions/"+comments[0].ID).Body, `<a href="`+planPath+`" id="item-plan">县人民医院整改方案</a>`)

	// Review: the office may not approve; the 督导组 may; the office publishes.
	wantStatus(t, office.post(t, planPath+"/step", url.Values{"action": {"submit"}}), http.StatusSeeOther)
	wantStatus(t, office.post(t, planPath+"/step", url.Values{"action": {"approve"}}), http.StatusForbidden)
	supervisor := h.staffAs(t, access.Supervisor)
	r = supervisor.post(t, planPath+"/step", url.Values{"action": {"return"}, "note": {" "}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "退回时请写明修改意见。")
	wantStatus(t, supervisor.post(t, planPath+"/step", url.Values{"action": {"approve"}, "note": {"同意。"}}), http.StatusSeeOther)
	wantStatus(t, office.post(t, planPath+"/step", url.Values{"action": {"publish"}, "scope": {"public"},
		"changes": {"采纳意见，公开承诺写明候诊时间。"}}), http.StatusSeeOther)

	r = public.get(t, pathOf("/gongshi/plan/", id))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "县人民医院整改方案", "征求意见期间共收到意见 1 条。", "采纳意见，公开承诺写明候诊时间。", "已公示")
	wantStatus(t, public.get(t, yijian), http.StatusNotFound) // no longer open for comment
	page = office.get(t, planPath)
	wantContains(t, page.Body, "提交审核", "审核通过", "同意。", "公示", pathOf(`href="/gongshi/plan/`, id))
}

// TestPlanRoleRefusals: each step by a role that never takes it is 403; by the right role in
// the wrong state 409 with the page; a draft is not shown to a liaison at all.
func TestPlanRoleRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cid := planCampaign(t, h)
	id := draftPlan(t, h, cid, "院感防控整改计划")
	path := pathOf("/admin/plans/", id)
	office, supervisor, liaison := h.staffAs(t, access.Reviewer), h.staffAs(t, access.Supervisor), h.staffAs(t, access.Liaison)
	for _, tc := range []struct {
		name   string
		b      *browser
		target string
		form   url.Values
		want   int
	}{
		{"a liaison drafts", liaison, "/admin/plans", url.Values{"campaign": {strconv.FormatInt(cid, 10)}, "kind": {"system"}, "title": {"x"}}, http.StatusForbidden},
		{"the supervision group drafts", supervisor, "/admin/plans", url.Values{"campaign": {strconv.FormatInt(cid, 10)}, "kind": {"system"}, "title": {"x"}}, http.StatusForbidden},
		{"the supervision group submits", supervisor, path + "/step", url.Values{"action": {"submit"}}, http.StatusForbidden},
		{"the supervision group edits a task", supervisor, path + "/tasks", url.Values{"what": {"x"}}, http.StatusForbidden},
		{"the office approves", office, path + "/step", url.Values{"action": {"approve"}}, http.StatusForbidden},
		{"the office publishes a draft", office, path + "/step", url.Values{"action": {"publish"}, "scope": {"public"}}, http.StatusConflict},
		{"the supervision group approves a draft", supervisor, path + "/step", url.Values{"action": {"approve"}}, http.StatusConflict},
		{"an unknown step", office, path + "/step", url.Values{"action": {"delete"}}, http.StatusForbidden},
		{"a liaison steps on a draft it cannot see", liaison, path + "/step", url.Values{"action": {"submit"}}, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.post(t, tc.target, tc.form)
			wantStatus(t, r, tc.want)
			if tc.want == http.StatusConflict {
				wantContains(t, r.Body, "这份方案的状态刚刚有了变化")
			}
		})
	}
	wantStatus(t, liaison.get(t, path), http.StatusNotFound)
	wantNotContains(t, liaison.get(t, "/admin/plans").Body, "院感防控整改计划")
	wantContains(t, supervisor.get(t, "/admin/plans").Body, "院感防控整改计划")
	if p, _ := h.store.Plan(context.Background(), id); p.Status != plan.Draft || len(p.Tasks) != 1 {
		t.Errorf("refusals changed the plan: %+v", p)
	}
}
