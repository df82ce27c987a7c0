package handlers_test

import (
	"context"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/receipt"
	"minsheng/storage"
)

// seed stores an opinion directly, on the clock's current day, and returns its id and a
// receipt code that finds it.
func (h *harness) seed(t *testing.T, n storage.NewOpinion) (id, code string) {
	t.Helper()
	if n.Type == "" {
		n.Type = "complaint"
	}
	if n.UnitCode == "" {
		n.UnitCode = "county-hospital"
	}
	if n.Submitter == "" {
		n.Submitter = "patient"
	}
	if n.Content == "" {
		n.Content = "测试意见内容，请认真处理这件事情。"
	}
	code = receipt.New()
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt.Parse(%q): %v", code, err)
	}
	id, err = h.store.CreateOpinion(context.Background(), n, h.hasher.Hash(norm))
	if err != nil {
		t.Fatalf("CreateOpinion: %v", err)
	}
	return id, code
}

// seedOn stores an opinion dated on day (YYYY-MM-DD, China time) and resets the clock.
func (h *harness) seedOn(t *testing.T, day string, n storage.NewOpinion) string {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", day, time.FixedZone("CST", 8*3600))
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Set(d.Add(12 * time.Hour))
	defer h.clock.Set(baseTime)
	id, _ := h.seed(t, n)
	return id
}

// countOpinions counts every stored opinion.
func (h *harness) countOpinions(t *testing.T) int {
	t.Helper()
	page, err := h.store.ListOpinions(context.Background(), storage.OpinionFilter{}, storage.Cursor{}, 10000)
	if err != nil {
		t.Fatalf("ListOpinions: %v", err)
	}
	return len(page.Opinions)
}

// dbBytes returns the database file and its WAL as they are on disk now.
func (h *harness) dbBytes(t *testing.T) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{h.dbPath, h.dbPath + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatalf("read %s: %v", p, err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("database files are empty")
	}
	return all
}

var textareaRe = regexp.MustCompile(`(?s)<textarea[^>]*\sid="([a-z]+)"[^>]*>(.*?)</textarea>`)

// textarea returns the unescaped content of the textarea with id, and whether it was found.
func textarea(body, id string) (string, bool) {
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return html.UnescapeString(m[2]), true
		}
	}
	return "", false
}

func wantStatus(t *testing.T, r *response, want int) {
	t.Helper()
	if r.Code != want {
		t.Fatalf("status: got %d, want %d\nbody:\n%s", r.Code, want, r.Body)
	}
}

func wantContains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body does not contain %q", w)
		}
	}
}

func wantNotContains(t *testing.T, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("body contains %q, it must not", n)
		}
	}
}
