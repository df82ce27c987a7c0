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

	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"

	"minsheng/locale"
)

// The report test's readers of what the portal hands out: downloads through the tab's session,
// the XLSX export, the public board, the printed PDF and the .docx.

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
