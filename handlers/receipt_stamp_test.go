package handlers

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"minsheng"
	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestStampedReceiptIsTheRenderedPage: in every language, for the page shown once (answer to
// the POST) and the page kept for ten minutes (with its form token), for the usual readers
// sentence and for one holding a placeholder character (a mailbox's name), every receipt page
// from a stamp is byte for byte the page the template renders, with its own code and token; a
// stamp is made per key and reused; a request without a token gets its cookie as with render.
func TestStampedReceiptIsTheRenderedPage(t *testing.T) {
	e, s := receiptServer(t)
	request := func(lang, method, path, token string) (echo.Context, *httptest.ResponseRecorder) {
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(method, path, nil), rec)
		c.Set(langKey, lang)
		if token != "" {
			c.Set(csrfKey, token)
		}
		return c, rec
	}
	tests := []struct {
		name    string
		method  string
		path    string
		minutes int
		readers string
	}{
		{"shown once, in answer to the post", http.MethodPost, "/submit", 0, "由卫生健康局的意见办理人员阅读。"},
		{"kept ten minutes, with the forget form", http.MethodGet, "/submit/done", 10, "由卫生健康局的意见办理人员阅读。"},
		{"a placeholder character in the readers", http.MethodGet, "/submit/done", 10, "写给「院长\uE001信箱」"},
	}
	for _, lang := range locale.Languages {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				for i := range 3 {
					code, token := receipt.New(), newToken()
					c, rec := request(lang, tt.method, tt.path, token)
					page := s.receiptPage(c, heldReceipt{Code: code, Readers: map[string]string{lang: tt.readers}}, tt.minutes)
					if err := s.renderReceipt(c, http.StatusOK, page); err != nil {
						t.Fatal(err)
					}
					c2, want := request(lang, tt.method, tt.path, token)
					if err := s.render(c2, http.StatusOK, "submit_done", page); err != nil {
						t.Fatal(err)
					}
					if got := rec.Body.String(); got != want.Body.String() {
						t.Fatalf("receipt %d: stamped page differs from the rendered one:\n%s\n---\n%s", i, got, want.Body.String())
					}
					if rec.Code != want.Code || rec.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
						t.Errorf("receipt %d: %d %q, rendered %d %q", i, rec.Code, rec.Header().Get("Content-Type"),
							want.Code, want.Header().Get("Content-Type"))
					}
					if !strings.Contains(rec.Body.String(), strings.Split(code, "-")[4]) {
						t.Errorf("receipt %d: the page does not show its code %s", i, code)
					}
					if secret, _ := c.Get(secretKey).(bool); secret != (tt.minutes > 0) {
						t.Errorf("receipt %d: marked as carrying a token %v, want %v", i, secret, tt.minutes > 0)
					}
				}
			})
		}
	}
	s.stamps.mu.RLock()
	stamps, plain := len(s.stamps.pages), 0
	for k, st := range s.stamps.pages {
		if st.plain {
			plain++
			if !strings.ContainsRune(k.readers, '\uE001') {
				t.Errorf("key %+v is rendered plainly", k)
			}
		}
	}
	s.stamps.mu.RUnlock()
	if want := len(locale.Languages) * len(tests); stamps != want || plain != len(locale.Languages) {
		t.Errorf("%d keys kept (%d plain), want %d (%d plain): one per language and case", stamps, plain, want, len(locale.Languages))
	}

	// No token yet: the kept page sets the CSRF cookie, as the rendered page does.
	c, rec := request(locale.Default, http.MethodGet, "/submit/done", "")
	page := s.receiptPage(c, heldReceipt{Code: receipt.New(), Readers: map[string]string{locale.Default: "x"}}, 10)
	if err := s.renderReceipt(c, http.StatusOK, page); err != nil {
		t.Fatal(err)
	}
	token, _ := c.Get(csrfKey).(string)
	if !strings.Contains(rec.Header().Get("Set-Cookie"), csrfCookie+"="+token) || token == "" ||
		!strings.Contains(rec.Body.String(), `value="`+token+`"`) {
		t.Errorf("no token cookie %q, or not the page's: %q", token, rec.Header().Get("Set-Cookie"))
	}
}

// receiptServer is an echo with the real templates and a Server with a store and nothing
// else: enough for the receipt page (the store gives the campaign banners).
func receiptServer(tb testing.TB) (*echo.Echo, *Server) {
	tb.Helper()
	static, err := fs.Sub(minsheng.StaticFS, "static")
	if err != nil {
		tb.Fatal(err)
	}
	assets, err := loadAssets(static)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := newRenderer(minsheng.TemplatesFS, assets)
	if err != nil {
		tb.Fatal(err)
	}
	e := echo.New()
	e.Renderer = r
	// The engine the harness of the outer test package would choose (its testDBEnv): the
	// campaign banners are read through storage, so these tests run on both engines too.
	dsn := filepath.Join(tb.TempDir(), "receipt.db")
	if os.Getenv("MINSHENG_TEST_DB") == "postgres" {
		dsn = storetest.DSN(tb, storetest.Postgres)
	}
	st, err := storage.Open(context.Background(), dsn, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return e, &Server{store: st}
}

// TestStampedReceiptFollowsTheCampaign: the campaign banner is part of a stamp's key, so a
// campaign that starts (or changes phase) after a page was stamped shows on the next receipt,
// as on a rendered one.
func TestStampedReceiptFollowsTheCampaign(t *testing.T) {
	e, s := receiptServer(t)
	stamp := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(http.MethodPost, "/submit", nil), rec)
		c.Set(langKey, locale.Default)
		page := s.receiptPage(c, heldReceipt{Code: receipt.New(), Readers: map[string]string{locale.Default: "x"}}, 0)
		if err := s.renderReceipt(c, http.StatusOK, page); err != nil {
			t.Fatal(err)
		}
		return rec.Body.String()
	}
	const name = "春季征求意见活动"
	if strings.Contains(stamp(), name) {
		t.Fatal("a banner before any campaign")
	}
	today := s.store.Today()
	if _, err := s.store.SaveCampaign(context.Background(), 0, campaign.Campaign{Name: name, ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: today, EndsOn: today}}}); err != nil {
		t.Fatal(err)
	}
	if page := stamp(); !strings.Contains(page, name) || !strings.Contains(page, `class="campaign-banner"`) {
		t.Errorf("the receipt after the campaign started has no banner:\n%s", page)
	}
}

// BenchmarkReceiptPage: the receipt page from its stamp against the template, per page.
//
//	go test -run '^$' -bench ReceiptPage ./handlers
func BenchmarkReceiptPage(b *testing.B) {
	e, s := receiptServer(b)
	for _, stamped := range []bool{false, true} {
		b.Run(map[bool]string{false: "rendered", true: "stamped"}[stamped], func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				c := e.NewContext(httptest.NewRequest(http.MethodPost, "/submit", nil), httptest.NewRecorder())
				c.Set(langKey, locale.Default)
				page := s.receiptPage(c, heldReceipt{Code: receipt.New(), Readers: map[string]string{locale.Default: "x"}}, 0)
				var err error
				if stamped {
					err = s.renderReceipt(c, http.StatusOK, page)
				} else {
					err = s.render(c, http.StatusOK, "submit_done", page)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// switchKey stands for the language switch's links: two requests with one key have the same
// links, whatever their method, path (an escaped "?" in it included) and query.
func TestSwitchKeyStandsForTheLinks(t *testing.T) {
	e := echo.New()
	targets := []string{"/submit/done", "/submit/done?site=a1", "/submit/done?site=a1&x=2",
		"/submit/done?x=2", "/submit/done?mailbox=m&unit=u-1", "/submit/done?unit=u-1&mailbox=m",
		"/submit/done%3Fsite=a1", "/submit/done%3F", "/submit/done?", "/submit/done?site=BAD",
		"/other?site=a1", "/other%3Fsite=a1?site=a1"}
	hrefs := map[string]string{}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, target := range targets {
			c := e.NewContext(httptest.NewRequest(method, target, nil), httptest.NewRecorder())
			var links strings.Builder
			for _, l := range languageSwitch(c, locale.Default) {
				links.WriteString(l.Href + "\n")
			}
			key := switchKey(c, locale.Default)
			if seen, ok := hrefs[key]; ok && seen != links.String() {
				t.Errorf("%s %s: key %q names two link sets:\n%s\n%s", method, target, key, seen, links.String())
			}
			hrefs[key] = links.String()
		}
	}
	if len(hrefs) < 6 {
		t.Errorf("only %d keys for different link sets", len(hrefs))
	}
}
