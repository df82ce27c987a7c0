package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"minsheng/storage"
)

// TestSubmitFromSitePoster: a poster's link pre-fills the site's unit and department and names
// the place, and what is posted is stored as qr with the site's code and name.
func TestSubmitFromSitePoster(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	site, err := h.store.AddSite(context.Background(), storage.NewSite{Name: "住院部三楼护士站意见箱",
		Building: "住院部", Floor: "3F", Ward: "内科病区", UnitCode: "county-hospital", Dept: "内科"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	b := h.browser()
	page := b.getCSRF(t, "/submit?site="+site.Code)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<option value="county-hospital" selected>`, `value="内科"`,
		"您在：住院部三楼护士站意见箱", `name="site" value="`+site.Code+`"`)

	v := validOpinion()
	v.Set("site", site.Code)
	r := b.follow(t, b.post(t, "/submit", v))
	wantStatus(t, r, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, r))
	if o.Channel != "qr" || o.SiteCode != site.Code || o.Site != site.Name {
		t.Errorf("stored channel %q site %q %q; want qr %q %q", o.Channel, o.SiteCode, o.Site, site.Code, site.Name)
	}
}

// TestSubmitToMailbox: a letter to a mailbox says on the form who reads it and is stored with
// the mailbox; a mailbox that takes no letters is never silently swapped for another reader.
func TestSubmitToMailbox(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)

	t.Run("letter to the director", func(t *testing.T) {
		b := h.browser()
		page := b.getCSRF(t, "/submit?mailbox=director")
		wantContains(t, page.Body, "写给：<strong>局长信箱</strong>", `name="mailbox" value="director"`)
		v := validOpinion()
		v.Set("mailbox", "director")
		r := b.follow(t, b.post(t, "/submit", v))
		wantStatus(t, r, http.StatusOK)
		if o := h.byReceipt(t, receiptOf(t, r)); o.MailboxCode != "director" || o.Channel != "web" {
			t.Errorf("stored mailbox %q channel %q; want director web", o.MailboxCode, o.Channel)
		}
	})

	t.Run("a mailbox with no note says who reads it from its readers", func(t *testing.T) {
		m, err := h.store.CreateMailbox(context.Background(), 0, storage.MailboxEdit{Name: "院长信箱",
			UnitCode: "county-hospital", ReaderRoles: []string{"reviewer"}})
		if err != nil {
			t.Fatalf("CreateMailbox: %v", err)
		}
		page := h.browser().getCSRF(t, "/submit?mailbox="+m.Code)
		wantContains(t, page.Body, "写给：<strong>院长信箱</strong>。由")
	})

	t.Run("unknown mailbox on the link gives the plain form and says so", func(t *testing.T) {
		page := h.browser().getCSRF(t, "/submit?mailbox=nosuch")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page.Body, "您要写信的信箱已停用")
		wantNotContains(t, page.Body, `name="mailbox"`)
	})

	t.Run("unknown mailbox on post: asked again, text kept, then sent as plain", func(t *testing.T) {
		b := h.browser()
		b.getCSRF(t, "/submit")
		v := validOpinion()
		v.Set("mailbox", "nosuch")
		r := b.post(t, "/submit", v)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "您选的信箱现在不接收来信", v.Get("content"))
		wantNotContains(t, r.Body, `name="mailbox"`)

		v.Del("mailbox")
		r = b.follow(t, b.post(t, "/submit", v))
		wantStatus(t, r, http.StatusOK)
		if o := h.byReceipt(t, receiptOf(t, r)); o.MailboxCode != "" {
			t.Errorf("stored mailbox %q; want none", o.MailboxCode)
		}
	})
}
