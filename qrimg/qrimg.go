// Package qrimg draws QR codes for posters, kiosks and survey links: as SVG to place in a page
// or a printable poster (sharp at any size), and as PNG to download. It wraps go-qrcode, which
// does the encoding; only the drawing of the SVG is ours.
package qrimg

import (
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// level is the error correction used everywhere: Medium (15 %) survives a creased or
// slightly dirty poster while keeping the code coarse enough to scan from a distance.
const level = qrcode.Medium

// PNG returns a square PNG of about size pixels holding text, with the standard quiet zone.
func PNG(text string, size int) ([]byte, error) {
	return qrcode.Encode(text, level, size)
}

// SVG returns an <svg> element drawing text as a QR code, one unit per module, quiet zone
// included, scaled by the page to width (any CSS length, e.g. "60mm"). label is read out by
// screen readers. The markup holds only the path and numbers, so it is safe to embed.
func SVG(text, width, label string) (string, error) {
	q, err := qrcode.New(text, level)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // includes the quiet zone
	n := len(bits)
	var path strings.Builder
	for y, row := range bits {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			// One horizontal run per rectangle keeps the path short.
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%s" height="%s" role="img" aria-label="%s" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, escape(width), escape(width), escape(label), n, n, path.String()), nil
}

// escape makes s safe inside a double-quoted XML attribute.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
