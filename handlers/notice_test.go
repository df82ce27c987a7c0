package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// noticeWorld is a campaign with one rectification on the board and what was published of it:
// the task list (public), a public notice and a 简报 for the staff of the county hospital.
type noticeWorld struct {
	campaign                string
	taskList, notice, brief string
	data                    []string // the Chinese the staff typed, which pages show as data
}

const (
	noticeCampaign = "2026年春季“四风”问题征求意见活动"
	noticeTask     = "门诊收费窗口高峰排长队"
	noticePost     = "分管副院长"
	noticePerson   = "门诊部王主任"
	noticeTitle    = "关于开展整改落实工作的通知"
	noticeBody     = "各单位要按照任务表抓好落实。"
	briefTitle     = "县人民医院整改简报第1期"
	briefBody      = "本院已增开两个收费窗口。"
)

// setCampaign records that opinion id arrived in campaign cid, as the campaign's own form does.
func (h *harness) setCampaign(t *testing.T, id string, cid int64) {
	t.Helper()
	storetest.SetCampaign(t, h.store, id, cid)
}

// newNoticeWorld makes a campaign with an opinion assigned to a post, on the board, and
// publishes the campaign's task list, a public notice and a unit-scoped 简报.
func newNoticeWorld(t *testing.T, h *harness) noticeWorld {
	t.Helper()
	ctx := context.Background()
	assigned, _ := h.seed(t, storage.NewOpinion{Content: "收费处高峰时只开一个窗口。"})
	for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := h.store.Transition(ctx, 0, assigned, lifecycle.Step{To: to, LeadUnit: "county-hospital",
			Responsible: noticePerson, Post: noticePost, Measures: "高峰时段增开收费窗口", Ledger: "problem",
			Deadline: "2026-05-29"}); err != nil {
			t.Fatal(err)
		}
	}
	office, err := h.store.CreateUser(ctx, 0, "活动办", staffPassword, storage.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	cid, err := h.store.SaveCampaign(ctx, office.ID, campaign.Campaign{Name: noticeCampaign, Units: []string{"county-hospital"},
		ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2026-03-07", EndsOn: "2026-03-31"},
			{Kind: campaign.Rectify, StartsOn: "2026-04-01", EndsOn: "2026-05-31"},
			{Kind: campaign.LookBack, StartsOn: "2026-06-01", EndsOn: "2026-06-15"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.setCampaign(t, assigned, cid)
	if err := h.store.Publish(ctx, office.ID, assigned, noticeTask, "已要求增开收费窗口。", ""); err != nil {
		t.Fatal(err)
	}
	w := noticeWorld{campaign: strconv.FormatInt(cid, 10),
		data: []string{"整改任务书和时间表", "收费处高峰时只开一个窗口。", noticePost, noticePerson, noticeCampaign, noticeTask, "已要求增开收费窗口。", noticeTitle, noticeBody, briefTitle, briefBody, "活动办"}}
	publish := func(n storage.NewBulletin) string {
		t.Helper()
		n.CampaignID = cid
		id, err := h.store.PublishBulletin(ctx, office.ID, n)
		if err != nil {
			t.Fatalf("PublishBulletin(%s): %v", n.Title, err)
		}
		return strconv.FormatInt(id, 10)
	}
	w.taskList = publish(storage.NewBulletin{Kind: storage.NoticeTaskList, Title: "整改任务书和时间表", Scope: campaign.ScopePublic})
	w.notice = publish(storage.NewBulletin{Kind: storage.NoticeNotice, Title: noticeTitle, Body: noticeBody, Scope: campaign.ScopePublic})
	w.brief = publish(storage.NewBulletin{Kind: storage.NoticeBrief, Title: briefTitle, Body: briefBody,
		Scope: campaign.ScopeUnit("county-hospital")})
	return w
}

// noticePages are the pages of the notices for TestEveryPage.
func noticePages(w noticeWorld) []pageCase {
	get := http.MethodGet
	return []pageCase{
		{"zhuanlan", "public", get, "/zhuanlan", nil, 200, []string{"活动专栏", noticeTitle}},
		{"zhuanlan item", "public", get, "/zhuanlan/" + w.notice, nil, 200, []string{noticeTitle, noticeBody}},
		{"zhuanlan task list", "public", get, "/zhuanlan/" + w.taskList, nil, 200, []string{noticeTask, "责任岗位"}},
		{"gongshi campaign", "public", get, "/gongshi/c/" + w.campaign, nil, 200,
			[]string{noticeCampaign, `aria-current="step"`, noticeTask, noticeTitle}},
		{"staff zhuanlan", "reviewer", get, "/admin/zhuanlan", nil, 200, []string{briefTitle, noticeTitle}},
		{"staff zhuanlan item", "reviewer", get, "/admin/zhuanlan/" + w.brief, nil, 200, []string{briefTitle, briefBody, "县人民医院职工"}},
		{"notices", "admin", get, "/admin/notices", nil, 200, []string{"发布通知和简报", briefTitle, "撤回"}},
		{"notices refused", "admin", http.MethodPost, "/admin/notices", url.Values{"kind": {"notice"}, "body": {"正文留着"},
			"scope": {"unit"}}, 422, []string{"请填写标题。", "请选择是哪个单位的职工。", "正文留着"}},
		{"task list", "reviewer", get, "/admin/tasklist?campaign=" + w.campaign, nil, 200, []string{noticeTask, "下载 Excel 表格"}},
		{"task list print", "reviewer", get, "/admin/tasklist/print?campaign=" + w.campaign, nil, 200,
			[]string{`class="tasklist-doc"`, noticeTask, noticePost}},
	}
}

// assignWithPost hands the opinion id out through the item page's form, with a post.
func assignWithPost(t *testing.T, b *browser, id string, publishName bool) *response {
	// (deadline 2026-05-20: a week before the world's own item, so the list's order is known)
	t.Helper()
	vals := url.Values{"status": {lifecycle.Assigned}, "lead_unit": {"county-hospital"}, "responsible": {noticePerson},
		"post": {noticePost}, "measures": {"高峰时段增开收费窗口"}, "ledger": {"problem"}, "deadline": {"2026-05-20"}}
	if publishName {
		vals.Set("publish_name", "true")
	}
	return b.post(t, "/admin/opinions/"+id+"/status", vals)
}
