package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"minsheng"
	"minsheng/captchastore"
	"minsheng/handlers"
	"minsheng/receipt"
	"minsheng/storage"
)

// BenchmarkPages measures page views through the whole router and middleware chain. The
// baseline, in the same run, is GET /healthz (one trivial database read and no template):
// each page's ns/op divided by the baseline's is its cost in health checks.
//
//	go test -run '^$' -bench Pages ./handlers
func BenchmarkPages(b *testing.B) {
	st, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	hasher, _ := receipt.NewHasher(bytes.Repeat([]byte("k"), 32))
	e, err := handlers.New(handlers.Config{Store: st, Receipts: hasher, Captchas: captchastore.New(time.Minute, 10_000),
		Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS})
	if err != nil {
		b.Fatal(err)
	}
	for _, target := range []string{"/healthz", "/", "/submit", "/submit?unit=county-hospital&dept=内科", "/track"} {
		b.Run(target, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", target, rec.Code)
				}
			}
		})
	}
}
