// Package qrtest reads QR codes back for tests: PNGs, screenshots, and the SVGs qrimg draws into
// pages. It decodes with gozxing, a decoder written independently of the encoder qrimg uses,
// so a test that reads back what it expects has checked the code, not just the markup.
package qrtest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Decode returns the text of the one QR code in img, failing the test when there is none.
func Decode(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap of a %v image: %v", img.Bounds().Size(), err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("no QR code found in a %v image: %v", img.Bounds().Size(), err)
	}
	return res.GetText()
}

// DecodePNG returns the text of the one QR code in a PNG (a download or a screenshot).
func DecodePNG(t testing.TB, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return Decode(t, img)
}

var (
	// svgRe finds what qrimg.SVG draws: a crisp-edged <svg> holding one path of runs.
	svgRe     = regexp.MustCompile(`(?s)<svg [^>]*shape-rendering="crispEdges"[^>]*>.*?</svg>`)
	viewBoxRe = regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`)
	runRe     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)
)

// ReadSVG finds the one QR code qrimg drew into page (an HTML page or an SVG document), draws
// it as a browser would and returns its text.
func ReadSVG(t testing.TB, page string) string {
	t.Helper()
	svgs := svgRe.FindAllString(page, -1)
	if len(svgs) != 1 {
		t.Fatalf("found %d QR code SVGs, want one", len(svgs))
	}
	m := viewBoxRe.FindStringSubmatch(svgs[0])
	if m == nil {
		t.Fatalf("no viewBox in %.80s", svgs[0])
	}
	n, _ := strconv.Atoi(m[1])
	const scale = 4 // pixels a module
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range runRe.FindAllStringSubmatch(svgs[0], -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		for px := x * scale; px < (x+w)*scale; px++ {
			for py := y * scale; py < (y+1)*scale; py++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return Decode(t, img)
}
