// Package scrub cleans a file a person attaches to an opinion or a message before it is kept:
// photos and scans are decoded and encoded again, so that nothing but their pixels survives —
// no EXIF (GPS position, camera, date and time), no XMP, no ICC profile, no comment and no PNG
// text chunk. The EXIF orientation is honoured before it is dropped, so that a phone photo stays
// the right way up. PDFs are refused: no kept PDF library of this build can rewrite a PDF
// without its Info dictionary and XMP metadata streams, and a PDF is never kept with them.
//
// The package is pure: bytes in, bytes out, no storage and no HTTP.
package scrub

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
)

// MaxBytes is the largest file accepted (10 MB).
const MaxBytes = 10 << 20

// MaxPixels is the largest image accepted, checked from the header before any pixel is decoded:
// a small file that claims a huge picture (a decompression bomb) is refused cheaply. 40 million
// pixels holds any phone photo and an A4 scan at 600 dpi.
const MaxPixels = 40_000_000

// jpegQuality is the quality photos are encoded again with: visibly the same, a little smaller.
const jpegQuality = 90

// Kinds of file kept.
const (
	KindJPEG = "jpeg"
	KindPNG  = "png"
	KindPDF  = "pdf"
)

// Error is a refusal; Key names its reason in the catalog (area attachments).
type Error struct{ Key string }

func (e *Error) Error() string { return "scrub: " + e.Key }

// The refusals.
var (
	ErrEmpty    = &Error{"attachments.err_empty"}
	ErrTooBig   = &Error{"attachments.err_too_big"}
	ErrType     = &Error{"attachments.err_type"}
	ErrBroken   = &Error{"attachments.err_broken"}
	ErrTooLarge = &Error{"attachments.err_pixels"}
	ErrPDF      = &Error{"attachments.err_pdf"}
)

// ContentType returns the media type a kept file of kind is served with ("" for an unknown kind).
func ContentType(kind string) string {
	switch kind {
	case KindJPEG:
		return "image/jpeg"
	case KindPNG:
		return "image/png"
	case KindPDF:
		return "application/pdf"
	}
	return ""
}

// Sniff names the kind of data from its first bytes, whatever its name or declared type says:
// "jpeg", "png", "pdf" or "".
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return KindJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return KindPDF
	}
	return ""
}

// Clean returns the file re-encoded without metadata (JPEG/PNG decoded and re-encoded; PDF
// stripped of its metadata or refused), its kind ("jpeg", "png", "pdf"), or an error with a
// reason key for the catalog (an *Error).
func Clean(data []byte) (clean []byte, kind string, err error) {
	if len(data) == 0 {
		return nil, "", ErrEmpty
	}
	if len(data) > MaxBytes {
		return nil, "", ErrTooBig
	}
	kind = Sniff(data)
	switch kind {
	case KindJPEG:
		clean, err = cleanJPEG(data)
	case KindPNG:
		clean, err = cleanPNG(data)
	case KindPDF:
		return nil, "", ErrPDF
	default:
		return nil, "", ErrType
	}
	if err != nil {
		return nil, "", err
	}
	return clean, kind, nil
}

// checkSize refuses a picture with no pixels or more than MaxPixels.
func checkSize(cfg image.Config) error {
	w, h := int64(cfg.Width), int64(cfg.Height)
	if w <= 0 || h <= 0 {
		return ErrBroken
	}
	if w*h > MaxPixels {
		return ErrTooLarge
	}
	return nil
}

func cleanJPEG(data []byte) ([]byte, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrBroken
	}
	if err := checkSize(cfg); err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrBroken
	}
	img = orient(img, exifOrientation(data))
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, ErrBroken
	}
	return out.Bytes(), nil
}

func cleanPNG(data []byte) ([]byte, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrBroken
	}
	if err := checkSize(cfg); err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrBroken
	}
	// A PNG's eXIf orientation is not honoured: viewers disagree on it and phones write JPEG.
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, img); err != nil {
		return nil, ErrBroken
	}
	return out.Bytes(), nil
}
