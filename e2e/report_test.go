package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"

	"minsheng/lifecycle"
	"minsheng/locale"
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

// fetchBytes downloads path with the tab's session, as a click on the link would.
func fetchBytes(t *testing.T, tab context.Context, path string) []byte {
	t.Helper()
	js := fmt.Sprintf(`fetch(%q, {credentials: "same-origin"}).then(r => {
  if (!r.ok) throw new Error("HTTP " + r.status);
  return r.arrayBuffer();
}).then(b => {
  const u = new Uint8Array(b); let s = "";
  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
  return btoa(s);
})`, path)
	enc, err := run(tab, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download %s: %s", path, errContext(err))
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		t.Fatalf("download %s: %v", path, err)
	}
	return b
}

// exported is what the month's XLSX export holds: its rows, in all and by unit.
type exported struct {
	total  int
	byUnit map[string]int
}

// exportCounts downloads the month's XLSX export as the reviewer and counts its rows.
func exportCounts(t *testing.T, tab context.Context, h *harness, month string) exported {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(fetchBytes(t, tab, "/admin/export?format=xlsx&month="+month)))
	if err != nil {
		t.Fatalf("open the export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) == 0 {
		t.Fatalf("the export's first sheet: %d rows, %v", len(rows), err)
	}
	unitCol := -1
	for i, head := range rows[0] {
		if head == locale.Get(locale.Default).T("column.unit") {
			unitCol = i
		}
	}
	if unitCol < 0 {
		t.Fatalf("the export has no unit column: %q", rows[0])
	}
	out := exported{byUnit: map[string]int{}}
	for _, r := range rows[1:] {
		out.total++
		if unitCol < len(r) {
			out.byUnit[r[unitCol]]++
		}
	}
	return out
}

// gongshiCell is what the public board shows for unit in the current month (its last column).
func gongshiCell(t *testing.T, browser context.Context, h *harness, unit string) string {
	t.Helper()
	public := newTab(t, browser, h, true)
	wantStatus(t, "GET /gongshi", navigate(t, public, h.URL+"/gongshi"), 200)
	rows, err := run(public, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll("#unit-month tbody tr")].map(tr => [...tr.children].map(c => c.textContent.trim()))`))
	if err != nil {
		t.Fatalf("read /gongshi: %s", errContext(err))
	}
	for _, r := range rows {
		if len(r) > 1 && r[0] == unit {
			return r[len(r)-1]
		}
	}
	t.Fatalf("/gongshi has no row for %s: %q", unit, rows)
	return ""
}

// checkPrinted opens the PDF: A4 pages, a plausible number of them, the title in the document's
// title (the page's <title>), and the number, the narrative and the SHA-256 in the text.
//
// The title is read from the PDF's Info dictionary rather than its text: Chromium draws bold
// Chinese without a bold font as Type 3 glyphs, which the PDF reader cannot map back to text.
func checkPrinted(t *testing.T, b []byte, title string, wants ...string) {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open the PDF: %v", err)
	}
	n := r.NumPage()
	t.Logf("the printed report has %d pages (%d bytes)", n, len(b))
	if n < 2 || n > 40 {
		t.Errorf("the PDF has %d pages: want the text and the annex of figures, at least 2 and no more than 40", n)
	}
	box := r.Page(1).V.Key("MediaBox") // Chromium writes it on every page
	if w, hgt := box.Index(2).Float64(), box.Index(3).Float64(); math.Abs(w-595.3) > 3 || math.Abs(hgt-841.9) > 3 {
		t.Errorf("page 1 is %.1f × %.1f pt, want A4 (595.3 × 841.9)", w, hgt)
	}
	if got := r.Trailer().Key("Info").Key("Title").Text(); !strings.Contains(got, title) {
		t.Errorf("the PDF's title is %q, want it to hold %q", got, title)
	}
	plain, err := r.GetPlainText()
	if err != nil {
		t.Fatalf("read the PDF's text: %v", err)
	}
	raw, err := io.ReadAll(plain)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(raw)), "") // the reader breaks lines between runs of text
	for _, want := range wants {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("the PDF's text does not hold %q", want)
		}
	}
}

// docxText is the text of a .docx's body, read back with archive/zip and encoding/xml: every
// w:t run in order, paragraphs on lines of their own.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the .docx is not a zip: %v", err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatalf("the .docx has no word/document.xml: %v", err)
	}
	defer f.Close()
	var out strings.Builder
	d := xml.NewDecoder(f)
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("word/document.xml: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			inText = v.Name.Local == "t"
		case xml.EndElement:
			if v.Name.Local == "p" {
				out.WriteByte('\n')
			}
			inText = false
		case xml.CharData:
			if inText {
				out.Write(v)
			}
		}
	}
	return out.String()
}

// keepFile keeps a file the test made for people to look at, in $MINSHENG_SCREENSHOTS (or a
// temporary folder), as keepScreenshot does for pictures.
func keepFile(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := os.Getenv("MINSHENG_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("kept %s (%d bytes)", path, len(b))
}
