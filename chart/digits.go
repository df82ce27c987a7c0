package chart

import "math"

// The PNG has no font, but the figures matter most: a tiny built-in bitmap font of digits
// and the signs values are written with lets the PNG write values and axis ticks as the
// SVG does. Words (labels, legend names) are not drawn; the table under the image holds them.

// glyphs are 5×7 bitmaps, one string per row, '#' inked.
var glyphs = map[rune][7]string{
	'0': {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "},
	'1': {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "},
	'2': {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"},
	'3': {"#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "},
	'4': {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "},
	'5': {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "},
	'6': {"  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "},
	'7': {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "},
	'8': {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "},
	'9': {" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "},
	'.': {"     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "},
	',': {"     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "},
	'%': {"##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"},
	'-': {"     ", "     ", "     ", "#####", "     ", "     ", "     "},
	'–': {"     ", "     ", "     ", "#####", "     ", "     ", "     "},
	'+': {"     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "},
	'<': {"   # ", "  #  ", " #   ", "#    ", " #   ", "  #  ", "   # "},
	'>': {" #   ", "  #  ", "   # ", "    #", "   # ", "  #  ", " #   "},
	' ': {"     ", "     ", "     ", "     ", "     ", "     ", "     "},
}

// drawable reports whether every character of s has a glyph.
func drawable(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if _, ok := glyphs[r]; !ok {
			return false
		}
	}
	return true
}

// text draws a figure at the shape's place: glyphs 0.7 em tall standing on the baseline,
// anchored as in the SVG. Text with anything but figures is left out.
func (r rasterizer) text(s shape) {
	if !drawable(s.text) {
		return
	}
	cell := math.Max(s.size*0.7/7, 1/r.k) // one glyph pixel, in viewBox units: at least a pixel
	runes := []rune(s.text)
	n := float64(len(runes))
	w := (n*6 - 1) * cell
	x := s.x
	switch s.anchor {
	case middle:
		x -= w / 2
	case end:
		x -= w
	}
	top := s.y - 7*cell
	ink := uint8(0)
	if s.onDark {
		ink = 0xff
	}
	if s.halo {
		r.each(x-2*cell, top-2*cell, x+w+2*cell, s.y+2*cell, func(float64, float64) (uint8, bool) { return 0xff, true })
	}
	r.each(x, top, x+w, s.y, func(px, py float64) (uint8, bool) {
		col, row := int((px-x)/cell), int((py-top)/cell)
		i := col / 6
		if i >= int(n) || col%6 == 5 || row < 0 || row > 6 {
			return 0, false
		}
		g := glyphs[runes[i]]
		return ink, g[row][col%6] == '#'
	})
}
