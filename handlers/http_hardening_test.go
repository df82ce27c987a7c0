package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/storage"
)

// Ensure a staff form's CSRF token belongs to the session it was issued in: a token from
// another staff member's session, or a cookie-and-token pair anyone can get from the public
// login page (planted in the victim's browser, e.g. over plain HTTP or from a sibling
// subdomain), is refused, while the session's own token works.
func TestStaffCSRFBoundToSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, noOpinion())
	victim, _ := h.staff(t)
	h.newStaff(t, "审核员乙")
	other := h.login(t, "审核员乙", staffPassword)
	other.getCSRF(t, "/admin/queue")
	stranger := h.browser()
	stranger.getCSRF(t, "/admin/login")

	notes := func() int {
		n, err := h.store.Notes(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return len(n)
	}
	for _, tc := range []struct {
		name  string
		token string // planted as ms_csrf and sent as _csrf
	}{
		{"another staff session's token", other.token},
		{"the login page's pair", stranger.token},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			b.cookies["ms_session"] = victim.cookies["ms_session"]
			b.cookies["ms_csrf"] = &http.Cookie{Name: "ms_csrf", Value: tc.token, Path: "/"}
			b.token = tc.token
			r := b.post(t, "/admin/opinions/"+id+"/note", url.Values{"note": {"伪造的备注"}})
			wantStatus(t, r, http.StatusForbidden)
			if n := notes(); n != 0 {
				t.Errorf("notes after a foreign token: %d, want 0", n)
			}
		})
	}

	t.Run("own token works", func(t *testing.T) {
		if victim.token == other.token {
			t.Fatalf("two staff sessions got the same token %q", victim.token)
		}
		wantStatus(t, victim.post(t, "/admin/opinions/"+id+"/note", url.Values{"note": {"自己的备注"}}), http.StatusSeeOther)
		if n := notes(); n != 1 {
			t.Errorf("notes after the session's own token: %d, want 1", n)
		}
	})

	t.Run("a new login makes the old token stale", func(t *testing.T) {
		b := h.login(t, "审核员乙", staffPassword)
		b.getCSRF(t, "/admin/queue")
		old := b.token
		b.getCSRF(t, "/admin/login")
		wantStatus(t, b.post(t, "/admin/login", url.Values{"username": {"审核员乙"}, "password": {staffPassword}}), http.StatusSeeOther)
		b.token = old
		wantStatus(t, b.post(t, "/admin/opinions/"+id+"/note", url.Values{"note": {"旧令牌"}}), http.StatusForbidden)
	})
}

// Ensure Strict-Transport-Security (a year or more) is sent on every kind of response when the
// portal runs behind HTTPS (-secure-cookies), and never when it does not: over plain HTTP it
// would tell a browser nothing true.
func TestHSTS(t *testing.T) {
	t.Parallel()
	targets := []string{"/", "/submit", "/admin/login", "/admin/queue", "/static/style.css", "/no-such-page"}
	for _, tc := range []struct {
		name   string
		opts   []harnessOption
		secure bool
	}{{"https", []harnessOption{withSecureCookies}, true}, {"plain http", nil, false}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts...)
			for _, target := range targets {
				got := h.browser().get(t, target).Header.Get("Strict-Transport-Security")
				if !tc.secure {
					if got != "" {
						t.Errorf("GET %s: Strict-Transport-Security %q without -secure-cookies", target, got)
					}
					continue
				}
				age, ok := strings.CutPrefix(strings.Split(got, ";")[0], "max-age=")
				if n, err := strconv.Atoi(age); !ok || err != nil || n < 365*24*3600 {
					t.Errorf("GET %s: Strict-Transport-Security %q, want max-age of a year or more", target, got)
				}
			}
		})
	}
}

// Ensure /static lists nothing: the folder itself and any spelling of a folder answer the
// portal's 404 page, while files are still served.
func TestStaticHasNoDirectoryListing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, target := range []string{"/static/", "/static/.", "/static/./", "/static//", "/static/style.css/"} {
		t.Run(target, func(t *testing.T) {
			r := h.browser().get(t, target)
			if r.Code != http.StatusNotFound {
				t.Fatalf("GET %s: status %d, want 404\n%s", target, r.Code, r.Body)
			}
			wantContains(t, r.Body, "没有找到这个页面")
			wantNotContains(t, r.Body, `href="style.css"`, "kiosk.js")
		})
	}
	r := h.browser().get(t, "/static/style.css")
	wantStatus(t, r, http.StatusOK)
}

// headTarget fills a route's parameters: ids that exist where the test has them, anything else
// where it does not (a 404 must answer HEAD as well).
func headTarget(path, opinionID, setupToken string) string {
	path = routeTarget(path, opinionID, setupToken)
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, ":") {
			path = strings.Replace(path, seg, "x", 1)
		}
	}
	return path
}

// comparedHeaders are the headers a HEAD must answer exactly as its GET does.
var comparedHeaders = []string{"Content-Type", "Location", "Cache-Control", "Content-Security-Policy",
	"Content-Disposition", "Retry-After"}

// Ensure every GET route, as listed by the router itself, answers HEAD with the GET's status
// and headers and no body, for a visitor and for staff; never 405.
func TestEveryGetRouteAnswersHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, noOpinion())
	token, err := h.store.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admin, err := h.store.CreateUser(context.Background(), 0, "管理员", staffPassword, storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	staff := h.login(t, admin.Username, staffPassword)
	checked := 0
	for _, route := range h.e.Routes() {
		if route.Method != http.MethodGet {
			continue
		}
		target := headTarget(route.Path, id, token)
		for _, who := range []struct {
			name string
			b    func() *browser
		}{{"visitor", h.browser}, {"staff", func() *browser { return staff }}} {
			t.Run(who.name+" "+target, func(t *testing.T) {
				get := who.b().get(t, target)
				head := who.b().do(t, http.MethodHead, target, "", "")
				if head.Code == http.StatusMethodNotAllowed || head.Code != get.Code {
					t.Fatalf("HEAD %s: status %d, GET answered %d", target, head.Code, get.Code)
				}
				if head.Body != "" {
					t.Errorf("HEAD %s: %d bytes of body, want none", target, len(head.Body))
				}
				for _, name := range comparedHeaders {
					if g, hd := get.Header.Get(name), head.Header.Get(name); g != hd {
						t.Errorf("HEAD %s: %s %q, GET has %q", target, name, hd, g)
					}
				}
			})
			checked++
		}
	}
	if checked < 2*20 {
		t.Fatalf("only %d GET routes checked: the router lists fewer than expected", checked/2)
	}

	t.Run("over a real connection HEAD declares the GET's length", func(t *testing.T) {
		srv := httptest.NewServer(h.e)
		defer srv.Close()
		for _, target := range []string{"/", "/submit", "/static/style.css", "/no-such-page"} {
			get, err := http.Get(srv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(get.Body)
			get.Body.Close()
			head, err := http.Head(srv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			head.Body.Close()
			if head.StatusCode != get.StatusCode || head.ContentLength != int64(len(body)) {
				t.Errorf("HEAD %s: status %d length %d, GET: status %d length %d",
					target, head.StatusCode, head.ContentLength, get.StatusCode, len(body))
			}
		}
	})
}

// Ensure a body that is not valid form encoding (a stray %zz, a raw semicolon) is answered 400
// with a plain Chinese explanation, stores nothing, and is never read as an empty field
// ("请写下具体情况"), on public and staff forms alike.
func TestMalformedFormBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, noOpinion())
	staff, _ := h.staff(t)
	public := h.browser()
	public.getCSRF(t, "/submit")

	form := func(b *browser, fields string) string {
		return "_csrf=" + url.QueryEscape(b.token) + "&" + fields
	}
	tests := []struct {
		name   string
		b      *browser
		target string
		body   string
	}{
		{"submit %zz", public, "/submit", "type=complaint&unit=county-hospital&submitter=patient&content=%zz"},
		{"submit bad escape mid-text", public, "/submit", "type=complaint&content=" + url.QueryEscape("收费处排队") + "%e6%9"},
		{"submit semicolon", public, "/submit", "type=complaint;content=x"},
		{"track", public, "/track", "code=%zz"},
		{"login", public, "/admin/login", "username=%zz&password=x"},
		{"staff note", staff, "/admin/opinions/" + id + "/note", "note=%zz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			r := tc.b.do(t, http.MethodPost, tc.target, form(tc.b, tc.body), "application/x-www-form-urlencoded")
			wantStatus(t, r, http.StatusBadRequest)
			wantContains(t, r.Body, "没能读懂")
			wantNotContains(t, r.Body, "请写下具体情况")
			if after := h.snapshot(t); after != before {
				t.Errorf("POST %s with a malformed body changed stored data", tc.target)
			}
		})
	}
}
