package handlers

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/receipt"
)

// The receipt's Set-Cookie line made from the kept attributes is the line net/http writes for
// the same cookie: at every language's address, over HTTPS and not, for sealed receipts; a value
// that is not URL-safe base64 (never sealed) and the removal go the ordinary way.
func TestReceiptCookieLineIsNetHTTPs(t *testing.T) {
	h, _ := receipt.NewHasher(bytes.Repeat([]byte("k"), 32))
	box, err := newPickups(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, secure := range []bool{false, true} {
		s := &Server{secure: secure}
		for _, lang := range locale.Languages {
			path := langPrefix(lang) + receiptPath
			for i := 0; i < 50; i++ {
				sealed := box.Seal(receiptCookie, []byte("d"+receipt.New()))
				line, ok := s.receiptCookieLine(path, sealed)
				if want := s.receiptCookieFor(path, sealed).String(); !ok || line != want {
					t.Fatalf("secure %v, %s: %q (%v), net/http writes %q", secure, path, line, ok, want)
				}
			}
			for _, odd := range []string{"", "a b", "a;b", "a\"b", "é", "a=b", "a+b/c"} {
				if line, ok := s.receiptCookieLine(path, odd); ok {
					t.Errorf("%q made line %q: should go the ordinary way", odd, line)
				}
			}
		}
		// Through setReceiptCookie: the headers as before, the reader's language last.
		c := echo.New().NewContext(httptest.NewRequest("POST", "/submit", nil), httptest.NewRecorder())
		sealed := box.Seal(receiptCookie, []byte("lABC"))
		s.setReceiptCookie(c, sealed)
		got := c.Response().Header().Values("Set-Cookie")
		if len(got) != len(locale.Languages) {
			t.Fatalf("%d Set-Cookie lines, want one per language: %q", len(got), got)
		}
		if want := s.receiptCookieFor(receiptPath, sealed).String(); got[len(got)-1] != want {
			t.Errorf("last line %q, want the default language's %q", got[len(got)-1], want)
		}
	}
}
