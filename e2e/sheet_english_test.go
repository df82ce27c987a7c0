package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/lifecycle"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestAssignmentSheetInEnglishOnOnePage prints the 交办单 of an opinion whose every text is as
// long as the forms allow for a reviewer who reads English: English takes more room than
// Chinese, and the sheet must still come out on exactly one A4 page, in English.
func TestAssignmentSheetInEnglishOnOnePage(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	long := strings.Repeat("收费处排队两个小时，窗口只开了一个，工作人员还在聊天，老人站不住。", 110)
	norm, _ := receipt.Parse(receipt.New())
	id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Dept: strings.Repeat("门诊", 25), Submitter: "family", Content: "我的电话 13812345678。" + long},
		h.Receipts.Hash(norm))
	if err != nil {
		t.Fatalf("store the opinion: %v", err)
	}
	for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := h.Store.Transition(ctx, 0, id, lifecycle.Step{To: to, LeadUnit: "county-hospital",
			Responsible: strings.Repeat("门诊部王主任", 16), Measures: strings.Repeat("高峰时段增开两个收费窗口，安排导诊员引导老人。", 100),
			Ledger: "problem", Deadline: today(30)}); err != nil {
			t.Fatalf("step to %s: %v", to, err)
		}
	}
	users, err := h.Store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == reviewerName {
			if err := h.Store.SetLanguage(ctx, u.ID, "en"); err != nil {
				t.Fatal(err)
			}
		}
	}

	desk := newTab(t, browser, h, false)
	do(t, desk, "A4-sized viewport", chromedp.EmulateViewport(a4Width, a4Height))
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "open the sheet", navigate(t, desk, h.URL+"/admin/opinions/"+id+"/sheet"), 200)
	sheet := textOf(t, desk, "#sheet")
	for _, want := range []string{"Rectification assignment sheet", id, "Specific problems (具体问题整改)",
		"working days left when printed", "Change to Being put right (整改中)", "Head of the unit"} {
		wantContains(t, "the English 交办单", sheet, want)
	}
	emulatePrint(t, desk)
	saveScreenshot(t, desk, "sheet-print-en.png")
	if n := pdfPages(printPDF(t, desk)); n != 1 {
		t.Errorf("the English 交办单 prints on %d pages, want 1", n)
	}
}
