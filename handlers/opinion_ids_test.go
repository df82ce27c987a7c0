package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/internal/storetest"
	"minsheng/storage"
)

// TestOldOpinionIDsThroughRoutes: since #11 a new opinion's id starts with its day (eleven
// symbols, storage/opinion_id.go); an opinion made before keeps its id of ten random symbols,
// and both open, list, track, merge (typed in lower case too) and filter the log as before.
func TestOldOpinionIDsThroughRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	madeID, code := h.seed(t, storage.NewOpinion{Content: "旧意见：急诊科夜里没有医生值班。", Dept: "急诊科"})
	// The same opinion as a database of before #11 holds it: the id of ten random symbols.
	const old = "K7Q2M9XD00"
	storetest.SetOpinionID(t, h.store, madeID, old)
	newID, _ := h.seed(t, storage.NewOpinion{Content: "新意见：急诊科夜里还是没有医生。", Dept: "急诊科"})
	if len(newID) != 11 || len(madeID) != 11 {
		t.Fatalf("new ids %q and %q: want eleven symbols", madeID, newID)
	}

	for _, tc := range []struct{ id, words string }{{old, "旧意见"}, {newID, "新意见"}} {
		r := b.get(t, "/admin/opinions/"+tc.id)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, tc.words, tc.id)
	}
	queue := b.get(t, "/admin/queue")
	wantStatus(t, queue, http.StatusOK)
	wantContains(t, queue.Body, "/admin/opinions/"+old, "/admin/opinions/"+newID)

	// The submitter of the old one still finds it with their receipt code.
	public := h.browser()
	public.getCSRF(t, "/track")
	tr := public.post(t, "/track", url.Values{"code": {code}})
	wantStatus(t, tr, http.StatusOK)
	wantContains(t, tr.Body, "旧意见")

	// The log of each, filtered by its id.
	admin := h.staffAs(t, access.Admin)
	for _, id := range []string{old, newID} {
		wantStatus(t, admin.get(t, "/admin/audit?item="+id), http.StatusOK)
	}

	// The new one merged into the old one, its id typed in lower case.
	r := b.post(t, "/admin/opinions/"+newID+"/status", url.Values{"status": {"duplicate"}, "merge_into": {strings.ToLower(old)}})
	wantStatus(t, r, http.StatusSeeOther)
	o, err := h.store.Opinion(context.Background(), newID)
	if err != nil {
		t.Fatal(err)
	}
	if o.MergedInto != old {
		t.Errorf("merged into %q, want %q", o.MergedInto, old)
	}
}
