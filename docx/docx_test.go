package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"path"
	"strconv"
	"strings"
	"testing"
)

// opened is a written .docx, unzipped.
type opened map[string][]byte

func write(t *testing.T, d *Document) opened {
	t.Helper()
	var b bytes.Buffer
	n, err := d.WriteTo(&b)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(b.Len()) {
		t.Errorf("WriteTo says %d bytes, wrote %d", n, b.Len())
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	o := opened{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		o[f.Name], err = io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// xmlPart parses a part strictly into a tree.
func (o opened) xmlPart(t *testing.T, name string) elem {
	t.Helper()
	data, ok := o[name]
	if !ok {
		t.Fatalf("no part %s", name)
	}
	var e elem
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	if err := d.Decode(&e); err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	return e
}

type elem struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []elem     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (e elem) attr(local string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (e elem) find(local string) []elem {
	var out []elem
	if e.XMLName.Local == local {
		out = append(out, e)
	}
	for _, c := range e.Children {
		out = append(out, c.find(local)...)
	}
	return out
}

// paragraphs returns the text of every w:p of the body in order, tables' cells included, with
// tabs and breaks as \t and \n.
func paragraphs(body elem) []string {
	var out []string
	var walk func(e elem)
	walk = func(e elem) {
		if e.XMLName.Local == "p" {
			var b strings.Builder
			for _, r := range e.find("r") {
				for _, c := range r.Children {
					switch c.XMLName.Local {
					case "t":
						b.WriteString(c.Text)
					case "tab":
						b.WriteString("\t")
					case "br":
						if c.attr("type") == "" {
							b.WriteString("\n")
						}
					}
				}
			}
			out = append(out, b.String())
			return
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(body)
	return out
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(1, 1, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Ensure a document reads back: every part the relationships name exists and has a content
// type, the XML parses, the text comes back in order (Chinese, escaping, bold runs, breaks,
// table cells), the image is there with its relationship and size, and the page is A4.
func TestDocumentReadsBack(t *testing.T) {
	pic := testPNG(t, 400, 100)
	d := New()
	d.Title = "报告 <&>"
	d.Heading(0, "某县卫生健康系统2026年12月征求意见情况报告")
	d.Heading(1, "一、基本情况")
	d.Paragraph("本月共收到意见建议120条，环比增长5.3%。")
	d.Para(Para{Runs: []Run{{Text: "重点：", Bold: true}, {Text: `a<b>&"c"` + "\x00\x1b\ufffe" + "'d\te\nf"}}})
	d.Caption("图1 近12个月意见建议数")
	if err := d.Image(pic, 15); err != nil {
		t.Fatal(err)
	}
	d.Table([][]string{{"渠道", "本期", "上期"}, {"网站", "12", "<5"}, {"信箱"}}, true)
	d.Table([][]string{{"x"}}, false)
	d.PageBreak()
	d.Heading(2, "（一）")
	o := write(t, d)

	// Content types: a Default for every extension or an Override for every part.
	ct := o.xmlPart(t, "[Content_Types].xml")
	defaults, overrides := map[string]string{}, map[string]string{}
	for _, e := range ct.find("Default") {
		defaults[e.attr("Extension")] = e.attr("ContentType")
	}
	for _, e := range ct.find("Override") {
		overrides[e.attr("PartName")] = e.attr("ContentType")
	}
	for name := range o {
		if name == "[Content_Types].xml" {
			continue
		}
		if overrides["/"+name] == "" && defaults[strings.TrimPrefix(path.Ext(name), ".")] == "" {
			t.Errorf("part %s has no content type", name)
		}
	}
	if got := overrides["/word/document.xml"]; got != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("document content type %q", got)
	}
	if defaults["png"] != "image/png" {
		t.Errorf("png content type %q", defaults["png"])
	}

	// Relationships: every target exists.
	rootRels := o.xmlPart(t, "_rels/.rels").find("Relationship")
	if len(rootRels) == 0 || rootRels[0].attr("Target") != "word/document.xml" || !strings.HasSuffix(rootRels[0].attr("Type"), "/officeDocument") {
		t.Fatalf("_rels/.rels: %+v", rootRels)
	}
	for _, r := range rootRels {
		if _, ok := o[r.attr("Target")]; !ok {
			t.Errorf("_rels/.rels names %s, which is missing", r.attr("Target"))
		}
	}
	docRels := map[string]string{}
	for _, r := range o.xmlPart(t, "word/_rels/document.xml.rels").find("Relationship") {
		docRels[r.attr("Id")] = r.attr("Target")
		if _, ok := o["word/"+r.attr("Target")]; !ok {
			t.Errorf("document.xml.rels names %s, which is missing", r.attr("Target"))
		}
	}

	doc := o.xmlPart(t, "word/document.xml")
	want := []string{
		"某县卫生健康系统2026年12月征求意见情况报告", "一、基本情况", "本月共收到意见建议120条，环比增长5.3%。",
		"重点：" + `a<b>&"c"'d` + "\te\nf", "图1 近12个月意见建议数", "",
		"渠道", "本期", "上期", "网站", "12", "<5", "信箱", "", "",
		"", "x", "", "（一）",
	}
	if got := paragraphs(doc); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n got %q\nwant %q", got, want)
	}
	if b := doc.find("b"); len(b) != 1+1+3 { // the bold run, the caption, the three header cells
		t.Errorf("%d bold runs, want 5", len(b))
	}
	if got := len(doc.find("tblHeader")); got != 1 {
		t.Errorf("%d repeated header rows, want 1", got)
	}

	// The image: its relationship, its bytes, its size in EMUs.
	blips := doc.find("blip")
	if len(blips) != 1 {
		t.Fatalf("%d images, want 1", len(blips))
	}
	target := docRels[blips[0].attr("embed")]
	if !bytes.Equal(o["word/"+target], pic) {
		t.Errorf("the image r:embed=%q → %q does not hold the PNG", blips[0].attr("embed"), target)
	}
	ext := doc.find("extent")[0]
	if ext.attr("cx") != strconv.Itoa(15*360000) || ext.attr("cy") != strconv.Itoa(15*360000/4) {
		t.Errorf("extent %s × %s, want 15 cm wide and a quarter of that tall", ext.attr("cx"), ext.attr("cy"))
	}

	// A4 and the fonts for Chinese.
	pg := doc.find("pgSz")
	if len(pg) != 1 || pg[0].attr("w") != "11906" || pg[0].attr("h") != "16838" {
		t.Errorf("page size %+v, want A4", pg)
	}
	styles := string(o["word/styles.xml"])
	o.xmlPart(t, "word/styles.xml")
	for _, f := range []string{`w:eastAsia="SimSun"`, `w:eastAsia="SimHei"`, `w:styleId="Heading1"`, `w:eastAsia="zh-CN"`} {
		if !strings.Contains(styles, f) {
			t.Errorf("styles.xml lacks %s", f)
		}
	}
	if got := o.xmlPart(t, "docProps/core.xml").find("title"); len(got) != 1 || got[0].Text != "报告 <&>" {
		t.Errorf("core title %+v", got)
	}
	o.xmlPart(t, "word/footer1.xml")
	o.xmlPart(t, "word/settings.xml")
}

// Ensure the same document gives the same bytes, and a document can be added to and written again.
func TestWriteIsDeterministic(t *testing.T) {
	build := func() *Document {
		d := New()
		d.Heading(1, "标题")
		d.Table([][]string{{"a", "1"}}, false)
		if err := d.Image(testPNG(t, 10, 10), 5); err != nil {
			t.Fatal(err)
		}
		return d
	}
	var a, b bytes.Buffer
	d := build()
	if _, err := d.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if _, err := build().WriteTo(&b); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes differ (err %v)", err)
	}
	d.Paragraph("后记")
	if got := paragraphs(write(t, d).xmlPart(t, "word/document.xml")); got[len(got)-1] != "后记" {
		t.Errorf("after adding: %q", got)
	}
}

func TestImageRefusesWhatIsNotPNG(t *testing.T) {
	d := New()
	for name, data := range map[string][]byte{"empty": nil, "jpeg magic": {0xff, 0xd8, 0xff}, "text": []byte("<svg/>")} {
		if err := d.Image(data, 10); !errors.Is(err, ErrNotPNG) {
			t.Errorf("%s: %v, want ErrNotPNG", name, err)
		}
	}
	if len(d.images) != 0 || d.body.Len() != 0 {
		t.Errorf("a refused image left something behind")
	}
	// Too wide an image is set at the text width.
	if err := d.Image(testPNG(t, 20, 10), 40); err != nil {
		t.Fatal(err)
	}
	if got := write(t, d).xmlPart(t, "word/document.xml").find("extent")[0].attr("cx"); got != strconv.Itoa(int(textWidthCm*emuPerCm)) {
		t.Errorf("cx %s, want the text width", got)
	}
}

func TestFigureCells(t *testing.T) {
	for s, want := range map[string]bool{"12": true, "1,234": true, "85.5%": true, "<5": true, "–": true, "-3": true,
		"": false, "网站": false, "12条": false, "2026-12": true} {
		if got := figure(s); got != want {
			t.Errorf("figure(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"ok 中文": "ok 中文", "a\x00b\x1fc": "abc", "x\ufffey\uffff": "xy", "bad\xffutf8": "badutf8", "tab\tnl\n": "tab\tnl\n"} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ensure columns share the text width exactly, a column of long names wider than one of figures.
func TestColumnWidths(t *testing.T) {
	rows := [][]string{{"单位", "件数", "占比"}, {"县人民医院（县医疗集团总医院）", "12", "5.3%"}}
	ws := columnWidths(rows, 3)
	sum := 0
	for _, w := range ws {
		sum += w
	}
	if sum != textWidthTwips || ws[0] <= ws[1] || ws[1] != ws[2] {
		t.Errorf("widths %v (sum %d), want the first widest and the total %d", ws, sum, textWidthTwips)
	}
}

// Ensure an image's alternative text is written, escaped.
func TestImageAltText(t *testing.T) {
	d := New()
	if err := d.ImageWithAlt(testPNG(t, 10, 10), 5, `图1 "近12个月"<&>`); err != nil {
		t.Fatal(err)
	}
	pr := write(t, d).xmlPart(t, "word/document.xml").find("docPr")
	if len(pr) != 1 || pr[0].attr("descr") != `图1 "近12个月"<&>` {
		t.Errorf("docPr %+v", pr)
	}
}
