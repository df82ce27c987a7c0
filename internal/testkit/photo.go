package testkit

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// GPSCamera is the camera name GPSJPEG plants in the photo's EXIF, beside its GPS position: a
// test looks for it in what the portal kept or served.
const GPSCamera = "GPS-SECRET-CAMERA"

// GPSJPEG is a w×h JPEG with an EXIF APP1 segment built by hand, as a phone writes one: IFD0
// with the camera's Make (GPSCamera) and a GPS IFD holding the latitude 31°49'12" N.
func GPSJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 9), uint8(y * 5), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = be.AppendUint32(tiff, value)
	}
	const gpsIFD = 8 + 2 + 2*12 + 4
	const makeAt = gpsIFD + 2 + 2*12 + 4
	camera := GPSCamera + "\x00"
	tiff = be.AppendUint16(tiff, 2)
	entry(0x010F, 2, uint32(len(camera)), makeAt)
	entry(0x8825, 4, 1, gpsIFD)
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 2)
	entry(0x0001, 2, 2, 0x4E000000)
	entry(0x0002, 5, 3, makeAt+uint32(len(camera)))
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, camera...)
	for _, v := range []uint32{31, 1, 49, 1, 12, 1} {
		tiff = be.AppendUint32(tiff, v)
	}
	body := append([]byte("Exif\x00\x00"), tiff...)
	app1 := be.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(body)+2))
	app1 = append(app1, body...)
	plain := b.Bytes()
	out := append(append(append([]byte{}, plain[:2]...), app1...), plain[2:]...)
	if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil || !bytes.Contains(out, []byte(GPSCamera)) {
		t.Fatalf("the planted JPEG is not a JPEG with its EXIF: %v", err)
	}
	return out
}
