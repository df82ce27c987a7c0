package chart

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
)

// PNG writes the chart as a PNG image width pixels wide (100 to 4000), the height following
// the viewBox's proportions. It draws the same geometry as the SVG — bars with the same
// fills and outlines, grid, reference lines, trend lines and markers — and writes the values
// and axis ticks with a small built-in bitmap font of digits and signs, but no words: the
// standard library has no font for Chinese, and the portal fetches none. So labels and
// legend names are missing from the image, and whoever puts it in a document must put the
// chart's numbers (Table) right under it, as the reports' .docx does.
func (c Chart) PNG(w io.Writer, width int) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if width < minPNGWidth || width > maxPNGWidth {
		return ErrPNGWidth
	}
	img := c.raster(width)
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	return enc.Encode(w, img)
}

// raster draws the chart's shapes on a white paletted image (greys only: small files).
func (c Chart) raster(width int) *image.Paletted {
	ss, vh := c.layout()
	k := float64(width) / viewBoxWidth
	height := int(math.Ceil(vh * k))
	pal := make(color.Palette, 256)
	for i := range pal {
		pal[i] = color.Gray{Y: uint8(i)}
	}
	img := image.NewPaletted(image.Rect(0, 0, width, height), pal)
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	r := rasterizer{img: img, k: k}
	for _, s := range ss {
		switch s.op {
		case opRect:
			r.rect(s)
		case opLine:
			r.line(s.x, s.y, s.x2, s.y2, s.width, s.dash, s.grey)
		case opMarker:
			r.marker(s)
		case opText:
			r.text(s)
		}
	}
	return img
}

type rasterizer struct {
	img *image.Paletted
	k   float64 // pixels per viewBox unit
}

// each calls fn with the viewBox coordinates of the centre of every pixel in the box.
func (r rasterizer) each(x0, y0, x1, y1 float64, fn func(x, y float64) (uint8, bool)) {
	b := r.img.Bounds()
	px0, py0 := max(int(math.Floor(x0*r.k)), b.Min.X), max(int(math.Floor(y0*r.k)), b.Min.Y)
	px1, py1 := min(int(math.Ceil(x1*r.k)), b.Max.X), min(int(math.Ceil(y1*r.k)), b.Max.Y)
	for py := py0; py < py1; py++ {
		for px := px0; px < px1; px++ {
			x, y := (float64(px)+0.5)/r.k, (float64(py)+0.5)/r.k
			if g, ok := fn(x, y); ok {
				r.img.Pix[r.img.PixOffset(px, py)] = g
			}
		}
	}
}

// rect fills a bar with its fill and outlines it as the SVG does.
func (r rasterizer) rect(s shape) {
	if s.w <= 0 || s.h <= 0 {
		return
	}
	edge := math.Max(0.75, 1/r.k) // at least one pixel
	r.each(s.x-edge/2, s.y-edge/2, s.x+s.w+edge/2, s.y+s.h+edge/2, func(x, y float64) (uint8, bool) {
		if x < s.x+edge/2 || x > s.x+s.w-edge/2 || y < s.y+edge/2 || y > s.y+s.h-edge/2 {
			return 0x33, true
		}
		if p, ok := patterns[s.fill]; ok {
			n := float64(p.size)
			if p.ink(math.Mod(x, n), math.Mod(y, n)) {
				return 0x33, true
			}
			return 0xff, true
		}
		return greys[s.fill], true
	})
}

// line draws a segment of the given width, dashed 5-3 like the SVG when dash is set.
func (r rasterizer) line(x0, y0, x1, y1, width float64, dash bool, g uint8) {
	hw := math.Max(width, 1/r.k) / 2
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	r.each(math.Min(x0, x1)-hw, math.Min(y0, y1)-hw, math.Max(x0, x1)+hw, math.Max(y0, y1)+hw, func(x, y float64) (uint8, bool) {
		t := 0.0
		if l2 > 0 {
			t = math.Max(0, math.Min(1, ((x-x0)*dx+(y-y0)*dy)/l2))
		}
		ex, ey := x0+t*dx-x, y0+t*dy-y
		if ex*ex+ey*ey > hw*hw {
			return 0, false
		}
		if dash && math.Mod(t*math.Sqrt(l2), 8) >= 5 {
			return 0, false
		}
		return g, true
	})
}

// marker draws a trend point: circle, square, triangle or diamond, odd ones hollow.
func (r rasterizer) marker(s shape) {
	const rad, edge = 4.0, 1.5
	in := func(x, y, grow float64) bool {
		dx, dy := x-s.x, y-s.y
		rr := rad + grow
		switch s.mark % 4 {
		case 0:
			return dx*dx+dy*dy <= rr*rr
		case 1:
			return math.Abs(dx) <= rr && math.Abs(dy) <= rr
		case 2: // apex up, base at +r
			rr++
			return dy <= rad+grow && dy >= -rr && math.Abs(dx) <= (dy+rr)/2
		default:
			rr++
			return math.Abs(dx)+math.Abs(dy) <= rr
		}
	}
	hollow := s.mark%2 == 1
	r.each(s.x-rad-3, s.y-rad-3, s.x+rad+3, s.y+rad+3, func(x, y float64) (uint8, bool) {
		switch {
		case !in(x, y, edge/2):
			return 0, false
		case hollow && in(x, y, -edge/2):
			return 0xff, true
		default:
			return 0x33, true
		}
	})
}
