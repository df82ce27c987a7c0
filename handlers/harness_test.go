package handlers_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	minsheng "minsheng"
	"minsheng/captchastore"
	"minsheng/handlers"
	"minsheng/internal/pgtest"
	"minsheng/internal/storetest"
	"minsheng/internal/testkit"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/suggest/corpus"
	"minsheng/tagging"
)

// baseTime is 10:00 on 15 April 2026 in China (02:00 UTC).
var baseTime = time.Date(2026, 4, 15, 2, 0, 0, 0, time.UTC)

// harness is one portal with its real parts: SQLite file (or PostgreSQL database), captcha
// store, templates.
type harness struct {
	store    *storage.Store
	captchas *captchastore.Store
	hasher   *receipt.Hasher
	e        *echo.Echo
	clock    *testkit.Clock
	logs     *testkit.SyncBuffer
	dbPath   string
}

// harnessSetup is what a harnessOption may change before the portal is built.
type harnessSetup struct {
	cfg   handlers.Config
	store storage.Options
	// smallCorpus has the suggestion model retrain from a sample of the corpus, so that a test
	// of the learning loop takes seconds, not the minutes of the full model under -race.
	smallCorpus bool
	// postgres runs the portal on a fresh PostgreSQL database of the test binary's cluster
	// instead of a temporary SQLite file (see onPostgres).
	postgres bool
	// db, when set, is the database to open instead (see onDatabase).
	db string
}

// testDBEnv set to "postgres" runs every harness on PostgreSQL, as the run that
// TestHandlerJourneysOnPostgres reports does in every run of the package (#15).
const testDBEnv = "MINSHENG_TEST_DB"

// onPostgres builds the portal on PostgreSQL (a fresh database of internal/pgtest's cluster,
// copied from one migrated once).
func onPostgres(s *harnessSetup) { s.postgres = true }

// onSQLite builds the portal on a temporary SQLite file even in the run on PostgreSQL, for a
// test that names each engine itself.
func onSQLite(s *harnessSetup) { s.postgres = false }

// onDatabase builds the portal on the database db (a postgres:// URL the test owns).
func onDatabase(db string) harnessOption {
	return func(s *harnessSetup) { s.db = db }
}

// TestMain starts the run of the handler journeys on PostgreSQL beside this one
// (postgres_suite_test.go) and stops the PostgreSQL cluster the harness may have started.
func TestMain(m *testing.M) {
	postgresRun = startPostgresRun()
	pgtest.Main(m)
}

// withSmallCorpus: see harnessSetup.smallCorpus.
func withSmallCorpus(s *harnessSetup) { s.smallCorpus = true }

type harnessOption func(*harnessSetup)

// withoutCaptcha builds the portal with Config.Captchas nil.
func withoutCaptcha(s *harnessSetup) { s.cfg.Captchas = nil }

// withSecureCookies builds the portal as it runs behind HTTPS.
func withSecureCookies(s *harnessSetup) { s.cfg.SecureCookies = true }

// withPublicURL builds the portal with the public address printed on posters set.
func withPublicURL(u string) harnessOption {
	return func(s *harnessSetup) { s.cfg.PublicURL = u }
}

// withBusyTimeout makes the database give up on a held lock after d instead of 10 s.
func withBusyTimeout(d time.Duration) harnessOption {
	return func(s *harnessSetup) { s.store.BusyTimeout = d }
}

// withReadiness builds the portal with Config.Readiness r, which the test moves.
func withReadiness(r *handlers.Readiness) harnessOption {
	return func(s *harnessSetup) { s.cfg.Readiness = r }
}

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{clock: testkit.NewClock(baseTime), logs: &testkit.SyncBuffer{}}
	var err error
	h.hasher, err = receipt.NewHasher(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatalf("NewHasher: %v", err)
	}
	setup := harnessSetup{
		cfg: handlers.Config{
			Receipts:  h.hasher,
			Captchas:  captchastore.New(10*time.Minute, 1000),
			Templates: minsheng.TemplatesFS,
			Static:    minsheng.StaticFS,
			Logger:    slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		},
		store: storage.Options{Now: h.clock.Now, PasswordCost: bcrypt.MinCost}, // logins need not be slow here
	}
	setup.postgres = os.Getenv(testDBEnv) == "postgres"
	for _, o := range opts {
		o(&setup)
	}
	switch {
	case setup.db != "":
		h.dbPath = setup.db
	case setup.postgres:
		// A copy of a database migrated once per test binary: migrating each test's database
		// from 0001 was most of a handler test's time on PostgreSQL.
		h.dbPath = storetest.DSN(t, storetest.Postgres)
	default:
		h.dbPath = filepath.Join(t.TempDir(), "t.db")
	}
	st, err := storage.Open(context.Background(), h.dbPath, setup.store)
	if err != nil {
		t.Fatalf("storage.Open: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h.store = st
	setup.cfg.Store = st
	if setup.smallCorpus {
		train, heldout, err := corpus.Sample(200, 80)
		if err != nil {
			t.Fatal(err)
		}
		if setup.cfg.Learner, err = tagging.Open(context.Background(), st, tagging.WithCorpus(train, heldout)); err != nil {
			t.Fatal(err)
		}
	}
	if setup.cfg.Captchas != nil {
		// As the portal runs: challenges sealed with the key file, their uses in the database.
		if setup.cfg.Captchas, err = captchastore.NewShared(h.hasher.Derive("captcha"), 10*time.Minute, st); err != nil {
			t.Fatal(err)
		}
	}
	h.captchas = setup.cfg.Captchas
	h.e, err = handlers.New(setup.cfg)
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	return h
}

// response is what a request gave back.
type response struct {
	Code   int
	Header http.Header
	Body   string
}

func (r *response) location() string { return r.Header.Get("Location") }

// browser is one visitor: it keeps its own cookies, like a real browser would.
type browser struct {
	h       *harness
	cookies map[string]*http.Cookie
	headers http.Header // sent with every request
	token   string      // last _csrf seen by getCSRF
	seen    []*response // every response, for checks across a whole visit
}

func (h *harness) browser() *browser {
	return &browser{h: h, cookies: map[string]*http.Cookie{}, headers: http.Header{}}
}

func (b *browser) do(t *testing.T, method, target string, body string, contentType string) *response {
	t.Helper()
	var req *http.Request
	if body != "" || method == http.MethodPost {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for k, vs := range b.headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for _, c := range b.cookies {
		if c.Path == "" || strings.HasPrefix(req.URL.Path, c.Path) {
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	rec := httptest.NewRecorder()
	b.h.e.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c
	}
	r := &response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
	b.seen = append(b.seen, r)
	return r
}

func (b *browser) get(t *testing.T, target string) *response {
	t.Helper()
	return b.do(t, http.MethodGet, target, "", "")
}

// postForm posts vals exactly as given.
func (b *browser) postForm(t *testing.T, target string, vals url.Values) *response {
	t.Helper()
	return b.do(t, http.MethodPost, target, vals.Encode(), echo.MIMEApplicationForm)
}

// post posts vals with the browser's current _csrf token added.
func (b *browser) post(t *testing.T, target string, vals url.Values) *response {
	t.Helper()
	if b.token == "" {
		t.Fatalf("post %s: no CSRF token yet, call getCSRF first", target)
	}
	v := url.Values{}
	for k, vs := range vals {
		v[k] = append([]string(nil), vs...)
	}
	v.Set("_csrf", b.token)
	return b.postForm(t, target, v)
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// getCSRF loads a page and keeps the _csrf token from its form. Without a staff session the
// token must match the ms_csrf cookie the browser holds; with one it belongs to the session.
func (b *browser) getCSRF(t *testing.T, target string) *response {
	t.Helper()
	r := b.get(t, target)
	if r.Code != http.StatusOK {
		t.Fatalf("GET %s: status got %d, want 200\n%s", target, r.Code, r.Body)
	}
	m := csrfRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("GET %s: no _csrf field in page", target)
	}
	if _, staff := b.cookies["ms_session"]; staff && strings.HasPrefix(target, "/admin") {
		b.token = m[1]
		return r
	}
	ck, ok := b.cookies["ms_csrf"]
	if !ok {
		t.Fatalf("GET %s: no ms_csrf cookie kept", target)
	}
	if m[1] != ck.Value {
		t.Fatalf("GET %s: _csrf field %q does not match cookie %q", target, m[1], ck.Value)
	}
	b.token = m[1]
	return r
}

var captchaIDRe = regexp.MustCompile(`name="captcha_id" value="([^"]+)"`)

// captchaFor reads the captcha id from a page and the answer from the store, as a person
// reading the image would.
func (h *harness) captchaFor(t *testing.T, page string) (id, answer string) {
	t.Helper()
	m := captchaIDRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no captcha_id in page")
	}
	answer, ok := h.captchas.Answer(m[1])
	if !ok {
		t.Fatalf("captcha %q unknown to the store", m[1])
	}
	return m[1], answer
}

// validOpinion is a form a person could submit.
func validOpinion() url.Values {
	return url.Values{
		"type":      {"complaint"},
		"unit":      {"county-hospital"},
		"dept":      {"门诊收费处"},
		"submitter": {"patient"},
		"content":   {"收费处排队两个小时，窗口只开了一个，工作人员还在聊天。"},
		"contact":   {""},
	}
}

// follow loads the page a 303 sends the browser to, as a browser does; any other answer is
// returned as it is.
func (b *browser) follow(t *testing.T, r *response) *response {
	t.Helper()
	if r.Code != http.StatusSeeOther {
		return r
	}
	return b.get(t, r.location())
}

// submit opens /submit, solves the captcha, posts vals (which win over the captcha fields) and
// follows the redirect to the receipt page, as a browser does.
func (b *browser) submit(t *testing.T, vals url.Values) *response {
	t.Helper()
	page := b.getCSRF(t, "/submit")
	v := url.Values{}
	if b.h.captchas != nil {
		id, answer := b.h.captchaFor(t, page.Body)
		v.Set("captcha_id", id)
		v.Set("captcha_answer", answer)
	}
	for k, vs := range vals {
		v[k] = vs
	}
	return b.follow(t, b.post(t, "/submit", v))
}

var (
	receiptRe = regexp.MustCompile(`(?s)id="receipt-code"[^>]*>(.*?)</p>`)
	tagRe     = regexp.MustCompile(`<[^>]*>`)
)

// receiptOf reads the receipt code a page shows, as the person reads it (its groups joined).
func receiptOf(t *testing.T, r *response) string {
	t.Helper()
	m := receiptRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no receipt-code in page (status %d)", r.Code)
	}
	return shownText(m[1])
}

// shownText is a page's markup without its tags: the text as a person reads it, where a
// receipt code shown in its groups reads as one word again.
func shownText(body string) string { return tagRe.ReplaceAllString(body, "") }

const staffPassword = "correct horse battery staple"

// newStaff adds a reviewer directly in the store.
func (h *harness) newStaff(t *testing.T, name string) storage.User {
	t.Helper()
	u, err := h.store.CreateUser(context.Background(), 0, name, staffPassword, storage.RoleReviewer)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// login logs a fresh browser in through the form and returns it.
func (h *harness) login(t *testing.T, username, password string) *browser {
	t.Helper()
	b := h.browser()
	b.getCSRF(t, "/admin/login")
	r := b.post(t, "/admin/login", url.Values{"username": {username}, "password": {password}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("login %s: status got %d, want 303\n%s", username, r.Code, r.Body)
	}
	if _, ok := b.cookies["ms_session"]; !ok {
		t.Fatalf("login %s: no ms_session cookie", username)
	}
	b.getCSRF(t, "/admin/login") // the new session's own token
	return b
}

// staff creates a reviewer and logs them in.
func (h *harness) staff(t *testing.T) (*browser, storage.User) {
	t.Helper()
	u := h.newStaff(t, "审核员甲")
	b := h.login(t, u.Username, staffPassword)
	b.getCSRF(t, "/admin/queue")
	return b, u
}
