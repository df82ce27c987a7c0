package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestRateFromTrack: at 满意度回访 the submitter rates the work on /track with their code; a
// refused rating, or a page that outlived its CSRF cookie, comes back with the choice and the
// words kept; an opinion not at that step takes no rating.
func TestRateFromTrack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, staff := h.staff(t)
	atStep := func(t *testing.T, status string) (id, code string) {
		t.Helper()
		id, code = h.seed(t, storage.NewOpinion{Content: "门诊收费处窗口太少，排队两个小时。"})
		h.walkTo(t, staff.ID, id, status)
		return id, code
	}
	words := "窗口加了，但是中午还是没人。"
	tests := []struct {
		name       string
		status     string
		form       url.Values
		csrf       bool // send the page's token and cookie
		wantStatus int
		wantBody   []string
		wantRating string // stored afterwards, "" for none
	}{
		{"satisfied", lifecycle.Satisfaction, url.Values{"rating": {"satisfied"}, "words": {words}}, true,
			http.StatusOK, []string{"谢谢您的评价", "您的评价：<strong>满意</strong>"}, "satisfied"},
		{"no choice: words kept", lifecycle.Satisfaction, url.Values{"words": {words}}, true,
			http.StatusUnprocessableEntity, []string{"请选择满意、基本满意或不满意。", words}, ""},
		{"words too long: choice kept", lifecycle.Satisfaction, url.Values{"rating": {"basically"}, "words": {strings.Repeat("长", 501)}}, true,
			http.StatusUnprocessableEntity, []string{"补充的话太长了", `value="basically" checked`}, ""},
		{"expired page: choice and words kept", lifecycle.Satisfaction, url.Values{"rating": {"dissatisfied"}, "words": {words}}, false,
			http.StatusForbidden, []string{"页面停留太久已过期，您的评价还没有保存。", words, `value="dissatisfied" checked`}, ""},
		{"not at the satisfaction step", lifecycle.Rectifying, url.Values{"rating": {"satisfied"}}, true,
			http.StatusConflict, []string{"这条意见现在不需要评价"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, code := atStep(t, tt.status)
			b := h.browser()
			b.getCSRF(t, "/track")
			v := url.Values{"code": {code}}
			for k, vs := range tt.form {
				v[k] = vs
			}
			v.Set("_csrf", b.token)
			if !tt.csrf {
				delete(b.cookies, "ms_csrf")
			}
			r := b.postForm(t, "/track/rate", v)
			wantStatus(t, r, tt.wantStatus)
			wantContains(t, r.Body, tt.wantBody...)
			if strings.Contains(r.Header.Get("Location"), code) {
				t.Errorf("the receipt code travelled in a Location header")
			}
			got, err := h.store.RatingOf(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rating != tt.wantRating {
				t.Errorf("stored rating %q, want %q", got.Rating, tt.wantRating)
			}
		})
	}
}
