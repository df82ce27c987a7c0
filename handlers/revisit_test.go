package handlers_test

import (
	"net/http"
	"net/url"
	"testing"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// TestCloseAfterReworkNeedsNewVisit: a submitter answers 不满意 on /track; the work goes back
// to 整改中 and round again to 满意度回访. Then 销号 is refused on the item page (422, in
// words) and in bulk (counted as waiting) until the submitter, asked again on /track, answers
// this new round.
func TestCloseAfterReworkNeedsNewVisit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, staff := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "门诊收费处窗口太少，排队两个小时。"})
	h.walkTo(t, staff.ID, id, lifecycle.Satisfaction)
	rate := func(rating, words string) *response {
		t.Helper()
		pub := h.browser()
		page := pub.getCSRF(t, "/track")
		wantStatus(t, page, http.StatusOK)
		return pub.postForm(t, "/track/rate", url.Values{"code": {code}, "rating": {rating}, "words": {words}, "_csrf": {pub.token}})
	}
	wantStatus(t, rate(lifecycle.RatingDissatisfied, "还是排长队，打我电话"+plantedPhone), http.StatusOK)
	// The reason quotes the submitter's words: masked for a reviewer, like the opinion's text.
	item := b.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "还是排长队，打我电话"+maskedPhone)
	wantNotContains(t, item.Body, plantedPhone)
	if got := h.statusOf(t, id); got != lifecycle.Rectifying {
		t.Fatalf("after 不满意: status %s, want rectifying", got)
	}
	for _, st := range []string{lifecycle.Reported, lifecycle.LookBack, lifecycle.Satisfaction} {
		form := url.Values{"status": {st}, "report": {"又增开了一个窗口"}}
		wantStatus(t, b.post(t, "/admin/opinions/"+id+"/status", form), http.StatusSeeOther)
	}

	r := b.post(t, "/admin/opinions/"+id+"/status", url.Values{"status": {lifecycle.Closed}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, locale.Get(locale.ZhCN).Msg(lifecycle.VisitWaiting))
	r = b.post(t, "/admin/queue/bulk", url.Values{"action": {"status"}, "to": {lifecycle.Closed}, "ids": {id}})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, b.get(t, r.location()).Body, "1 条要等留言人在新一轮满意度回访中作出评价")
	if got := h.statusOf(t, id); got != lifecycle.Satisfaction {
		t.Fatalf("after refused 销号: status %s, want satisfaction", got)
	}

	// The submitter is asked again, and answers.
	pub := h.browser()
	pub.getCSRF(t, "/track")
	track := pub.postForm(t, "/track", url.Values{"code": {code}, "_csrf": {pub.token}})
	wantStatus(t, track, http.StatusOK)
	wantContains(t, track.Body, `action="/track/rate"`, "您上次的评价：<strong>不满意</strong>", "请您再评价一次")
	wantStatus(t, rate("satisfied", ""), http.StatusOK)

	wantStatus(t, b.post(t, "/admin/opinions/"+id+"/status", url.Values{"status": {lifecycle.Closed}}), http.StatusSeeOther)
	if got := h.statusOf(t, id); got != lifecycle.Closed {
		t.Fatalf("after the new answer: status %s, want closed", got)
	}
}
