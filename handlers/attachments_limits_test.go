package handlers_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"minsheng/internal/testkit"
	"minsheng/storage"
)

// A big upload raises the body limit of the routes that take files, for their multipart posts,
// and of no other route.
func TestUploadLimitOnlyOnFileRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	big := bytes.Repeat([]byte("x"), 300<<10) // past every other route's limit (64 KB; 256 KB kept)
	id, _ := h.seed(t, storage.NewOpinion{Content: "病房夜里太吵，护士站不管。"})
	staff, _ := h.staff(t)
	site := kioskSite(t, h)

	public := h.browser()
	public.getCSRF(t, "/track")
	cases := []struct {
		name   string
		b      *browser
		target string
	}{
		{"POST /track", public, "/track"},
		{"POST /track/rate", public, "/track/rate"},
		{"POST /kiosk/:site", public, "/kiosk/" + site.Code},
		{"POST /admin/opinions/:id/note", staff, "/admin/opinions/" + id + "/note"},
		{"POST /admin/opinions/:id/reply", staff, "/admin/opinions/" + id + "/reply"},
	}
	for _, c := range cases {
		r := c.b.postMultipart(t, c.target, url.Values{"_csrf": {c.b.token}, "code": {"X"}, "note": {"一条备注"}},
			[]upload{{"a.jpg", "image/jpeg", big}})
		if r.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s with a 300 KB file: %d, want 413", c.name, r.Code)
		}
	}
	// /submit keeps its limit for a form-encoded post…
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	cid, answer := h.captchaFor(t, page.Body)
	vals := validOpinion()
	vals.Set("content", strings.Repeat("长", 25000)) // 75 KB, 225 KB form-encoded
	vals.Set("captcha_id", cid)
	vals.Set("captcha_answer", answer)
	r := b.post(t, "/submit", vals)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.Body, "长长长长") {
		t.Error("a too-long text was not given back")
	}
	// …and for the text of a multipart one.
	r = b.submitFiles(t, url.Values{"content": {strings.Repeat("长", 25000)}}, nil)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.Body, "长长长长") {
		t.Error("a too-long text sent with files was not given back")
	}
	// A body past even the file limit is dropped unread.
	huge := b.postMultipart(t, "/submit", url.Values{"_csrf": {b.token}}, []upload{
		{"a.jpg", "image/jpeg", make([]byte, 10<<20)}, {"b.jpg", "image/jpeg", make([]byte, 10<<20)},
		{"c.jpg", "image/jpeg", make([]byte, 10<<20)}, {"d.jpg", "image/jpeg", make([]byte, 2<<20)}})
	wantStatus(t, huge, http.StatusRequestEntityTooLarge)
}

// A body of unknown length that runs past the file limit is cut there: the words read before
// it are kept, and the person is told the files were too big.
func TestUploadOfUnknownLengthCutAtTheLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	cid, answer := h.captchaFor(t, page.Body)
	vals := validOpinion()
	vals.Set("_csrf", b.token)
	vals.Set("captcha_id", cid)
	vals.Set("captcha_answer", answer)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range vals {
		w.WriteField(k, vs[0])
	}
	for i := 0; i < 4; i++ {
		pw, _ := w.CreateFormFile("files", "big.jpg")
		pw.Write(make([]byte, 9<<20))
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, "/submit", struct{ io.Reader }{&body}) // no length
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1
	req.Header.Set("Content-Type", w.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", rec.Code)
	}
	if got := rec.Body.String(); !strings.Contains(got, "超过了 10 MB") || !strings.Contains(got, vals.Get("content")) {
		t.Error("the words or the reason are missing")
	}
	if n, _ := h.store.CountOpinions(context.Background()); n != 0 {
		t.Errorf("%d opinions stored", n)
	}
}

// A file upload may take longer to arrive than the server's read timeout allows other requests.
func TestSlowUploadOutlivesTheReadTimeout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := httptest.NewUnstartedServer(h.e)
	srv.Config.ReadTimeout = 500 * time.Millisecond
	srv.Start()
	defer srv.Close()
	send := func(target string) int {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("content", "收费处排队两个小时，窗口只开了一个。")
		pw, _ := w.CreateFormFile("files", "a.jpg")
		pw.Write(testkit.GPSJPEG(t, 16, 16))
		w.Close()
		pr, pwr := io.Pipe()
		go func() {
			half := body.Len() / 2
			pwr.Write(body.Bytes()[:half])
			time.Sleep(time.Second) // past the read timeout
			pwr.Write(body.Bytes()[half:])
			pwr.Close()
		}()
		req, err := http.NewRequest(http.MethodPost, srv.URL+target, pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := srv.Client().Do(req)
		if err != nil {
			return 0 // the connection was cut
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Without its CSRF cookie the form comes back refused (403), after the whole body was read;
	// a body cut by the timeout would be malformed (400) or the connection closed.
	if got := send("/submit"); got != http.StatusForbidden {
		t.Errorf("slow upload to /submit: %d, want 403 (read to its end)", got)
	}
	if got := send("/track"); got == http.StatusForbidden || got == http.StatusOK {
		t.Errorf("slow post to /track: %d, want it cut by the read timeout", got)
	}
}
