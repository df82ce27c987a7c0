package handlers_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minsheng/storage"
)

// readIfExists returns a file's bytes, or nothing when it does not exist (an -shm after a
// checkpoint, say).
func readIfExists(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return b
}

// canaries are what a submitter's network and browser reveal; none may be kept anywhere.
var canaries = map[string]string{
	"X-Forwarded-For": "203.0.113.77",
	"X-Real-IP":       "198.51.100.5",
	"User-Agent":      "CanaryAgent/9.9",
	"Referer":         "https://canary.example/x",
	"Accept-Language": "x-canarylang",
	"Cookie":          "tracker=CanaryCookie42",
}

// TestAnonymityCanarySweep submits, tracks and fails as a person behind a proxy would, has
// staff work the opinion, exports the month and takes a backup; then it searches the
// database, its -wal and -shm, the backup, the exports and every log line for any trace of
// the person's network or browser.
func TestAnonymityCanarySweep(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onSQLite) // it reads the SQLite file itself (PostgreSQL: storage's own tests)
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
		{"add to the opinion", func(t *testing.T) *response {
			return b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"addition"}, "words": {"补充：昨天又排了很久。"}})
		}, 303},
		{"add nothing", func(t *testing.T) *response {
			return b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"addition"}, "words": {" "}})
		}, 422},
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

	// Staff work the opinion and export the month, also from a browser that leaks canaries.
	staff, _ := h.staff(t)
	for k, v := range canaries {
		staff.headers.Set(k, v)
	}
	page, err := h.store.ListOpinions(context.Background(), storage.OpinionFilter{}, storage.Cursor{}, 1)
	if err != nil || len(page.Opinions) != 1 {
		t.Fatalf("the submitted opinion is not in the queue: %v", err)
	}
	item := "/admin/opinions/" + page.Opinions[0].ID
	wantStatus(t, staff.post(t, item+"/styles", url.Values{"style": {"bureaucratism"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(t, item+"/reply", url.Values{"reply": {"已转有关科室处理。"}}), http.StatusSeeOther)
	var exports [][]byte
	for _, format := range []string{"csv", "xlsx"} {
		r := staff.get(t, "/admin/export?month=2026-04&format="+format)
		wantStatus(t, r, http.StatusOK)
		if len(r.Body) < 100 {
			t.Fatalf("%s export is nearly empty; the sweep would prove nothing", format)
		}
		exports = append(exports, []byte(r.Body))
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := h.store.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}

	logs := h.logs.String()
	if !strings.Contains(logs, "msg=request") {
		t.Fatalf("the log has no request lines; the check below would prove nothing:\n%s", logs)
	}
	places := map[string][]byte{"the log": []byte(logs), "the CSV export": exports[0], "the XLSX export": exports[1]}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		places["the database file"+suffix] = readIfExists(t, h.dbPath+suffix)
	}
	places["the backup"] = readIfExists(t, backup)
	if !bytes.Contains(places["the backup"], []byte("门诊收费处")) && !bytes.Contains(places["the database file"], []byte("门诊收费处")) {
		t.Fatal("neither the database nor the backup holds the opinion; the sweep would prove nothing")
	}
	for header, canary := range canaries {
		marker := canary
		if header == "Cookie" {
			marker = "CanaryCookie42"
		}
		for where, content := range places {
			if bytes.Contains(content, []byte(marker)) {
				t.Errorf("%s value %q found in %s", header, marker, where)
			}
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
