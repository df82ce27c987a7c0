package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// Ensure ratings feed the per-unit satisfaction page, with the seeds' thresholds applied.
func TestSatisfactionPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	ctx := context.Background()
	for i, rating := range []string{"satisfied", "dissatisfied", "dissatisfied", "basically", "dissatisfied"} {
		id, _ := h.seed(t, storage.NewOpinion{UnitCode: "tcm-hospital", Content: "中医院的意见，第几条不重要。" + string(rune('一'+i))})
		h.walkTo(t, u.ID, id, lifecycle.Satisfaction)
		if err := h.store.Rate(ctx, id, rating, ""); err != nil {
			t.Fatal(err)
		}
	}
	r := b.get(t, "/admin/satisfaction")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "县中医院", "<td>5</td>", "40.0%", "需补课")
}

// Ensure the marks 追责, 查无实据 and 举报属实 are kept, and the contradiction is refused.
func TestFlags(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	r := f.b.post(t, "/admin/opinions/"+f.id+"/flags", url.Values{"accountability": {"1"}, "unfounded": {"1"}})
	wantStatus(t, r, http.StatusSeeOther)
	rect, _ := f.h.store.Rectification(context.Background(), f.id)
	if !rect.Accountability || !rect.Unfounded {
		t.Fatalf("flags not kept: %+v", rect)
	}
	r = f.b.post(t, "/admin/opinions/"+f.id+"/flags", url.Values{"unfounded": {"1"}, "substantiated": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "不能同时勾选")
}
