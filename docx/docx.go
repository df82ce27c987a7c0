// Package docx writes simple Word documents (.docx, WordprocessingML) that Microsoft Word,
// WPS Office and LibreOffice open: headings, paragraphs with bold runs, bordered tables,
// PNG images and page breaks, on A4 with the margins of Chinese official documents (GB/T
// 9704: 37 mm top, 35 mm bottom, 28 mm left, 26 mm right) and page numbers in the footer.
//
// No served Go library writes .docx under a licence and at a size that fit, and the reports
// need only this much of the format, so this is a small writer of it. It holds no words of its
// own: the caller passes every text. Text is XML-escaped and characters XML 1.0 cannot hold
// are dropped, so any string may be passed.
//
// Chinese text needs East Asian fonts named in the file: the body is set in BodyFont (SimSun,
// 宋体, by default) and headings in HeadingFont (SimHei, 黑体); Word and WPS map these
// English names to the installed fonts. Latin text uses LatinFont (Times New Roman).
//
// Output is deterministic: the same calls give the same bytes (no dates are written).
package docx

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"strings"
)

// Align is a paragraph's alignment.
type Align int

const (
	Justify Align = iota // body text: both edges, as Chinese documents are set
	Left
	Center
	Right
)

// Run is a piece of a paragraph's text.
type Run struct {
	Text string // "\n" breaks the line, "\t" is a tab
	Bold bool
}

// Para is a paragraph.
type Para struct {
	Runs     []Run
	Align    Align
	NoIndent bool // body paragraphs indent their first line by two characters unless set
}

// Document is a document being written. Build it with New, add blocks in order, then
// WriteTo. It is not safe for concurrent use.
type Document struct {
	Title       string // the file's title property (File → Properties); not printed
	Author      string // the file's author property
	BodyFont    string // East Asian font of body text and tables
	HeadingFont string // East Asian font of headings
	LatinFont   string // font of Latin letters and digits

	body      bytes.Buffer // the blocks of word/document.xml's body
	images    [][]byte     // word/media/image<i+1>.png
	lastTable bool         // the last block was a table (Word joins two adjacent tables)
}

// New returns an empty A4 document with the default fonts.
func New() *Document {
	return &Document{BodyFont: "SimSun", HeadingFont: "SimHei", LatinFont: "Times New Roman"}
}

// Heading adds a heading. Level 0 is the document's title (centred, large); levels 1 to 3
// are the outline levels (Word's Heading 1–3 styles, shown in the navigation pane). Other
// levels are clamped into 0..3.
func (d *Document) Heading(level int, text string) {
	level = min(max(level, 0), 3)
	style := "Title"
	if level > 0 {
		style = fmt.Sprintf("Heading%d", level)
	}
	d.para(style, Para{Runs: []Run{{Text: text}}, NoIndent: true, Align: alignOfStyle(level)})
}

func alignOfStyle(level int) Align {
	if level == 0 {
		return Center
	}
	return Left
}

// Paragraph adds a body paragraph of plain text, its first line indented two characters.
func (d *Document) Paragraph(text string) {
	d.Para(Para{Runs: []Run{{Text: text}}})
}

// Para adds a body paragraph made of runs (some bold), aligned and indented as p says.
func (d *Document) Para(p Para) { d.para("BodyText", p) }

// Caption adds a centred caption in a smaller size, for the title of a chart or a table.
func (d *Document) Caption(text string) {
	d.para("Caption", Para{Runs: []Run{{Text: text, Bold: true}}, NoIndent: true, Align: Center})
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	d.lastTable = false
}

// ErrNotPNG is returned by Image for data that is not a PNG image.
var ErrNotPNG = errors.New("docx: image is not a PNG")

// Image adds a PNG image in a centred paragraph of its own, widthCm wide (at most the text
// width, 15.6 cm), its height following the image's proportions.
func (d *Document) Image(data []byte, widthCm float64) error {
	return d.ImageWithAlt(data, widthCm, "")
}

// ImageWithAlt adds a PNG image as Image does, with alt as its alternative text (Word's
// "Alt Text", read by screen readers).
func (d *Document) ImageWithAlt(data []byte, widthCm float64, alt string) error {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return ErrNotPNG
	}
	if widthCm <= 0 || widthCm > textWidthCm {
		widthCm = textWidthCm
	}
	d.images = append(d.images, data)
	n := len(d.images)
	cx := int64(widthCm * emuPerCm)
	cy := cx * int64(cfg.Height) / int64(cfg.Width)
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:pStyle w:val="Figure"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Picture %d" descr="%s"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, n, esc(clean(alt)), n, n, n, cx, cy)
	d.lastTable = false
	return nil
}

// Page geometry in twips (1/1440 inch; 1 cm = 567 twips) and EMUs (1 cm = 360000).
const (
	pageW, pageH            = 11906, 16838 // A4
	marginTop, marginBottom = 2098, 1984   // 37 mm, 35 mm
	marginLeft, marginRight = 1587, 1474   // 28 mm, 26 mm
	textWidthTwips          = pageW - marginLeft - marginRight
	textWidthCm             = 15.6
	emuPerCm                = 360000
)

// para writes one paragraph in a style.
func (d *Document) para(style string, p Para) {
	b := &d.body
	fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="%s"/>`, style)
	if p.NoIndent && style == "BodyText" {
		b.WriteString(`<w:ind w:firstLineChars="0" w:firstLine="0"/>`)
	}
	if a := [...]string{"both", "left", "center", "right"}[p.Align]; p.Align != Justify || style != "BodyText" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, a)
	}
	b.WriteString(`</w:pPr>`)
	for _, r := range p.Runs {
		writeRun(b, r)
	}
	b.WriteString(`</w:p>`)
	d.lastTable = false
}

// writeRun writes a run, turning line breaks and tabs into Word's elements.
func writeRun(b *bytes.Buffer, r Run) {
	text := clean(r.Text)
	b.WriteString(`<w:r>`)
	if r.Bold {
		b.WriteString(`<w:rPr><w:b/><w:bCs/></w:rPr>`)
	}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if part != "" {
				fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, esc(part))
			}
		}
	}
	b.WriteString(`</w:r>`)
}
