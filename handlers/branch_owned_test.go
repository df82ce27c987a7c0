package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// Branch administrators, second part (#15): mailboxes, sites, surveys, evaluations, the audit
// log and the branch of another administrator, each of their branch only; refused with 403
// (never a 500) outside it, with words that say why.

// branchBoxes adds a mailbox and a site to each county's hospital and the bureau's own
// mailbox (no unit); it returns their codes by name.
func branchBoxes(t *testing.T, h *harness) map[string]string {
	t.Helper()
	ctx := context.Background()
	codes := map[string]string{}
	for name, unit := range map[string]string{"东县院长信箱": "east-hospital", "西县院长信箱": "west-hospital", "省局意见箱": ""} {
		m, err := h.store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: name, UnitCode: unit, ReaderRoles: []string{access.Admin}})
		if err != nil {
			t.Fatal(err)
		}
		codes[name] = m.Code
	}
	for name, unit := range map[string]string{"东县门诊大厅": "east-hospital", "西县门诊大厅": "west-hospital"} {
		st, err := h.store.CreateSite(ctx, 0, storage.NewSite{Name: name, UnitCode: unit})
		if err != nil {
			t.Fatal(err)
		}
		codes[name] = st.Code
	}
	return codes
}

// TestBranchAdminMailboxesAndSites: the lists hold the branch's mailboxes and sites; a branch
// administrator creates, edits, retires and prints those of their units, and is refused (403)
// another county's, the bureau's own mailbox (no unit) and moving one out of the branch.
func TestBranchAdminMailboxesAndSites(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	codes := branchBoxes(t, h)
	westLiaison := mustUser(t, h, storage.NewUser{Username: "西县联络员", Role: access.Liaison, Unit: "west-hospital"})
	b := branchAdmin(t, h)
	for _, path := range []string{"/admin/mailboxes", "/admin/sites"} {
		r := b.getCSRF(t, path)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, "东县", `value="east-hospital"`)
		wantNotContains(t, r.Body, "西县院长信箱", "西县门诊大厅", "省局意见箱", `value="west-hospital"`)
	}
	box := func(name, unit string) url.Values {
		return url.Values{"name": {name}, "unit": {unit}, "role": {access.Admin}}
	}
	site := func(name, unit string) url.Values { return url.Values{"name": {name}, "unit": {unit}} }
	tests := []struct {
		name, path string
		form       url.Values
		want       int
	}{
		{"a mailbox of a hospital of the branch", "/admin/mailboxes", box("东县医院意见箱", "east-hospital"), http.StatusSeeOther},
		{"a mailbox of another county", "/admin/mailboxes", box("越权信箱", "west-hospital"), http.StatusForbidden},
		{"a mailbox of no unit (the whole portal's)", "/admin/mailboxes", box("越权全局信箱", ""), http.StatusForbidden},
		{"edit a mailbox of the branch", "/admin/mailboxes/" + codes["东县院长信箱"], box("东县院长信箱（新）", "east-hospital"), http.StatusSeeOther},
		{"move a mailbox out of the branch", "/admin/mailboxes/" + codes["东县院长信箱"], box("东县院长信箱", "west-hospital"), http.StatusForbidden},
		{"edit another county's mailbox", "/admin/mailboxes/" + codes["西县院长信箱"], box("西县院长信箱", "west-hospital"), http.StatusForbidden},
		{"edit the bureau's mailbox", "/admin/mailboxes/" + codes["省局意见箱"], box("省局意见箱", "east-hospital"), http.StatusForbidden},
		{"retire another county's mailbox", "/admin/mailboxes/" + codes["西县院长信箱"] + "/active", url.Values{"active": {"0"}}, http.StatusForbidden},
		{"retire the branch's mailbox", "/admin/mailboxes/" + codes["东县院长信箱"] + "/active", url.Values{"active": {"0"}}, http.StatusSeeOther},
		{"a mailbox naming a reader of another county", "/admin/mailboxes",
			url.Values{"name": {"东县二号信箱"}, "unit": {"east-hospital"}, "reader": {strconv.FormatInt(westLiaison.ID, 10)}}, http.StatusUnprocessableEntity},
		{"a site of the branch", "/admin/sites", site("东县住院部", "east-hospital"), http.StatusSeeOther},
		{"a site of another county", "/admin/sites", site("越权点位", "west-hospital"), http.StatusForbidden},
		{"a site with no unit: the form says so", "/admin/sites", site("漏填单位", ""), http.StatusUnprocessableEntity},
		{"edit a site of the branch", "/admin/sites/" + codes["东县门诊大厅"], site("东县门诊一楼大厅", "east-hospital"), http.StatusSeeOther},
		{"move a site out of the branch", "/admin/sites/" + codes["东县门诊大厅"], site("东县门诊大厅", "west-hospital"), http.StatusForbidden},
		{"edit another county's site", "/admin/sites/" + codes["西县门诊大厅"], site("西县门诊大厅", "west-hospital"), http.StatusForbidden},
		{"retire another county's site", "/admin/sites/" + codes["西县门诊大厅"] + "/active", url.Values{"active": {"0"}}, http.StatusForbidden},
		{"an unknown site", "/admin/sites/nosuchsite/active", url.Values{"active": {"0"}}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := b.post(t, tt.path, tt.form); r.Code != tt.want {
				t.Fatalf("POST %s: %d, want %d\n%s", tt.path, r.Code, tt.want, r.Body)
			}
		})
	}
	for path, want := range map[string]int{
		"/admin/sites/" + codes["东县门诊大厅"] + "/poster":     http.StatusOK,
		"/admin/sites/" + codes["东县门诊大厅"] + "/qr.png":     http.StatusOK,
		"/admin/sites/" + codes["西县门诊大厅"] + "/poster":     http.StatusForbidden,
		"/admin/sites/" + codes["西县门诊大厅"] + "/poster.svg": http.StatusForbidden,
		"/admin/sites/" + codes["西县门诊大厅"] + "/qr.png":     http.StatusForbidden,
		"/admin/paper/site/" + codes["东县门诊大厅"]:            http.StatusOK,
		"/admin/paper/site/" + codes["西县门诊大厅"]:            http.StatusNotFound,
	} {
		if r := b.get(t, path); r.Code != want {
			t.Errorf("GET %s: %d, want %d", path, r.Code, want)
		}
	}
	r := b.get(t, "/admin/sites/"+codes["西县门诊大厅"]+"/poster")
	wantContains(t, r.Body, "不在您的管理范围")
	// The queue's filters offer the branch's units and mailboxes alone.
	q := b.get(t, "/admin/queue")
	wantStatus(t, q, http.StatusOK)
	wantContains(t, q.Body, `value="east-hospital"`, "东县院长信箱")
	wantNotContains(t, q.Body, `value="west-hospital"`, "西县院长信箱", "省局意见箱")
	boxes, err := h.store.AllMailboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range boxes {
		if strings.Contains(m.Name, "越权") || m.Name == "西县院长信箱" && !m.Active {
			t.Errorf("mailbox %+v should not have been made or changed", m)
		}
		if m.Code == codes["东县院长信箱"] && (m.Name != "东县院长信箱（新）" || m.Active || m.UnitCode != "east-hospital") {
			t.Errorf("the branch's mailbox after the changes: %+v", m)
		}
	}
	// The provincial administrator still manages them all.
	mustUser(t, h, storage.NewUser{Username: "省管理员", Role: access.Admin})
	root := h.login(t, "省管理员", staffPassword)
	wantContains(t, root.get(t, "/admin/mailboxes").Body, "西县院长信箱", "省局意见箱", "东县院长信箱")
	root.getCSRF(t, "/admin/mailboxes")
	wantStatus(t, root.post(t, "/admin/mailboxes/"+codes["西县院长信箱"]+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
}

// TestBranchAdminSurveysAndEvaluations: a survey or an evaluation made by a branch
// administrator belongs to their branch and names its units only; they list, read and change
// theirs alone, never the whole portal's or another county's (403), whose readers outside
// the branch (reviewers, the provincial administrator) read them all.
func TestBranchAdminSurveysAndEvaluations(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	ctx := context.Background()
	whole, err := h.store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "全省门诊测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30",
		Scale: storage.ScaleThree, Units: []string{"east-hospital", "west-hospital"}, Items: []string{"服务态度"}})
	if err != nil {
		t.Fatal(err)
	}
	west, err := h.store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "西县门诊测评", StartsOn: "2026-04-01", EndsOn: "2026-04-30",
		Scale: storage.ScaleThree, Units: []string{"west-hospital"}, Items: []string{"服务态度"}, Branch: "west-county"})
	if err != nil {
		t.Fatal(err)
	}
	b := branchAdmin(t, h)
	b.getCSRF(t, "/admin/surveys")
	survey := func(title string, units ...string) url.Values {
		return url.Values{"title": {title}, "starts_on": {"2026-04-15"}, "ends_on": {"2026-06-30"}, "units": units,
			"items": {"挂号等候时间"}, "scale": {"three"}, "item_threshold": {"80"}, "overall_threshold": {"88"}}
	}
	wantStatus(t, b.post(t, "/admin/surveys", survey("东县门诊测评", "east-hospital")), http.StatusSeeOther)
	wantStatus(t, b.post(t, "/admin/surveys", survey("越权测评", "east-hospital", "west-hospital")), http.StatusForbidden)
	var mine storage.Survey
	all, err := h.store.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range all {
		if sv.Title == "东县门诊测评" {
			mine = sv
		}
		if sv.Title == "越权测评" {
			t.Error("the survey across the border was stored")
		}
	}
	if mine.Branch != "east-county" || len(mine.Units) != 1 || mine.Units[0].Code != "east-hospital" {
		t.Fatalf("the branch's survey: %+v", mine)
	}
	r := b.get(t, "/admin/surveys")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "东县门诊测评")
	wantNotContains(t, r.Body, "全省门诊测评", "西县门诊测评", `value="west-hospital"`)
	id := func(sv int64) string { return "/admin/surveys/" + strconv.FormatInt(sv, 10) }
	for path, want := range map[string]int{
		id(mine.ID): http.StatusOK, id(whole): http.StatusForbidden, id(west): http.StatusForbidden,
		id(whole) + "/qr.png?unit=east-hospital": http.StatusForbidden,
	} {
		if r := b.get(t, path); r.Code != want {
			t.Errorf("GET %s: %d, want %d", path, r.Code, want)
		}
	}
	thresholds := url.Values{"item_threshold": {"70"}, "overall_threshold": {"75"}}
	wantStatus(t, b.post(t, id(mine.ID)+"/thresholds", thresholds), http.StatusSeeOther)
	wantStatus(t, b.post(t, id(whole)+"/thresholds", thresholds), http.StatusForbidden)
	// Its public page lists the county's unit alone.
	pub := h.browser().get(t, "/survey/"+strconv.FormatInt(mine.ID, 10))
	wantStatus(t, pub, http.StatusOK)
	wantContains(t, pub.Body, "东县人民医院")
	wantNotContains(t, pub.Body, "西县人民医院")

	// Evaluations.
	b.getCSRF(t, "/admin/evaluations")
	eval := func(title, unit string) url.Values {
		return url.Values{"title": {title}, "meeting": {"动员大会"}, "unit": {unit}, "opens_on": {"2026-04-15"}, "closes_on": {"2026-04-20"}}
	}
	wantStatus(t, b.post(t, "/admin/evaluations", eval("东县医院班子评议", "east-hospital")), http.StatusSeeOther)
	wantStatus(t, b.post(t, "/admin/evaluations", eval("越权评议", "west-hospital")), http.StatusForbidden)
	wholeEval, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "全省班子评议", UnitCode: "east-hospital",
		OpensOn: "2026-04-15", ClosesOn: "2026-04-20"})
	if err != nil {
		t.Fatal(err)
	}
	r = b.get(t, "/admin/evaluations")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "东县医院班子评议")
	wantNotContains(t, r.Body, "全省班子评议", "越权评议")
	closeIt := url.Values{"confirm": {"1"}}
	wantStatus(t, b.post(t, "/admin/evaluations/"+strconv.FormatInt(wholeEval, 10)+"/close", closeIt), http.StatusForbidden)
	wantStatus(t, b.post(t, "/admin/evaluations/"+strconv.FormatInt(wholeEval, 10)+"/codes", url.Values{"count": {"3"}}), http.StatusForbidden)
	evs, err := h.store.Evaluations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Title == "东县医院班子评议" {
			if ev.Branch != "east-county" {
				t.Errorf("the branch's evaluation: %+v", ev)
			}
			wantStatus(t, b.post(t, "/admin/evaluations/"+strconv.FormatInt(ev.ID, 10)+"/close", closeIt), http.StatusSeeOther)
		}
		if ev.ID == wholeEval && ev.Closed {
			t.Error("the whole portal's evaluation was closed by a branch administrator")
		}
	}
	// A reviewer (not limited to a branch) reads every survey.
	rev := h.staffAs(t, access.Reviewer)
	wantContains(t, rev.get(t, "/admin/surveys").Body, "全省门诊测评", "西县门诊测评", "东县门诊测评")
}

// TestBranchAdminAuditLog: the audit log and its exports hold the entries of the branch: its
// opinions, units, accounts, mailboxes and sites, and what its accounts did; not another
// county's, not the whole portal's settings. The reading of the export is itself audited.
func TestBranchAdminAuditLog(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	branchBoxes(t, h)
	ctx := context.Background()
	east, _ := h.seed(t, storage.NewOpinion{UnitCode: "east-hospital", Content: "东县医院挂号排队太久，希望增加窗口。"})
	west, _ := h.seed(t, storage.NewOpinion{UnitCode: "west-hospital", Content: "西县医院的停车场太小，经常停不下车。"})
	office := mustUser(t, h, storage.NewUser{Username: "省审核员", Role: access.Reviewer})
	for _, id := range []string{east, west} {
		if err := h.store.AddNote(ctx, office.ID, id, "请核实"); err != nil {
			t.Fatal(err)
		}
	}
	mustUser(t, h, storage.NewUser{Username: "西县联络员", Role: access.Liaison, Unit: "west-hospital"})
	mustUser(t, h, storage.NewUser{Username: "东县联络员", Role: access.Liaison, Unit: "east-hospital"})
	b := branchAdmin(t, h)
	r := b.get(t, "/admin/audit")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, east, "东县院长信箱", "东县门诊大厅", "东县联络员", "east-hospital")
	wantNotContains(t, r.Body, west, "西县院长信箱", "西县门诊大厅", "西县联络员", "省局意见箱")
	for _, format := range []string{"csv", "xlsx"} {
		r := b.get(t, "/admin/audit/export?format="+format)
		wantStatus(t, r, http.StatusOK)
		if format == "csv" {
			wantContains(t, r.Body, east, "东县院长信箱")
			wantNotContains(t, r.Body, west, "西县院长信箱", "省局意见箱")
		}
	}
	entries, err := h.store.RecentAudit(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "export" || entries[0].Username != "东县管理员" || !strings.Contains(entries[0].Detail, "audit") {
		t.Errorf("the export is not audited: %+v", entries)
	}
	// Filtering by a person outside the branch is the form's mistake, not a way out.
	wantStatus(t, b.get(t, "/admin/audit?person=1"), http.StatusUnprocessableEntity)
	// The whole portal's work stays refused, with words that say so.
	for _, path := range []string{"/admin/taxonomy", "/admin/calendar", "/admin/qudao", "/admin/notify"} {
		r := b.get(t, path)
		wantStatus(t, r, http.StatusForbidden)
		wantContains(t, r.Body, "由全省统一管理")
	}
}

// TestChangeAdminBranch: the provincial administrator sets, narrows and clears another
// administrator's branch on the users page, audited; a branch administrator only narrows one
// inside their own and never clears it; no one changes their own.
func TestChangeAdminBranch(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	root := mustUser(t, h, storage.NewUser{Username: "省管理员", Role: access.Admin})
	other := mustUser(t, h, storage.NewUser{Username: "另一位管理员", Role: access.Admin})
	narrow := mustUser(t, h, storage.NewUser{Username: "东县医院管理员", Role: access.Admin, Branch: "east-hospital"})
	liaison := mustUser(t, h, storage.NewUser{Username: "东县联络员", Role: access.Liaison, Unit: "east-hospital"})
	b := branchAdmin(t, h)
	p := h.login(t, "省管理员", staffPassword)
	r := p.getCSRF(t, "/admin/users")
	wantContains(t, r.Body, "/admin/users/"+strconv.FormatInt(other.ID, 10)+"/branch", "更改管理范围")
	wantNotContains(t, r.Body, "/admin/users/"+strconv.FormatInt(root.ID, 10)+"/branch")
	path := func(u storage.User) string { return "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/branch" }
	tests := []struct {
		name string
		who  *browser
		path string
		to   string
		want int
	}{
		{"the province limits an administrator to a county", p, path(other), "west-county", http.StatusSeeOther},
		{"the province clears it again", p, path(other), "", http.StatusSeeOther},
		{"the province changes its own", p, path(root), "east-county", http.StatusConflict},
		{"a liaison has no branch", p, path(liaison), "east-county", http.StatusUnprocessableEntity},
		{"an unknown unit: the form says so", p, path(other), "nowhere", http.StatusUnprocessableEntity},
		{"the county narrows one of its own", b, path(narrow), "east-hospital", http.StatusSeeOther},
		{"the county widens one to itself", b, path(narrow), "east-county", http.StatusSeeOther},
		{"the county clears one", b, path(narrow), "", http.StatusForbidden},
		{"the county moves one to another county", b, path(narrow), "west-county", http.StatusForbidden},
		{"the county limits the province's", b, path(root), "east-county", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.who.post(t, tt.path, url.Values{"branch": {tt.to}}); r.Code != tt.want {
				t.Fatalf("POST %s branch=%q: %d, want %d\n%s", tt.path, tt.to, r.Code, tt.want, r.Body)
			}
		})
	}
	users, err := h.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		want := map[string]string{"另一位管理员": "", "省管理员": "", "东县医院管理员": "east-county"}[u.Username]
		if u.Role == access.Admin && u.Username != "东县管理员" && u.Branch != want {
			t.Errorf("%s: branch %q, want %q", u.Username, u.Branch, want)
		}
	}
	entries, err := h.store.RecentAudit(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, e := range entries {
		if e.Action == "user_branch" {
			changes = append(changes, e.Username+" "+e.Detail)
		}
	}
	if len(changes) != 3 || changes[0] != "东县管理员 东县医院管理员: east-hospital → east-county" {
		t.Errorf("audited changes: %q", changes)
	}
}
