package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestQueueSearch searches the queue in Traditional characters through the router: the
// Simplified opinion is found, the others are not, and the search stays in the box, in the
// hidden fields of the sidebar's forms and in the export links.
func TestQueueSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	simplified, _ := h.seed(t, storage.NewOpinion{Content: "门难进，挂号窗口的人爱理不理。"})
	traditional, _ := h.seed(t, storage.NewOpinion{Content: "醫院門難進、臉難看。"})
	other, _ := h.seed(t, storage.NewOpinion{Content: "停车场收费太贵，希望便宜一点。"})
	phone, _ := h.seed(t, storage.NewOpinion{Content: "请回电 13800138000，停车难。"})

	r := b.get(t, "/admin/queue?q="+url.QueryEscape("門難進")+"&month=2026-04")
	wantStatus(t, r, http.StatusOK)
	ids := queueIDs(r.Body)
	for _, id := range []string{simplified, traditional} {
		if !slices.Contains(ids, id) {
			t.Errorf("search 門難進 does not list %s (listed %v)", id, ids)
		}
	}
	for _, id := range []string{other, phone} {
		if slices.Contains(ids, id) {
			t.Errorf("search 門難進 lists %s, which does not contain it", id)
		}
	}
	body := html.UnescapeString(r.Body)
	wantContains(t, body,
		`name="q" id="queue-search" value="門難進"`,     // the box shows what was typed
		`<input type="hidden" name="q" value="門難進">`, // saved filters and bulk actions keep it
		`href="/admin/export?format=csv&month=2026-04&q=`+url.QueryEscape("門難進")+`" id="export-csv"`)
	// The sidebar counts are for the search too: two opinions in 待梳理.
	wantContains(t, r.Body, `id="count-received">待梳理 <span class="count">2</span>`)

	// A phone number is searched as reviewers see it: masked, so it finds nothing.
	r = b.get(t, "/admin/queue?q=13800138000")
	wantStatus(t, r, http.StatusOK)
	if ids := queueIDs(r.Body); len(ids) != 0 {
		t.Errorf("search for a phone number lists %v", ids)
	}
	wantContains(t, r.Body, "没有符合条件的意见")
}

// TestQueueSearchPages follows the 下一页 link of a search: the search rides along, and every
// page holds only matching opinions.
func TestQueueSearchPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	want := map[string]bool{}
	for i := 0; i < 55; i++ {
		id := h.seedOn(t, fmt.Sprintf("2026-03-%02d", 1+i/4), storage.NewOpinion{Content: fmt.Sprintf("第 %d 条：窗口互相推诿。", i)})
		want[id] = true
	}
	for i := 0; i < 5; i++ {
		h.seedOn(t, "2026-03-05", storage.NewOpinion{Content: fmt.Sprintf("第 %d 条：候诊椅子太少。", i)})
	}
	seen := map[string]bool{}
	target := "/admin/queue?q=" + url.QueryEscape("推諉")
	for pages := 1; target != ""; pages++ {
		if pages > 3 {
			t.Fatalf("more than 3 pages; last %q", target)
		}
		r := b.get(t, target)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, html.UnescapeString(r.Body), `name="q" id="queue-search" value="推諉"`)
		for _, id := range queueIDs(r.Body) {
			if !want[id] {
				t.Errorf("page %d lists %s, which does not match", pages, id)
			}
			seen[id] = true
		}
		target = ""
		if m := nextPageRe.FindStringSubmatch(r.Body); m != nil {
			target = html.UnescapeString(m[1])
			if !strings.Contains(target, "q="+url.QueryEscape("推諉")) || !strings.Contains(target, "after=") {
				t.Fatalf("下一页 link %q does not keep the search", target)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("listed %d matching opinions over the pages, want %d", len(seen), len(want))
	}
}

// TestSavedFilterKeepsSearch saves the queue's current filter, search included, and reads it back
// from the sidebar's link.
func TestSavedFilterKeepsSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	b.getCSRF(t, "/admin/queue?q="+url.QueryEscape("門難進"))
	r := b.post(t, "/admin/filters", url.Values{"name": {"门难进"}, "q": {"門難進"}, "status": {"received"}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.location(); !strings.Contains(loc, "q="+url.QueryEscape("門難進")) {
		t.Errorf("after saving, redirected to %q: the search is lost", loc)
	}
	r = b.get(t, "/admin/queue")
	wantStatus(t, r, http.StatusOK)
	m := regexp.MustCompile(`<a href="([^"]*)" class="saved-filter">门难进</a>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("saved filter 门难进 not in the sidebar")
	}
	if link := html.UnescapeString(m[1]); !strings.Contains(link, "q="+url.QueryEscape("門難進")) {
		t.Errorf("saved filter link %q has no search", link)
	}
}

// TestQueueSearchKeepsScope: a liaison's search finds only the work handed to their unit.
func TestQueueSearchKeepsScope(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "lia", Password: staffPassword,
		Role: access.Liaison, Unit: "county-hospital"}); err != nil {
		t.Fatal(err)
	}
	theirs, _ := h.seed(t, storage.NewOpinion{Content: "門難進，推諉。"})
	h.walkTo(t, 0, theirs, lifecycle.Assigned) // fullStep hands it to county-hospital
	notTheirs, _ := h.seed(t, storage.NewOpinion{Content: "门难进，还没交办。"})
	report, _ := h.seed(t, storage.NewOpinion{Content: "门难进，还收红包。", Type: "report"})
	b := h.login(t, "lia", staffPassword)
	r := b.get(t, "/admin/queue?q="+url.QueryEscape("门难进"))
	wantStatus(t, r, http.StatusOK)
	if ids := queueIDs(r.Body); !slices.Equal(ids, []string{theirs}) {
		t.Errorf("liaison's search lists %v, want only [%s] (not %s, not %s)", ids, theirs, notTheirs, report)
	}
}

// TestTraditionalSubmission: a Traditional text on the public form is accepted and kept as
// written; reviewers find it in Simplified, and an item page suggests the style a Traditional
// text concerns without ticking anything.
func TestTraditionalSubmission(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	vals := validOpinion()
	written := "掛號處門難進、臉難看、事難辦，工作人員還互相推諉。"
	vals.Set("content", written)
	r := h.browser().submit(t, vals)
	wantStatus(t, r, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, r))
	if o.Content != written {
		t.Errorf("stored content %q, want it as written %q", o.Content, written)
	}

	b, _ := h.staff(t)
	r = b.get(t, "/admin/queue?q="+url.QueryEscape("门难进"))
	wantStatus(t, r, http.StatusOK)
	if ids := queueIDs(r.Body); !slices.Equal(ids, []string{o.ID}) {
		t.Errorf("search 门难进 lists %v, want [%s]", ids, o.ID)
	}
	wantContains(t, r.Body, "掛號處<mark>門難進</mark>") // listed as written, the words found marked

	r = b.get(t, "/admin/opinions/"+o.ID)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, written)

	// A Traditional text is suggested its style as a Simplified one is, the words that drove
	// it quoted as written; nothing is ticked by the suggestion.
	trad, _ := h.seed(t, storage.NewOpinion{Content: "辦個證跑了四趟，窗口說不歸他們管，又讓去別的科室。"})
	r = b.get(t, "/admin/opinions/"+trad)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `id="suggestions"`, "<strong>官僚主义</strong>", "因为：")
	if !regexp.MustCompile(`因为：[^<]*(跑了|四趟|不歸|他們管)`).MatchString(r.Body) {
		t.Errorf("the suggestion does not quote the Traditional words that drove it")
	}
	wantNotContains(t, r.Body, `value="bureaucratism" checked`) // advice only

	// An opinion whose words suggest no style has no style suggested.
	plain, _ := h.seed(t, storage.NewOpinion{Content: "候诊椅子太少，老人只能站着。"})
	r = b.get(t, "/admin/opinions/"+plain)
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r.Body, `name="code" value="bureaucratism"`, `name="code" value="formalism"`,
		`name="code" value="hedonism"`, `name="code" value="extravagance"`)
}
