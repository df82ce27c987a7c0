package handlers_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/campaign"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/plan"
	"minsheng/storage"
)

// pageCase is one page of the render tests: who asks for it, how, the status it answers with,
// and what it shows in zh-CN.
type pageCase struct {
	name   string
	who    string // "public", or the staff role whose browser asks: "reviewer", "admin"
	method string
	target string
	form   url.Values // for a POST
	status int
	wants  []string // in zh-CN
}

// pageWorld is a portal with something on every page: an opinion received, one handed out, a
// survey, an evaluation, a site, and a setup link.
type pageWorld struct {
	received, receivedCode, assigned string
	survey, evaluation               string
	site, token                      string
	campaign                         string   // a campaign whose collection window is open
	lookback                         string   // a campaign past its 回头看 day, w.assigned in it
	report                           string   // the number of an issued summary report
	openPlan, publishedPlan          string   // a draft open for comment to the public, a published plan (#14)
	openReport                       string   // a report's draft open for comment to the public (feature 63)
	frozen                           []string // its frozen sections' words, in zh-CN whoever reads it
	data                             []string // what the store holds that pages show: Chinese in every language
	notice                           noticeWorld
	paper                            paperWorld
}

func newPageWorld(t *testing.T, h *harness) pageWorld {
	t.Helper()
	ctx := context.Background()
	var w pageWorld
	var err error
	if w.token, err = h.store.CreateSetupToken(ctx); err != nil {
		t.Fatalf("CreateSetupToken: %v", err)
	}
	w.received, w.receivedCode = h.seed(t, storage.NewOpinion{Content: "挂号窗口的工作人员态度很差。", Dept: "挂号处"})
	w.assigned, _ = h.seed(t, storage.NewOpinion{Content: "门诊收费处排队两个小时，窗口只开了一个。", Dept: "门诊收费处"})
	asker := h.newStaff(t, "对话审核员")
	if err := h.store.PostStaffMessage(ctx, asker.ID, w.received, storage.MessageQuestion, "请问是哪一天？"); err != nil {
		t.Fatalf("PostStaffMessage: %v", err)
	}
	if err := h.store.PostSubmitterMessage(ctx, w.received, storage.MessageAddition, "", "上周五上午。"); err != nil {
		t.Fatalf("PostSubmitterMessage: %v", err)
	}
	for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := h.store.Transition(ctx, 0, w.assigned, lifecycle.Step{To: to, LeadUnit: "county-hospital",
			Responsible: "门诊部王主任", Measures: "高峰时段增开收费窗口", Ledger: "problem", Deadline: "2026-05-29"}); err != nil {
			t.Fatalf("hand out %s: step %s: %v", w.assigned, to, err)
		}
	}
	today := h.clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	sv, err := h.store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "门诊服务满意度测评", StartsOn: today, EndsOn: "2026-06-30",
		Scale: storage.ScaleThree, Units: []string{"county-hospital"}, Items: []string{"挂号排队时间", "医生态度"},
		ItemThreshold: 85, OverallThreshold: 90})
	if err != nil {
		t.Fatalf("CreateSurvey: %v", err)
	}
	w.survey = strconv.FormatInt(sv, 10)
	ev, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "局领导班子民主评议", Meeting: "动员大会",
		UnitCode: "county-hospital", OpensOn: today, ClosesOn: "2026-04-30"})
	if err != nil {
		t.Fatalf("CreateEvaluation: %v", err)
	}
	w.evaluation = strconv.FormatInt(ev, 10)
	site, err := h.store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "county-hospital", Dept: "门诊收费处"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	w.site = site.Code
	cp, err := h.store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "2026年春季征求意见活动", ImmediateDays: 5, LimitedDays: 30,
		Questions: []string{"您对门诊服务有什么建议？"},
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"},
			{Kind: campaign.Custom, Name: "集中整改", StartsOn: "2026-05-01", EndsOn: "2026-05-31"}}})
	if err != nil {
		t.Fatalf("SaveCampaign: %v", err)
	}
	w.campaign = strconv.FormatInt(cp, 10)
	cid := planCampaign(t, h)
	open := draftPlan(t, h, cid, "征求意见的整改方案")
	openForComment(t, h, open, campaign.ScopePublic)
	published := draftPlan(t, h, cid, "已公示的专项整治方案")
	publishPlan(t, h, published, campaign.ScopePublic)
	w.openPlan, w.publishedPlan = strconv.FormatInt(open, 10), strconv.FormatInt(published, 10)
	consulted, err := h.store.OpenReportConsultation(ctx, 0, storage.ReportKey{Kind: "summary", Period: "2026-03"},
		storage.ConsultationText{Title: "三月汇总报告征求意见稿", Basics: "本月收到意见若干条，已全部登记。"},
		plan.Opening{Scope: campaign.ScopePublic, From: h.store.Today(), To: "2026-04-30"})
	if err != nil {
		t.Fatalf("OpenReportConsultation: %v", err)
	}
	w.openReport = strconv.FormatInt(consulted, 10)
	w.lookback = strconv.FormatInt(h.lookBackCampaign(t, "2026年第一季度作风整治活动", "2026-03-01"), 10)
	h.recordCampaign(t, w.assigned, w.lookback)
	issued := issueReport(t, h, "2026-04")
	w.report = issued.Number
	w.frozen = frozenText(issued)
	w.notice = newNoticeWorld(t, h)
	w.paper = newPaperWorld(t, h)
	w.data = storedText(t, h, append(append(append(reportText(issued), w.notice.data...), w.paper.data...), "2026年春季征求意见活动", "您对门诊服务有什么建议？", "集中整改", "挂号窗口的工作人员态度很差。", "挂号处", "请问是哪一天？", "上周五上午。", "门诊收费处排队两个小时，窗口只开了一个。", "门诊收费处",
		"门诊部王主任", "高峰时段增开收费窗口", "门诊服务满意度测评", "挂号排队时间", "医生态度", "局领导班子民主评议", "动员大会",
		"2026年作风建设征求意见活动", "征求意见的整改方案", "已公示的专项整治方案", "一、总体要求", "坚持问题导向，立行立改。", "（一）工作目标",
		"群众反映的问题件件有回音。", "缩短门诊候诊时间", "候诊不超过30分钟", "分管副院长", "李四", "三个月见效", "抽查候诊时间",
		"采纳了关于公开承诺的意见。", "2026年第一季度作风整治活动", "三月汇总报告征求意见稿", "本月收到意见若干条，已全部登记。")...)
	return w
}

// storedText is the data pages show besides what a test typed (also given): the names of the
// units, mailboxes (with what they are for and who reads them) and sites. It is data, written by
// people in Chinese, not interface text; the language test takes it out of a page before looking
// for leftover zh-CN text, longest first.
func storedText(t *testing.T, h *harness, typed ...string) []string {
	t.Helper()
	ctx := context.Background()
	out := append([]string{}, typed...)
	units, err := h.store.AllUnits(ctx)
	if err != nil {
		t.Fatalf("AllUnits: %v", err)
	}
	for _, u := range units {
		out = append(out, u.Name)
	}
	boxes, err := h.store.AllMailboxes(ctx)
	if err != nil {
		t.Fatalf("AllMailboxes: %v", err)
	}
	for _, m := range boxes {
		out = append(out, m.Name, m.Description, m.ReadersNote, m.UnitName)
	}
	sites, err := h.store.Sites(ctx)
	if err != nil {
		t.Fatalf("Sites: %v", err)
	}
	for _, st := range sites {
		out = append(out, st.Name, st.Building, st.Floor, st.Dept)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// withoutData is page with every piece of data taken out.
func withoutData(page string, data []string) string {
	// Longest first: a short datum (a table's heading) must not cut a longer one (a sentence
	// that holds it) before that is taken out whole.
	data = append([]string(nil), data...)
	sort.SliceStable(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	for _, d := range data {
		if d != "" {
			page = strings.ReplaceAll(page, d, " ")
		}
	}
	// What a text field or a text area holds is data being edited (a tag's Chinese name on the
	// taxonomy page is edited in Chinese whatever the reader's language), not interface text.
	page = textFieldValue.ReplaceAllString(page, "$1")
	return textAreaContent.ReplaceAllString(page, "$1$2")
}

var (
	textFieldValue  = regexp.MustCompile(`(<input[^>]*type="text"[^>]*?) value="[^"]*"`)
	textAreaContent = regexp.MustCompile(`(?s)(<textarea[^>]*>)[^<]*(</textarea>)`)
)

// everyPage lists every page a person, a reviewer or an administrator can reach, with what it
// shows in zh-CN.
func everyPage(w pageWorld) []pageCase {
	get := http.MethodGet
	return append(append(append(noticePages(w.notice), paperPages(w.paper)...), roles16Pages(w)...), []pageCase{
		{"home", "public", get, "/", nil, 200, []string{"您的意见，我们认真听", "匿名承诺", `<a href="/xinxiang">信箱</a>页`,
			`class="campaign-banner"`, "听取意见 2026年4月1日至2026年4月30日"}},
		{"submit", "public", get, "/submit", nil, 200, []string{"我要留言", `name="captcha_id"`, "县人民医院",
			"2026年春季征求意见活动：活动问题", "您对门诊服务有什么建议？", `name="answer_` + w.campaign + `_1"`}},
		{"submit from poster", "public", get, "/submit?unit=county-hospital&dept=x", nil, 200,
			[]string{`<option value="county-hospital" selected>县人民医院</option>`, `id="dept" name="dept" type="text" maxlength="50" value="x"`}},
		{"track", "public", get, "/track", nil, 200, []string{"查询回复", `name="code"`}},
		{"tracked opinion", "public", http.MethodPost, "/track", url.Values{"code": {w.receivedCode}}, 200,
			[]string{"挂号窗口的工作人员态度很差。", `id="public-status"`, "请问是哪一天？", "上周五上午。", `name="answers"`}},
		{"gongshi", "public", get, "/gongshi", nil, 200, []string{"整改公示"}},
		{"xinxiang", "public", get, "/xinxiang", nil, 200, []string{"信箱"}},
		{"plan open for comment", "public", get, "/yijian/" + w.openPlan, nil, 200, []string{"征求意见的整改方案", "<h3>（一）工作目标</h3>", "对这份草稿提意见", `name="captcha_id"`}},
		{"report draft for comment", "public", get, "/yijian/baogao/" + w.openReport, nil, 200, []string{"三月汇总报告征求意见稿", "本月收到意见若干条，已全部登记。", "对这份草稿提意见", `name="captcha_id"`}},
		{"published plan", "public", get, "/gongshi/plan/" + w.publishedPlan, nil, 200, []string{"已公示的专项整治方案", "征求意见期间共收到意见 0 条。", "缩短门诊候诊时间"}},
		{"survey", "public", get, "/survey/" + w.survey, nil, 200, []string{"门诊服务满意度测评", "挂号排队时间"}},
		{"survey done", "public", get, "/survey/" + w.survey + "/done", nil, 200, []string{"谢谢您的评价"}},
		{"pingyi", "public", get, "/pingyi", nil, 200, []string{"民主评议", `name="code"`}},
		{"pingyi done", "public", get, "/pingyi/done", nil, 200, []string{"谢谢您参加评议"}},
		{"kiosk", "public", get, "/kiosk/" + w.site, nil, 200, []string{"我要留言", "门诊大厅意见箱"}},
		{"login", "public", get, "/admin/login", nil, 200, []string{"工作人员登录", `name="next" value="/admin/queue"`}},
		{"setup", "public", get, "/admin/setup/" + w.token, nil, 200, []string{"设置第一位管理员", `action="/admin/setup/` + w.token + `"`}},
		{"queue", "reviewer", get, "/admin/queue", nil, 200, []string{"意见队列", "挂号窗口的工作人员态度很差。", "/admin/opinions/" + w.received}},
		{"item", "reviewer", get, "/admin/opinions/" + w.received, nil, 200, []string{"投诉 · 县人民医院 · 挂号处", "四风标注", "内部备注", "处理记录", "请问是哪一天？", "上周五上午。"}},
		{"item handed out", "reviewer", get, "/admin/opinions/" + w.assigned, nil, 200, []string{"门诊部王主任"}},
		{"sheet", "reviewer", get, "/admin/opinions/" + w.assigned + "/sheet", nil, 200, []string{"意见整改交办单", "门诊部王主任"}},
		{"ledgers", "reviewer", get, "/admin/ledgers", nil, 200, []string{"整改台账"}},
		{"lookback", "reviewer", get, "/admin/lookback", nil, 200, []string{"回头看开始日期：2026-03-31", "/admin/opinions/" + w.assigned, "门诊部王主任", "按期推进"}},
		{"queue by campaign", "reviewer", get, "/admin/queue?campaign=" + w.lookback, nil, 200, []string{`id="filter-phase"`, "2026年第一季度作风整治活动"}},
		{"campaign figures", "reviewer", get, "/admin/campaigns/" + w.lookback + "/figures", nil, 200, []string{"2026年第一季度作风整治活动：各阶段数据", "整个活动", "听取意见"}},
		{"overdue", "reviewer", get, "/admin/overdue", nil, 200, []string{"督办：逾期未完成的整改"}},
		{"satisfaction", "reviewer", get, "/admin/satisfaction", nil, 200, []string{"年留言人满意度"}},
		{"reports", "reviewer", get, "/admin/reports", nil, 200, []string{"汇总报告", "起草报告", `href="/admin/reports/` + w.report + `"`}},
		{"report draft", "reviewer", get, "/admin/reports/draft?period=2026-04", nil, 200, []string{"保存草稿", "签发", "一、基本情况", "<svg"}},
		{"issued report", "reviewer", get, "/admin/reports/" + w.report, nil, 200, []string{`id="report-number">` + w.report, "SHA-256"}},
		{"campaign report draft", "reviewer", get, "/admin/reports/draft?campaign=" + w.lookback, nil, 200,
			[]string{"全系统2026年第一季度作风整治活动工作报告", "各阶段情况", `id="report-campaign"`, "<svg"}},
		{"campaign phase report draft", "reviewer", get, "/admin/reports/draft?campaign=" + w.campaign + ".2", nil, 200,
			[]string{"全系统2026年春季征求意见活动（集中整改阶段）工作报告", "各阶段情况"}},
		{"report draft open for comment", "reviewer", get, "/admin/reports/draft?period=2026-03", nil, 200, []string{"征求意见", "共收到意见 0 条。", `href="/yijian/baogao/` + w.openReport + `"`, `id="consultation-close"`}},
		{"report draft for comment (staff)", "reviewer", get, "/admin/reports/consultation/" + w.openReport, nil, 200, []string{"三月汇总报告征求意见稿", "一、基本情况", `name="captcha_id"`}},
		{"plans", "reviewer", get, "/admin/plans", nil, 200, []string{"两方案一计划", "征求意见的整改方案", "已公示的专项整治方案", "起草新方案"}},
		{"plan", "reviewer", get, "/admin/plans/" + w.openPlan, nil, 200, []string{"征求意见的整改方案", "<h2>一、总体要求</h2>", "分管副院长（李四）", "结束征求意见，继续修改"}},
		{"plan comment on a staff page", "reviewer", get, "/admin/plans/" + w.openPlan + "/comment", nil, 200, []string{"对这份草稿提意见", `name="captcha_id"`}},
		{"plan published (staff)", "reviewer", get, "/admin/plans/" + w.publishedPlan, nil, 200, []string{"已公示", "采纳了关于公开承诺的意见。"}},
		{"units", "admin", get, "/admin/units", nil, 200, []string{"单位", "县人民医院"}},
		{"mailboxes", "admin", get, "/admin/mailboxes", nil, 200, []string{"信箱"}},
		{"sites", "admin", get, "/admin/sites", nil, 200, []string{"意见箱", "门诊大厅意见箱"}},
		{"site poster", "admin", get, "/admin/sites/" + w.site + "/poster", nil, 200, []string{"海报：门诊大厅意见箱"}},
		{"taxonomy", "admin", get, "/admin/taxonomy", nil, 200, []string{"分类标签", "推诿扯皮、久拖不办"}},
		{"suggestion model", "reviewer", get, "/admin/model", nil, 200, []string{"标签提示模型", "召回率"}},
		{"users", "admin", get, "/admin/users", nil, 200, []string{"账号管理"}},
		{"calendar", "admin", get, "/admin/calendar", nil, 200, []string{"节假日设置"}},
		{"inbox", "reviewer", get, "/admin/inbox", nil, 200, []string{"我的消息", "今天收到"}},
		{"notify mine", "reviewer", get, "/admin/notify/mine", nil, 200, []string{"消息提醒设置", `value="assigned.inbox" checked`}},
		{"notify admin", "admin", get, "/admin/notify", nil, 200, []string{"消息推送设置", "邮件服务器", "县人民医院"}},
		{"transcribe", "admin", get, "/admin/transcribe", nil, 200, []string{"录入来件"}},
		{"surveys", "admin", get, "/admin/surveys", nil, 200, []string{"满意度测评", "门诊服务满意度测评"}},
		{"survey results", "admin", get, "/admin/surveys/" + w.survey, nil, 200, []string{"门诊服务满意度测评"}},
		{"evaluations", "admin", get, "/admin/evaluations", nil, 200, []string{"民主评议表", "局领导班子民主评议"}},
		{"campaigns", "admin", get, "/admin/campaigns", nil, 200, []string{"活动管理", "2026年春季征求意见活动", "听取意见", "全部单位"}},
		{"new campaign", "admin", get, "/admin/campaigns/new", nil, 200, []string{"新建活动", `name="phase_kind"`, "立行立改默认办理时限"}},
		{"campaign", "admin", get, "/admin/campaigns/" + w.campaign, nil, 200, []string{"修改活动", `value="2026年春季征求意见活动"`, "集中整改", "您对门诊服务有什么建议？"}},
		{"campaign refused", "admin", http.MethodPost, "/admin/campaigns/" + w.campaign, url.Values{"name": {"改名"}}, 422,
			[]string{"请至少填写一个阶段及其起止日期。", `value="改名"`}},
		{"audit log", "admin", get, "/admin/audit", nil, 200, []string{"操作日志", `id="audit-log"`, "登录", `href="/admin/audit"`}},
		{"audit log refused filter", "admin", get, "/admin/audit?from=2026-04-09&to=2026-04-01", nil, 422,
			[]string{"结束日期不能早于开始日期。", `value="2026-04-09"`}},
		{"404", "public", get, "/no-such-page", nil, 404, []string{"没有找到这个页面"}},
		{"404 zhuanlan unit item", "public", get, "/zhuanlan/" + w.notice.brief, nil, 404, []string{"没有找到这个页面"}},
		{"404 under admin", "reviewer", get, "/admin/no-such-page", nil, 404, []string{"没有找到这个页面"}},
		{"404 unknown opinion", "reviewer", get, "/admin/opinions/NOSUCHID00", nil, 404, []string{"没有找到这个页面"}},
		{"405", "public", http.MethodPost, "/healthz", nil, 405, []string{"无法这样访问"}},
	}...)
}

// pageBrowsers are the visitors of everyPage in one language: a public browser, and a reviewer
// and an administrator whose profiles choose lang.
func pageBrowsers(t *testing.T, h *harness, lang string) map[string]*browser {
	t.Helper()
	ctx := context.Background()
	public := h.browser()
	public.getCSRF(t, langPrefix(lang)+"/track")
	out := map[string]*browser{"public": public}
	for _, role := range []string{storage.RoleReviewer, storage.RoleAdmin} {
		u, err := h.store.CreateUser(ctx, 0, role+"-"+lang, staffPassword, role)
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := h.store.SetLanguage(ctx, u.ID, lang); err != nil {
			t.Fatalf("SetLanguage: %v", err)
		}
		b := h.login(t, u.Username, staffPassword)
		b.getCSRF(t, "/admin/queue")
		out[role] = b
	}
	// A citizen supervisor (#16), whose pages are their own: the queue refuses them.
	u, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "monitor-" + lang, Password: staffPassword,
		Role: "monitor", Linked: []string{"county-hospital"}})
	if err != nil {
		t.Fatalf("CreateScopedUser: %v", err)
	}
	if err := h.store.SetLanguage(ctx, u.ID, lang); err != nil {
		t.Fatalf("SetLanguage: %v", err)
	}
	b := h.login(t, u.Username, staffPassword)
	b.getCSRF(t, "/admin/jiandu")
	out["monitor"] = b
	return out
}

// langPrefix is the path prefix of a public page in lang.
func langPrefix(lang string) string {
	if lang == locale.Default {
		return ""
	}
	return "/" + lang
}

// fetch asks for tc's page in lang: a public page under the language's prefix, a staff page
// as it is (the staff member's profile chooses).
func (tc pageCase) fetch(t *testing.T, browsers map[string]*browser, lang string) *response {
	t.Helper()
	target := tc.target
	if tc.who == "public" {
		target = langPrefix(lang) + target
	}
	b := browsers[tc.who]
	if tc.method == http.MethodPost {
		return b.post(t, target, tc.form)
	}
	return b.get(t, target)
}

// TestEveryPageRenders walks every page a person, a reviewer or an administrator can reach.
func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newPageWorld(t, h)
	browsers := pageBrowsers(t, h, locale.Default)
	for _, tc := range everyPage(w) {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.fetch(t, browsers, locale.Default)
			if r.Code != tc.status {
				t.Fatalf("%s %s: status got %d, want %d\n%s", tc.method, tc.target, r.Code, tc.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type got %q, want text/html", ct)
			}
			wantContains(t, r.Body, tc.wants...)
			wantContains(t, r.Body, `<html lang="zh-CN" dir="ltr">`, "民声不记录您的 IP 地址", "</html>")
			wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ")
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors were logged while rendering pages:\n%s", logs)
	}
}

// TestEveryPageRendersInEachLanguage walks the pages of TestEveryPageRenders in English and in
// Traditional Chinese: public pages under /en/ and /zh-Hant/, staff pages for staff whose
// profile chose the language. Each answers as in zh-CN, says its language (html lang and dir),
// shows the layout's words from that language's catalog, and shows no phrase of the zh-CN
// catalog that the language writes otherwise: a template or handler still printing Simplified
// Chinese, through a label function or a sentence of its own, shows here.
func TestEveryPageRendersInEachLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := newPageWorld(t, h)
	for _, lang := range []string{locale.En, locale.ZhHant} {
		t.Run(lang, func(t *testing.T) {
			p := locale.Get(lang)
			leftovers, err := testkit.LeftoverPhrases(lang)
			if err != nil {
				t.Fatal(err)
			}
			browsers := pageBrowsers(t, h, lang)
			for _, tc := range everyPage(w) {
				if tc.name == "site poster" {
					// A poster is printed in the language chosen for it, whoever prints it
					// (zh-CN unless asked): ask for this one's.
					tc.target += "?lang=" + lang
				}
				t.Run(tc.name, func(t *testing.T) {
					r := tc.fetch(t, browsers, lang)
					if r.Code != tc.status {
						t.Fatalf("%s %s in %s: status got %d, want %d\n%s", tc.method, tc.target, lang, r.Code, tc.status, r.Body)
					}
					page := html.UnescapeString(r.Body)
					wantContains(t, page, `<html lang="`+lang+`" dir="ltr">`, p.T("layout.privacy"), p.T("layout.brand"), "</html>")
					wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ")
					data := w.data
					if tc.name == "taxonomy" {
						// Keywords are matching data, in Simplified whatever the reader's
						// language, and some are a manifestation's very words.
						data = append(append([]string(nil), data...), tagKeywords(t, h)...)
					}
					if tc.name == "issued report" {
						// An issued report is a document: its sections stay in the language
						// it was issued in (the page marks them with lang).
						data = append(append([]string(nil), data...), w.frozen...)
						wantContains(t, r.Body, `<div class="report-figures" id="figures" lang="zh-CN">`)
					}
					if found := testkit.FindLeftovers(leftovers, withoutData(page, data)); len(found) > 0 {
						t.Errorf("%s %s in %s still shows zh-CN text: %q", tc.method, tc.target, lang, found)
					}
				})
			}
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors were logged while rendering pages:\n%s", logs)
	}
}

// TestSecurityHeaders checks the headers on every kind of answer, error pages included.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	public := h.browser()
	public.getCSRF(t, "/submit")

	tests := []struct {
		name   string
		do     func(t *testing.T) *response
		status int
	}{
		{"home", func(t *testing.T) *response { return public.get(t, "/") }, 200},
		{"submit", func(t *testing.T) *response { return public.get(t, "/submit") }, 200},
		{"track", func(t *testing.T) *response { return public.get(t, "/track") }, 200},
		{"healthz", func(t *testing.T) *response { return public.get(t, "/healthz") }, 200},
		{"readyz", func(t *testing.T) *response { return public.get(t, "/readyz") }, 200},
		{"login", func(t *testing.T) *response { return public.get(t, "/admin/login") }, 200},
		{"queue", func(t *testing.T) *response { return staff.get(t, "/admin/queue") }, 200},
		{"queue redirect", func(t *testing.T) *response { return public.get(t, "/admin/queue") }, 303},
		{"404", func(t *testing.T) *response { return public.get(t, "/nope") }, 404},
		{"404 captcha", func(t *testing.T) *response { return public.get(t, "/captcha/nope.png") }, 404},
		{"405", func(t *testing.T) *response { return public.post(t, "/healthz", nil) }, 405},
		{"403 csrf", func(t *testing.T) *response {
			return h.browser().postForm(t, "/track", url.Values{"code": {"x"}})
		}, 403},
		{"403 staff", func(t *testing.T) *response { return public.post(t, "/admin/logout", nil) }, 403},
		{"422 track", func(t *testing.T) *response { return public.post(t, "/track", url.Values{"code": {"x"}}) }, 422},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do(t)
			if r.Code != tc.status {
				t.Fatalf("status got %d, want %d", r.Code, tc.status)
			}
			csp := r.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy got %q, want frame-ancestors 'none'", csp)
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy got %q, must not allow unsafe-*", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
			} {
				if got := r.Header.Get(name); got != want {
					t.Errorf("%s got %q, want %q", name, got, want)
				}
			}
		})
	}

	t.Run("static is cacheable", func(t *testing.T) {
		r := public.get(t, "/static/style.css")
		wantStatus(t, r, 200)
		if got := r.Header.Get("Cache-Control"); strings.Contains(got, "no-store") {
			t.Errorf("Cache-Control on static got %q, want cacheable", got)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("X-Content-Type-Options on static got %q", got)
		}
	})
}

// TestCSRFCookie checks that the CSRF cookie is a session cookie: it goes when the browser closes.
func TestCSRFCookie(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/submit")
	var raw string
	for _, v := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "ms_csrf=") {
			raw = v
		}
	}
	if raw == "" {
		t.Fatalf("no ms_csrf Set-Cookie in %q", r.Header.Values("Set-Cookie"))
	}
	lower := strings.ToLower(raw)
	for _, bad := range []string{"expires=", "max-age="} {
		if strings.Contains(lower, bad) {
			t.Errorf("ms_csrf cookie %q has %s: want a session cookie", raw, bad)
		}
	}
	for _, want := range []string{"httponly", "samesite=lax", "path=/"} {
		if !strings.Contains(lower, want) {
			t.Errorf("ms_csrf cookie %q lacks %s", raw, want)
		}
	}

	t.Run("only pages with forms set it", func(t *testing.T) {
		for _, target := range []string{"/", "/healthz", "/readyz", "/static/style.css", "/no-such-page"} {
			if v := h.browser().get(t, target).Header.Values("Set-Cookie"); len(v) != 0 {
				t.Errorf("GET %s set cookies %q, want none", target, v)
			}
		}
		for _, target := range []string{"/submit", "/track", "/admin/login"} {
			b := h.browser()
			b.get(t, target)
			if _, ok := b.cookies["ms_csrf"]; !ok {
				t.Errorf("GET %s set no ms_csrf cookie", target)
			}
		}
	})

	t.Run("kept across pages", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, "/submit")
		first := b.token
		b.getCSRF(t, "/track")
		if b.token != first {
			t.Errorf("token changed between pages: got %q, want %q", b.token, first)
		}
		if v := b.get(t, "/").Header.Values("Set-Cookie"); len(v) != 0 {
			t.Errorf("a browser with a token got a new Set-Cookie: %q", v)
		}
	})
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withSecureCookies)
	h.newStaff(t, "审核员甲")
	b := h.browser()
	b.getCSRF(t, "/admin/login")
	r := b.post(t, "/admin/login", url.Values{"username": {"审核员甲"}, "password": {staffPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	for _, name := range []string{"ms_csrf", "ms_session"} {
		c, ok := b.cookies[name]
		if !ok {
			t.Errorf("no %s cookie", name)
			continue
		}
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("%s: Secure=%v HttpOnly=%v SameSite=%v, want Secure, HttpOnly, Lax", name, c.Secure, c.HttpOnly, c.SameSite)
		}
	}
}

// TestBodyLimit: a body over 64 KB is refused (413) and nothing is stored; the form comes back
// with the text (TestRefusalGivesFormBack).
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	b.getCSRF(t, "/submit")
	v := validOpinion()
	v.Set("content", strings.Repeat("a", 70*1024))
	r := b.post(t, "/submit", v)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantContains(t, r.Body, "内容太长了")
	if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options got %q, want DENY", got)
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("opinions stored: got %d, want 0", n)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.browser().get(t, "/healthz")
	wantStatus(t, r, 200)
	if r.Body != "ok" {
		t.Errorf("body got %q, want %q", r.Body, "ok")
	}
}

func TestCaptchaMedia(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	id, _ := h.captchaFor(t, page.Body)
	wantContains(t, page.Body, `src="/captcha/`+id+`.png"`, `href="/captcha/`+id+`.wav"`)

	tests := []struct {
		name   string
		target string
		status int
		ctype  string
		magic  []byte
	}{
		{"png", "/captcha/" + id + ".png", 200, "image/png", []byte("\x89PNG\r\n\x1a\n")},
		{"wav", "/captcha/" + id + ".wav", 200, "audio/wav", []byte("RIFF")},
		{"unknown png", "/captcha/doesnotexist.png", 404, "text/html", nil},
		{"unknown wav", "/captcha/doesnotexist.wav", 404, "text/html", nil},
		{"other extension", "/captcha/" + id + ".gif", 404, "text/html", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.get(t, tc.target)
			wantStatus(t, r, tc.status)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type got %q, want %q", ct, tc.ctype)
			}
			if got := r.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control got %q, want no-store", got)
			}
			if tc.magic != nil && !bytes.HasPrefix([]byte(r.Body), tc.magic) {
				t.Errorf("body starts %q, want %q", r.Body[:min(8, len(r.Body))], tc.magic)
			}
		})
	}
	t.Run("viewing does not spend the captcha", func(t *testing.T) {
		if _, ok := h.captchas.Answer(id); !ok {
			t.Errorf("captcha %s gone after viewing its image", id)
		}
	})
}

func TestNoCaptchaConfigured(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	wantNotContains(t, page.Body, "captcha_id", "/captcha/")
	r := b.follow(t, b.post(t, "/submit", validOpinion()))
	wantStatus(t, r, http.StatusOK)
	receiptOf(t, r)
	if n := h.countOpinions(t); n != 1 {
		t.Errorf("opinions stored: got %d, want 1", n)
	}
	wantStatus(t, b.get(t, "/captcha/anything.png"), http.StatusNotFound)
}

// tagKeywords are every keyword of the taxonomy.
func tagKeywords(t *testing.T, h *harness) []string {
	t.Helper()
	tags, err := h.store.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range tags {
		out = append(out, g.Keywords...)
	}
	return out
}
