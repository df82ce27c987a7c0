package handlers_test

import (
	"testing"
	"time"

	"minsheng/captchastore"
	"minsheng/receipt"
	"minsheng/storage"
)

// benchCaptchas is the captcha store as the portal runs it: sealed with the key, spent in the
// database.
func benchCaptchas(b *testing.B, st *storage.Store, h *receipt.Hasher) *captchastore.Store {
	c, err := captchastore.NewShared(h.Derive("captcha"), time.Minute, st)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
