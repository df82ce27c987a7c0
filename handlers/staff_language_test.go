package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// setLanguage sets u's profile language in the store, as the profile page would.
func (h *harness) setLanguage(t *testing.T, u storage.User, lang string) {
	t.Helper()
	if err := h.store.SetLanguage(context.Background(), u.ID, lang); err != nil {
		t.Fatalf("SetLanguage(%s, %q): %v", u.Username, lang, err)
	}
}

// Ensure the login page speaks the path's language, its form posts back to the same
// language, and a refused sign-in says why in it.
func TestLoginPageLanguages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name, prefix, lang string
		page               []string
		refused            string
	}{
		{"default", "", "zh-CN", []string{"<h1>工作人员登录</h1>", `action="/admin/login"`, ">登录</button>"}, "用户名或密码不正确。"},
		{"english", "/en", "en", []string{"<h1>Staff sign-in</h1>", `action="/en/admin/login"`, ">Sign in</button>", `<label for="password">Password</label>`}, "The username or password is not right."},
		{"traditional", "/zh-Hant", "zh-Hant", []string{"<h1>工作人員登錄</h1>", `action="/zh-Hant/admin/login"`, `<label for="username">用戶名</label>`}, "用戶名或密碼不正確。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			page := b.getCSRF(t, tt.prefix+"/admin/login")
			wantContains(t, page.Body, append(tt.page, `<html lang="`+tt.lang+`"`)...)
			// A name of its own: failures are counted by the name typed.
			r := b.post(t, tt.prefix+"/admin/login", url.Values{"username": {"nobody-" + tt.lang}, "password": {"not the password"}})
			wantStatus(t, r, http.StatusUnauthorized)
			wantContains(t, r.Body, tt.refused, `<html lang="`+tt.lang+`"`)
		})
	}
}

// Ensure signing in through a language's login leads to staff pages in the person's own
// language (their profile's), that signing out returns to the login in that language, and
// that a staff page asked for without a session sends to the login in the path's language.
func TestStaffLanguageFollowsProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	english := h.newStaff(t, "english-reviewer")
	h.setLanguage(t, english, "en")
	plain := h.newStaff(t, "plain-reviewer")
	tests := []struct {
		name   string
		user   storage.User
		queue  string
		logout string
	}{
		{"profile in english", english, "<h1>Queue</h1>", "/en/admin/login"},
		{"no profile language", plain, "<h1>意见队列</h1>", "/admin/login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/en/admin/login")
			r := b.post(t, "/en/admin/login", url.Values{"username": {tt.user.Username}, "password": {staffPassword}})
			wantStatus(t, r, http.StatusSeeOther)
			q := b.follow(t, r)
			wantStatus(t, q, http.StatusOK)
			wantContains(t, q.Body, tt.queue)
			b.getCSRF(t, "/admin/queue")
			out := b.post(t, "/admin/logout", nil)
			if out.Code != http.StatusSeeOther || out.location() != tt.logout {
				t.Errorf("logout: %d to %q, want 303 to %q", out.Code, out.location(), tt.logout)
			}
		})
	}
	t.Run("no session", func(t *testing.T) {
		r := h.browser().get(t, "/en/admin/queue")
		if want := "/en/admin/login?next=" + url.QueryEscape("/admin/queue"); r.Code != http.StatusSeeOther || r.location() != want {
			t.Errorf("GET /en/admin/queue: %d to %q, want 303 to %q", r.Code, r.location(), want)
		}
	})
}

// Ensure a staff member chooses their language on 我的设置: the choice is saved, the notice and
// then every staff page (the queue here) are in it, and a language the portal does not offer
// is refused by the field with nothing changed.
func TestProfileLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	h.seed(t, storage.NewOpinion{})

	page := b.getCSRF(t, "/admin/profile")
	wantContains(t, page.Body, "<h1>我的设置</h1>", "<dd>"+u.Username+"</dd>", "<dd>活动办审核员</dd>",
		`value="zh-CN" checked> 简体中文`, `value="zh-Hant"> 繁體中文`, `value="en"> English`)

	steps := []struct {
		name, lang       string
		status           int
		profile, queue   []string
		notInQueue, code string
	}{
		{"to english", "en", http.StatusSeeOther,
			[]string{`<html lang="en"`, "<h1>My settings</h1>", `id="profile-saved">Saved.</div>`, "<dd>Campaign office reviewer (活动办审核员)</dd>", `value="en" checked> English`},
			[]string{`<html lang="en"`, "<h1>Queue</h1>", "To be sorted (待梳理)", "Save filter"}, "意见队列", "en"},
		{"unknown language", "xx", http.StatusUnprocessableEntity,
			[]string{`<html lang="en"`, "Please choose a language from the list."}, nil, "", "en"},
		{"no language", "", http.StatusUnprocessableEntity,
			[]string{"Please choose a language from the list."}, nil, "", "en"},
		{"pseudo language is not offered", "ar-XB", http.StatusUnprocessableEntity,
			[]string{"Please choose a language from the list."}, nil, "", "en"},
		{"back to simplified", "zh-CN", http.StatusSeeOther,
			[]string{`<html lang="zh-CN"`, `id="profile-saved">已保存。</div>`, `value="zh-CN" checked> 简体中文`},
			[]string{`<html lang="zh-CN"`, "<h1>意见队列</h1>", "待梳理"}, "Queue", "zh-CN"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := b.post(t, "/admin/profile", url.Values{"lang": {st.lang}})
			wantStatus(t, r, st.status)
			if st.status == http.StatusSeeOther {
				if r.location() != "/admin/profile?done=saved" {
					t.Errorf("Location %q, want /admin/profile?done=saved", r.location())
				}
				r = b.follow(t, r)
			}
			wantContains(t, r.Body, st.profile...)
			if st.queue != nil {
				q := b.get(t, "/admin/queue")
				wantContains(t, q.Body, st.queue...)
				wantNotContains(t, q.Body, st.notInQueue)
			}
			me, err := h.store.SessionUser(context.Background(), b.cookies["ms_session"].Value)
			if err != nil || me.Lang != st.code {
				t.Errorf("stored language %q (%v), want %q", me.Lang, err, st.code)
			}
		})
	}
	t.Run("needs CSRF", func(t *testing.T) {
		r := b.postForm(t, "/admin/profile", url.Values{"lang": {"en"}})
		wantStatus(t, r, http.StatusForbidden)
	})
}

// Ensure the accounts and units pages, and their validation, are in English for an
// administrator who reads English, and in Traditional Chinese for one who reads it.
func TestAccountPagesInLanguage(t *testing.T) {
	t.Parallel()
	h, b, admin := adminHarness(t)
	tests := []struct {
		name, lang               string
		users, badUser           []string
		units, badUnit, longName []string
		notInUsers               string
	}{
		{"english", "en",
			[]string{"<h1>Accounts</h1>", `<h2>Add account</h2>`, "Campaign office reviewer (活动办审核员)", "Reset password", "(you)"},
			[]string{"Please enter a username (at most 40 characters).", "Please choose a role.", "The password needs 12 to 72 characters.", "The account has not been added yet."},
			[]string{"<h1>Units</h1>", "Add a unit or department", "County hospital or health unit", ">Rename</button>"},
			[]string{"A code may use only lower-case letters, digits and “-”, at most 40 characters, e.g. renmin-hospital."},
			[]string{"The name is too long: at most 50 characters, and this has 51."},
			"账号管理"},
		{"traditional", "zh-Hant",
			[]string{"<h1>賬號管理</h1>", `<h2>添加賬號</h2>`, "（本人）"},
			[]string{"請填寫用戶名（最多 40 個字）。"},
			[]string{"<h1>單位</h1>", "添加單位或科室"},
			[]string{"請填寫代碼。"},
			[]string{"名稱太長了：最多 50 個字，現在是 51 個字。"},
			"账号管理"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.setLanguage(t, admin, tt.lang)
			page := b.getCSRF(t, "/admin/users")
			wantContains(t, page.Body, append(tt.users, `<html lang="`+tt.lang+`"`)...)
			wantNotContains(t, page.Body, tt.notInUsers)
			r := b.post(t, "/admin/users", url.Values{"username": {""}, "role": {""}, "password": {"short"}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.badUser...)

			wantContains(t, b.get(t, "/admin/units").Body, tt.units...)
			code := "Bad Code"
			if tt.lang != "en" {
				code = ""
			}
			r = b.post(t, "/admin/units", newUnitForm(code, "东山镇卫生院", "township", "bureau"))
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.badUnit...)
			r = b.post(t, "/admin/units/tcm-hospital/rename", url.Values{"name": {strings.Repeat("院", 51)}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.longName...)
		})
	}
}

// Ensure the queue speaks the reader's language: its filters, columns, saved filters, the
// words of a page that goes on, a bulk action's tally and its validation.
func TestQueueInLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	var ids []string
	for range 51 { // one more than a page: the queue links to the next
		id, _ := h.seed(t, storage.NewOpinion{})
		ids = append(ids, id)
	}
	h.setLanguage(t, u, "en")

	q := b.get(t, "/admin/queue")
	wantStatus(t, q, http.StatusOK)
	wantContains(t, q.Body, `<html lang="en"`, "<h1>Queue</h1>", "Four styles (四风)", "To be sorted (待梳理)",
		`aria-label="Select this opinion"`, "<th>Content</th>", "Not tagged", "My filters", "No saved filters yet.",
		"Save filter", ">Next page</a>", "Act on the selected opinions", "Move to", "Complaint")
	wantNotContains(t, q.Body, "意见队列", "下一页", "全部")

	tests := []struct {
		name    string
		form    url.Values
		ids     []string
		outcome string
	}{
		{"sort two", url.Values{"action": {"status"}, "to": {lifecycle.Triaged}}, ids[:2],
			"2 opinions moved to “Sorted (已分类)”."},
		{"one already sorted", url.Values{"action": {"status"}, "to": {lifecycle.Triaged}}, ids[1:3],
			"1 opinion moved to “Sorted (已分类)”; 1 cannot move this way from its current status."},
		{"tag", url.Values{"action": {"tag"}, "add_style": {"formalism"}}, ids[:1],
			"1 opinion tagged “Formalism (形式主义)”."},
		{"nothing changed", url.Values{"action": {"tag"}, "add_style": {"formalism"}}, ids[:1],
			"No opinion was changed; 1 already had this tag."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := followOutcome(t, b, postBulk(t, b, tt.form, tt.ids...)); got != tt.outcome {
				t.Errorf("outcome %q, want %q", got, tt.outcome)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		r := postBulk(t, b, url.Values{"action": {"status"}, "to": {"done"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "Please first tick the opinions to act on.", "Please choose the status to move to.",
			"Nothing was done. Please correct what is marked in red and send again.")
		r = b.post(t, "/admin/filters", url.Values{"name": {" "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "Please give this filter a name.")
	})
	t.Run("traditional", func(t *testing.T) {
		h.setLanguage(t, u, "zh-Hant")
		r := b.get(t, "/admin/queue")
		wantContains(t, r.Body, `<html lang="zh-Hant"`, "<h1>意見隊列</h1>", "未標註", "下一頁")
	})
}
