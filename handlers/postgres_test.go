package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"minsheng/receipt"
)

// TestPostgresSubmitTrackQueue walks the core loop through the router on PostgreSQL (#15): a
// patient submits and gets a receipt only after the commit, finds the opinion again with the
// receipt at /track, and a reviewer sees it in the queue. The same routes run on SQLite in
// every other handler test; MINSHENG_TEST_DB=postgres runs them all on PostgreSQL.
func TestPostgresSubmitTrackQueue(t *testing.T) {
	h := newHarness(t, onPostgres)
	if got := h.store.Backend(); got != "postgres" {
		t.Fatalf("Backend() = %q, want postgres", got)
	}
	content := "输液室的椅子坏了两把，家属只能站着陪护，希望尽快修好。"
	b := h.browser()
	r := b.submit(t, url.Values{
		"type":      {"suggestion"},
		"unit":      {"county-hospital"},
		"dept":      {"输液室"},
		"submitter": {"family"},
		"content":   {content},
	})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "您的意见已经保存")
	code := receiptOf(t, r)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt.Parse(%q): %v", code, err)
	}
	o, err := h.store.OpinionByReceipt(context.Background(), h.hasher.Hash(norm))
	if err != nil {
		t.Fatalf("OpinionByReceipt: %v", err)
	}
	if o.Content != content || o.UnitCode != "county-hospital" || o.Status != "received" || o.CreatedOn != "2026-04-15" {
		t.Errorf("stored opinion = %+v, want the words, county-hospital, received, 2026-04-15", o)
	}

	// The receipt finds it again, from another browser.
	tracker := h.browser()
	tracker.getCSRF(t, "/track")
	r = tracker.post(t, "/track", url.Values{"code": {code}})
	wantOK(t, h, r)
	wantContains(t, r.Body, "处理进展", content, "县人民医院 · 输液室")

	// A reviewer's queue lists it.
	staff, _ := h.staff(t)
	r = staff.get(t, "/admin/queue")
	wantOK(t, h, r)
	if ids := queueIDs(r.Body); !slices.Equal(ids, []string{o.ID}) {
		t.Errorf("queue = %v, want [%s]", ids, o.ID)
	}
	r = staff.get(t, "/admin/opinions/"+o.ID)
	wantOK(t, h, r)
	wantContains(t, r.Body, content)
}

// wantOK fails the test unless r is 200, with the portal's log: on a second engine a 500 is
// most likely a statement only SQLite accepts, and the log names it.
func wantOK(t *testing.T, h *harness, r *response) {
	t.Helper()
	if r.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; the portal's log:\n%s", r.Code, h.logs.String())
	}
}
