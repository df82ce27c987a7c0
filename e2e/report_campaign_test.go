package e2e

import (
	"context"
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/campaign"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestCampaignReportEndToEnd: the office chooses a campaign's phase on the report form in place
// of a period, reads its draft (titled by the campaign, compared with the previous campaign's
// phase of the same kind, no 同比, the per-phase table), downloads the draft's .docx through the
// page's own link, and issues it; the issued copy names the campaign.
func TestCampaignReportEndToEnd(t *testing.T) {
	browser := newBrowserWithin(t, 120*time.Second)
	h := newHarness(t)
	ctx := context.Background()

	step(t, "1. two campaigns, today in the second's 整改落实 phase; three opinions arrive today")
	today, err := time.Parse("2006-01-02", h.Store.Today())
	if err != nil {
		t.Fatal(err)
	}
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format("2006-01-02") }
	save := func(name string, start int) int64 {
		id, err := h.Store.SaveCampaign(ctx, 0, campaign.Campaign{Name: name, ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: day(start), EndsOn: day(start + 9)},
			{Kind: campaign.Rectify, StartsOn: day(start + 10), EndsOn: day(start + 20)}}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	save("去年冬季作风建设活动", -60)
	id := save("作风建设回访活动", -10)
	for i := range 3 {
		code, err := receipt.Parse(receipt.New())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
			Content: fmt.Sprintf("整改以后挂号还是要排很久（第%d条）。", i+1)}, h.Receipts.Hash(code)); err != nil {
			t.Fatal(err)
		}
	}

	step(t, "2. the reviewer chooses the phase on the archive's form")
	desk := newTab(t, browser, h, false)
	do(t, desk, "a desktop window", chromedp.EmulateViewport(1200, 900))
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET /admin/reports", navigate(t, desk, h.URL+"/admin/reports"), 200)
	do(t, desk, "choose the phase", chromedp.SetValue(chromedp.CSS("#campaign"), strconv.FormatInt(id, 10)+".2"))
	wantStatus(t, "open the draft", clickAndLoad(t, desk, "form.report-open button[type=submit]"), 200)
	title := valueOf(t, desk, "#title")
	if title != "全系统作风建设回访活动（整改落实阶段）工作报告" {
		t.Errorf("drafted title %q", title)
	}
	wantContains(t, "the campaign line", textOf(t, desk, "#report-campaign"), "作风建设回访活动")
	head := textOf(t, desk, "#table-intake-total thead")
	for _, col := range []string{"本次活动", "上一次活动", "增减"} {
		wantContains(t, "the intake table's columns", head, col)
	}
	if strings.Contains(textOf(t, desk, "#report"), "同比") {
		t.Errorf("a campaign report compares with last year")
	}
	if got := tableCell(t, desk, "#table-campaign-phases", "整改落实", 1); got != "3" {
		t.Errorf("the phase table says %s received in 整改落实, want 3", got)
	}
	if got := tableCell(t, desk, "#table-intake-total", "", 2); got != "0" {
		t.Errorf("the previous campaign's phase: %s, want 0", got)
	}
	checkAxe(t, desk, false, "a campaign report's draft")

	step(t, "3. the draft's .docx through the page's own link")
	href, err := run(desk, chromedp.Evaluate[string](`document.querySelector("#download-docx").getAttribute("href")`))
	if err != nil {
		t.Fatalf("read the link: %s", errContext(err))
	}
	text := docxText(t, fetchBytes(t, desk, html.UnescapeString(href)))
	for _, want := range []string{title, "活动：作风建设回访活动（整改落实阶段）", "各阶段情况"} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft's .docx lacks %q", want)
		}
	}

	step(t, "4. issue it: the issued copy names the campaign")
	wantStatus(t, "签发", clickAndLoad(t, desk, "#issue"), 200)
	if number := strings.TrimSpace(textOf(t, desk, "#report-number")); number == "" {
		t.Fatal("no number on the issued report")
	}
	wantContains(t, "issued", textOf(t, desk, "#report-title"), "作风建设回访活动（整改落实阶段）工作报告")
	wantContains(t, "issued", textOf(t, desk, "#report-campaign"), "整改落实")
}
