package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/storage"
)

// adminHarness is a portal with a logged-in administrator whose browser holds a CSRF token.
func adminHarness(t *testing.T) (*harness, *browser, storage.User) {
	t.Helper()
	h := newHarness(t)
	admin := h.addUser(t, storage.NewUser{Username: "管理员", Role: access.Admin})
	b := h.login(t, admin.Username, staffPassword)
	b.getCSRF(t, "/admin/users")
	return h, b, admin
}

// addUser stores a staff member with staffPassword.
func (h *harness) addUser(t *testing.T, n storage.NewUser) storage.User {
	t.Helper()
	n.Password = staffPassword
	u, err := h.store.CreateScopedUser(context.Background(), 0, n)
	if err != nil {
		t.Fatalf("CreateScopedUser(%s): %v", n.Username, err)
	}
	return u
}

// loginStatus posts the login form from a fresh browser and returns the status.
func (h *harness) loginStatus(t *testing.T, username, password string) int {
	t.Helper()
	b := h.browser()
	b.getCSRF(t, "/admin/login")
	return b.post(t, "/admin/login", url.Values{"username": {username}, "password": {password}}).Code
}

// userNamed returns the stored staff member called name.
func (h *harness) userNamed(t *testing.T, name string) (storage.User, bool) {
	t.Helper()
	users, err := h.store.Users(context.Background())
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	for _, u := range users {
		if u.Username == name {
			return u, true
		}
	}
	return storage.User{}, false
}

func userPath(u storage.User, action string) string {
	return "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/" + action
}

// wantSentToLogin checks that b's session no longer works.
func wantSentToLogin(t *testing.T, b *browser) {
	t.Helper()
	r := b.get(t, "/admin/queue")
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/admin/login") {
		t.Fatalf("GET /admin/queue: %d to %q, want 303 to the login page", r.Code, r.location())
	}
}

// Ensure only an administrator reaches the account and calendar pages, and that a refused
// request changes nothing.
func TestAdminPagesOnlyForAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	target := h.addUser(t, storage.NewUser{Username: "target-leader", Role: access.Leader, Linked: []string{"bureau"}})
	roles := map[string]storage.NewUser{
		"admin":      {Role: access.Admin},
		"reviewer":   {Role: access.Reviewer},
		"liaison":    {Role: access.Liaison, Unit: "county-hospital"},
		"leader":     {Role: access.Leader, Linked: []string{"tcm-hospital"}},
		"supervisor": {Role: access.Supervisor},
		"discipline": {Role: access.Discipline},
	}
	newUser := url.Values{"username": {"intruder"}, "role": {"admin"}, "password": {staffPassword}, "password2": {staffPassword}}
	requests := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/users", nil},
		{"GET", "/admin/calendar", nil},
		{"POST", "/admin/users", newUser},
		{"POST", userPath(target, "disable"), url.Values{}},
		{"POST", userPath(target, "enable"), url.Values{}},
		{"POST", userPath(target, "password"), url.Values{"password": {"taken over password"}, "password2": {"taken over password"}}},
		{"POST", userPath(target, "links"), url.Values{"linked": {"qingshan-thc"}}},
		{"POST", "/admin/calendar", url.Values{"day": {"2027-02-08"}, "kind": {"off"}, "name": {"春节"}}},
		{"POST", "/admin/calendar/delete", url.Values{"day": {"2027-02-08"}}},
	}
	for role, n := range roles {
		n.Username = role
		h.addUser(t, n)
		b := h.login(t, role, staffPassword)
		queue := b.getCSRF(t, "/admin/queue")
		if got := strings.Contains(queue.Body, `href="/admin/users"`); got != (role == "admin") {
			t.Errorf("%s: nav links to /admin/users: %v", role, got)
		}
		if role == "admin" {
			for _, p := range []string{"/admin/users", "/admin/calendar"} {
				wantStatus(t, b.get(t, p), http.StatusOK)
			}
			continue
		}
		for _, rq := range requests {
			t.Run(role+" "+rq.method+" "+rq.path, func(t *testing.T) {
				var r *response
				if rq.method == "GET" {
					r = b.get(t, rq.path)
				} else {
					r = b.post(t, rq.path, rq.form)
				}
				wantStatus(t, r, http.StatusForbidden)
			})
		}
	}
	if _, ok := h.userNamed(t, "intruder"); ok {
		t.Error("a refused request added a user")
	}
	if u, _ := h.userNamed(t, target.Username); u.Disabled || !reflect.DeepEqual(u.Linked, []string{"bureau"}) {
		t.Errorf("a refused request changed the target: %+v", u)
	}
	if h.loginStatus(t, target.Username, staffPassword) != http.StatusSeeOther {
		t.Error("a refused request changed the target's password")
	}
	if o, err := h.store.CalendarOverrides(context.Background()); err != nil || len(o) != 0 {
		t.Errorf("a refused request stored overrides: %v, %v", o, err)
	}
}

func TestAddUser(t *testing.T) {
	t.Parallel()
	h, b, _ := adminHarness(t)
	const typed = "typed secret password"
	form := func(name, role string, extra url.Values) url.Values {
		v := url.Values{"username": {name}, "role": {role}, "password": {typed}, "password2": {typed}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	h.addUser(t, storage.NewUser{Username: "已有", Role: access.Reviewer})
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantMsg    string // 422: the message next to the field
		wantUnit   string
		wantLinked []string
	}{
		{"reviewer", form("新审核员", "reviewer", nil), 303, "", "", nil},
		{"reviewer's unit is ignored", form("审核员乙", "reviewer", url.Values{"unit": {"bureau"}}), 303, "", "", nil},
		{"liaison with a unit", form("联络员", "liaison", url.Values{"unit": {"tcm-hospital"}}), 303, "", "tcm-hospital", nil},
		{"leader with two linked units", form("王局长", "leader", url.Values{"linked": {"qingshan-thc", "county-hospital"}}),
			303, "", "", []string{"county-hospital", "qingshan-thc"}},
		{"supervisor", form("督导", "supervisor", nil), 303, "", "", nil},
		{"discipline", form("纪检", "discipline", nil), 303, "", "", nil},
		{"admin", form("管理员乙", "admin", nil), 303, "", "", nil},
		{"liaison without a unit", form("联络员乙", "liaison", nil), 422, "单位联络员需要选择所属单位。", "", nil},
		{"liaison with an unknown unit", form("联络员丙", "liaison", url.Values{"unit": {"nowhere"}}), 422, "单位联络员需要选择所属单位。", "", nil},
		{"leader without linked units", form("李局长", "leader", nil), 422, "局领导至少要选择一个联系单位。", "", nil},
		{"no role", form("无角色", "", nil), 422, "请选择角色。", "", nil},
		{"unknown role", form("超级", "root", nil), 422, "请选择角色。", "", nil},
		{"empty name", form("  ", "reviewer", nil), 422, "请填写用户名（最多 40 个字）。", "", nil},
		{"short password", form("短密码", "reviewer", url.Values{"password": {"tiny-pw"}, "password2": {"tiny-pw"}}), 422,
			"密码需要 12 到 72 个字符。", "", nil},
		{"passwords differ", form("不一致", "reviewer", url.Values{"password2": {typed + "x"}}), 422, "两次输入的密码不一样。", "", nil},
		{"name taken", form("已有", "reviewer", nil), 422, "这个用户名已经有人用了，请换一个。", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.TrimSpace(tt.form.Get("username"))
			_, existed := h.userNamed(t, name)
			r := b.post(t, "/admin/users", tt.form)
			wantStatus(t, r, tt.wantStatus)
			if tt.wantStatus != http.StatusSeeOther {
				wantContains(t, r.Body, tt.wantMsg, `value="`+name+`"`)
				wantNotContains(t, r.Body, tt.form.Get("password"))
				if _, ok := h.userNamed(t, name); ok != existed {
					t.Errorf("a refused form added %q", name)
				}
				return
			}
			if r.location() != "/admin/users?done=added" {
				t.Errorf("redirect to %q", r.location())
			}
			u, ok := h.userNamed(t, name)
			if !ok || u.Role != tt.form.Get("role") || u.Unit != tt.wantUnit || !reflect.DeepEqual(u.Linked, tt.wantLinked) {
				t.Fatalf("stored %+v (found %v); want role %s unit %q linked %v", u, ok, tt.form.Get("role"), tt.wantUnit, tt.wantLinked)
			}
			if got := h.loginStatus(t, name, typed); got != http.StatusSeeOther {
				t.Errorf("new user's login: %d", got)
			}
			page := b.get(t, r.location())
			wantContains(t, page.Body, "已添加账号。", name)
		})
	}
}

// Ensure disabling ends the person's browser session at once and refuses their login, that an
// administrator cannot disable themselves, and that enabling lets the person back in.
func TestDisableUser(t *testing.T) {
	t.Parallel()
	h, b, admin := adminHarness(t)
	rev := h.addUser(t, storage.NewUser{Username: "审核员", Role: access.Reviewer})
	rb := h.login(t, rev.Username, staffPassword)
	wantStatus(t, rb.get(t, "/admin/queue"), http.StatusOK)

	r := b.post(t, userPath(rev, "disable"), nil)
	wantStatus(t, r, http.StatusSeeOther)
	page := b.get(t, r.location())
	wantContains(t, page.Body, "已停用账号", "已停用", `action="`+userPath(rev, "enable")+`"`)
	wantSentToLogin(t, rb)
	if got := h.loginStatus(t, rev.Username, staffPassword); got != http.StatusUnauthorized {
		t.Errorf("disabled user's login: %d, want 401", got)
	}

	tests := []struct {
		name string
		path string
		want int
		msg  string
	}{
		{"disable yourself", userPath(admin, "disable"), http.StatusConflict, "不能停用自己的账号。"},
		{"unknown user", "/admin/users/99999/disable", http.StatusNotFound, ""},
		{"malformed id", "/admin/users/abc/disable", http.StatusNotFound, ""},
		{"enable", userPath(rev, "enable"), http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, tt.path, nil)
			wantStatus(t, r, tt.want)
			wantContains(t, r.Body, tt.msg)
		})
	}
	wantStatus(t, b.get(t, "/admin/users"), http.StatusOK) // the admin is still in
	h.clock.Advance(time.Second)                           // past the short wait after the refused login
	if got := h.loginStatus(t, rev.Username, staffPassword); got != http.StatusSeeOther {
		t.Errorf("re-enabled user's login: %d, want 303", got)
	}
}

func TestResetUserPassword(t *testing.T) {
	t.Parallel()
	h, b, admin := adminHarness(t)
	rev := h.addUser(t, storage.NewUser{Username: "审核员", Role: access.Reviewer})
	rb := h.login(t, rev.Username, staffPassword)
	const fresh = "a fresh long password"

	r := b.post(t, userPath(rev, "password"), url.Values{"password": {fresh}, "password2": {"something else"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "两次输入的密码不一样。", "密码没有重设")
	wantNotContains(t, r.Body, fresh)
	wantStatus(t, rb.get(t, "/admin/queue"), http.StatusOK)

	r = b.post(t, userPath(rev, "password"), url.Values{"password": {fresh}, "password2": {fresh}})
	wantStatus(t, r, http.StatusSeeOther)
	wantSentToLogin(t, rb)
	if got := h.loginStatus(t, rev.Username, staffPassword); got != http.StatusUnauthorized {
		t.Errorf("old password: %d, want 401", got)
	}
	h.clock.Advance(time.Second) // past the short wait after a failed login
	h.login(t, rev.Username, fresh)

	// Resetting your own password logs you out too.
	r = b.post(t, userPath(admin, "password"), url.Values{"password": {fresh}, "password2": {fresh}})
	wantStatus(t, r, http.StatusSeeOther)
	wantSentToLogin(t, b)
	h.login(t, admin.Username, fresh)
}

func TestSetUserLinks(t *testing.T) {
	t.Parallel()
	h, b, _ := adminHarness(t)
	leader := h.addUser(t, storage.NewUser{Username: "局长", Role: access.Leader, Linked: []string{"bureau"}})
	rev := h.addUser(t, storage.NewUser{Username: "审核员", Role: access.Reviewer})
	tests := []struct {
		name   string
		user   storage.User
		linked []string
		want   int
		msg    string
		stored []string
	}{
		{"two units", leader, []string{"mch-hospital", "bureau"}, 303, "", []string{"bureau", "mch-hospital"}},
		{"none", leader, nil, 422, "局领导至少要选择一个联系单位。", []string{"bureau", "mch-hospital"}},
		{"unknown unit", leader, []string{"nowhere"}, 422, "请从列表中选择联系单位。", []string{"bureau", "mch-hospital"}},
		{"not a leader", rev, []string{"bureau"}, 422, "只有局领导有联系单位。", []string{"bureau", "mch-hospital"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, userPath(tt.user, "links"), url.Values{"linked": tt.linked})
			wantStatus(t, r, tt.want)
			wantContains(t, r.Body, tt.msg)
			if u, _ := h.userNamed(t, leader.Username); !reflect.DeepEqual(u.Linked, tt.stored) {
				t.Errorf("linked %v, want %v", u.Linked, tt.stored)
			}
		})
	}
	lb := h.login(t, leader.Username, staffPassword)
	wantStatus(t, lb.get(t, "/admin/queue"), http.StatusOK)
}

// Ensure every account change needs the form's CSRF token.
func TestAdminUsersCSRF(t *testing.T) {
	t.Parallel()
	h, b, _ := adminHarness(t)
	rev := h.addUser(t, storage.NewUser{Username: "审核员", Role: access.Reviewer})
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/users", url.Values{"username": {"csrf-user"}, "role": {"admin"}, "password": {staffPassword}, "password2": {staffPassword}}},
		{userPath(rev, "disable"), url.Values{}},
		{userPath(rev, "password"), url.Values{"password": {"csrf new password"}, "password2": {"csrf new password"}}},
		{"/admin/calendar", url.Values{"day": {"2027-02-08"}, "kind": {"off"}}},
	}
	for _, p := range posts {
		for _, token := range []string{"", "wrong-token"} {
			t.Run(p.path+" token "+token, func(t *testing.T) {
				v := url.Values{}
				for k, vs := range p.form {
					v[k] = vs
				}
				if token != "" {
					v.Set("_csrf", token)
				}
				wantStatus(t, b.postForm(t, p.path, v), http.StatusForbidden)
			})
		}
	}
	if _, ok := h.userNamed(t, "csrf-user"); ok {
		t.Error("a post without the token added a user")
	}
	if got := h.loginStatus(t, rev.Username, staffPassword); got != http.StatusSeeOther {
		t.Errorf("a post without the token changed the reviewer: login %d", got)
	}
	if o, _ := h.store.CalendarOverrides(context.Background()); len(o) != 0 {
		t.Error("a post without the token stored an override")
	}
}
