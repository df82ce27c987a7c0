package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// springForm is the administrator's form for a campaign of county-hospital whose 听取意见
// window holds the harness's day (2026-04-15), with one question.
func springForm() url.Values {
	return url.Values{
		"name":           {"2026年春季征求意见活动"},
		"units":          {"county-hospital"},
		"phase_kind":     {campaign.Listen, campaign.Rectify, ""},
		"phase_name":     {"", "", ""},
		"phase_start":    {"2026-04-01", "2026-05-01", ""},
		"phase_end":      {"2026-04-30", "2026-05-31", ""},
		"questions":      {"您对门诊服务有什么建议？\r\n\r\n您对住院服务有什么建议？"},
		"immediate_days": {"5"},
		"limited_days":   {"20"},
	}
}

// changed is form with the fields in change replaced.
func changed(form url.Values, change url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	for k, v := range change {
		out[k] = v
	}
	return out
}

// An administrator creates a campaign (303), a wrong form comes back with the words kept and
// a message by the field (422), and an edit replaces what the campaign says.
func TestAdminCreatesAndEditsCampaign(t *testing.T) {
	h := newHarness(t)
	admin := h.staffAs(t, storage.RoleAdmin)
	for _, tc := range []struct {
		name   string
		change url.Values
		wants  []string
	}{
		{"no name", url.Values{"name": {" "}}, []string{"请填写活动名称。"}},
		{"no phase", url.Values{"phase_kind": {""}, "phase_start": {""}, "phase_end": {""}}, []string{"请至少填写一个阶段及其起止日期。"}},
		{"backwards", url.Values{"phase_end": {"2026-03-01", "2026-05-31"}}, []string{"结束日期不能早于开始日期。"}},
		{"overlap", url.Values{"phase_start": {"2026-04-01", "2026-04-20"}}, []string{"不能重叠"}},
		{"custom without a name", url.Values{"phase_kind": {campaign.Listen, campaign.Custom}}, []string{"自定义阶段请填写名称"}},
		{"bad date", url.Values{"phase_start": {"4月1日", "2026-05-01"}}, []string{"请按“2027-03-07”的格式填写起止日期。"}},
		{"no working days", url.Values{"limited_days": {"0"}}, []string{"请填写 1 到 365 之间的工作日数。", `value="0"`}},
		{"unknown unit", url.Values{"units": {"no-such-unit"}}, []string{"请从列表中勾选单位。"}},
		{"question too long", url.Values{"questions": {strings.Repeat("问", campaign.MaxQuestion+1)}}, []string{"每个问题最多 200 个字。"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := changed(springForm(), tc.change)
			r := admin.post(t, "/admin/campaigns", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			body := html.UnescapeString(r.Body)
			wantContains(t, body, append(tc.wants, "请按标出的地方修改后再保存。")...)
			if name := strings.TrimSpace(form.Get("name")); name != "" {
				wantContains(t, body, `value="`+name+`"`)
			}
		})
	}
	if all, _ := h.store.Campaigns(context.Background()); len(all) != 0 {
		t.Fatalf("refused forms stored %d campaigns", len(all))
	}

	r := admin.post(t, "/admin/campaigns", springForm())
	wantStatus(t, r, http.StatusSeeOther)
	all, err := h.store.Campaigns(context.Background())
	if err != nil || len(all) != 1 {
		t.Fatalf("Campaigns = %d, %v; want 1", len(all), err)
	}
	c := all[0]
	if c.Name != "2026年春季征求意见活动" || len(c.Phases) != 2 || len(c.Questions) != 2 || c.LimitedDays != 20 ||
		len(c.Units) != 1 || c.Units[0] != "county-hospital" {
		t.Fatalf("stored %+v", c)
	}
	list := admin.get(t, r.location())
	wantContains(t, list.Body, "2026年春季征求意见活动", "听取意见", "县人民医院", "/admin/campaigns/"+strconv.FormatInt(c.ID, 10))

	// Edit: a custom phase added in a blank row, every unit.
	id := strconv.FormatInt(c.ID, 10)
	admin.getCSRF(t, "/admin/campaigns/"+id)
	edit := changed(springForm(), url.Values{"units": nil, "phase_kind": {campaign.Listen, campaign.Rectify, campaign.Custom},
		"phase_name": {"", "", "通报"}, "phase_start": {"2026-04-01", "2026-05-01", "2026-06-01"},
		"phase_end": {"2026-04-30", "2026-05-31", "2026-06-10"}})
	delete(edit, "units")
	wantStatus(t, admin.post(t, "/admin/campaigns/"+id, edit), http.StatusSeeOther)
	got, err := h.store.Campaign(context.Background(), c.ID)
	if err != nil || len(got.Phases) != 3 || got.Phases[2].Name != "通报" || len(got.Units) != 0 || got.EndsOn != "2026-06-10" {
		t.Fatalf("after edit: %+v, %v", got, err)
	}
	wantStatus(t, admin.post(t, "/admin/campaigns/99999", springForm()), http.StatusNotFound)

	// Only administrators.
	reviewer, _ := h.staff(t)
	for _, target := range []string{"/admin/campaigns", "/admin/campaigns/new", "/admin/campaigns/" + id} {
		if r := reviewer.get(t, target); r.Code != http.StatusForbidden {
			t.Errorf("reviewer GET %s: %d, want 403", target, r.Code)
		}
	}
	wantNotContains(t, reviewer.get(t, "/admin/queue").Body, `href="/admin/campaigns"`)
	wantContains(t, admin.get(t, "/admin/queue").Body, `href="/admin/campaigns"`)
}

// saveSpring stores the campaign of springForm directly and returns its id.
func saveSpring(t *testing.T, h *harness) int64 {
	t.Helper()
	id, err := h.store.SaveCampaign(context.Background(), 0, campaign.Campaign{Name: "2026年春季征求意见活动",
		Units: []string{"county-hospital"}, Questions: []string{"您对门诊服务有什么建议？", "您对住院服务有什么建议？"},
		ImmediateDays: 5, LimitedDays: 20,
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"},
			{Kind: campaign.Rectify, StartsOn: "2026-05-01", EndsOn: "2026-05-31"}}})
	if err != nil {
		t.Fatalf("SaveCampaign: %v", err)
	}
	return id
}

// The public pages name the campaign running today, its phase and the phase's dates; staff
// pages and days outside the campaign do not.
func TestCampaignBanner(t *testing.T) {
	h := newHarness(t)
	public := h.browser()
	const banner = `class="campaign-banner"`
	wantNotContains(t, public.get(t, "/").Body, banner)
	saveSpring(t, h)
	for _, target := range []string{"/", "/submit", "/track", "/gongshi", "/xinxiang", "/en/"} {
		r := public.get(t, target)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, banner, "2026年春季征求意见活动")
	}
	wantContains(t, public.get(t, "/").Body, "听取意见 2026年4月1日至2026年4月30日")
	wantContains(t, public.get(t, "/en/").Body, "1 Apr 2026 to 30 Apr 2026")
	reviewer, _ := h.staff(t)
	wantNotContains(t, reviewer.get(t, "/admin/queue").Body, banner)
	h.clock.Set(time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC))
	wantContains(t, public.get(t, "/").Body, "整改落实 2026年5月1日至2026年5月31日")
	h.clock.Set(time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC))
	wantNotContains(t, public.get(t, "/").Body, banner)
}

// answersOf reads the answers stored with the opinion of receipt code.
func answersOf(t *testing.T, h *harness, code string) (storage.Opinion, []storage.CampaignAnswer) {
	t.Helper()
	o := h.byReceipt(t, code)
	a, err := h.store.CampaignAnswers(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o, a
}

// In the window the form asks the campaign's questions and keeps the answers with the opinion;
// outside it they are closed with a plain message while the form takes opinions as ever.
func TestCampaignQuestionsOnTheForm(t *testing.T) {
	h := newHarness(t)
	id := saveSpring(t, h)
	field := func(n int) string { return "answer_" + strconv.FormatInt(id, 10) + "_" + strconv.Itoa(n) }
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	wantContains(t, page.Body, "2026年春季征求意见活动：活动问题", "您对门诊服务有什么建议？", `name="`+field(2)+`"`,
		`name="campaign" value="`+strconv.FormatInt(id, 10)+`"`, "本次活动包括：县人民医院")

	t.Run("answers kept with the opinion", func(t *testing.T) {
		r := b.submit(t, changed(validOpinion(), url.Values{field(2): {" 病房晚上太吵。 "}, "campaign": {strconv.FormatInt(id, 10)}}))
		o, answers := answersOf(t, h, receiptOf(t, r))
		if o.CampaignID != id || len(answers) != 1 || answers[0].No != 2 || answers[0].Answer != "病房晚上太吵。" ||
			answers[0].Question != "您对住院服务有什么建议？" {
			t.Fatalf("campaign %d, answers %+v", o.CampaignID, answers)
		}
	})
	for _, tc := range []struct {
		name   string
		change url.Values
		wants  []string
	}{
		{"unit the campaign does not cover", url.Values{"unit": {"tcm-hospital"}, field(1): {"挂号太难。"}},
			[]string{"“2026年春季征求意见活动”不包括您选择的单位", "挂号太难。"}},
		{"answer too long", url.Values{field(1): {strings.Repeat("长", campaign.MaxAnswer+1)}},
			[]string{"第 1 个问题的回答："}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.countOpinions(t)
			r := b.submit(t, changed(validOpinion(), tc.change))
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, html.UnescapeString(r.Body), append(tc.wants, "收费处排队两个小时")...)
			if h.countOpinions(t) != before {
				t.Error("an opinion was stored from a refused form")
			}
		})
	}
	t.Run("unit not covered, no answers", func(t *testing.T) {
		r := b.submit(t, changed(validOpinion(), url.Values{"unit": {"tcm-hospital"}}))
		o, answers := answersOf(t, h, receiptOf(t, r))
		if o.CampaignID != 0 || len(answers) != 0 {
			t.Fatalf("campaign %d, answers %+v", o.CampaignID, answers)
		}
	})

	// A form loaded in the window, posted after it closed.
	stale := b.getCSRF(t, "/submit")
	h.clock.Set(time.Date(2026, 5, 3, 2, 0, 0, 0, time.UTC))
	cid, canswer := h.captchaFor(t, stale.Body)
	form := changed(validOpinion(), url.Values{field(1): {"挂号太难。"}, "campaign": {strconv.FormatInt(id, 10)},
		"captcha_id": {cid}, "captcha_answer": {canswer}})
	r := b.post(t, "/submit", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	body := html.UnescapeString(r.Body)
	wantContains(t, body, "本次活动的征求意见已于2026年4月30日结束，您仍可以随时通过常设意见箱反映问题。", "挂号太难。", "这些问题已经停止收集")
	wantNotContains(t, body, `name="`+field(1)+`"`)
	// Pressed again (the closed answers are shown, not sent): the opinion goes through.
	cid, canswer = h.captchaFor(t, r.Body)
	form = changed(validOpinion(), url.Values{"campaign": {strconv.FormatInt(id, 10)}, "captcha_id": {cid}, "captcha_answer": {canswer}})
	o, answers := answersOf(t, h, receiptOf(t, b.follow(t, b.post(t, "/submit", form))))
	if o.CampaignID != id || len(answers) != 0 {
		t.Fatalf("after the window: campaign %d (the campaign still runs), answers %+v", o.CampaignID, answers)
	}

	// After the window the plain form has no questions; a poster's link to the campaign says
	// they are closed.
	wantNotContains(t, b.get(t, "/submit").Body, "活动问题")
	poster := html.UnescapeString(b.get(t, "/submit?campaign="+strconv.FormatInt(id, 10)).Body)
	wantContains(t, poster, "本次活动的征求意见已于2026年4月30日结束", `name="content"`)
	wantNotContains(t, poster, `name="`+field(1)+`"`)
	h.clock.Set(time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC))
	wantContains(t, html.UnescapeString(b.get(t, "/submit?campaign="+strconv.FormatInt(id, 10)).Body),
		"“2026年春季征求意见活动”的征求意见将于2026年4月1日开始")
}

// Two campaigns listening at once (a county-wide one, and the hospital's own started later):
// an opinion is recorded in the campaign whose questions it answers, not only in the one that
// started last; with no answers, in the one that started last (campaign.For); answers to both
// on one form are refused by the second one's questions, the words kept.
func TestTwoCampaignsListening(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	county, err := h.store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "全县作风建设征求意见活动", ImmediateDays: 5,
		LimitedDays: 30, Questions: []string{"您对卫健局机关有什么意见？"},
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-03-01", EndsOn: "2026-05-31"}}})
	if err != nil {
		t.Fatal(err)
	}
	hospital := saveSpring(t, h) // county-hospital only, from 2026-04-01
	answer := func(id int64) string { return "answer_" + strconv.FormatInt(id, 10) + "_1" }
	b := h.browser()
	b.getCSRF(t, "/submit")
	for _, tc := range []struct {
		name    string
		answers url.Values
		want    int64
	}{
		{"answers the county's questions", url.Values{answer(county): {"机关办事要跑好几趟。"}}, county},
		{"answers the hospital's", url.Values{answer(hospital): {"门诊指示牌看不清。"}}, hospital},
		{"answers none: the one started last", url.Values{}, hospital},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, _ := answersOf(t, h, receiptOf(t, b.submit(t, changed(validOpinion(), tc.answers))))
			if o.CampaignID != tc.want {
				t.Errorf("recorded in campaign %d, want %d", o.CampaignID, tc.want)
			}
		})
	}
	t.Run("answers to both", func(t *testing.T) {
		before := h.countOpinions(t)
		r := b.submit(t, changed(validOpinion(), url.Values{answer(county): {"机关办事要跑好几趟。"},
			answer(hospital): {"门诊指示牌看不清。"}}))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, html.UnescapeString(r.Body), "请只回答一个活动的问题", "机关办事要跑好几趟。", "门诊指示牌看不清。")
		if h.countOpinions(t) != before {
			t.Error("an opinion was stored from a refused form")
		}
	})
}

// The item page names the campaign and the phase the opinion arrived in, shows the answers to
// its questions, and starts the handing-out form from the campaign's 限期整改 time limit,
// counted in working days, which the reviewer may change.
func TestItemShowsCampaignAndDefaultDeadline(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id, err := h.store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "2026年春季征求意见活动",
		Questions: []string{"您对门诊服务有什么建议？"}, ImmediateDays: 1, LimitedDays: 3,
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := h.browser().submit(t, changed(validOpinion(), url.Values{"answer_" + strconv.FormatInt(id, 10) + "_1": {"多开几个挂号窗口。"}}))
	o := h.byReceipt(t, receiptOf(t, r))
	reviewer, u := h.staff(t)
	h.walkTo(t, u.ID, o.ID, lifecycle.Triaged)
	page := reviewer.getCSRF(t, "/admin/opinions/"+o.ID)
	body := html.UnescapeString(page.Body)
	// Wednesday 15 April 2026: 1 working day is Thursday the 16th, 3 are Monday the 20th.
	wantContains(t, body, `id="item-campaign">2026年春季征求意见活动 · 收到时处于听取意见阶段`, "您对门诊服务有什么建议？",
		"多开几个挂号窗口。", `name="deadline" min="2026-04-15" value="2026-04-20"`,
		"立行立改1 个工作日（至2026-04-16），限期整改3 个工作日（至2026-04-20）")
	// The reviewer changes it: what they typed is stored.
	wantStatus(t, reviewer.post(t, "/admin/opinions/"+o.ID+"/status", url.Values{"status": {lifecycle.Assigned},
		"lead_unit": {"county-hospital"}, "responsible": {"门诊部主任"}, "measures": {"增开窗口"}, "ledger": {"problem"},
		"deadline": {"2026-04-17"}}), http.StatusSeeOther)
	rec, err := h.store.Rectification(ctx, o.ID)
	if err != nil || rec.Deadline != "2026-04-17" {
		t.Fatalf("deadline %q, %v; want the typed 2026-04-17", rec.Deadline, err)
	}
	// An opinion outside any campaign has no default.
	other, _ := h.seed(t, storage.NewOpinion{UnitCode: "county-hospital"})
	h.clock.Set(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC))
	late, _ := h.seed(t, storage.NewOpinion{UnitCode: "county-hospital"})
	h.walkTo(t, u.ID, late, lifecycle.Triaged)
	wantNotContains(t, reviewer.get(t, "/admin/opinions/"+late).Body, `id="item-campaign"`, `id="campaign-deadlines"`)
	if got, _ := h.store.Opinion(ctx, other); got.CampaignID != id {
		t.Errorf("an opinion seeded in the window: campaign %d, want %d", got.CampaignID, id)
	}
}

// The survey form chooses the campaign running today by default; a survey of a campaign is
// closed to the public with a plain message once the campaign's window closes, its own dates
// notwithstanding.
func TestSurveyOfACampaign(t *testing.T) {
	h := newHarness(t)
	id := saveSpring(t, h)
	admin := h.staffAs(t, storage.RoleAdmin)
	page := admin.getCSRF(t, "/admin/surveys")
	wantContains(t, page.Body, `<option value="`+strconv.FormatInt(id, 10)+`" selected>2026年春季征求意见活动</option>`)
	form := url.Values{"title": {"门诊满意度测评"}, "starts_on": {"2026-04-15"}, "ends_on": {"2026-06-30"},
		"units": {"county-hospital"}, "items": {"挂号等候时间"}, "scale": {"three"}, "item_threshold": {"85"},
		"overall_threshold": {"90"}, "campaign": {"424242"}}
	r := admin.post(t, "/admin/surveys", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请从列表中选择活动。", `value="门诊满意度测评"`)
	form.Set("campaign", strconv.FormatInt(id, 10))
	wantStatus(t, admin.post(t, "/admin/surveys", form), http.StatusSeeOther)
	all, err := h.store.Surveys(context.Background())
	if err != nil || len(all) != 1 || all[0].CampaignID != id {
		t.Fatalf("surveys %+v, %v; want one of campaign %d", all, err, id)
	}
	public := h.browser()
	target := "/survey/" + strconv.FormatInt(all[0].ID, 10)
	wantNotContains(t, public.get(t, target).Body, `id="survey-closed"`)
	h.clock.Set(time.Date(2026, 5, 3, 2, 0, 0, 0, time.UTC))
	closed := public.get(t, target)
	wantContains(t, html.UnescapeString(closed.Body), `id="survey-closed"`, "本次活动的征求意见已于2026年4月30日结束，您仍可以随时通过常设意见箱反映问题。")
}

// Ensure a busy database gives the form back with the answers to the campaign's questions too.
func TestCampaignAnswersKeptWhenBusy(t *testing.T) {
	h := newHarness(t, withBusyTimeout(50*time.Millisecond))
	id := saveSpring(t, h)
	field := "answer_" + strconv.FormatInt(id, 10) + "_2"
	b := h.browser()
	b.getCSRF(t, "/submit")             // the campaigns are read (and kept in memory) before the lock
	storetest.HoldWriteLock(t, h.store) // let go when the test ends
	r := b.submit(t, changed(validOpinion(), url.Values{field: {"病房晚上太吵，护士站也不管。"}}))
	wantStatus(t, r, http.StatusServiceUnavailable)
	wantContains(t, r.Body, `name="`+field+`" rows="3" maxlength="2000">病房晚上太吵，护士站也不管。</textarea>`)
}

// The 民主评议 form chooses the running campaign by default; once the campaign's window has
// closed, a slip's code opens nothing and the page says so plainly.
func TestEvaluationOfACampaign(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := saveSpring(t, h)
	admin := h.staffAs(t, storage.RoleAdmin)
	wantContains(t, admin.getCSRF(t, "/admin/evaluations").Body,
		`<option value="`+strconv.FormatInt(id, 10)+`" selected>2026年春季征求意见活动</option>`)
	wantStatus(t, admin.post(t, "/admin/evaluations", url.Values{"title": {"局领导班子民主评议"}, "meeting": {"动员大会"},
		"unit": {"bureau"}, "opens_on": {"2026-04-15"}, "closes_on": {"2026-06-30"}, "campaign": {strconv.FormatInt(id, 10)}}),
		http.StatusSeeOther)
	evs, err := h.store.Evaluations(ctx)
	if err != nil || len(evs) != 1 || evs[0].CampaignID != id {
		t.Fatalf("evaluations %+v, %v; want one of campaign %d", evs, err, id)
	}
	codes, err := h.store.IssueCodes(ctx, 0, evs[0].ID, 2, h.hasher)
	if err != nil {
		t.Fatal(err)
	}
	public := h.browser()
	public.getCSRF(t, "/pingyi")
	wantStatus(t, public.post(t, "/pingyi", url.Values{"code": {codes[0]}}), http.StatusOK)
	h.clock.Set(time.Date(2026, 5, 3, 2, 0, 0, 0, time.UTC))
	public.getCSRF(t, "/pingyi")
	r := public.post(t, "/pingyi", url.Values{"code": {codes[1]}})
	wantStatus(t, r, http.StatusGone)
	wantContains(t, html.UnescapeString(r.Body), "本次活动的征求意见已于2026年4月30日结束，您仍可以随时通过常设意见箱反映问题。")
}
