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

// TestAssignmentSheetPrintsOnOnePage prints the 交办单 of an opinion whose every text is as long
// as the forms allow, as the office's reviewer would: it must come out on exactly one A4 page,
// without the staff menu, with the phone number in the opinion masked and without the
// submitter's contact, and carry the unit, the deadline, the steps and the signature lines.
func TestAssignmentSheetPrintsOnOnePage(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	long := strings.Repeat("收费处排队两个小时，窗口只开了一个，工作人员还在聊天，老人站不住。", 110) // 3,300 characters
	norm, _ := receipt.Parse(receipt.New())
	id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Dept: strings.Repeat("门诊", 25), Submitter: "family", Content: "我的电话 13812345678。" + long,
		Contact: "微信 zhang_san_1980"}, h.Receipts.Hash(norm))
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

	desk := newTab(t, browser, h, false)
	do(t, desk, "A4-sized viewport", chromedp.EmulateViewport(a4Width, a4Height))
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "open the item", navigate(t, desk, h.URL+"/admin/opinions/"+id), 200)
	wantStatus(t, "follow 打印交办单", clickAndLoad(t, desk, "#sheet-link"), 200)

	sheet := textOf(t, desk, "#sheet")
	for _, want := range []string{"意见整改交办单", id, "县人民医院", today(30), "门诊部王主任", "具体问题整改",
		"改为‘整改中’", "改为‘已整改待核验’", "回头看", "不得打听、追查留言人", "牵头单位负责人", "交办人（局活动办）",
		"已隐去身份证号、电话等个人信息", "全文请在民声平台查看"} {
		wantContains(t, "the 交办单", sheet, want)
	}
	for _, never := range []string{"13812345678", "zhang_san"} {
		if strings.Contains(sheet, never) {
			t.Errorf("the 交办单 prints %q; the reviewer's copy must mask it, and no copy carries the contact", never)
		}
	}

	emulatePrint(t, desk)
	for _, sel := range []string{"header.site", "footer.site", ".no-print"} {
		display, err := run(desk, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("`+sel+`")).display`))
		if err != nil {
			t.Fatalf("read the display of %s: %s", sel, errContext(err))
		}
		if display != "none" {
			t.Errorf("%s is printed (display %q); the 交办单 must print alone", sel, display)
		}
	}
	saveScreenshot(t, desk, "sheet-print.png")
	if n := pdfPages(printPDF(t, desk)); n != 1 {
		t.Errorf("the 交办单 prints on %d pages, want 1", n)
	}
}
