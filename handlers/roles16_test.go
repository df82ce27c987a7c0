package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// roles16Pages are the pages of #16 for TestEveryPage.
func roles16Pages(w pageWorld) []pageCase {
	get := http.MethodGet
	return []pageCase{
		{"citizen supervisor's page", "monitor", get, "/admin/jiandu", nil, 200, []string{"我的监督", "您还没有提过意见。"}},
		{"citizen supervisor's form", "monitor", get, "/admin/jiandu/submit", nil, 200, []string{"监督员提意见", `name="content"`}},
		{"citizen supervisor's board", "monitor", get, "/admin/jiandu/gongshi", nil, 200, []string{"联系单位的公示", "县人民医院"}},
		{"accountability records", "admin", get, "/admin/accountability", nil, 200, []string{"追责问责记录", "还没有追责问责记录。"}},
		{"an opinion's accountability", "admin", get, "/admin/opinions/" + w.assigned + "/accountability", nil, 200,
			[]string{"追责问责记录", "这条意见没有标记"}},
		{"conduct record", "admin", get, "/admin/conduct", nil, 200, []string{"医德医风档案", "医德医风档案未开启。"}},
	}
}

// loginAs creates a staff member n and logs them in, with the CSRF token of page.
func (h *harness) loginAs(t *testing.T, n storage.NewUser, page string) (*browser, storage.User) {
	t.Helper()
	n.Password = staffPassword
	u, err := h.store.CreateScopedUser(context.Background(), 0, n)
	if err != nil {
		t.Fatalf("CreateScopedUser(%+v): %v", n, err)
	}
	b := h.login(t, n.Username, staffPassword)
	b.getCSRF(t, page)
	return b, u
}

// concretePath fills a route's parameters with something that parses.
func concretePath(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case p == "*":
			parts[i] = "style.css"
		case p == ":unit":
			parts[i] = "county-hospital"
		case strings.HasPrefix(p, ":"):
			parts[i] = "1"
		}
	}
	return strings.Join(parts, "/")
}

// TestMonitorReachesOnlyTheirPages walks every staff route as a citizen supervisor: every one
// is refused (403) but their own pages, the start page (sent on to theirs) and their settings.
// The token is valid, so the refusals are the role's: the one POST they may make goes through.
func TestMonitorReachesOnlyTheirPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.loginAs(t, storage.NewUser{Username: "监督员", Role: access.Monitor, Linked: []string{"county-hospital"}}, "/admin/jiandu")
	allowed := map[string]int{
		"GET /admin": 303, "GET /admin/": 303, "GET /admin/profile": 200, "POST /admin/profile": 422,
		"GET /admin/jiandu": 200, "GET /admin/jiandu/submit": 200, "POST /admin/jiandu/submit": 422,
		"GET /admin/jiandu/gongshi": 200,
	}
	open := map[string]bool{"/admin/login": true, "/admin/setup/:token": true} // no session needed
	walked := 0
	for _, r := range h.e.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || open[r.Path] || r.Path == "/admin/logout" {
			continue
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		key := r.Method + " " + r.Path
		target := concretePath(r.Path)
		var got *response
		if r.Method == http.MethodGet {
			got = b.get(t, target)
		} else {
			got = b.post(t, target, url.Values{"lang": {"xx"}})
		}
		walked++
		want, ok := allowed[key]
		if !ok {
			want = http.StatusForbidden
		}
		if got.Code != want {
			t.Errorf("%s (%s) as a citizen supervisor: %d, want %d", key, target, got.Code, want)
		}
		delete(allowed, key)
	}
	if walked < 100 {
		t.Errorf("walked only %d staff routes", walked)
	}
	for key := range allowed {
		t.Errorf("%s is allowed to a citizen supervisor but is no route", key)
	}
	if r := b.get(t, "/admin"); r.location() != "/admin/jiandu" {
		t.Errorf("/admin sends a supervisor to %q", r.location())
	}
	// Logging in with next=/admin/queue lands on their page all the same.
	h2 := h.browser()
	h2.getCSRF(t, "/admin/login")
	r := h2.post(t, "/admin/login", url.Values{"username": {"监督员"}, "password": {staffPassword}, "next": {"/admin/queue"}})
	if r.Code != http.StatusSeeOther || r.location() != "/admin/jiandu" {
		t.Errorf("login with next=/admin/queue: %d to %q", r.Code, r.location())
	}
	// Their pages are theirs: other roles are refused them.
	rev, _ := h.staff(t)
	for _, target := range []string{"/admin/jiandu", "/admin/jiandu/submit", "/admin/jiandu/gongshi"} {
		wantStatus(t, rev.get(t, target), http.StatusForbidden)
	}
}

// TestMonitorSubmitsAndFollows: a supervisor's opinion is stored with the role, shown to the
// office without the person, and followed on their page; the 公示 of their units shows the steps.
func TestMonitorSubmitsAndFollows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	b, me := h.loginAs(t, storage.NewUser{Username: "监督员甲", Role: access.Monitor, Linked: []string{"county-hospital"}}, "/admin/jiandu/submit")
	const words = "门诊收费处中午十二点到一点没有人值守，病人排队很久。"
	bad := b.post(t, "/admin/jiandu/submit", url.Values{"type": {"complaint"}, "unit": {"county-hospital"}, "content": {"短"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `value="county-hospital" selected`)
	r := b.post(t, "/admin/jiandu/submit", url.Values{"type": {"complaint"}, "unit": {"county-hospital"}, "dept": {"门诊收费处"},
		"content": {words}})
	if r.Code != http.StatusSeeOther || r.location() != "/admin/jiandu?done=1" {
		t.Fatalf("submit: %d to %q\n%s", r.Code, r.location(), r.Body)
	}
	items, err := h.store.MonitorItems(ctx, me.ID)
	if err != nil || len(items) != 1 {
		t.Fatalf("MonitorItems = %+v (%v)", items, err)
	}
	id := items[0].ID
	o, err := h.store.Opinion(ctx, id)
	if err != nil || o.Submitter != storage.MonitorSubmitter || o.Contact != "" {
		t.Fatalf("stored %+v (%v)", o, err)
	}
	page := b.get(t, "/admin/jiandu?done=1")
	wantContains(t, page.Body, "您的意见已经保存", words, "门诊收费处")
	// The office reads it as a supervisor's, never whose.
	rev, _ := h.staff(t)
	item := rev.get(t, "/admin/opinions/"+id)
	wantStatus(t, item, http.StatusOK)
	wantContains(t, item.Body, "行风/社会监督员")
	wantNotContains(t, item.Body, "监督员甲")
	// Its progress, step by step, and the 公示 of the unit in detail.
	h.walkTo(t, 0, id, lifecycle.Rectifying)
	page = b.get(t, "/admin/jiandu")
	wantContains(t, page.Body, "整改时限", `<ol class="steps">`)
	if err := h.store.Publish(ctx, 0, id, "收费处午间值守", "安排午间轮班", ""); err != nil {
		t.Fatal(err)
	}
	board := b.get(t, "/admin/jiandu/gongshi")
	wantStatus(t, board, http.StatusOK)
	wantContains(t, board.Body, "收费处午间值守", "安排午间轮班", "整改时限", `<ol class="steps">`)
	wantNotContains(t, board.Body, words) // never what was written, even their own, on the board
	// Another supervisor, of another unit, sees neither.
	other, _ := h.loginAs(t, storage.NewUser{Username: "监督员乙", Role: access.Monitor, Linked: []string{"tcm-hospital"}}, "/admin/jiandu")
	wantNotContains(t, other.get(t, "/admin/jiandu").Body, words)
	wantNotContains(t, other.get(t, "/admin/jiandu/gongshi").Body, "收费处午间值守")
}

// TestHeadsSeeAndDoTheirWork: a department head and a unit head through the router: the queue
// and items by their rule, the moves of a liaison, no tagging.
func TestHeadsSeeAndDoTheirWork(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	assigned := func(content, dept string, leadership bool) string {
		id, _ := h.seed(t, storage.NewOpinion{Content: content, Dept: dept, AboutLeadership: leadership})
		h.walkTo(t, 0, id, lifecycle.Assigned)
		return id
	}
	internal := assigned("内科门诊候诊区太挤，椅子不够坐。", "内科", false)
	surgery := assigned("外科换药室的门总是关着，找不到人。", "外科", false)
	leaders := assigned("医院领导班子很少到门诊了解情况。", "内科", true)
	unassigned, _ := h.seed(t, storage.NewOpinion{Content: "住院部电梯等候时间太长。", Dept: "内科"})
	deptHead, _ := h.loginAs(t, storage.NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"}, "/admin/queue")
	unitHead, _ := h.loginAs(t, storage.NewUser{Username: "院长", Role: access.UnitHead, Unit: "county-hospital"}, "/admin/queue")
	tests := []struct {
		name string
		b    *browser
		id   string
		want int
	}{
		{"department head: their 科室", deptHead, internal, 200},
		{"department head: another 科室", deptHead, surgery, 404},
		{"department head: the leadership", deptHead, leaders, 404},
		{"department head: not handed over", deptHead, unassigned, 404},
		{"unit head: a 科室's work", unitHead, surgery, 200},
		{"unit head: not handed over yet", unitHead, unassigned, 200},
		{"unit head: their own leadership", unitHead, leaders, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.get(t, "/admin/opinions/"+tt.id)
			if r.Code != tt.want && !(tt.want == 404 && r.Code == 403) {
				t.Fatalf("status %d, want %d", r.Code, tt.want)
			}
		})
	}
	queue := deptHead.get(t, "/admin/queue")
	wantContains(t, queue.Body, "内科门诊候诊区太挤")
	wantNotContains(t, queue.Body, "外科换药室", "领导班子很少", "住院部电梯")
	queue = unitHead.get(t, "/admin/queue")
	wantContains(t, queue.Body, "内科门诊候诊区太挤", "外科换药室", "住院部电梯")
	wantNotContains(t, queue.Body, "领导班子很少")
	// Reporting progress as a liaison does; no tagging.
	r := deptHead.post(t, "/admin/opinions/"+internal+"/status", url.Values{"status": {lifecycle.Rectifying}, "kind": {"immediate"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("department head starts the work: %d\n%s", r.Code, r.Body)
	}
	if o, _ := h.store.Opinion(ctx, internal); o.Status != lifecycle.Rectifying {
		t.Fatalf("status %s, want rectifying", o.Status)
	}
	wantStatus(t, deptHead.post(t, "/admin/opinions/"+internal+"/styles", url.Values{"styles": {"formalism"}}), http.StatusForbidden)
	wantStatus(t, unitHead.get(t, "/admin/export?month=2026-04&format=csv"), http.StatusForbidden)
	wantStatus(t, unitHead.get(t, "/admin/accountability"), http.StatusForbidden)
	// The unit head opens their own unit's dashboard, counted in their scope; not another's.
	wantStatus(t, unitHead.get(t, "/admin/dashboard/county-hospital"), http.StatusOK)
	for _, r := range []*response{unitHead.get(t, "/admin/dashboard/tcm-hospital"), deptHead.get(t, "/admin/dashboard/county-hospital")} {
		if r.Code != http.StatusForbidden && r.Code != http.StatusNotFound { // refused as unknown, like an item
			t.Errorf("another unit's dashboard: %d", r.Code)
		}
	}
}

// TestConductRecordRoutes: off by default; the administrator turns it on; a department head
// reads their own 科室's, whatever they ask; a reader granted by name any; others are refused;
// every reading audited.
func TestConductRecordRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	praise, _ := h.seed(t, storage.NewOpinion{Type: "praise", Content: "内科护士很耐心，谢谢她们。", Dept: "内科"})
	_ = praise
	h.seed(t, storage.NewOpinion{Type: "complaint", Content: "内科医生态度不好，没查实。", Dept: "内科"})
	admin := h.staffAs(t, access.Admin)
	head, headUser := h.loginAs(t, storage.NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"}, "/admin/conduct")
	rev, revUser := h.staff(t)
	wantContains(t, head.get(t, "/admin/conduct").Body, "医德医风档案尚未开启")
	wantStatus(t, rev.get(t, "/admin/conduct"), http.StatusForbidden)
	admin.getCSRF(t, "/admin/conduct")
	wantStatus(t, admin.post(t, "/admin/conduct/enabled", url.Values{"enabled": {"1"}}), http.StatusSeeOther)
	wantStatus(t, head.post(t, "/admin/conduct/enabled", url.Values{"enabled": {"0"}}), http.StatusForbidden)
	r := head.get(t, "/admin/conduct?unit=county-hospital&dept=外科")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `id="conduct"`, "<td>2026-04</td><td>1</td><td>0</td><td>0</td>")
	wantNotContains(t, r.Body, "内科护士很耐心", "没查实") // counts, never words
	wantStatus(t, rev.get(t, "/admin/conduct"), http.StatusForbidden)
	admin.getCSRF(t, "/admin/users")
	wantStatus(t, admin.post(t, "/admin/users/"+strconv.FormatInt(revUser.ID, 10)+"/conduct", url.Values{"conduct": {"1"}}), http.StatusSeeOther)
	r = rev.get(t, "/admin/conduct?unit=county-hospital&dept=内科&from=2026-03&to=2026-04")
	wantContains(t, r.Body, "<td>2026-03</td><td>0</td>", "<td>2026-04</td><td>1</td><td>0</td><td>0</td>")
	for _, name := range []string{headUser.Username, revUser.Username} {
		if n := auditCount(t, h, name, "conduct_view"); n != 1 {
			t.Errorf("%s: %d conduct_view entries, want 1", name, n)
		}
	}
}

// TestAccountabilityRoutes: administrators and discipline record decisions on opinions marked
// 追责; bad fields come back with the words kept; the report counts them by measure.
func TestAccountabilityRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, storage.NewOpinion{Content: "收费窗口多收费用，科室推诿。"})
	h.walkTo(t, 0, id, lifecycle.Assigned)
	admin := h.staffAs(t, access.Admin)
	admin.getCSRF(t, "/admin/opinions/"+id)
	page := "/admin/opinions/" + id + "/accountability"
	form := url.Values{"decided_by": {"局党组"}, "measure": {"talk"}, "decided_on": {"2026-04-10"}, "doc_no": {"卫党〔2026〕3号"}}
	wantStatus(t, admin.post(t, page, form), http.StatusConflict) // not marked 追责 yet
	wantStatus(t, admin.post(t, "/admin/opinions/"+id+"/flags", url.Values{"accountability": {"1"}}), http.StatusSeeOther)
	wantContains(t, admin.get(t, "/admin/opinions/"+id).Body, `id="accountability-link"`)
	bad := admin.post(t, page, url.Values{"decided_by": {"局党组"}, "measure": {"fine"}, "decided_on": {"2026-05-30"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, `value="局党组"`, "请选择处理方式", "不能晚于今天")
	wantStatus(t, admin.post(t, page, form), http.StatusSeeOther)
	list := admin.get(t, "/admin/accountability")
	wantContains(t, list.Body, "谈话提醒", "局党组", "卫党〔2026〕3号")
	rev, _ := h.staff(t)
	wantStatus(t, rev.get(t, "/admin/accountability"), http.StatusForbidden)
	wantStatus(t, rev.get(t, page), http.StatusForbidden)
	report := admin.get(t, "/admin/reports/draft?period="+reportMonth+"&kind=summary")
	wantStatus(t, report, http.StatusOK)
	wantContains(t, report.Body, "追责问责（按处理方式）", "谈话提醒")
	wantNotContains(t, rev.get(t, "/admin/reports/draft?period="+reportMonth+"&kind=summary").Body, "追责问责（按处理方式）")
	// A 举报's records are discipline's: an administrator cannot open them, nor find them listed.
	secret, _ := h.seed(t, storage.NewOpinion{Type: access.ReportType, Content: "某科室主任收受红包，请核查。"})
	if err := h.store.SetFlags(context.Background(), 0, secret, storage.Flags{Accountability: true}); err != nil {
		t.Fatal(err)
	}
	discipline := h.staffAs(t, access.Discipline)
	discipline.getCSRF(t, "/admin/opinions/"+secret+"/accountability")
	wantStatus(t, discipline.post(t, "/admin/opinions/"+secret+"/accountability",
		url.Values{"decided_by": {"县纪委"}, "measure": {"referral"}, "decided_on": {"2026-04-12"}}), http.StatusSeeOther)
	if r := admin.get(t, "/admin/opinions/"+secret+"/accountability"); r.Code != http.StatusNotFound && r.Code != http.StatusForbidden {
		t.Errorf("an administrator opens a 举报's records: %d", r.Code)
	}
	wantNotContains(t, admin.get(t, "/admin/accountability").Body, "移送纪检", "县纪委")
	wantContains(t, discipline.get(t, "/admin/accountability").Body, "移送纪检", "县纪委", "谈话提醒")
}

// TestAddNewRoleAccounts: the administrator's form makes the accounts of #16; a department head
// needs a 科室, a badge is digits and letters; the words typed come back with the refusal.
func TestAddNewRoleAccounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staffAs(t, access.Admin)
	admin.getCSRF(t, "/admin/users")
	base := func(name, role string) url.Values {
		return url.Values{"username": {name}, "role": {role}, "password": {staffPassword}, "password2": {staffPassword}}
	}
	noDept := base("内科主任", access.DeptHead)
	noDept.Set("unit", "county-hospital")
	noDept.Set("badge", "A-12")
	r := admin.post(t, "/admin/users", noDept)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请填写这位科室负责人所在的科室", "工号只能是数字和字母", `value="内科主任"`)
	ok := base("内科主任", access.DeptHead)
	ok.Set("unit", "county-hospital")
	ok.Set("dept", "内科")
	ok.Set("badge", "A0123")
	wantStatus(t, admin.post(t, "/admin/users", ok), http.StatusSeeOther)
	monitor := base("监督员", access.Monitor)
	monitor["linked"] = []string{"county-hospital", "tcm-hospital"}
	wantStatus(t, admin.post(t, "/admin/users", monitor), http.StatusSeeOther)
	users, err := h.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, u := range users {
		switch u.Username {
		case "内科主任":
			found++
			if u.Unit != "county-hospital" || u.Dept != "内科" || u.Badge != "A0123" {
				t.Errorf("department head stored as %+v", u)
			}
		case "监督员":
			found++
			if len(u.Linked) != 2 || u.Unit != "" {
				t.Errorf("citizen supervisor stored as %+v", u)
			}
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the 2 accounts", found)
	}
	page := admin.get(t, "/admin/users")
	wantContains(t, page.Body, "科室负责人（责任人）", "行风/社会监督员", "县人民医院 · 内科", "允许查看医德医风档案")
}

// TestUnitHeadReports: a unit head drafts and issues their own unit's report, by default, and
// no other unit's nor the system's.
func TestUnitHeadReports(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	head, _ := h.loginAs(t, storage.NewUser{Username: "院长", Role: access.UnitHead, Unit: "county-hospital"}, "/admin/reports")
	draft := "/admin/reports/draft?period=" + reportMonth
	r := head.get(t, draft)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `id="issue"`, `id="report-unit">县人民医院`)
	wantStatus(t, head.get(t, draft+"&unit=tcm-hospital"), http.StatusForbidden)
	archive := head.get(t, "/admin/reports")
	wantContains(t, archive.Body, `<option value="county-hospital"`)
	wantNotContains(t, archive.Body, `<option value="tcm-hospital"`, `<option value="">`)
	dept, _ := h.loginAs(t, storage.NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"}, "/admin/queue")
	wantStatus(t, dept.get(t, draft), http.StatusForbidden)
}
