package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/access"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestBranchAdminDay: an administrator limited to one county (#15) logs in, sees only their
// county's opinions in the queue, creates a mailbox for a hospital of theirs, is refused
// another county's opinion and the whole portal's taxonomy, and reads their county's entries
// in the audit log, never the other county's. Every page passes axe.
func TestBranchAdminDay(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	ctx := context.Background()
	for _, u := range []storage.NewUnit{
		{Code: "east-county", Name: "东县卫健局", ParentCode: "bureau", Kind: "section"},
		{Code: "east-hospital", Name: "东县人民医院", ParentCode: "east-county", Kind: "county"},
		{Code: "west-county", Name: "西县卫健局", ParentCode: "bureau", Kind: "section"},
		{Code: "west-hospital", Name: "西县人民医院", ParentCode: "west-county", Kind: "county"},
	} {
		if err := h.Store.CreateUnit(ctx, 0, u); err != nil {
			t.Fatalf("CreateUnit %s: %v", u.Code, err)
		}
	}
	const name, password = "东县管理员", "east-county-password-2026"
	if _, err := h.Store.CreateScopedUser(ctx, 0, storage.NewUser{Username: name, Password: password, Role: access.Admin,
		Branch: "east-county"}); err != nil {
		t.Fatal(err)
	}
	opinion := func(unit, text string) string {
		n, err := receipt.Parse(receipt.New())
		if err != nil {
			t.Fatal(err)
		}
		id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: unit, Submitter: "patient",
			Content: text}, h.Receipts.Hash(n))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	east := opinion("east-hospital", "东县人民医院挂号窗口太少，早上排队一个多小时。")
	west := opinion("west-hospital", "西县人民医院停车场太小，经常停不下车。")
	if _, err := h.Store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: "西县院长信箱", UnitCode: "west-hospital",
		ReaderRoles: []string{access.Admin}}); err != nil {
		t.Fatal(err)
	}
	desk := newTab(t, browser, h, false)

	step(t, "1. the county's administrator logs in and sees their county's queue only")
	staffLogin(t, desk, h, name, password)
	wantStatus(t, "the queue", navigate(t, desk, h.URL+"/admin/queue"), 200)
	queue := textOf(t, desk, "main")
	if !strings.Contains(queue, "东县人民医院挂号窗口") || strings.Contains(queue, "西县") {
		t.Errorf("the queue should list %s and nothing of the other county: %q", east, queue)
	}
	checkAxe(t, desk, false, "the branch administrator's queue")
	menu, err := run(desk, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.staff a')].map(a => a.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(menu, "/admin/mailboxes") || !slices.Contains(menu, "/admin/audit") || slices.Contains(menu, "/admin/taxonomy") {
		t.Errorf("the menu should offer the mailboxes and the audit log, not the taxonomy: %q", menu)
	}

	step(t, "2. they create a mailbox for a hospital of their county")
	wantStatus(t, "the mailboxes", navigate(t, desk, h.URL+"/admin/mailboxes"), 200)
	if page := textOf(t, desk, "main"); strings.Contains(page, "西县院长信箱") {
		t.Error("the mailboxes page lists another county's mailbox")
	}
	checkAxe(t, desk, false, "the branch administrator's mailboxes")
	do(t, desk, "fill the mailbox form",
		chromedp.SendKeys(chromedp.CSS("#name-new"), "东县医院院长信箱"),
		chromedp.SetValue(chromedp.CSS("#unit-new"), "east-hospital"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/mailboxes"] input[name=role][value=admin]`)))
	wantStatus(t, "add the mailbox", clickAndLoad(t, desk, `form[action="/admin/mailboxes"] button[type=submit]`), 200)
	wantContains(t, "the mailboxes after adding", textOf(t, desk, "main"), "东县医院院长信箱")

	step(t, "3. another county's opinion and the whole portal's work are refused")
	wantStatus(t, "another county's opinion", navigate(t, desk, h.URL+"/admin/opinions/"+west), 404)
	checkAxe(t, desk, false, "the refusal of another county's opinion")
	wantStatus(t, "the taxonomy", navigate(t, desk, h.URL+"/admin/taxonomy"), 403)
	wantContains(t, "the refusal of the taxonomy", textOf(t, desk, "main"), "由全省统一管理")
	checkAxe(t, desk, false, "the refusal of the whole portal's work")

	step(t, "4. the audit log holds their county's entries")
	wantStatus(t, "the audit log", navigate(t, desk, h.URL+"/admin/audit"), 200)
	log := textOf(t, desk, "main")
	wantContains(t, "the audit log", log, "东县医院院长信箱")
	wantContains(t, "the audit log", log, name)
	if strings.Contains(log, "西县院长信箱") {
		t.Errorf("the audit log shows another county's mailbox: %q", log)
	}
	checkAxe(t, desk, false, "the branch administrator's audit log")
}
