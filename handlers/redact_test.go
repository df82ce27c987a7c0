package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"minsheng/export"
	"minsheng/storage"
)

const (
	personalText    = "收费处多收了钱，请回电13800138000，谢谢。"
	personalMasked  = "收费处多收了钱，请回电138******00，谢谢。"
	personalContact = "座机0551-6512345"
	contactMasked   = "座机0551-*****45"
	redactedNote    = "已隐去身份证号、电话等个人信息"
)

// TestRedactionByRole checks through the router that only the roles holding SeeIdentifiers
// (admin; discipline, for 举报) see a phone number written into an opinion, on the item page,
// in the queue excerpt and in a CSV export.
func TestRedactionByRole(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	complaint, _ := w.h.seed(t, storage.NewOpinion{Type: "complaint", Content: personalText, Contact: personalContact})
	report, _ := w.h.seed(t, storage.NewOpinion{Type: "report", Content: personalText, Contact: personalContact})
	tests := []struct {
		name, role, route string
		original          bool
	}{
		{"reviewer's item page", "reviewer", "/admin/opinions/" + complaint, false},
		{"reviewer's queue", "reviewer", "/admin/queue", false},
		{"supervisor's item page", "supervisor", "/admin/opinions/" + complaint, false},
		{"admin's item page", "admin", "/admin/opinions/" + complaint, true},
		{"admin's queue", "admin", "/admin/queue", true},
		{"discipline's 举报 page", "discipline", "/admin/opinions/" + report, true},
		{"discipline's queue", "discipline", "/admin/queue", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.browsers[tt.role].get(t, tt.route)
			wantStatus(t, r, http.StatusOK)
			if tt.original {
				wantContains(t, r.Body, "13800138000")
				wantNotContains(t, r.Body, "138******00", redactedNote)
				return
			}
			wantContains(t, r.Body, "138******00")
			wantNotContains(t, r.Body, "13800138000")
			if tt.route != "/admin/queue" {
				wantContains(t, r.Body, personalMasked, redactedNote)
			}
		})
	}
	// The note appears only when something was masked.
	plain := w.browsers["reviewer"].get(t, "/admin/opinions/"+w.ids["county complaint"])
	wantStatus(t, plain, http.StatusOK)
	wantNotContains(t, plain.Body, redactedNote)

	// The export follows the item page (access.Viewer.Contact, PublicText): the text masked
	// without SeeIdentifiers; the contact as written for those who may reach the submitter
	// (reviewer included, as on the page), absent for the others.
	exports := []struct {
		name, role string
		original   bool
		contact    string
	}{
		{"reviewer's export masks the text, keeps the contact", "reviewer", false, personalContact},
		{"supervisor's export masks the text, has no contact", "supervisor", false, ""},
		{"admin's export holds the original", "admin", true, personalContact},
		{"discipline's export of 举报 holds the original", "discipline", true, personalContact},
	}
	for _, tt := range exports {
		t.Run(tt.name, func(t *testing.T) {
			r := w.browsers[tt.role].get(t, "/admin/export?month=2026-04&format=csv")
			wantStatus(t, r, http.StatusOK)
			var row []string // the role sees one of the two: the complaint or the 举报
			for _, r := range csvRows(t, r) {
				if len(r) > 0 && (r[0] == complaint || r[0] == report) {
					row = r
				}
			}
			got := map[string]bool{}
			for _, cell := range row {
				got[cell] = true
			}
			if tt.original {
				if !got[personalText] || !got[personalContact] {
					t.Errorf("export row %q lacks the original %q / %q", row, personalText, personalContact)
				}
				return
			}
			if !got[personalMasked] || got[personalText] || got[contactMasked] {
				t.Errorf("export row %q: want %q, no original", row, personalMasked)
			}
			if c := row[slices.Index(export.Columns, "联系方式")]; c != tt.contact {
				t.Errorf("export 联系方式 = %q, want %q", c, tt.contact)
			}
		})
	}
	if o, err := w.h.store.Opinion(context.Background(), complaint); err != nil || o.Content != personalText {
		t.Errorf("stored content %q, %v; want the original kept", o.Content, err)
	}
}

// TestSubmitWarnsAboutPersonalData: personal data in the text earns one warning with a new
// captcha, the form accepts it once the person confirms, and the text is stored as written.
func TestSubmitWarnsAboutPersonalData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	vals := validOpinion()
	text := "收费处多收了我的钱，手机13800138000，住院号ZY20240012，请核实。"
	vals.Set("content", text)
	r := b.submit(t, vals)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "您的留言里似乎有身份证号、电话号码等个人信息（手机号、病历号/住院号）。如果不想让工作人员看到，请删除后再提交；如果确实需要，请勾选下方“我知道，仍然提交”。",
		`name="confirm_personal" value="1"`, text)
	if n := h.countOpinions(t); n != 0 {
		t.Fatalf("stored %d opinions before confirmation, want 0", n)
	}

	// A wrong captcha after ticking the box keeps the confirmation, hidden.
	id, answer := h.captchaFor(t, r.Body)
	again := url.Values{}
	for k, vs := range vals {
		again[k] = vs
	}
	again.Set("confirm_personal", "1")
	again.Set("captcha_id", id)
	again.Set("captcha_answer", wrongAnswer(answer))
	r = b.post(t, "/submit", again)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, `<input type="hidden" name="confirm_personal" value="1">`)
	wantNotContains(t, r.Body, "您的留言里似乎有")

	id, answer = h.captchaFor(t, r.Body)
	again.Set("captcha_id", id)
	again.Set("captcha_answer", answer)
	r = b.follow(t, b.post(t, "/submit", again))
	wantStatus(t, r, http.StatusOK)
	page, err := h.store.ListOpinions(context.Background(), storage.OpinionFilter{}, storage.Cursor{}, 10)
	if err != nil || len(page.Opinions) != 1 || page.Opinions[0].Content != text {
		t.Fatalf("stored %+v, %v; want one opinion with the text as written", page.Opinions, err)
	}
}

// TestSubmitWithoutPersonalData: numbers that are not personal data pass without a warning.
func TestSubmitWithoutPersonalData(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, content string }{
		{"times and a queue number", "2026年4月15日上午排到第35号，等了2个小时，窗口只开了1个。"},
		{"an order number", "缴费单号2024041513800138000123一直显示未支付，请查一下系统。"},
		{"a bed and a room", "住院部3楼12床的呼叫器坏了，按了没人来。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			vals := validOpinion()
			vals.Set("content", tt.content)
			r := h.browser().submit(t, vals)
			wantStatus(t, r, http.StatusOK)
			wantNotContains(t, r.Body, "confirm_personal", "您的留言里似乎有")
		})
	}
}
