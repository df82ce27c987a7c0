package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/period"
	"minsheng/report"
	"minsheng/storage"
)

// TestReportCommentEndToEnd is feature 63 for a summary report: a reviewer saves a report's
// draft and opens it for comment to the public; a member of the public finds it from the home
// page on a phone with JavaScript off and comments anonymously (captcha, receipt code); the
// reviewer sees the comment beside the draft, writes what changed and issues the report, which
// says 1 comment was received and what changed.
func TestReportCommentEndToEnd(t *testing.T) {
	browser := newBrowserWithin(t, 2*time.Minute)
	h := newHarness(t)
	ctx := context.Background()
	month, err := period.MonthOf(time.Now().Format("2006-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	month = month.Previous()
	const (
		basics  = "上月全系统共收到群众意见建议若干条，已全部登记交办。"
		comment = "建议在报告里写明挂号最挤的时段，并说明下月怎么改。"
		changes = "采纳群众意见：写明了上午八点到十点挂号最挤，并列出增开窗口的安排。"
	)
	title := month.String() + " 意见建议办理情况汇总（征求意见稿）"

	step(t, "1. the reviewer saves the draft and opens it for comment to the public")
	desk := newTab(t, browser, h, false)
	do(t, desk, "a desktop window", chromedp.EmulateViewport(1200, 900))
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	draftURL := h.URL + "/admin/reports/draft?kind=summary&period=" + month.String()
	wantStatus(t, "GET the draft", navigate(t, desk, draftURL), 200)
	do(t, desk, "write the title and the basics",
		chromedp.Clear(chromedp.CSS("#title")), chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.Clear(chromedp.CSS("#part-basics")), chromedp.SendKeys(chromedp.CSS("#part-basics"), basics))
	wantStatus(t, "保存草稿", clickAndLoad(t, desk, "#save"), 200)
	do(t, desk, "the comment period", chromedp.SetValue(chromedp.CSS("#consult-to"), time.Now().AddDate(0, 0, 10).Format("2006-01-02")))
	wantStatus(t, "公开征求意见", clickAndLoad(t, desk, "#consultation-open-button"), 200)
	wantContains(t, "the draft's consultation", textOf(t, desk, "#consultation-state"), "正在征求意见（社会公众）")
	checkAxe(t, desk, false, "the report draft open for comment")

	step(t, "2. a member of the public finds the draft from the home page and comments anonymously")
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /", navigate(t, phone, h.URL+"/"), 200)
	wantStatus(t, "open the draft", clickAndLoad(t, phone, "#open-reports a"), 200)
	wantContains(t, "the draft", textOf(t, phone, "h1"), title)
	wantContains(t, "the draft's text", textOf(t, phone, "#report-draft"), basics)
	checkAxe(t, phone, true, "the report draft for comment")
	checkPhonePage(t, phone, "the report draft for comment")
	captchaID := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "write the comment",
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=patient]`)),
		chromedp.SendKeys(chromedp.CSS("#content"), comment),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)),
	)
	wantStatus(t, "send the comment", clickAndLoad(t, phone, `form.opinion button[type=submit]`), 200)
	if code := strings.TrimSpace(textOf(t, phone, "#receipt-code")); code == "" {
		t.Fatal("no receipt code after the comment")
	}

	step(t, "3. the reviewer sees the comment beside the draft, says what changed and issues the report")
	wantStatus(t, "reload the draft", navigate(t, desk, draftURL), 200)
	wantContains(t, "the comments beside the draft", textOf(t, desk, "#consultation-comments"), "挂号最挤的时段")
	wantContains(t, "the count", textOf(t, desk, "#consultation-count"), "共收到意见 1 条")
	do(t, desk, "say what changed", chromedp.SendKeys(chromedp.CSS("#changes"), changes))
	wantStatus(t, "签发", clickAndLoad(t, desk, "#issue"), 200)
	number := strings.TrimSpace(textOf(t, desk, "#report-number"))
	wantContains(t, "the issued report", textOf(t, desk, "#report-consultation"), "共收到意见 1 条")
	wantContains(t, "what changed", textOf(t, desk, "#text-changes"), changes)
	checkAxe(t, desk, false, "the issued report after comments")

	issued, err := report.Load(ctx, h.Store, number)
	if err != nil || issued.Consultation == nil || issued.Consultation.Comments != 1 || issued.Consultation.Changes != changes {
		t.Fatalf("issued report %s: consultation %+v, %v", number, issued, err)
	}
	c, err := h.Store.ReportConsultationFor(ctx, storage.ReportKey{Kind: "summary", Period: month.String()})
	if err != nil || c.Open {
		t.Errorf("the comment period after issuing: %+v, %v (want closed)", c, err)
	}
}
