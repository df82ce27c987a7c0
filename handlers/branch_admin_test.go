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

// branchTree adds two counties under the bureau, each with a hospital: 东县 and 西县.
func branchTree(t *testing.T, h *harness) {
	t.Helper()
	for _, u := range []storage.NewUnit{
		{Code: "east-county", Name: "东县卫健局", ParentCode: "bureau", Kind: "section"},
		{Code: "east-hospital", Name: "东县人民医院", ParentCode: "east-county", Kind: "county"},
		{Code: "west-county", Name: "西县卫健局", ParentCode: "bureau", Kind: "section"},
		{Code: "west-hospital", Name: "西县人民医院", ParentCode: "west-county", Kind: "county"},
	} {
		if err := h.store.CreateUnit(context.Background(), 0, u); err != nil {
			t.Fatalf("CreateUnit %s: %v", u.Code, err)
		}
	}
}

// branchAdmin adds an administrator limited to 东县 and logs them in.
func branchAdmin(t *testing.T, h *harness) *browser {
	t.Helper()
	if _, err := h.store.CreateScopedUser(context.Background(), 0, storage.NewUser{Username: "东县管理员",
		Password: staffPassword, Role: access.Admin, Branch: "east-county"}); err != nil {
		t.Fatal(err)
	}
	b := h.login(t, "东县管理员", staffPassword)
	b.getCSRF(t, "/admin/users")
	return b
}

// mustUser adds an account directly in the store.
func mustUser(t *testing.T, h *harness, n storage.NewUser) storage.User {
	t.Helper()
	n.Password = staffPassword
	u, err := h.store.CreateScopedUser(context.Background(), 0, n)
	if err != nil {
		t.Fatalf("CreateScopedUser %s: %v", n.Username, err)
	}
	return u
}

// TestBranchAdminSeesTheBranchOnly: the queue and an opinion's page show a branch
// administrator the opinions of the branch's units, never another county's, never 举报.
func TestBranchAdminSeesTheBranchOnly(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	east, _ := h.seed(t, storage.NewOpinion{UnitCode: "east-hospital", Content: "东县医院挂号排队太久，希望增加窗口。"})
	west, _ := h.seed(t, storage.NewOpinion{UnitCode: "west-hospital", Content: "西县医院的停车场太小，经常停不下车。"})
	report, _ := h.seed(t, storage.NewOpinion{Type: "report", UnitCode: "east-hospital", Content: "东县医院有医生收受红包。"})
	b := branchAdmin(t, h)
	r := b.get(t, "/admin/queue")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body, east) || strings.Contains(r.Body, west) || strings.Contains(r.Body, report) {
		t.Errorf("queue: want %s only of %s, %s, %s", east, east, west, report)
	}
	wantStatus(t, b.get(t, "/admin/opinions/"+east), http.StatusOK)
	wantStatus(t, b.get(t, "/admin/opinions/"+west), http.StatusNotFound)
	wantStatus(t, b.get(t, "/admin/opinions/"+report), http.StatusNotFound)
	// The provincial administrator sees both counties.
	mustUser(t, h, storage.NewUser{Username: "省管理员", Role: access.Admin})
	root := h.login(t, "省管理员", staffPassword)
	wantStatus(t, root.get(t, "/admin/opinions/"+west), http.StatusOK)
	wantContains(t, root.get(t, "/admin/users").Body, `<option value="">全部单位</option>`, `<option value="reviewer"`)
	// The whole portal's administration is not the branch's.
	wantStatus(t, b.get(t, "/admin/dashboard/east-hospital"), http.StatusOK)
	wantStatus(t, b.get(t, "/admin/dashboard/west-hospital"), http.StatusNotFound)
	wantStatus(t, root.get(t, "/admin/dashboard/west-hospital"), http.StatusOK)
	// The whole portal's administration is not the branch's (mailboxes, sites and the audit
	// log are theirs filtered to the branch: branch_owned_test.go).
	for _, path := range []string{"/admin/taxonomy", "/admin/calendar", "/admin/qudao", "/admin/notices"} {
		if r := b.get(t, path); r.Code != http.StatusForbidden {
			t.Errorf("GET %s by a branch admin: %d, want 403", path, r.Code)
		}
		if r := root.get(t, path); r.Code != http.StatusOK {
			t.Errorf("GET %s by the provincial admin: %d, want 200", path, r.Code)
		}
	}
}

// TestBranchAdminManagesUsers: a branch administrator adds and changes the accounts of the
// branch only; every account that would see more than the branch is refused (403).
func TestBranchAdminManagesUsers(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	eastLiaison := mustUser(t, h, storage.NewUser{Username: "东县联络员", Role: access.Liaison, Unit: "east-hospital"})
	westLiaison := mustUser(t, h, storage.NewUser{Username: "西县联络员", Role: access.Liaison, Unit: "west-hospital"})
	rootAdmin := mustUser(t, h, storage.NewUser{Username: "省管理员", Role: access.Admin})
	leader := mustUser(t, h, storage.NewUser{Username: "东县领导", Role: access.Leader, Linked: []string{"east-hospital"}})
	b := branchAdmin(t, h)

	add := func(name, role, unit, branch string, linked ...string) url.Values {
		return url.Values{"username": {name}, "role": {role}, "unit": {unit}, "branch": {branch}, "linked": linked,
			"password": {staffPassword}, "password2": {staffPassword}}
	}
	tests := []struct {
		name string
		path string
		form url.Values
		want int
	}{
		{"a liaison of a hospital in the branch", "/admin/users", add("东县新联络员", access.Liaison, "east-hospital", ""), http.StatusSeeOther},
		{"an administrator of a narrower branch", "/admin/users", add("东县医院管理员", access.Admin, "", "east-hospital"), http.StatusSeeOther},
		{"a leader linked inside", "/admin/users", add("东县新领导", access.Leader, "", "", "east-hospital"), http.StatusSeeOther},
		{"a liaison of another county", "/admin/users", add("越权联络员", access.Liaison, "west-hospital", ""), http.StatusForbidden},
		{"an unlimited administrator", "/admin/users", add("越权管理员", access.Admin, "", ""), http.StatusForbidden},
		{"an administrator of another county", "/admin/users", add("西县管理员", access.Admin, "", "west-county"), http.StatusForbidden},
		{"an administrator of the whole province", "/admin/users", add("全省管理员", access.Admin, "", "bureau"), http.StatusForbidden},
		{"a reviewer, who reads the whole tree", "/admin/users", add("越权审核员", access.Reviewer, "", ""), http.StatusForbidden},
		{"discipline, who reads the whole tree", "/admin/users", add("越权纪检", access.Discipline, "", ""), http.StatusForbidden},
		{"a leader linked across", "/admin/users", add("越权领导", access.Leader, "", "", "east-hospital", "west-hospital"), http.StatusForbidden},
		{"a liaison with no unit: the form says so", "/admin/users", add("漏填单位", access.Liaison, "", ""), http.StatusUnprocessableEntity},
		{"disable a liaison of the branch", "/admin/users/" + strconv.FormatInt(eastLiaison.ID, 10) + "/disable", url.Values{}, http.StatusSeeOther},
		{"disable a liaison of another county", "/admin/users/" + strconv.FormatInt(westLiaison.ID, 10) + "/disable", url.Values{}, http.StatusForbidden},
		{"disable the provincial administrator", "/admin/users/" + strconv.FormatInt(rootAdmin.ID, 10) + "/disable", url.Values{}, http.StatusForbidden},
		{"reset the provincial administrator's password", "/admin/users/" + strconv.FormatInt(rootAdmin.ID, 10) + "/password",
			url.Values{"password": {"a new password 123"}, "password2": {"a new password 123"}}, http.StatusForbidden},
		{"link a leader across the border", "/admin/users/" + strconv.FormatInt(leader.ID, 10) + "/links",
			url.Values{"linked": {"east-hospital", "west-hospital"}}, http.StatusForbidden},
		{"link a leader inside", "/admin/users/" + strconv.FormatInt(leader.ID, 10) + "/links", url.Values{"linked": {"east-county"}}, http.StatusSeeOther},
		{"grant the conduct record of every department", "/admin/users/" + strconv.FormatInt(eastLiaison.ID, 10) + "/conduct",
			url.Values{"conduct": {"1"}}, http.StatusForbidden},
		{"an unknown account", "/admin/users/99999/disable", url.Values{}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := b.post(t, tt.path, tt.form); r.Code != tt.want {
				t.Fatalf("POST %s: %d, want %d\n%s", tt.path, r.Code, tt.want, r.Body)
			}
		})
	}
	users, err := h.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]storage.User{}
	for _, u := range users {
		made[u.Username] = u
	}
	for _, name := range []string{"越权联络员", "越权管理员", "西县管理员", "全省管理员", "越权审核员", "越权纪检", "越权领导"} {
		if _, ok := made[name]; ok {
			t.Errorf("%s was created", name)
		}
	}
	if u := made["东县医院管理员"]; u.Role != access.Admin || u.Branch != "east-hospital" {
		t.Errorf("the narrower administrator: %+v", u)
	}
	if !made["东县联络员"].Disabled || made["西县联络员"].Disabled || made["省管理员"].Disabled {
		t.Error("only the branch's liaison should be disabled")
	}
	// Audited as today, the branch in the detail.
	entries, err := h.store.RecentAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range entries {
		audited = audited || e.Action == "user_add" && e.Username == "东县管理员" && e.Detail == "东县医院管理员 (admin, east-hospital)"
	}
	if !audited {
		t.Errorf("the narrower administrator's creation is not audited by the branch admin: %+v", entries)
	}
	// The list holds the branch's accounts only.
	r := b.get(t, "/admin/users")
	wantStatus(t, r, http.StatusOK)
	for name, want := range map[string]bool{"东县联络员": true, "东县医院管理员": true, "东县领导": true, "西县联络员": false, "省管理员": false} {
		if got := strings.Contains(r.Body, name); got != want {
			t.Errorf("users list shows %s: %v, want %v", name, got, want)
		}
	}
	if strings.Contains(r.Body, `value="west-hospital"`) {
		t.Error("the add form offers a unit of another county")
	}
	wantNotContains(t, r.Body, `<option value="reviewer"`, `<option value="supervisor"`, `<option value="discipline"`,
		`<option value="">全部单位</option>`)
	wantContains(t, r.Body, `<option value="liaison"`, `<option value="admin"`)
}

// TestBranchAdminManagesUnits: units are added only under the branch's root, and changed only
// below it; the root and the other county are the province's.
func TestBranchAdminManagesUnits(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	b := branchAdmin(t, h)
	b.getCSRF(t, "/admin/units")
	tests := []struct {
		name string
		path string
		form url.Values
		want int
	}{
		{"a township under the root", "/admin/units", newUnitForm("east-thc", "东县青松乡卫生院", "township", "east-county"), http.StatusSeeOther},
		{"a unit under the hospital", "/admin/units", newUnitForm("east-dept", "东县医院内科", "dept", "east-hospital"), http.StatusSeeOther},
		{"a unit under the other county", "/admin/units", newUnitForm("west-thc", "西县卫生院", "township", "west-county"), http.StatusForbidden},
		{"a unit beside the root", "/admin/units", newUnitForm("north-county", "北县卫健局", "section", "bureau"), http.StatusForbidden},
		{"a unit at the top", "/admin/units", newUnitForm("top", "新顶层单位", "section", ""), http.StatusForbidden},
		{"rename a hospital of the branch", "/admin/units/east-hospital/rename", url.Values{"name": {"东县第一人民医院"}}, http.StatusSeeOther},
		{"rename the root", "/admin/units/east-county/rename", url.Values{"name": {"东县卫生健康局"}}, http.StatusForbidden},
		{"rename the other county's hospital", "/admin/units/west-hospital/rename", url.Values{"name": {"改名"}}, http.StatusForbidden},
		{"retire the other county's hospital", "/admin/units/west-hospital/active", url.Values{"active": {"0"}}, http.StatusForbidden},
		{"retire the root", "/admin/units/east-county/active", url.Values{"active": {"0"}}, http.StatusForbidden},
		{"retire a township of the branch", "/admin/units/east-thc/active", url.Values{"active": {"0"}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := b.post(t, tt.path, tt.form); r.Code != tt.want {
				t.Fatalf("POST %s: %d, want %d\n%s", tt.path, r.Code, tt.want, r.Body)
			}
		})
	}
	nodes, err := h.store.AllUnits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, n := range nodes {
		names[n.Code] = n.Name
	}
	if names["east-hospital"] != "东县第一人民医院" || names["east-county"] != "东县卫健局" || names["west-hospital"] != "西县人民医院" {
		t.Errorf("names after the changes: %v", names)
	}
	for _, code := range []string{"west-thc", "north-county", "top"} {
		if _, ok := names[code]; ok {
			t.Errorf("%s was created", code)
		}
	}
	r := b.get(t, "/admin/units")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body, "东县第一人民医院") || strings.Contains(r.Body, "西县人民医院") || strings.Contains(r.Body, "县人民医院</") {
		t.Error("the units page should list the branch only")
	}
}

// TestBranchAdminReports: a branch administrator drafts the reports of the branch's units,
// never the whole system's nor another county's.
func TestBranchAdminReports(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	b := branchAdmin(t, h)
	for _, tt := range []struct {
		unit string
		want int
	}{{"east-hospital", http.StatusOK}, {"east-county", http.StatusOK}, {"west-hospital", http.StatusForbidden}, {"", http.StatusForbidden}} {
		if r := b.get(t, "/admin/reports/draft?period="+reportMonth+"&unit="+tt.unit); r.Code != tt.want {
			t.Errorf("draft of %q: %d, want %d", tt.unit, r.Code, tt.want)
		}
	}
	r := b.get(t, "/admin/reports")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `value="east-hospital"`)
	wantNotContains(t, r.Body, `value="west-hospital"`)
}
