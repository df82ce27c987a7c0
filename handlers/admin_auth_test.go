package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/storage"
)

var (
	formErrorRe = regexp.MustCompile(`<div class="notice error" role="alert">([^<]*)</div>`)
	nextFieldRe = regexp.MustCompile(`name="next" value="([^"]*)"`)
)

func sessionID(cookie string) string {
	id, _, _ := strings.Cut(cookie, ".")
	return id
}

func TestStaffRoutesNeedSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, storage.NewOpinion{Content: "需要登录才能看到的意见内容。"})

	redirects := []struct {
		target string
		next   string
	}{
		{"/admin/queue", "/admin/queue"},
		{"/admin/queue?status=received&month=2026-04", "/admin/queue?status=received&month=2026-04"},
		{"/admin/opinions/" + id, "/admin/opinions/" + id},
		{"/admin", "/admin"},
	}
	for _, tc := range redirects {
		t.Run("GET "+tc.target, func(t *testing.T) {
			for _, cookie := range []string{"", "forged.session", "nodot"} {
				b := h.browser()
				if cookie != "" {
					b.cookies["ms_session"] = &http.Cookie{Name: "ms_session", Value: cookie, Path: "/admin"}
				}
				r := b.get(t, tc.target)
				wantStatus(t, r, http.StatusSeeOther)
				want := "/admin/login?next=" + url.QueryEscape(tc.next)
				if got := r.location(); got != want {
					t.Errorf("cookie %q: Location got %q, want %q", cookie, got, want)
				}
				wantNotContains(t, r.Body, "需要登录才能看到")
			}
		})
	}

	t.Run("login page keeps next", func(t *testing.T) {
		r := h.browser().get(t, "/admin/login?next="+url.QueryEscape("/admin/opinions/"+id))
		wantStatus(t, r, http.StatusOK)
		if m := nextFieldRe.FindStringSubmatch(r.Body); m == nil || m[1] != "/admin/opinions/"+id {
			t.Errorf("next field got %v, want /admin/opinions/%s", m, id)
		}
	})

	posts := []struct {
		target string
		vals   url.Values
	}{
		{"/admin/logout", nil},
		{"/admin/opinions/" + id + "/styles", url.Values{"style": {"formalism"}}},
		{"/admin/opinions/" + id + "/status", url.Values{"status": {"triaged"}}},
		{"/admin/opinions/" + id + "/reply", url.Values{"reply": {"未登录的答复"}}},
		{"/admin/opinions/" + id + "/note", url.Values{"note": {"未登录的备注"}}},
	}
	for _, tc := range posts {
		t.Run("POST "+tc.target, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/admin/login")
			r := b.post(t, tc.target, tc.vals)
			wantStatus(t, r, http.StatusForbidden)
			wantContains(t, r.Body, "无权访问")
		})
	}
	o, err := h.store.Opinion(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != "received" || o.Reply != "" || len(o.Styles) != 0 {
		t.Errorf("opinion changed without a session: %+v", o)
	}
	if notes, _ := h.store.Notes(context.Background(), id); len(notes) != 0 {
		t.Errorf("notes added without a session: %+v", notes)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.newStaff(t, "审核员甲")

	t.Run("wrong password and unknown user look the same", func(t *testing.T) {
		type result struct {
			status int
			msg    string
		}
		var got []result
		defer h.clock.Set(baseTime)
		for _, creds := range [][2]string{{u.Username, "wrong password 123"}, {"nobody-here", staffPassword}, {u.Username, ""}} {
			h.clock.Advance(time.Minute) // past the short wait after a failure
			b := h.browser()
			b.getCSRF(t, "/admin/login")
			r := b.post(t, "/admin/login", url.Values{"username": {creds[0]}, "password": {creds[1]}})
			m := formErrorRe.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("%s: no error message in page (status %d)", creds[0], r.Code)
			}
			if _, ok := b.cookies["ms_session"]; ok {
				t.Errorf("%s: failed login set ms_session", creds[0])
			}
			got = append(got, result{r.Code, m[1]})
		}
		for i, g := range got {
			if g != got[0] {
				t.Errorf("attempt %d answered %+v, attempt 0 answered %+v: want identical", i, g, got[0])
			}
		}
		if !strings.HasPrefix(got[0].msg, "用户名或密码不正确") || got[0].status != http.StatusUnauthorized {
			t.Errorf("failed login got %+v, want 401 用户名或密码不正确。", got[0])
		}
	})

	t.Run("cookie and rotation", func(t *testing.T) {
		b := h.browser()
		const planted = "plantedid.plantedsecret"
		b.cookies["ms_session"] = &http.Cookie{Name: "ms_session", Value: planted, Path: "/admin"}
		b.getCSRF(t, "/admin/login")
		r := b.post(t, "/admin/login", url.Values{"username": {u.Username}, "password": {staffPassword}})
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.location(); got != "/admin/queue" {
			t.Errorf("Location got %q, want /admin/queue", got)
		}
		var raw string
		for _, v := range r.Header.Values("Set-Cookie") {
			if strings.HasPrefix(v, "ms_session=") {
				raw = v
			}
		}
		for _, want := range []string{"Path=/admin", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(raw, want) {
				t.Errorf("ms_session cookie %q lacks %s", raw, want)
			}
		}
		first := b.cookies["ms_session"].Value
		if sessionID(first) == sessionID(planted) {
			t.Errorf("session id %q is the one planted before login", sessionID(first))
		}
		wantStatus(t, b.get(t, "/admin/queue"), http.StatusOK)

		// Logging in again from the same browser gives a new session and ends the old one.
		b.getCSRF(t, "/admin/login")
		wantStatus(t, b.post(t, "/admin/login", url.Values{"username": {u.Username}, "password": {staffPassword}}), http.StatusSeeOther)
		second := b.cookies["ms_session"].Value
		if sessionID(second) == sessionID(first) {
			t.Errorf("second login kept session id %q", sessionID(first))
		}
		old := h.browser()
		old.cookies["ms_session"] = &http.Cookie{Name: "ms_session", Value: first, Path: "/admin"}
		wantStatus(t, old.get(t, "/admin/queue"), http.StatusSeeOther)
	})

	nexts := []struct {
		name string
		next string
		want string
	}{
		{"opinion", "/admin/opinions/ABCDEFGHJK", "/admin/opinions/ABCDEFGHJK"},
		{"queue with filter", "/admin/queue?status=received", "/admin/queue?status=received"},
		{"protocol-relative", "//evil.example", "/admin/queue"},
		{"absolute", "https://evil.example", "/admin/queue"},
		{"absolute with admin path", "https://evil.example/admin/queue", "/admin/queue"},
		{"backslash", "/\\evil.example", "/admin/queue"},
		{"public page", "/track", "/admin/queue"},
		{"empty", "", "/admin/queue"},
	}
	for _, tc := range nexts {
		t.Run("next/"+tc.name, func(t *testing.T) {
			b := h.browser()
			page := b.getCSRF(t, "/admin/login?next="+url.QueryEscape(tc.next))
			if m := nextFieldRe.FindStringSubmatch(page.Body); m == nil || m[1] != tc.want {
				t.Errorf("login page next field got %v, want %q", m, tc.want)
			}
			r := b.post(t, "/admin/login", url.Values{"username": {u.Username}, "password": {staffPassword}, "next": {tc.next}})
			wantStatus(t, r, http.StatusSeeOther)
			if got := r.location(); got != tc.want {
				t.Errorf("Location got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("session expires", func(t *testing.T) {
		defer h.clock.Set(baseTime)
		b := h.login(t, u.Username, staffPassword)
		wantStatus(t, b.get(t, "/admin/queue"), http.StatusOK)
		h.clock.Set(baseTime.Add(12*time.Hour + time.Minute))
		wantStatus(t, b.get(t, "/admin/queue"), http.StatusSeeOther)
	})

	t.Run("idle session ends, used session lives on", func(t *testing.T) {
		defer h.clock.Set(baseTime)
		b := h.login(t, u.Username, staffPassword)
		at := baseTime
		for i := 0; i < 3; i++ {
			at = at.Add(25 * time.Minute)
			h.clock.Set(at)
			wantStatus(t, b.get(t, "/admin/queue"), http.StatusOK)
		}
		h.clock.Set(at.Add(31 * time.Minute))
		wantStatus(t, b.get(t, "/admin/queue"), http.StatusSeeOther)
	})

	t.Run("logout", func(t *testing.T) {
		b := h.login(t, u.Username, staffPassword)
		cookie := b.cookies["ms_session"].Value
		b.getCSRF(t, "/admin/queue")

		r := b.postForm(t, "/admin/logout", url.Values{})
		wantStatus(t, r, http.StatusForbidden)
		wantStatus(t, b.get(t, "/admin/queue"), http.StatusOK)

		r = b.post(t, "/admin/logout", nil)
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.location(); got != "/admin/login" {
			t.Errorf("Location got %q, want /admin/login", got)
		}
		if _, ok := b.cookies["ms_session"]; ok {
			t.Errorf("ms_session not cleared by logout")
		}
		old := h.browser()
		old.cookies["ms_session"] = &http.Cookie{Name: "ms_session", Value: cookie, Path: "/admin"}
		wantStatus(t, old.get(t, "/admin/queue"), http.StatusSeeOther)
		audit, err := h.store.RecentAudit(context.Background(), 1)
		if err != nil || len(audit) != 1 || audit[0].Action != "logout" || audit[0].Username != u.Username {
			t.Errorf("last audit row got %+v (%v), want logout by %s", audit, err, u.Username)
		}
	})
}

func TestSetupLink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	token, err := h.store.CreateSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const good = "a long enough password"

	t.Run("bad token", func(t *testing.T) {
		b := h.browser()
		r := b.get(t, "/admin/setup/not-a-token")
		wantStatus(t, r, http.StatusNotFound)
		wantContains(t, r.Body, "链接已失效")
		b.getCSRF(t, "/admin/login")
		r = b.post(t, "/admin/setup/not-a-token", url.Values{"username": {"管理员"}, "password": {good}, "password2": {good}})
		wantStatus(t, r, http.StatusNotFound)
		wantContains(t, r.Body, "链接已失效")
	})

	failures := []struct {
		name               string
		user, pass1, pass2 string
		msg                string
	}{
		{"short password", "管理员", "short", "short", "密码需要 12 到 72 个字符。"},
		{"too long password", "管理员", strings.Repeat("p", 73), strings.Repeat("p", 73), "密码需要 12 到 72 个字符。"},
		{"mismatch", "管理员", good, good + "!", "两次输入的密码不一样。"},
		{"no username", "  ", good, good, "请填写用户名（最多 40 个字）。"},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/admin/setup/"+token)
			r := b.post(t, "/admin/setup/"+token, url.Values{"username": {tc.user}, "password": {tc.pass1}, "password2": {tc.pass2}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.msg, "设置第一位管理员")
			if _, ok := b.cookies["ms_session"]; ok {
				t.Errorf("failed setup set ms_session")
			}
			if ok, _ := h.store.HasAdmin(ctx); ok {
				t.Errorf("an admin exists after a failed setup")
			}
		})
	}

	t.Run("success", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, "/admin/setup/"+token)
		r := b.post(t, "/admin/setup/"+token, url.Values{"username": {"局管理员"}, "password": {good}, "password2": {good}})
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.location(); got != "/admin/queue" {
			t.Errorf("Location got %q, want /admin/queue", got)
		}
		q := b.get(t, "/admin/queue")
		wantStatus(t, q, http.StatusOK)
		wantContains(t, q.Body, `<span class="who">局管理员</span>`)
		if ok, err := h.store.HasAdmin(ctx); err != nil || !ok {
			t.Errorf("HasAdmin got %v, %v; want true", ok, err)
		}
		if ok, err := h.store.SetupTokenValid(ctx, token); err != nil || ok {
			t.Errorf("SetupTokenValid after use got %v, %v; want false", ok, err)
		}
		wantStatus(t, h.browser().get(t, "/admin/setup/"+token), http.StatusNotFound)
		b.getCSRF(t, "/admin/queue") // forms now carry the new session's token
		r = b.post(t, "/admin/setup/"+token, url.Values{"username": {"第二个"}, "password": {good}, "password2": {good}})
		wantStatus(t, r, http.StatusNotFound)
		h.login(t, "局管理员", good)
	})
}
