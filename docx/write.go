package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The namespaces of the parts.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	relT  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	xmlHd = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// WriteTo writes the document as a .docx (a zip of XML parts) to w. The document may be
// written again, or added to and written again.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	cw := &counter{w: w}
	z := zip.NewWriter(cw)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", d.contentTypes()},
		{"_rels/.rels", rels([][3]string{
			{"rId1", relT + "officeDocument", "word/document.xml"},
			{"rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"},
			{"rId3", relT + "extended-properties", "docProps/app.xml"},
		})},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", xmlHd + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>minsheng</Application></Properties>`},
		{"word/_rels/document.xml.rels", d.documentRels()},
		{"word/document.xml", d.document()},
		{"word/styles.xml", d.styles()},
		{"word/settings.xml", xmlHd + `<w:settings xmlns:w="` + nsW + `"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`},
		{"word/footer1.xml", footer},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return cw.n, err
		}
	}
	for i, img := range d.images {
		// PNG is compressed already: store it.
		f, err := z.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store})
		if err != nil {
			return cw.n, err
		}
		if _, err := f.Write(img); err != nil {
			return cw.n, err
		}
	}
	err := z.Close()
	return cw.n, err
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (d *Document) contentTypes() string {
	var b strings.Builder
	b.WriteString(xmlHd + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	b.WriteString(`<Default Extension="png" ContentType="image/png"/>`)
	for _, o := range [][2]string{
		{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
		{"/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"},
		{"/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"},
		{"/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"},
		{"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
		{"/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
	} {
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s"/>`, o[0], o[1])
	}
	b.WriteString(`</Types>`)
	return b.String()
}

// rels writes a relationships part of (id, type, target) triples.
func rels(rs [][3]string) string {
	var b strings.Builder
	b.WriteString(xmlHd + `<Relationships xmlns="` + nsRel + `">`)
	for _, r := range rs {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s" Target="%s"/>`, r[0], r[1], r[2])
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func (d *Document) documentRels() string {
	rs := [][3]string{
		{"rIdStyles", relT + "styles", "styles.xml"},
		{"rIdSettings", relT + "settings", "settings.xml"},
		{"rIdFooter", relT + "footer", "footer1.xml"},
	}
	for i := range d.images {
		rs = append(rs, [3]string{fmt.Sprintf("rIdImage%d", i+1), relT + "image", fmt.Sprintf("media/image%d.png", i+1)})
	}
	return rels(rs)
}

func (d *Document) core() string {
	return xmlHd + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title>` + esc(clean(d.Title)) + `</dc:title><dc:creator>` + esc(clean(d.Author)) + `</dc:creator></cp:coreProperties>`
}

func (d *Document) document() string {
	var b strings.Builder
	b.WriteString(xmlHd + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"` +
		` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"` +
		` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"` +
		` xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	b.Write(d.body.Bytes())
	if d.lastTable {
		b.WriteString(`<w:p/>`) // Word wants a paragraph between a table and the section's end
	}
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="%d" w:h="%d"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/>`+
		`<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr></w:body></w:document>`,
		pageW, pageH, marginTop, marginRight, marginBottom, marginLeft)
	return b.String()
}

// footer centres the page number.
const footer = xmlHd + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>`

// styles defines the fonts and the paragraph styles the blocks use. Sizes are in half
// points: 32 三号 (16 pt), 28 四号, 24 小四 (12 pt), 21 五号 (10.5 pt), 44 二号.
func (d *Document) styles() string {
	fonts := func(eastAsia string) string {
		return fmt.Sprintf(`<w:rFonts w:ascii="%s" w:hAnsi="%s" w:cs="%s" w:eastAsia="%s"/>`,
			esc(clean(d.LatinFont)), esc(clean(d.LatinFont)), esc(clean(d.LatinFont)), esc(clean(eastAsia)))
	}
	body, head := fonts(d.BodyFont), fonts(d.HeadingFont)
	var b strings.Builder
	b.WriteString(xmlHd + `<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` + body + `<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	style := func(id, name, ppr, rpr string, outline int) {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/>`, id, name)
		if id != "Normal" {
			b.WriteString(`<w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>`)
		} else {
			b.WriteString(`<w:qFormat/>`)
		}
		b.WriteString(`<w:pPr>` + ppr)
		if outline >= 0 {
			fmt.Fprintf(&b, `<w:keepNext/><w:outlineLvl w:val="%d"/>`, outline)
		}
		b.WriteString(`</w:pPr><w:rPr>` + rpr + `</w:rPr></w:style>`)
	}
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="both"/></w:pPr><w:rPr/></w:style>`)
	style("Title", "Title", `<w:spacing w:before="240" w:after="360"/><w:jc w:val="center"/>`, head+`<w:sz w:val="44"/><w:szCs w:val="44"/>`, -1)
	style("Heading1", "heading 1", `<w:spacing w:before="240" w:after="120"/>`, head+`<w:sz w:val="32"/><w:szCs w:val="32"/>`, 0)
	style("Heading2", "heading 2", `<w:spacing w:before="180" w:after="60"/>`, head+`<w:sz w:val="28"/><w:szCs w:val="28"/>`, 1)
	style("Heading3", "heading 3", `<w:spacing w:before="120" w:after="60"/>`, head+`<w:b/><w:sz w:val="24"/><w:szCs w:val="24"/>`, 2)
	style("BodyText", "Body Text", `<w:ind w:firstLineChars="200" w:firstLine="480"/><w:jc w:val="both"/>`, ``, -1)
	style("Caption", "caption", `<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/>`, head+`<w:sz w:val="21"/><w:szCs w:val="21"/>`, -1)
	style("Figure", "Figure", `<w:keepNext/><w:spacing w:before="60" w:after="60" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>`, ``, -1)
	style("TableText", "Table Text", `<w:spacing w:line="276" w:lineRule="auto"/>`, `<w:sz w:val="21"/><w:szCs w:val="21"/>`, -1)
	b.WriteString(`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr></w:style></w:styles>`)
	return b.String()
}

// clean drops what XML 1.0 cannot hold: invalid UTF-8, control characters other than tab,
// newline and carriage return, surrogates, U+FFFE and U+FFFF.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				continue
			}
		}
		if xmlChar(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// esc escapes &, <, >, " and ' (for text and attributes alike).
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace
