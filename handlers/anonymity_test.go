package handlers_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// canaries are what a submitter's network and browser reveal; none may be kept anywhere.
var canaries = map[string]string{
	"X-Forwarded-For": "203.0.113.77",
	"X-Real-IP":       "198.51.100.5",
	"User-Agent":      "CanaryAgent/9.9",
	"Referer":         "https://canary.example/x",
}

// TestAnonymityInLogsAndDatabase submits, tracks and fails as a person behind a proxy would,
// then looks for any trace of them in the log and in the database files.
func TestAnonymityInLogsAndDatabase(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	for k, v := range canaries {
		b.headers.Set(k, v)
	}

	r := b.submit(t, validOpinion())
	wantStatus(t, r, http.StatusOK)
	code := receiptOf(t, r)

	steps := []struct {
		name   string
		do     func(t *testing.T) *response
		status int
	}{
		{"track", func(t *testing.T) *response { return b.post(t, "/track", url.Values{"code": {code}}) }, 200},
		{"track unknown", func(t *testing.T) *response {
			return b.post(t, "/track", url.Values{"code": {"0000-0000-0000-0000-0000"}})
		}, 404},
		{"track malformed", func(t *testing.T) *response { return b.post(t, "/track", url.Values{"code": {"x"}}) }, 422},
		{"failed submit", func(t *testing.T) *response {
			v := validOpinion()
			v.Set("content", "短")
			return b.submit(t, v)
		}, 422},
		{"forged submit", func(t *testing.T) *response {
			return b.postForm(t, "/submit", url.Values{"content": {"没有令牌的提交内容，应该被拒绝。"}})
		}, 403},
		{"missing page", func(t *testing.T) *response { return b.get(t, "/no-such-page?ref=203.0.113.77") }, 404},
		{"captcha", func(t *testing.T) *response { return b.get(t, "/captcha/unknown.png") }, 404},
		{"staff login fails", func(t *testing.T) *response {
			b.getCSRF(t, "/admin/login")
			return b.post(t, "/admin/login", url.Values{"username": {"nobody"}, "password": {"whatever password"}})
		}, 401},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			wantStatus(t, s.do(t), s.status)
		})
	}

	logs := h.logs.String()
	if !strings.Contains(logs, "msg=request") {
		t.Fatalf("the log has no request lines; the check below would prove nothing:\n%s", logs)
	}
	db := h.dbBytes(t)
	for header, canary := range canaries {
		if strings.Contains(logs, canary) {
			t.Errorf("%s value %q found in the log:\n%s", header, canary, logs)
		}
		if bytes.Contains(db, []byte(canary)) {
			t.Errorf("%s value %q found in the database files", header, canary)
		}
	}
	for _, marker := range []string{"CanaryAgent", "canary.example", code, "/no-such-page", "ref="} {
		if strings.Contains(logs, marker) {
			t.Errorf("%q found in the log", marker)
		}
	}
	for _, resp := range b.seen {
		for _, canary := range canaries {
			if strings.Contains(resp.Body, canary) {
				t.Errorf("response body echoes %q", canary)
			}
		}
	}
}
