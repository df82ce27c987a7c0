package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minsheng"
	"minsheng/handlers"
	"minsheng/receipt"
	"minsheng/storage"
)

// BenchmarkReceiptFlow measures one person's whole submission through the router: GET /submit
// (form, captcha, CSRF cookie), POST /submit (the captcha checked, the opinion committed, the
// receipt sealed into its cookie), GET /submit/done (the receipt page). The baseline, in the
// same run, is GET /healthz. Since #15 the captcha's use is one write of its own (spent_tokens)
// and the receipt travels in the cookie instead of a map in memory.
//
//	go test -run '^$' -bench ReceiptFlow -benchmem ./handlers
func BenchmarkReceiptFlow(b *testing.B) {
	st, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	hasher, _ := receipt.NewHasher(bytes.Repeat([]byte("k"), 32))
	captchas := benchCaptchas(b, st, hasher)
	e, err := handlers.New(handlers.Config{Store: st, Receipts: hasher, Captchas: captchas,
		Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS})
	if err != nil {
		b.Fatal(err)
	}
	serve := func(req *http.Request, want int) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s %s: %d, want %d\n%s", req.Method, req.URL, rec.Code, want, rec.Body)
		}
		return rec
	}
	b.Run("healthz", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			serve(httptest.NewRequest(http.MethodGet, "/healthz", nil), http.StatusOK)
		}
	})
	idRe := regexp.MustCompile(`name="captcha_id" value="([^"]+)"`)
	tokenRe := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	b.Run("submit+receipt", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			form := serve(httptest.NewRequest(http.MethodGet, "/submit", nil), http.StatusOK)
			page := form.Body.String()
			id, token := idRe.FindStringSubmatch(page)[1], tokenRe.FindStringSubmatch(page)[1]
			answer, _ := captchas.Answer(id)
			v := url.Values{"_csrf": {token}, "captcha_id": {id}, "captcha_answer": {answer}, "type": {"complaint"},
				"unit": {"county-hospital"}, "dept": {"门诊收费处"}, "submitter": {"patient"},
				"content": {"收费处排队两个小时，窗口只开了一个，第" + strconv.Itoa(i) + "位病人说。"}}
			req := httptest.NewRequest(http.MethodPost, "/submit", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range form.Result().Cookies() {
				req.AddCookie(c)
			}
			posted := serve(req, http.StatusSeeOther)
			done := httptest.NewRequest(http.MethodGet, "/submit/done", nil)
			for _, c := range posted.Result().Cookies() {
				if c.Path == "/submit/done" {
					done.AddCookie(c)
				}
			}
			if !strings.Contains(serve(done, http.StatusOK).Body.String(), `id="receipt-code"`) {
				b.Fatal("the receipt page shows no code")
			}
		}
	})
}
