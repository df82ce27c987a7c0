package qrimg_test

import (
	"strings"
	"testing"

	"minsheng/qrimg"
	"minsheng/qrimg/qrtest"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"https://minsheng.example.gov.cn/q/K7M2QX",
		"http://127.0.0.1:8080/track",
		"https://ms.example.cn/survey/12?unit=county-hospital&dept=" + strings.Repeat("内科", 10),
	} {
		t.Run(text, func(t *testing.T) {
			data, err := qrimg.PNG(text, 256)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			if got := qrtest.DecodePNG(t, data); got != text {
				t.Errorf("PNG decodes to %q, want %q", got, text)
			}
			svg, err := qrimg.SVG(text, "60mm", "扫码留言")
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			if got := qrtest.ReadSVG(t, "<p>"+svg+"</p>"); got != text {
				t.Errorf("SVG decodes to %q, want %q", got, text)
			}
		})
	}
}

func TestSVGEscapesAttributes(t *testing.T) {
	t.Parallel()
	svg, err := qrimg.SVG("x", `1" onload="alert(1)`, `<script>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(svg, `" onload=`) || strings.Contains(svg, "<script>") {
		t.Errorf("attributes not escaped: %s", svg)
	}
}
