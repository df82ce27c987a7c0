package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/captchastore"
	"minsheng/internal/pgtest"
	"minsheng/internal/testkit"
)

// startPortal starts the portal in a process of its own on db, with the captcha on; extra are
// more flags (none with spaces).
func startPortal(t *testing.T, db string, extra ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=serve -addr 127.0.0.1:0 -db "+strings.Join(append([]string{db}, extra...), " "))
	out := &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(childPatience) // waits; measures nothing
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(out.String()); m != nil {
			return &child{cmd: cmd, base: m[1], out: out}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("portal never listened: %s", out.String())
	return nil
}

var (
	csrfField    = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	captchaField = regexp.MustCompile(`name="captcha_id" value="([^"]+)"`)
	receiptCode  = regexp.MustCompile(`(?s)id="receipt-code"[^>]*>(.*?)</p>`)
	tags         = regexp.MustCompile(`<[^>]*>`)
)

// TestTwoProcessesServeOneDatabase starts two portal processes on one database file and one
// key file, and a browser (one cookie jar: cookies do not tell ports apart, as behind one
// proxy) alternates between them: the form and its captcha from one, the POST to the other,
// the receipt page from each, the code looked up on the first; a staff login posted to one
// serves on the other. The test reads the captcha as a person would read the image: from the
// key file, which is all it takes to derive a challenge's digits.
func TestTwoProcessesServeOneDatabase(t *testing.T) {
	dir := t.TempDir()
	// The first creates the key file beside the database, the second reads it.
	twoProcessesServeOneDatabase(t, filepath.Join(dir, "minsheng.db"), filepath.Join(dir, "minsheng.key"))
}

// TestPostgresTwoProcessesServeOneDatabase: the same walk with both processes on one
// PostgreSQL database (#15), the key file given to each.
func TestPostgresTwoProcessesServeOneDatabase(t *testing.T) {
	key := filepath.Join(t.TempDir(), "minsheng.key")
	twoProcessesServeOneDatabase(t, pgtest.Shared(t).NewDatabase(t), key, "-key-file", key)
}

// twoProcessesServeOneDatabase is TestTwoProcessesServeOneDatabase's walk on db, whose key file
// is keyPath; keyFlags are given to every command (none on SQLite: the key is beside the file).
func twoProcessesServeOneDatabase(t *testing.T, db, keyPath string, keyFlags ...string) {
	a := startPortal(t, db, keyFlags...)
	b := startPortal(t, db, keyFlags...)
	key, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	eyes, err := captchastore.NewShared(key, time.Hour, nil) // reads challenges, spends none
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(context.Background(), append([]string{"minsheng", "user", "add", "-db", db, "-username", "wang", "-role", "reviewer"}, keyFlags...),
		envFrom(nil), strings.NewReader("a-long-password-1\n"), &out, io.Discard); err != nil {
		t.Fatalf("user add: %v", err)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, target string, form url.Values) (int, string, http.Header) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, target, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	field := func(re *regexp.Regexp, page string) string {
		t.Helper()
		m := re.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the page", re)
		}
		return m[1]
	}

	for round, p := range [][2]*child{{a, b}, {b, a}} {
		first, second := p[0], p[1]
		// A public submission: form and captcha from the first, POST to the second.
		_, page, _ := do("GET", first.base+"/submit", nil)
		id := field(captchaField, page)
		if code, img, _ := do("GET", second.base+"/captcha/"+id+".png", nil); code != http.StatusOK || !strings.HasPrefix(img, "\x89PNG") {
			t.Fatalf("round %d: the other process drew the captcha with status %d", round, code)
		}
		answer, ok := eyes.Answer(id)
		if !ok {
			t.Fatalf("round %d: the key file does not read captcha %q", round, id)
		}
		form := url.Values{"_csrf": {field(csrfField, page)}, "captcha_id": {id}, "captcha_answer": {answer},
			"type": {"complaint"}, "unit": {"county-hospital"}, "dept": {"门诊收费处"}, "submitter": {"patient"},
			"content": {"收费处排队两个小时，窗口只开了一个，第" + string(rune('一'+round)) + "次了。"}}
		code, body, hdr := do("POST", second.base+"/submit", form)
		if code != http.StatusSeeOther {
			t.Fatalf("round %d: POST /submit on the other process: status %d\n%s", round, code, body)
		}
		var shown []string
		for _, c := range []*child{first, second} {
			code, done, _ := do("GET", c.base+hdr.Get("Location"), nil)
			m := receiptCode.FindStringSubmatch(done)
			if code != http.StatusOK || m == nil {
				t.Fatalf("round %d: receipt page: status %d, no code", round, code)
			}
			shown = append(shown, tags.ReplaceAllString(m[1], ""))
		}
		if shown[0] != shown[1] {
			t.Fatalf("round %d: the two processes show %q and %q", round, shown[0], shown[1])
		}
		if code, _, _ := do("POST", second.base+"/submit", form); code != http.StatusUnprocessableEntity {
			t.Fatalf("round %d: the captcha answered again on the process that took it: status %d", round, code)
		}
		_, track, _ := do("GET", first.base+"/track", nil)
		if code, found, _ := do("POST", first.base+"/track", url.Values{"_csrf": {field(csrfField, track)}, "code": {shown[0]}}); code != http.StatusOK || !strings.Contains(found, "收费处排队两个小时") {
			t.Fatalf("round %d: the code looked up on the first process: status %d", round, code)
		}

		// A staff login posted to the first; the session serves on the second.
		_, login, _ := do("GET", second.base+"/admin/login", nil)
		code, _, _ = do("POST", first.base+"/admin/login", url.Values{"_csrf": {field(csrfField, login)},
			"username": {"wang"}, "password": {"a-long-password-1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("round %d: login: status %d", round, code)
		}
		if code, queue, _ := do("GET", second.base+"/admin/queue", nil); code != http.StatusOK || !strings.Contains(queue, "收费处排队两个小时") {
			t.Fatalf("round %d: the queue on the other process: status %d", round, code)
		}
		jar, _ = cookiejar.New(nil) // the next round starts as another visitor
		client.Jar = jar
	}
}
