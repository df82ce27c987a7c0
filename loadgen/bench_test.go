package loadgen

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"minsheng"
	"minsheng/handlers"
	"minsheng/receipt"
	"minsheng/storage"
)

// Amounts per benchmark iteration: enough for a stable rate, small enough for -benchtime=3x.
const (
	rawTransactions = 400
	httpSubmissions = 4000
	httpClients     = 64
)

// BenchmarkDurableSubmissions compares, in one run and on one disk, the raw rate of one-row
// transactions into the portal's schema with synchronous=FULL (the baseline: what one fsync
// per submission allows) with the rate of durable submissions over HTTP through the real
// portal, whose writer commits queued submissions in batches. Target: http/raw ≥ 2.
//
//	go test -run '^$' -bench DurableSubmissions -benchtime 3x ./loadgen
//
// "posts" reuses each client's form (one GET, then POSTs: the submissions themselves);
// "form+post" loads the form before every POST (adds a page view per submission).
func BenchmarkDurableSubmissions(b *testing.B) {
	for _, mode := range []struct {
		name  string
		reuse bool
	}{{"posts", true}, {"form+post", false}} {
		b.Run(mode.name, func(b *testing.B) {
			var rawRate, httpRate float64
			for i := 0; i < b.N; i++ {
				rawRate += rawOneRowRate(b, rawTransactions)
				httpRate += httpSubmitRate(b, httpSubmissions, mode.reuse)
			}
			rawRate /= float64(b.N)
			httpRate /= float64(b.N)
			b.ReportMetric(rawRate, "raw-tx/s")
			b.ReportMetric(httpRate, "http-submissions/s")
			b.ReportMetric(httpRate/rawRate, "ratio")
		})
	}
}

// rawOneRowRate is RawCommitRate into a new database in a temporary folder.
func rawOneRowRate(b *testing.B, n int) float64 {
	b.Helper()
	rate, err := RawCommitRate(context.Background(), filepath.Join(b.TempDir(), "raw.db"), n)
	if err != nil {
		b.Fatal(err)
	}
	return rate
}

// httpSubmitRate runs the real portal (captcha off) and pushes n submissions through it.
func httpSubmitRate(b *testing.B, n int, reuseForm bool) float64 {
	b.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(b.TempDir(), "portal.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	key := make([]byte, 32)
	rand.Read(key)
	hasher, _ := receipt.NewHasher(key)
	e, err := handlers.New(handlers.Config{Store: store, Receipts: hasher,
		Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	res := Run(ctx, Config{BaseURL: srv.URL, Clients: httpClients, Duration: 10 * time.Minute,
		MaxPerClient: n / httpClients, ReuseForm: reuseForm})
	if res.Class(2) != len(res.Acks) || len(res.Acks) != n/httpClients*httpClients {
		b.Fatalf("not every submission was acknowledged: %s", res.Summary())
	}
	return float64(len(res.Acks)) / res.Elapsed.Seconds()
}
