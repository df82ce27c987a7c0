package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"minsheng"
	"minsheng/handlers"
	"minsheng/receipt"
	"minsheng/storage"
)

// BenchmarkWrkPair is what loadgen/wrk/submit.lua asks of the portal, without sockets: the
// captcha off, one CSRF pair reused, and per op one POST /submit (303 and the ticket cookie)
// followed by GET /submit/done (the receipt page), through the whole router and middleware,
// from 64 goroutines at once so that the writer gets batches as under wrk. cpu-µs/op is the
// process's CPU time per acknowledgement (the writer's included), what the load of a shared
// machine changes least, split into the writer's thread and the rest (http-cpu-µs/op), with the
// opinions per commit beside them (fewer per commit cost more each); allocs/op the allocations of
// the pair (the writer's included).
//
//	go test -run '^$' -bench WrkPair -benchmem -benchtime 20000x ./handlers
func BenchmarkWrkPair(b *testing.B) {
	st, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	hasher, _ := receipt.NewHasher(bytes.Repeat([]byte("k"), 32))
	e, err := handlers.New(handlers.Config{Store: st, Receipts: hasher, Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS})
	if err != nil {
		b.Fatal(err)
	}
	form := httptest.NewRecorder()
	e.ServeHTTP(form, httptest.NewRequest(http.MethodGet, "/submit", nil))
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(form.Body.String())[1]
	var csrf *http.Cookie
	for _, c := range form.Result().Cookies() {
		if c.Name == "ms_csrf" {
			csrf = c
		}
	}
	if csrf == nil {
		b.Fatal("GET /submit set no ms_csrf cookie")
	}
	// The collector as the portal sets it (cmd/minsheng: servingGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // 64 goroutines on two cores, as wrk's 64 connections
	b.ResetTimer()
	cpu := benchProcessCPU()
	wcpu, wbatches := st.WriterWork()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			v := url.Values{"_csrf": {token}, "type": {"suggestion"}, "unit": {"county-hospital"}, "dept": {"门诊"},
				"submitter": {"patient"}, "website": {""}, "confirm_personal": {"1"},
				"content": {fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t%d", n.Add(1))}}
			req := httptest.NewRequest(http.MethodPost, "/submit", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(csrf)
			posted := httptest.NewRecorder()
			e.ServeHTTP(posted, req)
			if posted.Code != http.StatusSeeOther {
				b.Errorf("POST /submit: %d\n%s", posted.Code, posted.Body)
				return
			}
			done := httptest.NewRequest(http.MethodGet, "/submit/done", nil)
			for _, c := range posted.Result().Cookies() {
				if c.Path == "/submit/done" {
					done.AddCookie(c)
				}
			}
			page := httptest.NewRecorder()
			e.ServeHTTP(page, done)
			if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `id="receipt-code"`) {
				b.Errorf("GET /submit/done: %d, no code", page.Code)
				return
			}
		}
	})
	total := benchProcessCPU() - cpu
	wcpu2, wbatches2 := st.WriterWork()
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "cpu-µs/op")
	// The writer's thread (the serial step) and the rest (the requests, on the other core).
	b.ReportMetric(float64((wcpu2-wcpu).Microseconds())/float64(b.N), "writer-cpu-µs/op")
	b.ReportMetric(float64((total-(wcpu2-wcpu)).Microseconds())/float64(b.N), "http-cpu-µs/op")
	b.ReportMetric(float64(b.N)/float64(max(wbatches2-wbatches, 1)), "ops/batch")
}

// benchProcessCPU is the CPU time this process has used, user and system.
func benchProcessCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
