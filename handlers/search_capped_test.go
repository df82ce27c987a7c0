package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"minsheng/seeddata"
	"minsheng/storage"
)

// TestQueueSearchCappedCountsSaySo searches for a word more than storage.SearchCap opinions
// hold: the sidebar counts those in the person's scope among the newest SearchCap matches and
// says so in words on the page, and every count of it, the overdue one too, reads "at least"
// (1,612+), never as an exact figure.
func TestQueueSearchCappedCountsSaySo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	units, err := h.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gen := seeddata.New(7, units, h.clock.Now().AddDate(0, 0, -1), 1)
	batch := make([]storage.SeedOpinion, 0, 2100)
	for len(batch) < cap(batch) {
		o := gen.Next()
		o.Content = "候诊区没有座位，" + o.Content
		batch = append(batch, o)
	}
	if err := h.store.InsertSeed(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := h.store.IndexSearch(ctx, nil); err != nil { // every seeded day has passed
		t.Fatal(err)
	}
	b, _ := h.staff(t)
	r := b.get(t, "/admin/queue?q="+url.QueryEscape("候诊区"))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `搜到的意见很多，这里只数了前 2,000 条`)
	if !regexp.MustCompile(`id="count-all"[^>]*>[^<]*<span class="count"[^>]*>[0-9,]+&#43;</span>`).MatchString(r.Body) {
		t.Errorf("the count of all does not read as at least N:\n%s", r.Body)
	}
	overdue := regexp.MustCompile(`id="count-overdue"[^>]*>[^<]*<span class="count">([0-9,]+)(&#43;)?</span>`).FindStringSubmatch(r.Body)
	if overdue == nil || overdue[1] == "0" || overdue[2] == "" {
		t.Errorf("the overdue count does not read as at least N: %q", overdue)
	}
	// A word only a few hold: exact counts, no note.
	r = b.get(t, "/admin/queue?q="+url.QueryEscape("没有这个词"))
	wantStatus(t, r, http.StatusOK)
	if regexp.MustCompile(`id="count-capped"|&#43;</span>`).MatchString(r.Body) {
		t.Error("a search with few matches says its counts are capped")
	}
}
