package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"minsheng/access"
	"minsheng/qrimg/qrtest"
	"minsheng/storage"
)

// TestSurveyThresholdsEditable: an administrator changes the pass marks after the survey went
// out and the results are judged again on the new marks; a wrong entry comes back as typed.
func TestSurveyThresholdsEditable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	// Six answers at county-hospital: three 满意 on both items, three 不满意 on both: 50 %.
	for i := range 6 {
		v := 3
		if i%2 == 1 {
			v = 1
		}
		if err := h.store.AnswerSurvey(context.Background(), storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital",
			Values: map[int64]int{sv.Items[0].ID: v, sv.Items[1].ID: v}}); err != nil {
			t.Fatal(err)
		}
	}
	results := "/admin/surveys/" + strconv.FormatInt(sv.ID, 10)
	admin := h.staffAs(t, access.Admin)
	wantContains(t, admin.get(t, results).Body, `<ul id="redo"><li><span class="overdue">县人民医院</span>`)

	tests := []struct {
		name       string
		item, all  string
		wantStatus int
		wantBody   []string
	}{
		{"not a number", "八十", "90", http.StatusUnprocessableEntity, []string{`value="八十"`, "请填写 0 到 100 之间的整数。"}},
		{"over 100", "85", "101", http.StatusUnprocessableEntity, []string{`value="101"`, "请填写 0 到 100 之间的整数。"}},
		{"lowered to 50", "50", "50", http.StatusSeeOther, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.post(t, results+"/thresholds", url.Values{"item_threshold": {tt.item}, "overall_threshold": {tt.all}})
			wantStatus(t, r, tt.wantStatus)
			wantContains(t, r.Body, tt.wantBody...)
		})
	}
	page := admin.get(t, results)
	wantContains(t, page.Body, "每题不低于 50%，总体不低于 50%", `<p class="empty" id="redo">没有未达标的单位。</p>`)

	reviewer := h.staffAs(t, access.Reviewer)
	wantNotContains(t, reviewer.get(t, results).Body, `action="`+results+`/thresholds"`)
	wantStatus(t, reviewer.post(t, results+"/thresholds", url.Values{"item_threshold": {"99"}, "overall_threshold": {"99"}}),
		http.StatusForbidden)
}

// TestSurveyQRCode: each poster link's QR code decodes to the survey's public address for that
// unit and department; a unit the survey does not cover draws nothing.
func TestSurveyQRCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	b, _ := h.staff(t)
	id := strconv.FormatInt(sv.ID, 10)
	wantContains(t, b.get(t, "/admin/surveys").Body, `href="/admin/surveys/`+id+`/qr.png?unit=county-hospital"`)

	r := b.get(t, "/admin/surveys/"+id+"/qr.png?unit=county-hospital&dept="+url.QueryEscape("内科"))
	wantStatus(t, r, http.StatusOK)
	want := "http://example.com/survey/" + id + "?dept=" + url.QueryEscape("内科") + "&unit=county-hospital"
	if got := qrtest.DecodePNG(t, []byte(r.Body)); got != want {
		t.Errorf("QR holds %q, want %q", got, want)
	}
	wantStatus(t, b.get(t, "/admin/surveys/"+id+"/qr.png?unit=qingshan-thc"), http.StatusNotFound)
}

// TestSurveyExpiredPageKeepsAnswers: a patient whose page sat open until the CSRF cookie was
// gone gets the survey back with their choices and comment, not a bare 403.
func TestSurveyExpiredPageKeepsAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	b := h.browser()
	b.getCSRF(t, surveyURL(sv)+"?unit=county-hospital")
	delete(b.cookies, "ms_csrf")
	r := b.postForm(t, surveyURL(sv), url.Values{"_csrf": {b.token}, "unit": {"county-hospital"}, "from_link": {"1"},
		itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"}, "comment": {"夜里病房太吵"}})
	wantStatus(t, r, http.StatusForbidden)
	wantContains(t, r.Body, "页面停留太久已过期，您的评价还没有保存。", "夜里病房太吵",
		`name="`+itemName(sv, 0)+`" value="3" checked`, `name="`+itemName(sv, 1)+`" value="1" checked`)
	if n := h.responses(t, sv); n != 0 {
		t.Errorf("%d responses stored, want 0", n)
	}
}
