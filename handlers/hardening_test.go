package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minsheng/internal/storetest"
	"minsheng/storage"
)

// snapshot is everything a request could change; equal snapshots before and after a refused
// request prove it stored nothing.
func (h *harness) snapshot(t *testing.T) string {
	t.Helper()
	return storetest.Fingerprint(t, h.store)
}

// routeTarget fills a route's parameters with values that reach the handler.
func routeTarget(path, opinionID, setupToken string) string {
	r := strings.NewReplacer(":id", opinionID, ":token", setupToken, ":file", "x.png", "*", "style.css")
	return r.Replace(path)
}

// Ensure every state-changing route, as listed by the router itself, refuses a request without
// a CSRF token and with a wrong one, even from a logged-in staff member, and stores nothing.
func TestEveryStateChangingRouteNeedsCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, noOpinion())
	token, err := h.store.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := h.staff(t)
	checked := 0
	for _, route := range h.e.Routes() {
		switch route.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, "echo_route_not_found":
			continue
		}
		target := routeTarget(route.Path, id, token)
		for _, tc := range []struct {
			name  string
			token string
		}{{"missing", ""}, {"wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}} {
			t.Run(route.Method+" "+route.Path+" "+tc.name, func(t *testing.T) {
				before := h.snapshot(t)
				vals := url.Values{"content": {"一条足够长的意见内容，用来确认没有被保存。"}, "type": {"complaint"},
					"unit": {"bureau"}, "submitter": {"patient"}, "style": {"hedonism"}, "status": {"triaged"},
					"reply": {"答复"}, "note": {"备注"}, "username": {"x"}, "password": {"a-long-password-1"},
					"password2": {"a-long-password-1"}, "code": {"0000-0000-0000-0000-0000"}}
				if tc.token != "" {
					vals.Set("_csrf", tc.token)
				}
				r := staff.do(t, route.Method, target, vals.Encode(), "application/x-www-form-urlencoded")
				if r.Code != http.StatusForbidden {
					t.Errorf("%s %s with %s token: status %d, want 403", route.Method, target, tc.name, r.Code)
				}
				if after := h.snapshot(t); after != before {
					t.Errorf("%s %s with %s token changed stored data", route.Method, target, tc.name)
				}
			})
			checked++
		}
	}
	if checked < 2*9 { // submit, track, login, setup, logout, styles, status, reply, note
		t.Fatalf("only %d route checks: the router lists fewer state-changing routes than expected", checked)
	}
}

// noOpinion is an opinion with default values.
func noOpinion() storage.NewOpinion { return storage.NewOpinion{} }

// Ensure every GET route answers with the security headers and without a Server header.
func TestEveryRouteHasHeadersAndNoServerHeader(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, noOpinion())
	token, _ := h.store.CreateSetupToken(context.Background())
	staff, _ := h.staff(t)
	for _, route := range h.e.Routes() {
		if route.Method != http.MethodGet {
			continue
		}
		target := routeTarget(route.Path, id, token)
		t.Run(target, func(t *testing.T) {
			r := staff.get(t, target)
			if r.Header.Get("Server") != "" || r.Header.Get("X-Powered-By") != "" {
				t.Errorf("%s: a Server or X-Powered-By header reveals the software", target)
			}
			for _, name := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
				"Referrer-Policy", "Permissions-Policy"} {
				if r.Header.Get(name) == "" {
					t.Errorf("%s (status %d): no %s header", target, r.Code, name)
				}
			}
			// The embedded files, the icon and robots.txt are the same for everyone: cacheable.
			cacheable := strings.HasPrefix(target, "/static/") || target == "/favicon.ico" || target == "/robots.txt"
			if !cacheable && r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q, want no-store", target, r.Header.Get("Cache-Control"))
			}
		})
	}
}

// Ensure an overloaded database answers 503 with Retry-After and the person's text still in
// the form, never 500, and that the next try after the load goes through.
func TestOverloadAnswers503AndKeepsText(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withBusyTimeout(50*time.Millisecond))
	// Another connection holds the write lock, as a long backup or a stuck tool would.
	release := storetest.HoldWriteLock(t, h.store)
	b := h.browser()
	vals := validOpinion()
	vals.Set("content", "急诊科夜里没有医生值班，等了一个小时。希望能保证夜间有人。")
	r := b.submit(t, vals)
	if r.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503\n%s", r.Code, r.Body)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	wantContains(t, r.Body, "系统繁忙", "您写的内容都还在")
	if got, _ := textarea(r.Body, "content"); got != vals.Get("content") {
		t.Errorf("textarea after 503 = %q, want the person's text", got)
	}
	release()
	r = b.submit(t, vals)
	wantStatus(t, r, http.StatusOK)
	receiptOf(t, r)
	if n := h.countOpinions(t); n != 1 {
		t.Fatalf("%d opinions stored, want exactly the one that was acknowledged", n)
	}
}

// Ensure a submission leaves no log line (a timestamped line would date it to the millisecond),
// while staff requests are logged without anything about the client.
func TestPublicRequestsAreNotLogged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	wantStatus(t, b.submit(t, validOpinion()), http.StatusOK)
	wantStatus(t, b.get(t, "/track"), http.StatusOK)
	if logs := h.logs.String(); strings.Contains(logs, "/submit") || strings.Contains(logs, "/track") {
		t.Fatalf("public requests were logged:\n%s", logs)
	}
	staff, _ := h.staff(t)
	wantStatus(t, staff.get(t, "/admin/queue"), http.StatusOK)
	if logs := h.logs.String(); !strings.Contains(logs, "route=/admin/queue") {
		t.Fatalf("staff request not logged:\n%s", logs)
	}
}
