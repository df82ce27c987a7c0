package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Every way an opinion comes in through the router records the campaign running for its unit
// on the day it arrived; an item typed in from paper, the day it was received.
func TestEveryChannelRecordsTheCampaign(t *testing.T) {
	h := newHarness(t) // 2026-04-15; the spring campaign runs 2026-04-01 to 2026-05-31 for county-hospital
	id := saveSpring(t, h)
	site := kioskSite(t, h)
	staff, _ := h.staff(t)
	transcribe := func(received string) string {
		staff.getCSRF(t, "/admin/transcribe")
		r := staff.follow(t, staff.post(t, "/admin/transcribe", changed(slip(), url.Values{"received_on": {received}})))
		wantStatus(t, r, http.StatusOK)
		return receiptOf(t, r)
	}
	for _, tc := range []struct {
		name    string
		code    func() string
		channel string
		want    int64
	}{
		{"web form", func() string { return receiptOf(t, h.browser().submit(t, validOpinion())) }, "web", id},
		{"web form, a unit outside the campaign", func() string {
			return receiptOf(t, h.browser().submit(t, changed(validOpinion(), url.Values{"unit": {"tcm-hospital"}})))
		}, "web", 0},
		{"poster (qr)", func() string {
			return receiptOf(t, h.browser().submit(t, changed(validOpinion(), url.Values{"site": {site.Code}})))
		}, "qr", id},
		{"lobby kiosk", func() string {
			r := kioskSubmit(t, h.browser(), "/kiosk/"+site.Code, validOpinion())
			wantStatus(t, r, http.StatusOK)
			return receiptOf(t, r)
		}, "kiosk", id},
		{"letter received in the campaign", func() string { return transcribe("2026-04-10") }, "letter", id},
		{"letter received before it began, typed in during it", func() string { return transcribe("2026-03-20") }, "letter", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := h.byReceipt(t, tc.code())
			if o.Channel != tc.channel || o.CampaignID != tc.want {
				t.Errorf("channel %q campaign %d; want %q, %d", o.Channel, o.CampaignID, tc.channel, tc.want)
			}
		})
	}
}
