package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/storage"
)

// How loginForm answers the captcha a page shows (one that is not shown is not sent).
type captchaAnswer int

const (
	rightCaptcha captchaAnswer = iota
	wrongCaptcha
	noCaptcha // left empty, as by a script that cannot read it
)

// loginForm posts the login form as a person would from page, the login page they have in
// front of them, answering its captcha as told.
func (b *browser) loginForm(t *testing.T, page *response, username, password string, captcha captchaAnswer) *response {
	t.Helper()
	if m := csrfRe.FindStringSubmatch(page.Body); m != nil {
		b.token = m[1]
	}
	v := url.Values{"username": {username}, "password": {password}}
	if m := captchaIDRe.FindStringSubmatch(page.Body); m != nil {
		answer, ok := b.h.captchas.Answer(m[1])
		if !ok {
			t.Fatalf("captcha %q unknown to the store", m[1])
		}
		switch captcha {
		case wrongCaptcha:
			answer = strings.Map(func(r rune) rune { return '0' + (r-'0'+1)%10 }, answer)
		case noCaptcha:
			answer = ""
		}
		v.Set("captcha_id", m[1])
		v.Set("captcha_answer", answer)
	}
	return b.post(t, "/admin/login", v)
}

// Ensure an attacker's failures, with or without solved captchas and however many, never
// keep the owner out: the owner's right password with the right captcha logs in at once. And
// the captcha is really required: the right password without it, or with a wrong answer, does
// not log in.
func TestLoginCaptchaKeepsOwnerIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	owner := h.newStaff(t, "审核员甲")
	defer h.clock.Set(baseTime)

	attacker := h.browser()
	page := attacker.getCSRF(t, "/admin/login")
	for i := 0; i < 40; i++ {
		h.clock.Advance(storage.MaxLoginDelay) // past any wait: the attacker is patient
		page = attacker.loginForm(t, page, owner.Username, fmt.Sprintf("guess number %03d", i), rightCaptcha)
		if page.Code != http.StatusUnauthorized {
			t.Fatalf("attacker's guess %d: status %d, want 401", i, page.Code)
		}
	}
	if !captchaIDRe.MatchString(page.Body) {
		t.Fatalf("after 40 failures the login page shows no captcha")
	}
	// Everything below happens at the very moment of the attacker's last failure.
	t.Run("right password without the captcha", func(t *testing.T) {
		b := h.browser()
		r := b.loginForm(t, b.getCSRF(t, "/admin/login"), owner.Username, staffPassword, rightCaptcha)
		wantStatus(t, r, http.StatusUnauthorized)
		wantContains(t, r.Body, "多次登录失败", `name="captcha_id"`)
		if _, ok := b.cookies["ms_session"]; ok {
			t.Fatal("logged in without the captcha")
		}
		r = b.loginForm(t, r, owner.Username, staffPassword, wrongCaptcha)
		wantStatus(t, r, http.StatusUnauthorized)
		wantContains(t, r.Body, "验证码不对")
		if _, ok := b.cookies["ms_session"]; ok {
			t.Fatal("logged in with a wrong captcha")
		}
	})
	t.Run("owner with password and captcha", func(t *testing.T) {
		b := h.browser()
		r := b.loginForm(t, b.getCSRF(t, "/admin/login"), owner.Username, staffPassword, rightCaptcha)
		wantNotContains(t, r.Body, staffPassword)
		r = b.loginForm(t, r, owner.Username, staffPassword, rightCaptcha)
		wantStatus(t, r, http.StatusSeeOther)
		if _, ok := b.cookies["ms_session"]; !ok {
			t.Fatal("no session for the owner")
		}
	})
	t.Run("the attack goes on after the owner's login", func(t *testing.T) {
		r := attacker.loginForm(t, attacker.getCSRF(t, "/admin/login"), owner.Username, "one more guess", rightCaptcha)
		wantStatus(t, r, http.StatusUnauthorized)
		wantContains(t, r.Body, "多次登录失败")
	})
}

// loginStep is what one login attempt answered, with everything that names the attempt (the
// username, the captcha id, the token) taken out of the page.
type loginStep struct {
	status     int
	retryAfter string
	page       string
}

var tokenValueRe = regexp.MustCompile(`value="[A-Za-z0-9_-]{43}"`)

func stepOf(r *response, username string) loginStep {
	body := r.Body
	if m := captchaIDRe.FindStringSubmatch(body); m != nil {
		body = strings.ReplaceAll(body, m[1], "CAPTCHA")
	}
	body = tokenValueRe.ReplaceAllString(body, `value="TOKEN"`)
	body = strings.ReplaceAll(body, username, "NAME")
	return loginStep{r.Code, r.Header.Get("Retry-After"), body}
}

// Ensure a known and an unknown username get the very same pages at every step: the failure,
// the wait, the captcha, the wrong captcha; so nobody can learn which accounts exist.
func TestLoginKnownAndUnknownNamesLookAlike(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.newStaff(t, "审核员甲")
	defer h.clock.Set(baseTime)
	steps := []struct {
		name    string
		advance time.Duration
		captcha captchaAnswer
	}{
		{"first failure", 0, rightCaptcha},
		{"too soon", 0, rightCaptcha},
		{"second failure", time.Second, rightCaptcha},
		{"third failure", 2 * time.Second, rightCaptcha},
		{"captcha left out", time.Hour, noCaptcha},
		{"wrong captcha", 0, wrongCaptcha},
		{"right captcha, wrong password", 0, rightCaptcha},
	}
	got := map[string][]loginStep{}
	for _, name := range []string{"审核员甲", "审核员乙"} {
		h.clock.Set(baseTime)
		b := h.browser()
		page := b.getCSRF(t, "/admin/login")
		for _, st := range steps {
			h.clock.Advance(st.advance)
			page = b.loginForm(t, page, name, "wrong password 123", st.captcha)
			got[name] = append(got[name], stepOf(page, name))
		}
	}
	known, unknown := got["审核员甲"], got["审核员乙"]
	for i, st := range steps {
		if known[i] != unknown[i] {
			t.Errorf("%s: known name answered %d %q, unknown %d %q; pages equal: %v", st.name,
				known[i].status, known[i].retryAfter, unknown[i].status, unknown[i].retryAfter, known[i].page == unknown[i].page)
		}
	}
	// The steps must really have reached every kind of answer.
	want := []int{401, 429, 401, 401, 401, 401, 401}
	for i, st := range steps {
		if known[i].status != want[i] {
			t.Errorf("%s: status %d, want %d", st.name, known[i].status, want[i])
		}
	}
	wantContains(t, known[1].page, "请稍等 1 秒再试")
	wantContains(t, known[4].page, "多次登录失败", "/captcha/CAPTCHA.png")
	wantContains(t, known[5].page, "验证码不对")
}

var waitRe = regexp.MustCompile(`请稍等 (\d+) 秒再试`)

// Ensure the wait grows with every failure: 1, 2, 4, 8… seconds, said in the page and in
// Retry-After, with nothing checked while it lasts. Without a captcha to ask for (development
// with -captcha off) it is the only brake, so it is followed further there.
func TestLoginDelayGrows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		opts  []harnessOption
		waits []string
	}{
		{"with the captcha", nil, []string{"1", "2"}},
		{"captcha off", []harnessOption{withoutCaptcha}, []string{"1", "2", "4", "8", "16", "32", "64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts...)
			h.newStaff(t, "审核员甲")
			b := h.browser()
			page := b.getCSRF(t, "/admin/login")
			for i, want := range tc.waits {
				page = b.loginForm(t, page, "审核员甲", "wrong password 123", rightCaptcha)
				wantStatus(t, page, http.StatusUnauthorized)
				page = b.loginForm(t, page, "审核员甲", staffPassword, rightCaptcha)
				wantStatus(t, page, http.StatusTooManyRequests)
				m := waitRe.FindStringSubmatch(page.Body)
				if m == nil || m[1] != want || page.Header.Get("Retry-After") != want {
					t.Fatalf("after failure %d: page says %v, Retry-After %q; want %s seconds",
						i+1, m, page.Header.Get("Retry-After"), want)
				}
				if _, ok := b.cookies["ms_session"]; ok {
					t.Fatal("the right password was checked during the wait")
				}
				d, _ := time.ParseDuration(want + "s")
				h.clock.Advance(d)
			}
			wantStatus(t, b.loginForm(t, page, "审核员甲", staffPassword, rightCaptcha), http.StatusSeeOther)
		})
	}
}

// Ensure unlocking a name (what "minsheng user unlock" does) lets its owner in with the
// password alone again.
func TestLoginAfterUnlock(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.newStaff(t, "审核员甲")
	b := h.browser()
	page := b.getCSRF(t, "/admin/login")
	defer h.clock.Set(baseTime)
	for i := 0; i < 6; i++ {
		h.clock.Advance(time.Hour)
		page = b.loginForm(t, page, u.Username, "wrong password 123", rightCaptcha)
	}
	wantContains(t, page.Body, `name="captcha_id"`)
	if _, err := h.store.UnlockLogin(context.Background(), 0, u.Username); err != nil {
		t.Fatal(err)
	}
	fresh := h.browser()
	r := fresh.loginForm(t, fresh.getCSRF(t, "/admin/login"), u.Username, staffPassword, rightCaptcha)
	wantStatus(t, r, http.StatusSeeOther)
}
