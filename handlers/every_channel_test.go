package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
	"minsheng/vocab"
)

// TestEveryChannelReachesQueueAndExport sends one opinion through each collection channel the
// way it really arrives — the web form, a site's poster, the site's kiosk, and staff typing in
// a box slip, a letter, a call, an SMS, a forum, a visit, a questionnaire and an evaluation
// form — and finds each in the queue under its channel and counted once in the month's export.
func TestEveryChannelReachesQueueAndExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	site, err := h.store.AddSite(context.Background(), storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼",
		Floor: "1F", UnitCode: "county-hospital", Dept: "门诊部"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	texts := map[string]string{}
	for _, ch := range vocab.Channels {
		texts[ch.Code] = "经" + ch.Label + "反映：候诊区的椅子不够坐，老人只能站着等。"
	}
	store := func(channel string, r *response) storage.Opinion {
		t.Helper()
		wantStatus(t, r, http.StatusOK)
		o := h.byReceipt(t, receiptOf(t, r))
		if o.Channel != channel {
			t.Fatalf("%s opinion stored with channel %q", channel, o.Channel)
		}
		return o
	}

	web := validOpinion()
	web.Set("content", texts["web"])
	store("web", h.browser().submit(t, web))

	qr := h.browser()
	page := qr.get(t, "/q/"+site.Code)
	wantStatus(t, page, http.StatusSeeOther)
	poster := validOpinion()
	poster.Set("content", texts["qr"])
	poster.Set("site", site.Code)
	page = qr.getCSRF(t, page.location())
	id, answer := h.captchaFor(t, page.Body)
	poster.Set("captcha_id", id)
	poster.Set("captcha_answer", answer)
	if o := store("qr", qr.follow(t, qr.post(t, "/submit", poster))); o.SiteCode != site.Code {
		t.Errorf("poster opinion's site %q, want %q", o.SiteCode, site.Code)
	}

	kiosk := validOpinion()
	kiosk.Set("content", texts["kiosk"])
	if o := store("kiosk", kioskSubmit(t, h.browser(), "/kiosk/"+site.Code, kiosk)); o.SiteCode != site.Code {
		t.Errorf("kiosk opinion's site %q, want %q", o.SiteCode, site.Code)
	}

	staff, _ := h.staff(t)
	staff.getCSRF(t, "/admin/transcribe")
	for _, ch := range vocab.Channels {
		if !vocab.Transcribed(ch.Code) {
			continue
		}
		v := slip()
		v.Set("channel", ch.Code)
		v.Set("content", texts[ch.Code])
		if ch.Code == "box" {
			v.Set("site", site.Name) // emptied from the registered box: counts for that site
		}
		o := store(ch.Code, staff.follow(t, staff.post(t, "/admin/transcribe", v)))
		if want := map[bool]string{true: site.Code}[ch.Code == "box"]; o.SiteCode != want {
			t.Errorf("%s slip's site code %q, want %q", ch.Code, o.SiteCode, want)
		}
	}

	for _, ch := range vocab.Channels {
		r := staff.get(t, "/admin/queue?channel="+ch.Code)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, texts[ch.Code])
		for other, text := range texts {
			if other != ch.Code {
				wantNotContains(t, r.Body, text)
			}
		}
	}

	r := staff.get(t, "/admin/export?month=2026-04&format=csv")
	wantStatus(t, r, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "渠道")
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[col])
	}
	slices.Sort(got)
	var want []string
	for _, ch := range vocab.Channels {
		want = append(want, ch.Label)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("渠道 column %v, want one of each %v", got, want)
	}

	r = staff.get(t, "/admin/export?month=2026-04&format=xlsx")
	wantStatus(t, r, http.StatusOK)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	stats, err := x.GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]string{}
	for i, row := range stats {
		if len(row) == 1 && row[0] == "渠道" {
			for _, r := range stats[i+1 : min(i+1+len(vocab.Channels), len(stats))] {
				if len(r) == 2 {
					counts[r[0]] = r[1]
				}
			}
		}
	}
	for _, ch := range vocab.Channels {
		if counts[ch.Label] != "1" {
			t.Errorf("统计 渠道 %s = %q, want 1", ch.Label, counts[ch.Label])
		}
	}

}
