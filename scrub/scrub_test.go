package scrub

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// secrets are planted in the metadata of the test files; none may be found in a cleaned file.
var secrets = []string{"Exif", "GPS-SECRET-CAMERA", "xmpmeta", "XMP-SECRET", "ICC_PROFILE", "COMMENT-SECRET",
	"tEXt", "iTXt", "eXIf", "TEXT-SECRET", "ITXT-SECRET", "http://ns.adobe.com/xap/1.0/"}

// picture is a w×h white picture whose top-left 8×8 block is red.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{255, 255, 255, 255}
			if x < 8 && y < 8 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// exifAPP1 builds, by hand, a big-endian EXIF APP1 segment: IFD0 with Make, Orientation and a
// GPS IFD pointer; the GPS IFD with GPSLatitudeRef "N" and GPSLatitude 31°49'12".
func exifAPP1(orientation uint16) []byte {
	be := binary.BigEndian
	var t []byte
	t = append(t, "MM\x00\x2a\x00\x00\x00\x08"...)
	entry := func(tag, typ uint16, count, value uint32) {
		t = be.AppendUint16(t, tag)
		t = be.AppendUint16(t, typ)
		t = be.AppendUint32(t, count)
		t = be.AppendUint32(t, value)
	}
	const ifd0 = 8
	const ifd0Len = 2 + 3*12 + 4
	const gpsIFD = ifd0 + ifd0Len
	const gpsLen = 2 + 2*12 + 4
	const makeAt = gpsIFD + gpsLen
	make := "GPS-SECRET-CAMERA\x00"
	latAt := makeAt + uint32(len(make))
	t = be.AppendUint16(t, 3)
	entry(0x010F, 2, uint32(len(make)), makeAt) // Make, ASCII
	t = be.AppendUint16(t, 0x0112)              // Orientation, SHORT, left-justified
	t = be.AppendUint16(t, 3)
	t = be.AppendUint32(t, 1)
	t = be.AppendUint16(t, orientation)
	t = be.AppendUint16(t, 0)
	entry(0x8825, 4, 1, gpsIFD) // GPSInfo pointer
	t = be.AppendUint32(t, 0)   // no next IFD
	t = be.AppendUint16(t, 2)
	entry(0x0001, 2, 2, 0x4E000000) // GPSLatitudeRef "N"
	entry(0x0002, 5, 3, latAt)      // GPSLatitude, 3 RATIONALs
	t = be.AppendUint32(t, 0)
	t = append(t, make...)
	for _, v := range []uint32{31, 1, 49, 1, 12, 1} {
		t = be.AppendUint32(t, v)
	}
	return segment(0xE1, append([]byte("Exif\x00\x00"), t...))
}

func segment(marker byte, body []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(body)+2))
	return append(s, body...)
}

// plantedJPEG is a w×h JPEG with EXIF (GPS, camera, orientation), XMP, an ICC profile and a
// comment inserted after its SOI.
func plantedJPEG(t *testing.T, w, h int, orientation uint16) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	plain := b.Bytes()
	var out []byte
	out = append(out, plain[:2]...)
	out = append(out, exifAPP1(orientation)...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>XMP-SECRET</x:xmpmeta>"))...)
	out = append(out, segment(0xE2, []byte("ICC_PROFILE\x00\x01\x01fake-profile"))...)
	out = append(out, segment(0xFE, []byte("COMMENT-SECRET"))...)
	out = append(out, plain[2:]...)
	return out
}

func chunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// plantedPNG is a w×h PNG with tEXt, iTXt and eXIf chunks inserted after its IHDR.
func plantedPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, picture(w, h)); err != nil {
		t.Fatal(err)
	}
	plain := b.Bytes()
	const afterIHDR = 8 + 25
	var out []byte
	out = append(out, plain[:afterIHDR]...)
	out = append(out, chunk("tEXt", []byte("Author\x00TEXT-SECRET"))...)
	out = append(out, chunk("iTXt", []byte("Comment\x00\x00\x00\x00\x00ITXT-SECRET"))...)
	out = append(out, chunk("eXIf", exifAPP1(1)[4+6:])...)
	out = append(out, plain[afterIHDR:]...)
	return out
}

func TestPlantedFilesAreReallyPlanted(t *testing.T) {
	// The test files must decode as they are and carry what the cleaning must remove.
	j := plantedJPEG(t, 32, 16, 1)
	if _, err := jpeg.Decode(bytes.NewReader(j)); err != nil {
		t.Fatalf("planted JPEG does not decode: %v", err)
	}
	if got := exifOrientation(plantedJPEG(t, 32, 16, 6)); got != 6 {
		t.Fatalf("orientation of the planted EXIF = %d, want 6", got)
	}
	p := plantedPNG(t, 32, 16)
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Fatalf("planted PNG does not decode: %v", err)
	}
	for _, s := range []string{"GPS-SECRET-CAMERA", "XMP-SECRET", "COMMENT-SECRET"} {
		if !bytes.Contains(j, []byte(s)) {
			t.Errorf("planted JPEG lacks %q", s)
		}
	}
	for _, s := range []string{"TEXT-SECRET", "ITXT-SECRET", "eXIf"} {
		if !bytes.Contains(p, []byte(s)) {
			t.Errorf("planted PNG lacks %q", s)
		}
	}
}

func TestCleanRemovesMetadata(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		kind   string
		decode func([]byte) (image.Image, error)
	}{
		{"jpeg with GPS EXIF, XMP, ICC and comment", plantedJPEG(t, 32, 16, 1), KindJPEG,
			func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }},
		{"png with tEXt, iTXt and eXIf", plantedPNG(t, 32, 16), KindPNG,
			func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clean, kind, err := Clean(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if kind != c.kind {
				t.Errorf("kind = %q, want %q", kind, c.kind)
			}
			for _, s := range secrets {
				if bytes.Contains(clean, []byte(s)) {
					t.Errorf("cleaned file still holds %q", s)
				}
			}
			if c.kind == KindJPEG {
				for _, m := range markersBeforeScan(t, clean) {
					if m >= 0xE1 && m <= 0xEF || m == 0xFE {
						t.Errorf("cleaned JPEG has an APP or COM segment %X", m)
					}
				}
			}
			img, err := c.decode(clean)
			if err != nil {
				t.Fatalf("cleaned file does not decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 16 {
				t.Errorf("size = %dx%d, want 32x16", b.Dx(), b.Dy())
			}
			if r, g, _, _ := img.At(2, 2).RGBA(); r < 0xC000 || g > 0x4000 {
				t.Errorf("the red corner is no longer red: r=%x g=%x", r, g)
			}
			if Sniff(clean) != c.kind {
				t.Errorf("cleaned file sniffs as %q", Sniff(clean))
			}
		})
	}
}

func TestCleanHonoursOrientation(t *testing.T) {
	// A 32×16 picture, red block top-left. Want (size, a point that must be red, one white).
	cases := []struct {
		o          uint16
		w, h       int
		red, white image.Point
	}{
		{1, 32, 16, image.Pt(4, 4), image.Pt(28, 4)},
		{3, 32, 16, image.Pt(28, 12), image.Pt(4, 4)},
		{6, 16, 32, image.Pt(12, 4), image.Pt(4, 4)},
		{8, 16, 32, image.Pt(4, 28), image.Pt(4, 4)},
		{2, 32, 16, image.Pt(28, 4), image.Pt(4, 4)},
	}
	for _, c := range cases {
		clean, _, err := Clean(plantedJPEG(t, 32, 16, c.o))
		if err != nil {
			t.Fatalf("orientation %d: %v", c.o, err)
		}
		img, err := jpeg.Decode(bytes.NewReader(clean))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("orientation %d: size %dx%d, want %dx%d", c.o, b.Dx(), b.Dy(), c.w, c.h)
			continue
		}
		if _, g, _, _ := img.At(c.red.X, c.red.Y).RGBA(); g > 0x4000 {
			t.Errorf("orientation %d: %v is not red", c.o, c.red)
		}
		if _, g, _, _ := img.At(c.white.X, c.white.Y).RGBA(); g < 0xC000 {
			t.Errorf("orientation %d: %v is not white", c.o, c.white)
		}
	}
}

// bombPNG is a PNG whose header claims w×h pixels (and has no pixel data).
func bombPNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

// bombJPEG is a small JPEG whose frame header is patched to claim 60000×60000 pixels.
func bombJPEG(t *testing.T) []byte {
	j := plantedJPEG(t, 16, 16, 1)
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(j[i+5:], 60000)
	binary.BigEndian.PutUint16(j[i+7:], 60000)
	return j
}

const minimalPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
	"3 0 obj << /Author (PDF-AUTHOR-SECRET) /Creator (PDF-CREATOR-SECRET) /Producer (PDF-PRODUCER-SECRET) >> endobj\n" +
	"4 0 obj << /Type /Metadata /Subtype /XML /Length 40 >> stream\n<x:xmpmeta>XMP-SECRET</x:xmpmeta>\nendstream endobj\n" +
	"trailer << /Root 1 0 R /Info 3 0 R >>\n%%EOF\n"

func TestCleanRefuses(t *testing.T) {
	jpegBytes := plantedJPEG(t, 32, 16, 1)
	cases := []struct {
		name string
		data []byte
		want *Error
	}{
		{"empty", nil, ErrEmpty},
		{"over 10 MB", append(append([]byte{}, jpegBytes...), make([]byte, MaxBytes)...), ErrTooBig},
		{"text", []byte("hello, this is not a picture"), ErrType},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrType},
		{"html named as a picture", []byte("<html><script>alert(1)</script></html>"), ErrType},
		{"garbage after a JPEG signature", append([]byte{0xFF, 0xD8, 0xFF}, bytes.Repeat([]byte{0x17}, 200)...), ErrBroken},
		{"truncated JPEG", jpegBytes[:len(jpegBytes)/2], ErrBroken},
		{"PNG signature only", []byte("\x89PNG\r\n\x1a\n"), ErrBroken},
		{"PNG claiming 100000×100000 pixels", bombPNG(100000, 100000), ErrTooLarge},
		{"PNG claiming no pixels", bombPNG(0, 10), ErrBroken},
		{"JPEG claiming 60000×60000 pixels", bombJPEG(t), ErrTooLarge},
		{"PDF with Info dictionary and XMP", []byte(minimalPDF), ErrPDF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clean, kind, err := Clean(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if clean != nil || kind != "" {
				t.Errorf("a refused file gave %d bytes of kind %q", len(clean), kind)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	for kind, want := range map[string]string{KindJPEG: "image/jpeg", KindPNG: "image/png", KindPDF: "application/pdf", "exe": ""} {
		if got := ContentType(kind); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestExifOrientationOnBrokenSegments(t *testing.T) {
	// A broken EXIF must never panic nor turn the picture: orientation 1.
	base := plantedJPEG(t, 16, 16, 6)
	i := bytes.Index(base, []byte("Exif"))
	for cut := i; cut < i+60 && cut < len(base); cut++ {
		b := append([]byte{}, base[:cut]...)
		if got := exifOrientation(b); got != 1 && got != 6 {
			t.Fatalf("cut at %d: orientation %d", cut, got)
		}
	}
	little := []byte("II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00")
	if got := tiffOrientation(little); got != 8 {
		t.Errorf("little-endian orientation = %d, want 8", got)
	}
	if got := tiffOrientation([]byte("XX\x2a\x00")); got != 1 {
		t.Errorf("unknown byte order: %d", got)
	}
}

// markersBeforeScan lists the markers of a JPEG's segments up to its first scan.
func markersBeforeScan(t *testing.T, j []byte) []byte {
	t.Helper()
	var ms []byte
	for p := 2; p+4 <= len(j); {
		if j[p] != 0xFF {
			t.Fatalf("no marker at %d", p)
		}
		ms = append(ms, j[p+1])
		if j[p+1] == 0xDA {
			return ms
		}
		p += 2 + int(binary.BigEndian.Uint16(j[p+2:]))
	}
	t.Fatal("no scan")
	return nil
}
