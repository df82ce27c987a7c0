package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"testing"
)

func decode(t *testing.T, c Chart, width int) image.Image {
	t.Helper()
	var b bytes.Buffer
	if err := c.PNG(&b, width); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dark(img image.Image, x, y int) bool {
	r, _, _, _ := img.At(x, y).RGBA()
	return r < 0x8000
}

// Ensure the PNG has the SVG's proportions and geometry: at 2 pixels per viewBox unit, each
// dark bar's run of dark pixels is as long as the SVG's bar.
func TestPNGDrawsTheSVGsBars(t *testing.T) {
	c := Chart{Kind: Bars, Title: "t", Labels: []string{"形式主义", "官僚主义", "享乐主义"},
		Series: []Series{{Name: "s", Values: []float64{40, 10, 25}, Fill: Dark}}}
	root, _ := parse(t, c)
	img := decode(t, c, 1280)
	vb := root.attr("viewBox")
	var vw, vh float64
	if _, err := fmtSscan(vb, &vw, &vh); err != nil {
		t.Fatal(err)
	}
	if got, want := img.Bounds().Dy(), int(math.Ceil(vh*2)); got != want {
		t.Errorf("height %d, want %d (viewBox %q)", got, want, vb)
	}
	for i, bar := range root.all(byClass("rect", "bar")) {
		x, y, w := bar.num(t, "x")*2, (bar.num(t, "y")+bar.num(t, "height")/2)*2, bar.num(t, "width")*2
		run := 0
		for px := int(x) + 2; px < img.Bounds().Dx() && dark(img, px, int(y)); px++ {
			run++
		}
		if math.Abs(float64(run)-(w-2)) > 3 {
			t.Errorf("bar %d: %d dark pixels, want about %v", i, run, w-2)
		}
		if dark(img, int(x+w)+6, int(y)) {
			t.Errorf("bar %d: dark beyond its end", i)
		}
	}
}

// Ensure the PNG is deterministic, refuses absurd widths, and draws every kind.
func TestPNG(t *testing.T) {
	for name, c := range samples() {
		t.Run(name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := c.PNG(&a, 800); err != nil {
				t.Fatal(err)
			}
			if err := c.PNG(&b, 800); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two PNGs differ (err %v)", err)
			}
			img, err := png.Decode(&a)
			if err != nil || img.Bounds().Dx() != 800 {
				t.Fatalf("decode: %v, bounds %v", err, img.Bounds())
			}
			inked := 0
			for y := 0; y < img.Bounds().Dy(); y++ {
				for x := 0; x < 800; x++ {
					if dark(img, x, y) {
						inked++
					}
				}
			}
			if inked < 500 {
				t.Errorf("only %d dark pixels", inked)
			}
			for _, w := range []int{0, 99, 4001} {
				if err := c.PNG(&b, w); !errors.Is(err, ErrPNGWidth) {
					t.Errorf("width %d: %v, want ErrPNGWidth", w, err)
				}
			}
		})
	}
}

// Ensure the figures font draws values and leaves words out.
func TestDrawable(t *testing.T) {
	for s, want := range map[string]bool{"12": true, "85.5%": true, "<5": true, "–": true, "": false, "5条": false, "ab": false} {
		if got := drawable(s); got != want {
			t.Errorf("drawable(%q) = %v, want %v", s, got, want)
		}
	}
}

// fmtSscan reads the width and height of a viewBox "0 0 W H".
func fmtSscan(vb string, w, h *float64) (int, error) {
	var x, y float64
	return fmt.Sscan(vb, &x, &y, w, h)
}
