package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

var symposiumCodeRe = regexp.MustCompile(`<li><code translate="no">([^<]+)</code>`)

// staffAsNamed creates another reviewer and logs them in.
func (h *harness) staffAsNamed(t *testing.T, name string) (*browser, storage.User) {
	t.Helper()
	u := h.newStaff(t, name)
	b := h.login(t, u.Username, staffPassword)
	b.getCSRF(t, "/admin/queue")
	return b, u
}

// meetingForm is a meeting at the county hospital with the opinions given, one a row.
func meetingForm(opinions ...string) url.Values {
	v := url.Values{"held_on": {"2026-04-10"}, "unit": {"county-hospital"}, "host": {"分管副院长"},
		"category": {"staff", "patient"}, "participants": {"15"}, "note": {"住院部三楼会议室"},
		"rows": {"5"}}
	for i, o := range opinions {
		k := "_" + string(rune('1'+i))
		v.Set("content"+k, o)
		v.Set("type"+k, "suggestion")
		v.Set("submitter"+k, "staff")
		v.Set("dept"+k, "内科")
	}
	return v
}

// TestSymposiumRoutesByRole: who may record and read meetings. The office (administrators,
// reviewers) records for any unit; a liaison for their own unit alone; the 督导组 types in its own
// findings alone (channel inspection), and the other roles type nothing in: 403.
func TestSymposiumRoutesByRole(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		role       string
		formStatus int
		postStatus int
	}{
		{access.Admin, 200, 303},
		{access.Reviewer, 200, 303},
		{access.Liaison, 200, 303},
		{access.Leader, 403, 403},
		{access.Supervisor, 403, 403},
		{access.Discipline, 403, 403},
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			b := h.staffAs(t, tc.role)
			wantStatus(t, b.get(t, "/admin/symposia/new"), tc.formStatus)
			wantStatus(t, b.get(t, "/admin/symposia"), tc.formStatus)
			wantStatus(t, b.post(t, "/admin/symposia", meetingForm("病房晚上太吵，建议加强管理。")), tc.postStatus)
		})
	}
	t.Run("a liaison may not record a meeting of another unit", func(t *testing.T) {
		h := newHarness(t)
		b := h.staffAs(t, access.Liaison)
		f := meetingForm("中医院针灸科的候诊时间太长了。")
		f.Set("unit", "tcm-hospital")
		r := b.post(t, "/admin/symposia", f)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请选择召开座谈会的单位。", "中医院针灸科的候诊时间太长了。")
		if n := h.countOpinions(t); n != 0 {
			t.Errorf("%d opinions stored, want 0", n)
		}
	})
}

// TestSymposiumBatch records a meeting with three opinions in one form: the meeting's page
// lists them in order with their statuses and shows their receipt codes once; each is an
// opinion of channel 座谈会 received on the meeting's day, in the queue.
func TestSymposiumBatch(t *testing.T) {
	h := newHarness(t)
	b, _ := h.staff(t)
	r := b.post(t, "/admin/symposia", meetingForm("夜班护士人手不够，病人按铃要等很久。", "建议门诊增加自助机，缴费排队太长了。", "职工食堂饭菜太贵，品种也少。"))
	wantStatus(t, r, http.StatusSeeOther)
	page := b.follow(t, r)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "已保存：会议和 3 条意见", "分管副院长", "夜班护士人手不够，病人按铃要等很久。", "建议门诊增加自助机，缴费排队太长了。", "职工食堂饭菜太贵，品种也少。", "待梳理")
	if strings.Index(page.Body, "夜班护士") > strings.Index(page.Body, "食堂饭菜") {
		t.Error("the opinions are not in the order they were typed")
	}
	codes := strings.Count(page.Body, "<li><code translate=\"no\">")
	if codes != 3 {
		t.Errorf("%d receipt codes shown, want 3", codes)
	}
	// Each code follows its opinion on /track, as any receipt does.
	first := symposiumCodeRe.FindStringSubmatch(page.Body)
	if first == nil {
		t.Fatal("no receipt code on the meeting's page")
	}
	public := h.browser()
	public.getCSRF(t, "/track")
	tracked := public.post(t, "/track", url.Values{"code": {first[1]}})
	wantStatus(t, tracked, http.StatusOK)
	wantContains(t, tracked.Body, "夜班护士人手不够，病人按铃要等很久。")
	// The codes are held for this browser alone (a cookie's ticket, never the URL).
	other, _ := h.staffAsNamed(t, "审核员乙")
	wantNotContains(t, other.get(t, r.location()).Body, "已保存：会议和")
	list, err := h.store.Symposia(context.Background(), "")
	if err != nil || len(list) != 1 {
		t.Fatalf("Symposia = %+v, %v", list, err)
	}
	ops, _, err := h.store.SymposiumOpinions(context.Background(), list[0].ID, access.Viewer{Role: access.Admin})
	if err != nil || len(ops) != 3 {
		t.Fatalf("SymposiumOpinions = %d, %v", len(ops), err)
	}
	for _, o := range ops {
		if o.Channel != "forum" || o.ReceivedOn != "2026-04-10" || o.Dept != "内科" || o.Type != "suggestion" {
			t.Errorf("opinion %s = channel %q received %q dept %q type %q", o.ID, o.Channel, o.ReceivedOn, o.Dept, o.Type)
		}
	}
	queue := b.get(t, "/admin/queue?channel=forum")
	wantContains(t, queue.Body, "/admin/opinions/"+ops[0].ID, "/admin/opinions/"+ops[2].ID)
	item := b.get(t, "/admin/opinions/"+ops[1].ID)
	wantContains(t, item.Body, `<a href="/admin/symposia/`+strconv.FormatInt(list[0].ID, 10)+`" id="item-symposium">`)
	list2 := b.get(t, "/admin/symposia")
	wantContains(t, list2.Body, "2026-04-10", "县人民医院", "分管副院长")
}

// TestSymposiumRefused: a wrong field is refused with 422, the message beside it and every
// row kept; nothing is stored.
func TestSymposiumRefused(t *testing.T) {
	h := newHarness(t)
	b, _ := h.staff(t)
	long := strings.Repeat("长", storage.MaxSymposiumHost+1)
	tests := []struct {
		name  string
		edit  func(url.Values)
		wants []string
	}{
		{"no date", func(v url.Values) { v.Set("held_on", "") }, []string{"请填写召开日期"}},
		{"a date to come", func(v url.Values) { v.Set("held_on", "2026-05-01") }, []string{"召开日期不能晚于今天"}},
		{"no host", func(v url.Values) { v.Set("host", " ") }, []string{"请填写主持人的姓名或职务。"}},
		{"a host too long", func(v url.Values) { v.Set("host", long) }, []string{"主持人", `value="` + long + `"`}},
		{"no category", func(v url.Values) { v.Del("category") }, []string{"请至少勾选一类参加人员。"}},
		{"an unknown category", func(v url.Values) { v.Set("category", "alien") }, []string{"请至少勾选一类参加人员。"}},
		{"no number", func(v url.Values) { v.Set("participants", "很多") }, []string{"请填写参加人数"}},
		{"no opinion", func(v url.Values) {
			for _, k := range []string{"content_1", "content_2", "dept_1", "dept_2"} {
				v.Del(k)
			}
		}, []string{"请至少写一条会上提出的意见。"}},
		{"one row's type unknown", func(v url.Values) { v.Set("type_2", "gossip") }, []string{`id="type_2"`, `name="type_2" class="invalid"`}},
		{"a department but no words", func(v url.Values) { v.Set("dept_3", "外科") }, []string{`name="content_3" rows="3" maxlength="5000" class="invalid"`, `value="外科"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := meetingForm("第一条意见：早上挂号太难，要排一个小时。", "第二条意见：医院停车太难，常常没有车位。")
			tc.edit(f)
			r := b.post(t, "/admin/symposia", f)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.wants...)
			wantContains(t, r.Body, "还没有保存")
			if f.Get("content_1") != "" {
				wantContains(t, r.Body, "第一条意见：早上挂号太难，要排一个小时。", "第二条意见：医院停车太难，常常没有车位。")
			}
			if n := h.countOpinions(t); n != 0 {
				t.Errorf("%d opinions stored, want 0", n)
			}
		})
	}
	t.Run("more rows keep what was typed and store nothing", func(t *testing.T) {
		f := meetingForm("第一条意见：早上挂号太难，要排一个小时。")
		f.Set("more", "1")
		r := b.post(t, "/admin/symposia", f)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `name="content_10"`, "第一条意见：早上挂号太难，要排一个小时。", `value="10"`)
		if n := h.countOpinions(t); n != 0 {
			t.Errorf("%d opinions stored, want 0", n)
		}
	})
}

// TestSymposiumPageScope: a meeting's page shows the opinions the reader may open (举报 only
// for 纪检) and counts the others; a liaison opens their own unit's meetings alone.
func TestSymposiumPageScope(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id, _, err := h.store.RecordSymposium(ctx, 0, storage.NewSymposium{HeldOn: "2026-04-10", UnitCode: "tcm-hospital", Host: "院长",
		Categories: []string{"staff"}, Participants: 8,
		Opinions: []storage.NewOpinion{
			{Type: "opinion", UnitCode: "tcm-hospital", Submitter: "staff", Content: "针灸科排队太久。", Channel: "forum", ReceivedOn: "2026-04-10"},
			{Type: "report", UnitCode: "tcm-hospital", Submitter: "staff", Content: "有人收红包。", Channel: "forum", ReceivedOn: "2026-04-10"}},
		Hashes: [][]byte{[]byte(strings.Repeat("a", 32)), []byte(strings.Repeat("b", 32))}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/symposia/" + strconv.FormatInt(id, 10)
	reviewer, _ := h.staff(t)
	r := reviewer.get(t, path)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "针灸科排队太久。", "另有 1 条意见您无权查看")
	wantNotContains(t, r.Body, "有人收红包。")
	liaison := h.staffAs(t, access.Liaison) // of the county hospital
	wantStatus(t, liaison.get(t, path), http.StatusNotFound)
	wantNotContains(t, liaison.get(t, "/admin/symposia").Body, "院长")
	wantStatus(t, reviewer.get(t, "/admin/symposia/999"), http.StatusNotFound)
}
