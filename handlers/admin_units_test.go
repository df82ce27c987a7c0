package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// loginUnitAdmin adds an administrator, logs them in and keeps the CSRF token of the units page.
func loginUnitAdmin(t *testing.T, h *harness) *browser {
	t.Helper()
	if _, err := h.store.CreateUser(context.Background(), 0, "单位管理员", staffPassword, storage.RoleAdmin); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	b := h.login(t, "单位管理员", staffPassword)
	b.getCSRF(t, "/admin/units")
	return b
}

// newUnitForm is the add form as an administrator would fill it.
func newUnitForm(code, name, kind, parent string) url.Values {
	return url.Values{"code": {code}, "name": {name}, "kind": {kind}, "parent": {parent}}
}

// publicUnitOption reports whether the public form offers the unit with code.
func publicUnitOption(t *testing.T, h *harness, code string) bool {
	t.Helper()
	r := h.browser().get(t, "/submit")
	wantStatus(t, r, http.StatusOK)
	return strings.Contains(r.Body, `<option value="`+code+`"`)
}

// Ensure only an administrator may see or change the unit tree.
func TestUnitsOnlyForAdmin(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	roles := map[string]storage.NewUser{
		"reviewer":   {Role: access.Reviewer},
		"liaison":    {Role: access.Liaison, Unit: "county-hospital"},
		"leader":     {Role: access.Leader, Linked: []string{"tcm-hospital"}},
		"supervisor": {Role: access.Supervisor},
		"discipline": {Role: access.Discipline},
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/units", newUnitForm("dongshan-thc", "东山镇卫生院", "township", "bureau")},
		{"/admin/units/county-hospital/rename", url.Values{"name": {"改掉的名字"}}},
		{"/admin/units/qingshan-thc/active", url.Values{"active": {"0"}}},
	}
	for name, n := range roles {
		t.Run(name, func(t *testing.T) {
			n.Username, n.Password = "unit-"+name, staffPassword
			if _, err := h.store.CreateScopedUser(ctx, 0, n); err != nil {
				t.Fatalf("CreateScopedUser: %v", err)
			}
			b := h.login(t, n.Username, staffPassword)
			page := b.getCSRF(t, "/admin/queue")
			wantNotContains(t, page.Body, `href="/admin/units"`)
			wantStatus(t, b.get(t, "/admin/units"), http.StatusForbidden)
			for _, p := range posts {
				wantStatus(t, b.post(t, p.path, p.form), http.StatusForbidden)
			}
		})
	}
	t.Run("nobody logged in", func(t *testing.T) {
		b := h.browser()
		r := b.get(t, "/admin/units")
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.location(); loc != "/admin/login?next=%2Fadmin%2Funits" {
			t.Errorf("redirect to %q", loc)
		}
		b.getCSRF(t, "/submit")
		for _, p := range posts {
			wantStatus(t, b.post(t, p.path, p.form), http.StatusForbidden)
		}
	})
	t.Run("admin", func(t *testing.T) {
		b := loginUnitAdmin(t, h)
		r := b.get(t, "/admin/units")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `href="/admin/units"`, "县人民医院", "乡镇卫生院", "/submit?unit=county-hospital")
	})
	all, err := h.store.AllUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		if u.Code == "dongshan-thc" || u.Name == "改掉的名字" || !u.Active {
			t.Errorf("a refused request changed the units: %+v", u)
		}
	}
}

// Ensure a unit an administrator adds is on the public form at once, and a department never is.
func TestAddUnitReachesPublicForm(t *testing.T) {
	h := newHarness(t)
	b := loginUnitAdmin(t, h)
	tests := []struct {
		name     string
		form     url.Values
		inPublic bool
		poster   string // as the units page prints it
	}{
		{"township", newUnitForm("dongshan-thc", "东山镇卫生院", "township", "bureau"), true, "/submit?unit=dongshan-thc"},
		{"community centre", newUnitForm("xinhua-chc", "新华社区卫生服务中心", "community", "bureau"), true, "/submit?unit=xinhua-chc"},
		{"department", newUnitForm("chh-waike", "外科", "dept", "county-hospital"), false, "/submit?unit=county-hospital&amp;dept=%E5%A4%96%E7%A7%91"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, "/admin/units", tt.form)
			wantStatus(t, r, http.StatusSeeOther)
			if r.location() != "/admin/units" {
				t.Errorf("redirect to %q, want /admin/units", r.location())
			}
			page := b.get(t, "/admin/units")
			wantContains(t, page.Body, tt.form.Get("name"), tt.poster)
			code := tt.form.Get("code")
			if got := publicUnitOption(t, h, code); got != tt.inPublic {
				t.Errorf("public form offers %q = %v, want %v", code, got, tt.inPublic)
			}
		})
	}
	// A department's code posted to the form by hand is refused like any unlisted unit.
	v := validOpinion()
	v.Set("unit", "chh-waike")
	wantStatus(t, h.browser().submit(t, v), http.StatusUnprocessableEntity)
	v.Set("unit", "dongshan-thc")
	wantStatus(t, h.browser().submit(t, v), http.StatusOK)
}

// Ensure a wrong add form comes back with a message by the field and what was typed.
func TestAddUnitValidation(t *testing.T) {
	h := newHarness(t)
	b := loginUnitAdmin(t, h)
	tests := []struct {
		name    string
		form    url.Values
		message string
		kept    []string
	}{
		{"empty name", newUnitForm("dongshan-thc", "", "township", "bureau"), "请填写名称。", []string{`value="dongshan-thc"`}},
		{"bad code", newUnitForm("A B", "东山镇卫生院", "township", "bureau"), "代码只能用小写英文字母、数字和“-”", []string{`value="A B"`, `value="东山镇卫生院"`}},
		{"empty code", newUnitForm("", "东山镇卫生院", "township", "bureau"), "请填写代码。", []string{`value="东山镇卫生院"`}},
		{"duplicate code", newUnitForm("county-hospital", "县第二人民医院", "county", "bureau"), "这个代码已经有单位在用", []string{`value="county-hospital"`, `value="县第二人民医院"`}},
		{"duplicate name", newUnitForm("tcm-2", "县中医院", "county", "bureau"), "已有同名单位", []string{`value="tcm-2"`}},
		{"no kind", newUnitForm("dongshan-thc", "东山镇卫生院", "", "bureau"), "请选择类别。", []string{`value="dongshan-thc"`}},
		{"department without a unit", newUnitForm("waike", "外科", "dept", ""), "科室/病区要选择所属单位。", []string{`value="waike"`, `<option value="dept" selected>`}},
		{"unknown parent", newUnitForm("dongshan-thc", "东山镇卫生院", "township", "no-such"), "请从列表中选择上级单位。", []string{`value="dongshan-thc"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, "/admin/units", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.message)
			wantContains(t, r.Body, tt.kept...)
		})
	}
	if publicUnitOption(t, h, "dongshan-thc") || publicUnitOption(t, h, "tcm-2") {
		t.Error("a refused unit reached the public form")
	}
}

// Ensure a rename shows everywhere at once, and a wrong one comes back by its unit.
func TestRenameUnitForm(t *testing.T) {
	h := newHarness(t)
	b := loginUnitAdmin(t, h)
	tests := []struct {
		name, code, newName string
		status              int
		want                string
	}{
		{"new name", "county-hospital", "县人民医院（新院区）", http.StatusSeeOther, ""},
		{"empty name", "tcm-hospital", " ", http.StatusUnprocessableEntity, "请填写名称。"},
		{"name in use", "tcm-hospital", "县妇幼保健院", http.StatusUnprocessableEntity, "已有同名单位"},
		{"unknown unit", "no-such-unit", "某单位", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, "/admin/units/"+tt.code+"/rename", url.Values{"name": {tt.newName}})
			wantStatus(t, r, tt.status)
			if tt.want != "" {
				typed := `id="rename-` + tt.code + `" name="name" maxlength="50" value="` + strings.TrimSpace(tt.newName) + `" class="invalid"`
				wantContains(t, r.Body, tt.want, typed)
			}
		})
	}
	r := h.browser().get(t, "/submit")
	wantContains(t, r.Body, "县人民医院（新院区）")
	wantNotContains(t, r.Body, ">县人民医院<")
}

// Ensure retiring takes a unit off the public form and restoring brings it back; a unit with
// active departments is kept until they are retired.
func TestRetireAndRestoreUnitForm(t *testing.T) {
	h := newHarness(t)
	b := loginUnitAdmin(t, h)
	id, _ := h.seed(t, storage.NewOpinion{UnitCode: "qingshan-thc"})
	wantStatus(t, b.post(t, "/admin/units", newUnitForm("chh-erke", "儿科", "dept", "county-hospital")), http.StatusSeeOther)
	steps := []struct {
		name, code, active string
		status             int
		message            string
		inPublic           bool
	}{
		{"retire", "qingshan-thc", "0", http.StatusSeeOther, "", false},
		{"restore", "qingshan-thc", "1", http.StatusSeeOther, "", true},
		{"retire again", "qingshan-thc", "0", http.StatusSeeOther, "", false},
		{"unit with a department", "county-hospital", "0", http.StatusUnprocessableEntity, "请先停用它们", true},
		{"not a button value", "county-hospital", "yes", http.StatusUnprocessableEntity, "请用页面上的", true},
		{"unknown unit", "no-such-unit", "0", http.StatusNotFound, "", false},
	}
	for _, st := range steps {
		r := b.post(t, "/admin/units/"+st.code+"/active", url.Values{"active": {st.active}})
		if r.Code != st.status {
			t.Fatalf("%s: status %d, want %d\n%s", st.name, r.Code, st.status, r.Body)
		}
		if st.message != "" {
			wantContains(t, r.Body, st.message)
		}
		if got := publicUnitOption(t, h, st.code); got != st.inPublic {
			t.Errorf("%s: public form offers %q = %v, want %v", st.name, st.code, got, st.inPublic)
		}
	}
	page := b.get(t, "/admin/units")
	wantContains(t, page.Body, "已停用", "恢复")
	// The retired unit's opinion is still there for staff.
	r := b.get(t, "/admin/opinions/"+id)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "青山乡卫生院")
}

// Ensure every unit change needs the CSRF token, even from a logged-in administrator.
func TestUnitChangesNeedCSRF(t *testing.T) {
	h := newHarness(t)
	b := loginUnitAdmin(t, h)
	posts := []struct {
		name, path string
		form       url.Values
	}{
		{"add", "/admin/units", newUnitForm("dongshan-thc", "东山镇卫生院", "township", "bureau")},
		{"rename", "/admin/units/county-hospital/rename", url.Values{"name": {"改掉的名字"}}},
		{"retire", "/admin/units/qingshan-thc/active", url.Values{"active": {"0"}}},
	}
	for _, p := range posts {
		t.Run(p.name, func(t *testing.T) {
			wantStatus(t, b.postForm(t, p.path, p.form), http.StatusForbidden)
			bad := url.Values{"_csrf": {"not-the-token"}}
			for k, v := range p.form {
				bad[k] = v
			}
			wantStatus(t, b.postForm(t, p.path, bad), http.StatusForbidden)
		})
	}
	if !publicUnitOption(t, h, "qingshan-thc") || publicUnitOption(t, h, "dongshan-thc") {
		t.Error("a POST without the token changed the units")
	}
	if r := h.browser().get(t, "/submit"); !strings.Contains(r.Body, ">县人民医院<") {
		t.Error("a POST without the token renamed a unit")
	}
}
