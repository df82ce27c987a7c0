package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"minsheng/storage"
)

// TestQueueSearchHighlights searches the queue through the router after the nightly indexer
// has taken yesterday: yesterday's opinion is found through the index and today's by its row,
// the words found are marked in the excerpt (the rest escaped, a phone number masked as shown),
// and an opinion found by its reply says so.
func TestQueueSearchHighlights(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	b, staff := h.staff(t)
	old, _ := h.seed(t, storage.NewOpinion{Content: "<b>醫院</b>門難進，请回电 13800138000"})
	replied, _ := h.seed(t, storage.NewOpinion{Content: "停车场收费太贵"})
	if err := h.store.SetReply(ctx, staff.ID, replied, "已转医院门难进问题专班处理"); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(24 * time.Hour)
	if err := h.store.IndexSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	today, _ := h.seed(t, storage.NewOpinion{Content: "门难进的问题还是没有解决"})
	other, _ := h.seed(t, storage.NewOpinion{Content: "食堂饭菜太贵"})

	b = h.login(t, staff.Username, staffPassword) // a fresh session on the new day
	r := b.get(t, "/admin/queue?q="+url.QueryEscape("门难进"))
	wantStatus(t, r, http.StatusOK)
	ids := queueIDs(r.Body)
	for _, id := range []string{old, replied, today} {
		if !slices.Contains(ids, id) {
			t.Errorf("search 门难进 does not list %s (listed %v)", id, ids)
		}
	}
	if slices.Contains(ids, other) {
		t.Errorf("search 门难进 lists %s", other)
	}
	wantContains(t, r.Body,
		`&lt;b&gt;醫院&lt;/b&gt;<mark>門難進</mark>，请回电 138******00`, // Traditional marked, tags escaped, number masked
		`<mark>门难进</mark>的问题还是没有解决`,
		`在答复中找到`)
	if strings.Contains(r.Body, "<b>醫院") {
		t.Error("the content's markup reached the page unescaped")
	}
	if strings.Count(r.Body, "在答复中找到") != 1 {
		t.Error("only the opinion found by its reply should say so")
	}
}
