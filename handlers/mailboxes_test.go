package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// mailboxByName finds a mailbox the store holds, or fails the test.
func (h *harness) mailboxByName(t *testing.T, name string) storage.Mailbox {
	t.Helper()
	boxes, err := h.store.AllMailboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range boxes {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("no mailbox named %q", name)
	return storage.Mailbox{}
}

// writeToMailbox sends a letter through the public form addressed to mailbox code, as a
// person following the link on /xinxiang would, and returns the stored opinion.
func (h *harness) writeToMailbox(t *testing.T, code, content string) storage.Opinion {
	t.Helper()
	b := h.browser()
	page := b.getCSRF(t, "/submit?mailbox="+url.QueryEscape(code))
	wantContains(t, page.Body, `name="mailbox" value="`+code+`"`)
	v := validOpinion()
	v.Set("mailbox", code)
	v.Set("content", content)
	id, answer := h.captchaFor(t, page.Body)
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	r := b.follow(t, b.post(t, "/submit", v))
	wantStatus(t, r, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, r))
	if o.MailboxCode != code {
		t.Fatalf("stored in mailbox %q, want %q", o.MailboxCode, code)
	}
	return o
}

// seesLetter checks through the router whether b finds the opinion in its queue, its item
// page and its monthly export, all three agreeing with want.
func seesLetter(t *testing.T, who string, b *browser, o storage.Opinion, want bool) {
	t.Helper()
	item := b.get(t, "/admin/opinions/"+o.ID)
	queue := b.get(t, "/admin/queue")
	wantStatus(t, queue, http.StatusOK)
	if want {
		wantStatus(t, item, http.StatusOK)
		wantContains(t, item.Body, o.Content)
		wantContains(t, queue.Body, "/admin/opinions/"+o.ID)
	} else {
		wantStatus(t, item, http.StatusNotFound)
		wantNotContains(t, item.Body, o.Content)
		wantNotContains(t, queue.Body, "/admin/opinions/"+o.ID, o.Content)
	}
	export := b.get(t, "/admin/export?month="+o.CreatedOn[:7]+"&format=csv")
	switch {
	case export.Code == http.StatusForbidden: // the role exports nothing at all
	case export.Code != http.StatusOK:
		t.Errorf("%s: export status %d", who, export.Code)
	case want:
		wantContains(t, export.Body, o.ID)
	default:
		wantNotContains(t, export.Body, o.ID, o.Content)
	}
}

// TestMailboxLettersReachOnlyTheirReaders: the administrator creates a hospital's 院长信箱 read
// by one named leader; a public letter to it reaches that leader and, once handed over, the
// hospital's liaison, and nobody else, administrators included. A letter to 纪检监察信箱 reaches
// discipline alone and is left out of the public figures.
func TestMailboxLettersReachOnlyTheirReaders(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	h, ctx := w.h, context.Background()
	president, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "president", Password: staffPassword,
		Role: access.Leader, Linked: []string{"tcm-hospital"}})
	if err != nil {
		t.Fatal(err)
	}
	w.browsers["president"] = h.login(t, "president", staffPassword)

	admin := w.browsers["admin"]
	admin.getCSRF(t, "/admin/mailboxes")
	r := admin.post(t, "/admin/mailboxes", url.Values{"name": {"县人民医院院长信箱"}, "description": {"对县人民医院的意见，写给院长。"},
		"readers_note": {"由县人民医院院长本人阅读。"}, "unit": {"county-hospital"}, "reader": {strconv.FormatInt(president.ID, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	box := h.mailboxByName(t, "县人民医院院长信箱")

	letter := h.writeToMailbox(t, box.Code, "院长信箱来信：夜间急诊只有一名医生，请院长关注。")
	secret := h.writeToMailbox(t, "discipline", "纪检信箱来信：某科室医生收受红包。")

	t.Run("the hospital's mailbox", func(t *testing.T) {
		for who, want := range map[string]bool{"president": true, "admin": false, "reviewer": false, "supervisor": false,
			"discipline": false, "liaison-county": false, "leader-tcm": false} {
			t.Run(who, func(t *testing.T) { seesLetter(t, who, w.browsers[who], letter, want) })
		}
		item := w.browsers["president"].get(t, "/admin/opinions/"+letter.ID)
		wantContains(t, item.Body, "<dt>信箱</dt><dd>县人民医院院长信箱</dd>")
		queue := w.browsers["president"].get(t, "/admin/queue")
		wantContains(t, queue.Body, `<span class="tag">县人民医院院长信箱</span>`)
	})

	t.Run("the discipline mailbox", func(t *testing.T) {
		for who, want := range map[string]bool{"discipline": true, "admin": false, "reviewer": false, "supervisor": false,
			"president": false, "liaison-county": false} {
			t.Run(who, func(t *testing.T) { seesLetter(t, who, w.browsers[who], secret, want) })
		}
	})

	// Handed to the hospital for rectification: its liaison now sees the hospital's letter, but
	// never the discipline mailbox's, even when discipline hands that one over too.
	for _, id := range []string{letter.ID, secret.ID} {
		h.walkTo(t, 0, id, lifecycle.Triaged)
		step := fullStep(lifecycle.Assigned, "")
		step.LeadUnit = "county-hospital"
		if err := h.store.Transition(ctx, 0, id, step); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("handed over", func(t *testing.T) {
		liaison := w.browsers["liaison-county"]
		seesLetter(t, "liaison-county", liaison, letter, true)
		seesLetter(t, "liaison-county", liaison, secret, false)
		seesLetter(t, "admin", w.browsers["admin"], letter, false)
	})

	t.Run("public figures leave the discipline mailbox out", func(t *testing.T) {
		// roleWorld's three opinions that are not 举报, and the hospital's letter.
		g := h.browser().get(t, "/gongshi")
		wantStatus(t, g, http.StatusOK)
		wantContains(t, g.Body, "共 4 条")
		wantNotContains(t, g.Body, letter.Content, secret.Content)
	})
}

// TestPublicMailboxPage: /xinxiang lists the open mailboxes, says plainly who reads each, and
// links to the form addressed to it; a retired mailbox is not listed.
func TestPublicMailboxPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	liaison, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "王小明", Password: staffPassword,
		Role: access.Liaison, Unit: "tcm-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	open, err := h.store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: "中医院院长信箱", Description: "写给中医院院长。",
		UnitCode: "tcm-hospital", ReaderRoles: []string{access.Reviewer}, ReaderUsers: []int64{liaison.ID}})
	if err != nil {
		t.Fatal(err)
	}
	retired, err := h.store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: "旧信箱", ReaderRoles: []string{access.Reviewer}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetMailboxActive(ctx, 0, retired.Code, false); err != nil {
		t.Fatal(err)
	}
	r := h.browser().get(t, "/xinxiang")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "局长信箱", "由局长、局领导和卫生健康局意见办理人员阅读，交给负责的单位办理。", `href="/submit?mailbox=director"`,
		"纪检监察信箱", "只由纪检监察人员阅读，其他任何人都看不到。", `href="/submit?mailbox=discipline"`,
		"中医院院长信箱", "写给中医院院长。", "由卫生健康局意见办理人员、指定的县中医院意见联系人阅读。", `href="/submit?mailbox=`+open.Code+`"`,
		`<a href="/xinxiang">信箱</a>`)
	wantNotContains(t, r.Body, "旧信箱", retired.Code, "王小明", "<no value>", "ZgotmplZ")
}

// TestAdminMailboxes: only administrators manage mailboxes; a bad form comes back with the
// reasons and what was typed; the discipline mailbox's readers cannot be changed and it
// cannot be retired; other mailboxes can be edited, retired and reopened.
func TestAdminMailboxes(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	h, admin := w.h, w.browsers["admin"]

	t.Run("others get 403", func(t *testing.T) {
		for _, role := range []string{"reviewer", "supervisor", "discipline", "liaison-county", "leader-tcm"} {
			b := w.browsers[role]
			wantStatus(t, b.get(t, "/admin/mailboxes"), http.StatusForbidden)
			wantStatus(t, b.post(t, "/admin/mailboxes", url.Values{"name": {"信箱"}, "role": {"reviewer"}}), http.StatusForbidden)
			wantStatus(t, b.post(t, "/admin/mailboxes/director", url.Values{"name": {"局长信箱"}, "role": {role}}), http.StatusForbidden)
			wantStatus(t, b.post(t, "/admin/mailboxes/director/active", url.Values{"active": {"0"}}), http.StatusForbidden)
		}
	})

	page := admin.getCSRF(t, "/admin/mailboxes")
	wantContains(t, page.Body, "局长信箱", "纪检监察信箱", "纪检监察信箱的读者由系统固定", `<a href="/admin/mailboxes">信箱</a>`,
		`action="/admin/mailboxes/director"`, "liaison-county（单位联络员 · 县人民医院）")
	wantNotContains(t, page.Body, "<no value>", "ZgotmplZ", `action="/admin/mailboxes/discipline/active"`)

	t.Run("a bad form keeps the input", func(t *testing.T) {
		r := admin.post(t, "/admin/mailboxes", url.Values{"name": {""}, "description": {"说明文字保留"}, "readers_note": {"由院长阅读。"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请填写信箱名称", "请至少勾选一种读者角色或一位指定读者", "说明文字保留", `value="由院长阅读。"`)
		r = admin.post(t, "/admin/mailboxes", url.Values{"name": {"局长信箱"}, "role": {"leader"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "已有同名的信箱", `value="leader" checked`)
		r = admin.post(t, "/admin/mailboxes", url.Values{"name": {"某信箱"}, "unit": {"nowhere"}, "reader": {"99999"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请从列表中选择单位", "请从列表中勾选读者", `value="某信箱"`)
		r = admin.post(t, "/admin/mailboxes/director", url.Values{"name": {"局长信箱"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "“局长信箱”没有保存", "请至少勾选一种读者角色")
	})

	t.Run("the discipline mailbox keeps its readers and stays open", func(t *testing.T) {
		r := admin.post(t, "/admin/mailboxes/discipline", url.Values{"name": {"纪检监察信箱"}, "description": {"新的说明。"},
			"role": {"admin", "reviewer"}, "reader": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		m := h.mailboxByName(t, "纪检监察信箱")
		if m.Description != "新的说明。" || len(m.ReaderRoles) != 1 || m.ReaderRoles[0] != access.Discipline || len(m.ReaderUsers) != 0 {
			t.Errorf("discipline mailbox now %+v", m)
		}
		wantContains(t, h.browser().get(t, "/submit?mailbox=discipline").Body, "只由纪检监察人员阅读，其他任何人都看不到。")
		r = admin.post(t, "/admin/mailboxes/discipline/active", url.Values{"active": {"0"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "纪检监察信箱不能停用")
		seesLetter(t, "admin", admin, h.writeToMailbox(t, "discipline", "写给纪检的信，管理员看不到。"), false)
	})

	t.Run("edit, retire and reopen", func(t *testing.T) {
		r := admin.post(t, "/admin/mailboxes/director", url.Values{"name": {"局长信箱"}, "description": {"写给局长。"},
			"role": {"leader"}, "unit": {""}})
		wantStatus(t, r, http.StatusSeeOther)
		letter := h.writeToMailbox(t, "director", "写给局长的信，只有局领导读。")
		seesLetter(t, "reviewer", w.browsers["reviewer"], letter, false)
		seesLetter(t, "admin", admin, letter, false)

		wantStatus(t, admin.post(t, "/admin/mailboxes/director/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		wantNotContains(t, h.browser().get(t, "/xinxiang").Body, `href="/submit?mailbox=director"`)
		wantContains(t, admin.get(t, "/admin/mailboxes").Body, "局长信箱（已停用）", "重新开放")
		wantStatus(t, admin.post(t, "/admin/mailboxes/director/active", url.Values{"active": {"1"}}), http.StatusSeeOther)
		wantContains(t, h.browser().get(t, "/xinxiang").Body, `href="/submit?mailbox=director"`)
		wantStatus(t, admin.post(t, "/admin/mailboxes/nosuch", url.Values{"name": {"x"}, "role": {"leader"}}), http.StatusNotFound)
	})
}

// TestPublicPageListsBoxSites: /xinxiang also says where the paper opinion boxes are — the
// registered sites in use, with their building, floor and ward — and never how many opinions
// a place took.
func TestPublicPageListsBoxSites(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	ctx := context.Background()
	hall, err := h.store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := h.store.AddSite(ctx, storage.NewSite{Name: "旧楼意见箱", UnitCode: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetSiteActive(ctx, 0, old.Code, false); err != nil {
		t.Fatal(err)
	}
	h.seed(t, storage.NewOpinion{Content: "门诊大厅的椅子太少了，老人只能站着。", Channel: "qr", SiteCode: hall.Code, Site: hall.Name})
	r := h.browser().get(t, "/xinxiang")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "意见箱设在这些地方", "<strong>门诊大厅意见箱</strong>（县人民医院 · 门诊楼 · 1F）")
	wantNotContains(t, r.Body, "旧楼意见箱", hall.Code)
}

// TestQueueFilterByMailbox: a reader narrows the queue to one mailbox's letters; the filter
// rides along in the export link; someone who reads no mailbox is offered no such filter.
func TestQueueFilterByMailbox(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withoutCaptcha)
	letter := "写给局长：希望公开乡镇卫生院的值班表。"
	plain := "普通留言：门诊楼电梯经常停运。"
	h.seed(t, storage.NewOpinion{Content: letter, MailboxCode: "director"})
	h.seed(t, storage.NewOpinion{Content: plain})

	reviewer, _ := h.staff(t) // 局长信箱 is read by reviewers
	r := reviewer.get(t, "/admin/queue?mailbox=director")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, letter, `<option value="director" selected>局长信箱</option>`, "mailbox=director")
	wantNotContains(t, r.Body, plain, `<option value="discipline"`)
	wantContains(t, reviewer.get(t, "/admin/queue").Body, letter, plain)

	liaison := h.staffAs(t, access.Liaison)
	wantNotContains(t, liaison.get(t, "/admin/queue").Body, `name="mailbox"`)
}
