// Package e2e drives the whole portal through a real headless Chromium: the public form with
// JavaScript switched off (as in WeChat's browser with scripts disabled), the staff pages, and
// the receipt lookup. It needs a Chromium or Chrome binary; see findChromium.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"minsheng"
	"minsheng/captchastore"
	"minsheng/handlers"
	"minsheng/internal/pgtest"
	"minsheng/receipt"
	"minsheng/storage"
)

// Reviewer credentials the harness creates.
const (
	reviewerName     = "reviewer1"
	reviewerPassword = "a-long-password-123"
)

// The phone the public pages are tried on: a common small Android screen, in CSS pixels.
const (
	phoneWidth  = 360
	phoneHeight = 740
)

// browserBudget bounds everything one test does in the browser, start-up included.
const browserBudget = 90 * time.Second

// actionTimeout bounds one browser step (a wait, a read, a click and the page it loads), so a
// missing element fails at once with its selector rather than when the whole budget runs out.
const actionTimeout = 20 * time.Second

// jsProbePath is a page served by the harness, not by the portal: its inline script renames
// the page, so the title tells whether the tab really runs with JavaScript off.
//
// The probe must send the portal no request of its own: a /favicon.ico fetched for it would
// reach the portal without the CSRF cookie, be given a fresh one, and could land after the
// next page's form was rendered with another token, making that form's POST fail with 403.
// Hence the data: icon.
const jsProbePath = "/__e2e/js-probe"

const jsProbePage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">` +
	`<title>scripts-off</title></head>` +
	`<body><script>document.title = "scripts-on";</script><p>probe</p></body></html>`

// harness is one portal on a fresh database, served over HTTP.
type harness struct {
	URL      string
	Store    *storage.Store
	Captchas *captchastore.Store
	Receipts *receipt.Hasher // finds a stored opinion from the receipt code a page showed
}

// harnessOption changes the portal's configuration before it is built.
type harnessOption func(*handlers.Config)

// withKioskTimes shortens a kiosk's waits (idle form, receipt on screen) to what a test can
// sit through.
func withKioskTimes(idle, receipt time.Duration) harnessOption {
	return func(c *handlers.Config) { c.KioskIdle, c.KioskReceipt = idle, receipt }
}

// withPublicURL sets the address people reach the portal at (-public-url), printed on posters.
func withPublicURL(u string) harnessOption {
	return func(c *handlers.Config) { c.PublicURL = u }
}

// withPseudoRTL serves the pseudo right-to-left language under /ar-XB/ (-pseudo-rtl), for the
// test that pages mirror.
func withPseudoRTL(c *handlers.Config) { c.PseudoRTL = true }

// newHarness opens a store in a temporary folder, builds the real handler with the embedded
// templates and assets, serves it, and creates the reviewer account.
func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	return newHarnessOn(t, filepath.Join(t.TempDir(), "minsheng.db"), opts...)
}

// newPostgresHarness is newHarness with the portal on a fresh database of the test binary's
// PostgreSQL cluster (internal/pgtest) instead of a SQLite file (#15).
func newPostgresHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	return newHarnessOn(t, pgtest.Shared(t).NewDatabase(t), opts...)
}

// TestMain stops the PostgreSQL cluster a test may have started.
func TestMain(m *testing.M) { pgtest.Main(m) }

// newHarnessOn is newHarness on db: a SQLite file's path or a postgres:// URL.
func newHarnessOn(t *testing.T, db string, opts ...harnessOption) *harness {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, db, storage.Options{PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatalf("receipt key: %v", err)
	}
	hasher, err := receipt.NewHasher(key)
	if err != nil {
		t.Fatalf("receipt hasher: %v", err)
	}
	captchas := captchastore.New(10*time.Minute, 1000)
	cfg := handlers.Config{
		Store:     store,
		Receipts:  hasher,
		Captchas:  captchas,
		Templates: minsheng.TemplatesFS,
		Static:    minsheng.StaticFS,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e, err := handlers.New(cfg)
	if err != nil {
		t.Fatalf("build handler: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+jsProbePath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(jsProbePage))
	})
	mux.Handle("/", e)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	if _, err := store.CreateUser(ctx, 0, reviewerName, reviewerPassword, storage.RoleReviewer); err != nil {
		t.Fatalf("create reviewer: %v", err)
	}
	return &harness{URL: srv.URL, Store: store, Captchas: captchas, Receipts: hasher}
}

// captchaAnswer plays the person reading the captcha image.
func (h *harness) captchaAnswer(t *testing.T, id string) string {
	t.Helper()
	if id == "" {
		t.Fatal("the form rendered no captcha id")
	}
	answer, ok := h.Captchas.Answer(id)
	if !ok {
		t.Fatalf("captcha %q is unknown to the store (already spent or expired?)", id)
	}
	return answer
}

// findChromium returns the browser to drive: $CHROMIUM_PATH, else the first of the usual
// names on $PATH or /usr/bin/chromium. Without a browser the test fails, unless
// MINSHENG_SKIP_BROWSER=1 asks for a (loud) skip.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("CHROMIUM_PATH=%q: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const how = "no Chromium/Chrome found for the end-to-end test: install it (Debian/Ubuntu: `apt-get install chromium`) " +
		"or point CHROMIUM_PATH at a Chrome/Chromium binary"
	if os.Getenv("MINSHENG_SKIP_BROWSER") == "1" {
		t.Skip("!!! SKIPPING the browser end-to-end test because MINSHENG_SKIP_BROWSER=1: " + how + " !!!")
	}
	t.Fatal(how + " (or set MINSHENG_SKIP_BROWSER=1 to skip this test explicitly)")
	return ""
}

// needChineseFont fails the test, saying how to fix it, when the machine has no font with Han
// characters: Chromium then draws every one as an empty box, and what the tests read back from a
// printed PDF or a screenshot is not the page (a fresh Debian has none).
func needChineseFont(t *testing.T) {
	t.Helper()
	out, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err == nil && len(bytes.TrimSpace(out)) > 0 {
		return
	}
	const how = "no Chinese font for the browser tests (fc-list :lang=zh finds none): install one " +
		"(Debian/Ubuntu: `apt-get install fonts-wqy-microhei`)"
	if os.Getenv("MINSHENG_SKIP_BROWSER") == "1" {
		t.Skip("!!! SKIPPING the browser end-to-end test because MINSHENG_SKIP_BROWSER=1: " + how + " !!!")
	}
	t.Fatal(how + " (or set MINSHENG_SKIP_BROWSER=1 to skip this test explicitly)")
}

// newBrowser starts a headless Chromium with a phone-sized window and a fresh profile, and
// returns a context for its first tab. Everything in the test shares the browserBudget.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserWithin(t, browserBudget)
}

// newBrowserWithin is newBrowser for a test that needs more than the usual browserBudget.
func newBrowserWithin(t *testing.T, budget time.Duration) context.Context {
	t.Helper()
	path := findChromium(t)
	needChineseFont(t)
	budgetCtx, cancelBudget := context.WithTimeout(context.Background(), budget)
	t.Cleanup(cancelBudget)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		// Chromium keeps shared-memory files under $TMPDIR and leaves the folder behind.
		chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.WindowSize(phoneWidth, phoneHeight),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(budgetCtx, opts...)
	t.Cleanup(cancelAlloc) // kills the browser and waits for it, before the temp dirs go
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close the browser gracefully (Browser.close) so that it stops its own helper
		// processes; cancelAlloc then kills whatever is left.
		if err := chromedp.Cancel(ctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("close the browser: %v", err)
		}
		cancelCtx()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %s", path, errContext(err))
	}
	return ctx
}

// newTab opens a new tab in the browser of parent. With scriptsOff it is a phone: a 360 px
// mobile viewport, and JavaScript switched off before the tab loads anything (a probe page
// proves that it is off). Without, it is an ordinary desktop tab with JavaScript on.
func newTab(t *testing.T, parent context.Context, h *harness, scriptsOff bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	if scriptsOff {
		err := chromedp.Do(ctx,
			// Headless Chromium will not make a window narrower than 500 px whatever
			// WindowSize asks, so the phone's 360 × 740 viewport is emulated for the tab.
			chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulatePortrait, chromedp.EmulateMobile),
			chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
				_, err := cdp.Call(ctx, tgt, emulation.SetScriptExecutionDisabled,
					emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}))
		if err != nil {
			t.Fatalf("set up the phone tab (360 px, JavaScript off): %s", errContext(err))
		}
		navigate(t, ctx, h.URL+jsProbePath)
		// Title, like Text, Value, Click and SetValue, is carried out by DevTools
		// (Runtime.callFunctionOn / Runtime.evaluate, DOM and Input commands), which
		// Emulation.setScriptExecutionDisabled does not stop: only the page's own scripts are
		// off, so no step below has to switch them back on.
		title, err := run(ctx, chromedp.Title())
		if err != nil {
			t.Fatalf("read probe title: %s", errContext(err))
		}
		if title != "scripts-off" {
			t.Fatalf("JavaScript is still on in the tab (probe title %q)", title)
		}
	} else if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %s", errContext(err))
	}
	return ctx
}

// run runs one action with actionTimeout. Deriving the deadline from a tab that has already
// run is safe: it ends the action, not the tab or the browser.
func run[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// navigate loads url and returns the HTTP status of the document.
func navigate(t *testing.T, ctx context.Context, url string) int64 {
	t.Helper()
	resp, err := run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate to %s: %s", url, errContext(err))
	}
	return resp.Status
}

// clickAndLoad clicks the element (a submit button or a link) as a person would, waits for the
// page that follows, and returns its HTTP status (after any redirect).
func clickAndLoad(t *testing.T, ctx context.Context, sel string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s and wait for the next page: %s", sel, errContext(err))
	}
	return resp.Status
}

// advanceStep moves the item open in desk to the status, through the form of the 下一步 panel
// (plain <details>, no script): open the step, fill it, submit, and check the status shown.
func advanceStep(t *testing.T, desk context.Context, status, label string, fill ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	box := "#step-" + status
	do(t, desk, "open the step to "+label, chromedp.Click(chromedp.CSS(box+" summary")))
	if len(fill) > 0 {
		do(t, desk, "fill the step to "+label, fill...)
	}
	wantStatus(t, "move to "+label, clickAndLoad(t, desk, box+" button[type=submit]"), 200)
	if got := strings.TrimSpace(textOf(t, desk, "#current-status")); got != label {
		t.Fatalf("#current-status = %q, want %s", got, label)
	}
}

// do runs actions that return nothing, failing the test with what on error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := run(ctx, chromedp.Steps(actions...)); err != nil {
		t.Fatalf("%s: %s", what, errContext(err))
	}
}

// textOf returns the rendered text (innerText) of the first element matching the CSS selector.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read text of %s: %s", sel, errContext(err))
	}
	return s
}

// valueOf returns the current value of a form control.
func valueOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read value of %s: %s", sel, errContext(err))
	}
	return s
}

// attrOf returns an attribute of the first element matching sel, failing when it is absent.
func attrOf(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	r, err := run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("read attribute %s of %s: %s", name, sel, errContext(err))
	}
	if !r.Exists {
		t.Fatalf("%s has no %s attribute", sel, name)
	}
	return r.Value
}

// hasAttr reports whether the first element matching sel has the attribute.
func hasAttr(t *testing.T, ctx context.Context, sel, name string) bool {
	t.Helper()
	r, err := run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("read attribute %s of %s: %s", name, sel, errContext(err))
	}
	return r.Exists
}

// wantContains fails unless got contains want.
func wantContains(t *testing.T, where, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("%s: want it to contain %q, got:\n%s", where, want, got)
	}
}

// wantStatus fails unless the page came back with the status.
func wantStatus(t *testing.T, where string, got, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: HTTP status %d, want %d", where, got, want)
	}
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// saveScreenshot writes a full-page PNG of the tab to $MINSHENG_SCREENSHOTS (or a temp dir).
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Fatalf("screenshot %s: %s", name, errContext(err))
	}
	keepScreenshot(t, name, buf)
}

// keepScreenshot checks that buf is a PNG and keeps it for people to look at, in
// $MINSHENG_SCREENSHOTS (or a temporary folder).
func keepScreenshot(t *testing.T, name string, buf []byte) {
	t.Helper()
	if len(buf) == 0 || !bytes.HasPrefix(buf, pngMagic) {
		t.Fatalf("screenshot %s: not a PNG (%d bytes)", name, len(buf))
	}
	dir := os.Getenv("MINSHENG_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
	t.Logf("screenshot %s (%d bytes)", path, len(buf))
}

// trackByCode opens /track in tab, types the receipt code and sends it, as a submitter coming
// back does; the tracked opinion's page is then open in tab.
func trackByCode(t *testing.T, tab context.Context, h *harness, code string) {
	t.Helper()
	wantStatus(t, "GET /track", navigate(t, tab, h.URL+"/track"), 200)
	do(t, tab, "type the receipt code", chromedp.SendKeys(chromedp.CSS("#code"), code))
	wantStatus(t, "POST /track", clickAndLoad(t, tab, `form[action="/track"] button[type=submit]`), 200)
}

// submitOpinion fills the opinion form open in tab — type, submitter, the text typed key by
// key over whatever the field held (keys, so a kiosk sees someone at work), the answer to the
// captcha the page shows — sends it (what names the request in failures) and returns the
// receipt code the page then shows, checked to parse.
func submitOpinion(t *testing.T, tab context.Context, h *harness, what, typ, submitter, text string) string {
	t.Helper()
	captchaID := attrOf(t, tab, `input[name=captcha_id]`, "value")
	if valueOf(t, tab, "#content") != "" { // text kept from a refused attempt
		do(t, tab, "clear the text", chromedp.Clear(chromedp.CSS("#content")))
	}
	do(t, tab, "fill the opinion",
		chromedp.Click(chromedp.CSS(`input[name=type][value=`+typ+`]`)),
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=`+submitter+`]`)),
		chromedp.SendKeys(chromedp.CSS("#content"), text),
		chromedp.SendKeys(chromedp.CSS("#captcha_answer"), h.captchaAnswer(t, captchaID)),
	)
	wantStatus(t, what, clickAndLoad(t, tab, `form.opinion button[type=submit]`), 200)
	code := strings.TrimSpace(textOf(t, tab, "#receipt-code"))
	if _, err := receipt.Parse(code); err != nil {
		t.Fatalf("receipt code %q does not parse: %v", code, err)
	}
	return code
}

// step logs a numbered step so a failure reads as a story.
func step(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("── "+format, args...)
}

// errContext explains a deadline: which limit ran out.
func errContext(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%v (gave up after the %s allowed for one step, or the test's %s browser budget ran out)",
			err, actionTimeout, browserBudget)
	}
	return err.Error()
}
