package e2e

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/receipt"
	"minsheng/report"
	"minsheng/storage"
)

// TestReportEndToEnd is issue #12's "done when": seed data → the monthly report page with its
// charts → edit the narrative → issue → the archived copy is identical after an opinion is
// re-tagged → the PDF print and the .docx both open and say what was written; the page's figures
// agree with the export and /gongshi for the same month.
func TestReportEndToEnd(t *testing.T) {
	browser := newBrowserWithin(t, 180*time.Second)
	h := newHarness(t)
	ctx := context.Background()

	step(t, "1. seed the month: opinions across units, types, styles and statuses, a rectification, a rating")
	ids := seedReportMonth(t, h)
	first, err := h.Store.Opinion(ctx, ids["county"][0])
	if err != nil {
		t.Fatal(err)
	}
	month, err := period.MonthOf(first.CreatedOn) // the month the opinions were received in
	if err != nil {
		t.Fatal(err)
	}

	step(t, "2. the reviewer opens the draft of the month from the archive's form")
	desk := newTab(t, browser, h, false)
	do(t, desk, "a desktop window", chromedp.EmulateViewport(1200, 900))
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET /admin/reports", navigate(t, desk, h.URL+"/admin/reports"), 200)
	do(t, desk, "name the month", chromedp.Clear(chromedp.CSS("#period")), chromedp.SendKeys(chromedp.CSS("#period"), month.String()))
	wantStatus(t, "open the draft", clickAndLoad(t, desk, "form.report-open button[type=submit]"), 200)
	wantContains(t, "draft", textOf(t, desk, "#draft-mark"), "草稿")
	charts, err := run(desk, chromedp.Evaluate[[]chartShape](chartShapesJS))
	if err != nil {
		t.Fatalf("read the charts: %s", errContext(err))
	}
	if len(charts) < 3 {
		t.Fatalf("the draft shows %d charts (%+v), want the trend, styles, units and rectification", len(charts), charts)
	}
	for _, c := range charts {
		if c.Role != "img" || c.Title == "" || c.TableRows == 0 {
			t.Errorf("chart %s: role %q, title %q, %d rows in its numbers table: want an image with a title and a table", c.ID, c.Role, c.Title, c.TableRows)
		}
	}
	head := textOf(t, desk, "#table-intake-total thead")
	for _, col := range []string{"本期", "上期", "环比", "去年同期", "同比"} {
		wantContains(t, "the intake table's columns", head, col)
	}
	saveScreenshot(t, desk, "report-draft.png")
	checkAxe(t, desk, false, "the report draft")

	step(t, "3. the page's figures agree with the export and /gongshi of the same month")
	total := tableCell(t, desk, "#table-intake-total", "", 1)
	county := tableCell(t, desk, "#table-units", "县人民医院", 1)
	exported := exportCounts(t, desk, h, month.String())
	if got, want := fmt.Sprint(exported.total), total; got != want {
		t.Errorf("the export holds %s opinions of %s, the report says %s", got, month, want)
	}
	if got, want := fmt.Sprint(exported.byUnit["县人民医院"]), county; got != want {
		t.Errorf("the export holds %s opinions about 县人民医院, the report says %s", got, want)
	}
	if got := gongshiCell(t, browser, h, "县人民医院"); got != county {
		t.Errorf("/gongshi shows %q for 县人民医院 this month, the report says %s", got, county)
	}

	step(t, "4. edit the narrative, choose a typical case, save, then issue")
	const basics = "本月全系统共收到群众意见建议若干条，经逐条梳理，已全部登记交办。"
	const measures = "一是高峰时段增开挂号窗口；二是推行分时段预约；三是每月回头看。"
	do(t, desk, "edit the narrative and a case",
		chromedp.Clear(chromedp.CSS("#part-basics")), chromedp.SendKeys(chromedp.CSS("#part-basics"), basics),
		chromedp.Clear(chromedp.CSS("#part-measures")), chromedp.SendKeys(chromedp.CSS("#part-measures"), measures),
		chromedp.SendKeys(chromedp.CSS("#case-id-1"), ids["county"][0]),
		chromedp.SendKeys(chromedp.CSS("#case-summary-1"), "挂号窗口少、排队长，已增开窗口"),
	)
	wantStatus(t, "保存草稿", clickAndLoad(t, desk, "#save"), 200)
	wantContains(t, "saved", textOf(t, desk, "#notice"), "草稿已保存")
	if got := valueOf(t, desk, "#part-basics"); got != basics {
		t.Fatalf("the saved draft's 基本情况 is %q, want %q", got, basics)
	}
	wantStatus(t, "签发", clickAndLoad(t, desk, "#issue"), 200)
	number := strings.TrimSpace(textOf(t, desk, "#report-number"))
	sha := strings.TrimSpace(textOf(t, desk, "#report-sha"))
	title := strings.TrimSpace(textOf(t, desk, "#report-title"))
	issuedText := textOf(t, desk, "#report")
	wantContains(t, "issued report", issuedText, basics)
	wantContains(t, "issued report", issuedText, "挂号窗口少、排队长，已增开窗口")
	row, err := h.Store.IssuedReport(ctx, number)
	if err != nil {
		t.Fatalf("the archive's row of %s: %v", number, err)
	}
	if row.SHA256 != sha || report.Sum(row.Body) != sha {
		t.Fatalf("the page shows SHA-256 %s; the archive holds %s over bytes whose sum is %s", sha, row.SHA256, report.Sum(row.Body))
	}
	issuedURL := h.URL + "/admin/reports/" + number
	saveScreenshot(t, desk, "report-issued.png")
	checkAxe(t, desk, false, "the issued report")

	step(t, "5. re-tag an opinion: the draft moves, the archived copy does not")
	stylesBefore := textOf(t, desk, "#table-styles")
	if err := h.Store.SetStyles(ctx, 0, ids["county"][0], []string{"hedonism", "extravagance"}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET the draft again", navigate(t, desk, h.URL+"/admin/reports/draft?period="+month.String()), 200)
	if textOf(t, desk, "#table-styles") == stylesBefore {
		t.Fatal("the draft's styles table did not change after re-tagging: the comparison below would prove nothing")
	}
	wantStatus(t, "GET the issued report again", navigate(t, desk, issuedURL), 200)
	if got := textOf(t, desk, "#report"); got != issuedText {
		t.Errorf("the issued report reads differently after re-tagging:\nbefore:\n%s\nafter:\n%s", issuedText, got)
	}
	if got := strings.TrimSpace(textOf(t, desk, "#report-sha")); got != sha {
		t.Errorf("SHA-256 after re-tagging %s, want %s", got, sha)
	}
	again, err := h.Store.IssuedReport(ctx, number)
	if err != nil || !bytes.Equal(again.Body, row.Body) || again.SHA256 != sha {
		t.Errorf("the archived bytes changed after re-tagging (%v)", err)
	}

	step(t, "6. print the issued report to PDF: A4 pages, with its title and text")
	printed := printPDF(t, desk)
	keepFile(t, "report.pdf", printed)
	checkPrinted(t, printed, title, number, basics, sha)

	step(t, "7. the issued report on a phone: nothing sticks out sideways (tables scroll in their own boxes)")
	phone := newTab(t, browser, h, true)
	staffLogin(t, phone, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET the issued report on a phone", navigate(t, phone, issuedURL), 200)
	checkPhonePage(t, phone, "the issued report")

	step(t, "8. download the .docx and read it back")
	docx := fetchBytes(t, desk, "/admin/reports/"+number+".docx")
	keepFile(t, "report.docx", docx)
	text := docxText(t, docx)
	for _, want := range []string{title, basics, measures, number} {
		if !strings.Contains(text, want) {
			t.Errorf("the .docx does not hold %q; it reads:\n%s", want, text)
		}
	}
}

// seedReportMonth stores the month's opinions straight into the store: seven about the county
// hospital (types, submitters, styles; one handed out for rectification, one rated), five about
// the bureau, five about the TCM hospital, and a 举报 the reviewer's figures leave out. Enough in
// each unit that the public board shows the cell rather than "<5".
func seedReportMonth(t *testing.T, h *harness) map[string][]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string][]string{}
	add := func(group, unit, typ, submitter, text string, styles ...string) string {
		code, err := receipt.Parse(receipt.New())
		if err != nil {
			t.Fatal(err)
		}
		id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: typ, UnitCode: unit, Submitter: submitter,
			Dept: "门诊部", Content: text}, h.Receipts.Hash(code))
		if err != nil {
			t.Fatalf("seed an opinion: %v", err)
		}
		if len(styles) > 0 {
			if err := h.Store.SetStyles(ctx, 0, id, styles); err != nil {
				t.Fatal(err)
			}
		}
		ids[group] = append(ids[group], id)
		return id
	}
	for i, styles := range [][]string{{"formalism"}, {"formalism", "bureaucratism"}, {"bureaucratism"}, {"hedonism"}, nil, nil, {"formalism"}} {
		typ, who := "complaint", "patient"
		if i%3 == 1 {
			typ, who = "suggestion", "family"
		}
		add("county", "county-hospital", typ, who, fmt.Sprintf("挂号窗口太少，早上排队两个多小时（第%d条）。", i+1), styles...)
	}
	for i := 0; i < 5; i++ {
		add("bureau", "bureau", "complaint", "public", fmt.Sprintf("办事材料要求反复变，跑了好几趟（第%d条）。", i+1), "bureaucratism")
		add("tcm", "tcm-hospital", "suggestion", "patient", fmt.Sprintf("候诊区椅子不够，希望增加（第%d条）。", i+1))
	}
	add("hidden", "county-hospital", "report", "staff", "反映某科室收受红包的问题，请纪检部门调查。")

	today, err := time.Parse("2006-01-02", h.Store.Today())
	if err != nil {
		t.Fatal(err)
	}
	handOut := lifecycle.Step{LeadUnit: "county-hospital", Responsible: "门诊部主任", Measures: "高峰时段增开挂号窗口",
		Ledger: "problem", Deadline: today.AddDate(0, 0, 30).Format("2006-01-02"), Kind: "timed", Report: "已增开两个窗口",
		Note: "复查已落实"}
	walk := func(id, to string) {
		for _, st := range lifecycle.PathTo(to) {
			s := handOut
			s.To = st
			if err := h.Store.Transition(ctx, 0, id, s); err != nil {
				t.Fatalf("move %s to %s: %v", id, st, err)
			}
		}
	}
	walk(ids["county"][1], lifecycle.Assigned)
	walk(ids["county"][2], lifecycle.Satisfaction)
	if err := h.Store.Rate(ctx, ids["county"][2], "satisfied", ""); err != nil {
		t.Fatalf("rate: %v", err)
	}
	return ids
}

// chartShape is what a person and a screen reader get of one chart on the page.
type chartShape struct {
	ID, Role, Title string
	TableRows       int
}

const chartShapesJS = `[...document.querySelectorAll("figure.chart")].map(f => {
  const svg = f.querySelector("svg");
  return {ID: f.id, Role: svg ? svg.getAttribute("role") || "" : "",
    Title: svg && svg.querySelector("title") ? svg.querySelector("title").textContent : "",
    TableRows: f.querySelectorAll(".sr-only table tbody tr").length};
})`

// tableCell is the text of column col of the row of the table whose first cell reads row (the
// first row when row is "").
func tableCell(t *testing.T, tab context.Context, table, row string, col int) string {
	t.Helper()
	rows, err := run(tab, chromedp.Evaluate[[][]string](fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(tr => [...tr.children].map(c => c.textContent.trim()))`, table+" tbody tr")))
	if err != nil {
		t.Fatalf("read %s: %s", table, errContext(err))
	}
	for _, r := range rows {
		if (row == "" || r[0] == row) && col < len(r) {
			return r[col]
		}
	}
	t.Fatalf("%s has no row %q: %q", table, row, rows)
	return ""
}
