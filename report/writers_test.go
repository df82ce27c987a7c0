package report

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/locale"
)

func decemberReport() (*Report, *locale.Printer) {
	c, q := december()
	zh := locale.Get(locale.ZhCN)
	r := build(c, q, Summary, zh, testUnits, testTags)
	r.Cases = []Case{{OpinionID: "ABCD1234", Summary: "门诊挂号窗口少，已增设自助机"}}
	r.Number, r.IssuedOn, r.IssuedBy, r.SHA256 = "2026-007", "2027-01-05", "office", strings.Repeat("ab", 32)
	return r, zh
}

// TestWriteDOCX reads the .docx back as the zip it is: the narrative, the sections' tables and
// one PNG per chart are there, and Word's required parts are present.
func TestWriteDOCX(t *testing.T) {
	r, zh := decemberReport()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r, zh); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	images := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
		if strings.HasPrefix(f.Name, "word/media/") && bytes.HasPrefix(b, []byte("\x89PNG")) {
			images++
		}
	}
	for _, part := range []string{"[Content_Types].xml", "word/document.xml", "_rels/.rels"} {
		if _, ok := files[part]; !ok {
			t.Errorf("no %s", part)
		}
	}
	doc := files["word/document.xml"]
	for _, want := range []string{r.Title, "一、基本情况", "本月共收到意见建议120条", "四、改进措施", "编号：2026-007",
		"SHA-256：" + r.SHA256, "附：统计图表", "各单位满意度", "门诊挂号窗口少，已增设自助机", "近12个月意见建议数量",
		"与群众的沟通（按消息日期统计）", "各单位与群众的沟通（本期）", "本期向群众提问6次"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if images != 4 {
		t.Errorf("%d PNG images, want 4 (trend, styles, units, rectification)", images)
	}
}

// TestWriteXLSX opens the workbook with excelize: a sheet per table, counts as numbers.
func TestWriteXLSX(t *testing.T) {
	r, zh := decemberReport()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r, zh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables := 0
	for _, s := range r.Sections(zh) {
		tables += len(s.Tables) + len(s.Charts)
	}
	sheets := f.GetSheetList()
	if len(sheets) != tables+1 || sheets[0] != "报告" {
		t.Fatalf("sheets %q: want 报告 and %d tables", sheets, tables)
	}
	title, err := f.GetCellValue("报告", "B2")
	if err != nil || title != r.Title {
		t.Errorf("B2 = %q, %v; want the title", title, err)
	}
	// The trend chart's data: months and their counts, as numbers.
	typ, err := f.GetCellType("近12个月意见建议数量", "B3")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue("近12个月意见建议数量", "B3")
	if v != "120" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("trend B3 = %q of type %v, want the number 120", v, typ)
	}
	// The conversation's figures, by unit, as numbers on their own sheet.
	v, _ = f.GetCellValue("各单位与群众的沟通（本期）", "B2")
	if typ, _ := f.GetCellType("各单位与群众的沟通（本期）", "B2"); v != "5" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("conversation by unit B2 = %q of type %v, want the number 5", v, typ)
	}
	for _, name := range sheets {
		if len([]rune(name)) > 31 {
			t.Errorf("sheet name %q is too long for Excel", name)
		}
	}
}

// TestWriteHTML: one page, charts inline as SVG with their tables, no script, every part.
func TestWriteHTML(t *testing.T) {
	r, zh := decemberReport()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, zh); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`<html lang="zh-CN"`, "<title>" + r.Title, "二、存在的主要问题", `role="img"`,
		"<caption>近12个月意见建议数量</caption>", "<caption>各单位满意度</caption>", "编号：2026-007",
		"<caption>与群众的沟通（按消息日期统计）</caption>", "<caption>各单位与群众的沟通（本期）</caption>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	if strings.Contains(page, "<script") {
		t.Error("the page carries a script")
	}
}
