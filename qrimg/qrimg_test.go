package qrimg

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decode reads the QR code in img with an independent decoder (gozxing).
func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap: %v", err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

var runRe = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)

// rasterise draws the SVG's runs at scale pixels per module, as a browser would.
func rasterise(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	m := regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.80s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range runRe.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		for px := x * scale; px < (x+w)*scale; px++ {
			for py := y * scale; py < (y+1)*scale; py++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return img
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"https://minsheng.example.gov.cn/q/K7M2QX",
		"http://127.0.0.1:8080/track",
		"https://ms.example.cn/survey/12?unit=county-hospital&dept=" + strings.Repeat("内科", 10),
	} {
		t.Run(text, func(t *testing.T) {
			data, err := PNG(text, 256)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("png.Decode: %v", err)
			}
			if got := decode(t, img); got != text {
				t.Errorf("PNG decodes to %q, want %q", got, text)
			}
			svg, err := SVG(text, "60mm", "扫码留言")
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			if got := decode(t, rasterise(t, svg, 4)); got != text {
				t.Errorf("SVG decodes to %q, want %q", got, text)
			}
		})
	}
}

func TestSVGEscapesAttributes(t *testing.T) {
	t.Parallel()
	svg, err := SVG("x", `1" onload="alert(1)`, `<script>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(svg, `" onload=`) || strings.Contains(svg, "<script>") {
		t.Errorf("attributes not escaped: %s", svg)
	}
}
