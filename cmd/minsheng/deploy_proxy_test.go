package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const siteName = "yijian.example.gov.cn" // the server_name of the shipped site

// selfSigned writes a throwaway certificate for the site's name and 127.0.0.1 into dir and
// returns the paths of the certificate and its key.
func selfSigned(t *testing.T, dir string) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: siteName},
		DNSNames: []string{siteName}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	certPath, keyPath = filepath.Join(dir, "fullchain.pem"), filepath.Join(dir, "privkey.pem")
	must(t, os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	must(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certPath, keyPath
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// proxy is the real nginx running the shipped site in front of a portal.
type proxy struct {
	dir                 string
	httpPort, httpsPort int
	client              *http.Client // trusts the throwaway certificate, follows no redirect
	out                 func() string
	stop                func() // graceful: nginx finishes and closes its logs; safe to call twice
}

// runNginx starts nginx with the shipped site in dir, in front of upstream (host:port), and
// waits until it answers. It is stopped at the end of the test.
func runNginx(t *testing.T, dir, upstream string) *proxy {
	t.Helper()
	nginx := findNginx(t)
	p := &proxy{dir: dir, httpPort: freePort(t), httpsPort: freePort(t)}
	conf := testSite(t, dir, upstream, p.httpPort, p.httpsPort)
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "logs", "error.log"), "-c", conf, "-g", "daemon off;")
	// A file, not a buffer: nginx writes it directly, with no goroutine of ours copying.
	outFile, err := os.Create(filepath.Join(dir, "logs", "nginx.out"))
	must(t, err)
	cmd.Stdout, cmd.Stderr = outFile, outFile
	p.out = func() string { b, _ := os.ReadFile(outFile.Name()); return string(b) }
	must(t, cmd.Start())
	stopped := false
	p.stop = func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGQUIT)
			cmd.Wait()
			outFile.Close()
		}
	}
	t.Cleanup(p.stop)

	pool := x509.NewCertPool()
	certPEM, err := os.ReadFile(filepath.Join(dir, "fullchain.pem"))
	must(t, err)
	pool.AppendCertsFromPEM(certPEM)
	p.client = &http.Client{Timeout: 10 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: siteName}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p.httpsPort))
		if err == nil {
			c.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not start: %v\n%s", err, p.out())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Ensure that, through the real nginx running the shipped site, the portal receives no client
// address or user agent (not even those the visitor's browser or a proxy on the way sent), and
// that afterwards no log holds a visitor's request: public pages in any language, a form post
// and the setup link leave nothing; a staff page leaves one line, without its query string.
func TestNginxPassesNoClientAddress(t *testing.T) {
	dir := t.TempDir()

	var mu sync.Mutex
	seen := map[string]http.Header{}
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		h := r.Header.Clone()
		h.Set("Host", r.Host)
		seen[r.Method+" "+r.URL.Path] = h
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	defer portal.Close()

	px := runNginx(t, dir, strings.TrimPrefix(portal.URL, "http://"))
	client, httpPort, httpsPort, out, stop := px.client, px.httpPort, px.httpsPort, px.out, px.stop

	const canaryIP, canaryUA = "203.0.113.9", "UA-CANARY-7d1f"
	send := func(scheme string, port int, method, path, body string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, path), strings.NewReader(body))
		must(t, err)
		req.Host = siteName
		req.Header.Set("X-Forwarded-For", canaryIP)
		req.Header.Set("X-Real-IP", canaryIP)
		req.Header.Set("Forwarded", "for="+canaryIP)
		req.Header.Set("User-Agent", canaryUA)
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, out())
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}

	if res := send("http", httpPort, "GET", "/submit?unit=x", ""); res.StatusCode != http.StatusMovedPermanently ||
		res.Header.Get("Location") != "https://"+siteName+"/submit?unit=x" {
		t.Errorf("plain HTTP: want 301 to https://%s/submit?unit=x, have %d %q", siteName, res.StatusCode, res.Header.Get("Location"))
	}
	requests := []struct{ method, path, body string }{
		{"GET", "/submit?unit=county-hospital", ""},
		{"POST", "/submit", "body=%E5%8C%BB%E7%94%9F&_csrf=x"},
		{"GET", "/en/track", ""},
		{"GET", "/gongshi", ""},
		{"GET", "/admin/setup/tok-canary-91", ""},
		{"GET", "/admin/queue?q=secret-words-3b", ""},
	}
	for _, r := range requests {
		if res := send("https", httpsPort, r.method, r.path, r.body); res.StatusCode != http.StatusOK {
			t.Errorf("%s %s: status %d", r.method, r.path, res.StatusCode)
		}
	}
	stop()

	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		key := r.method + " " + strings.SplitN(r.path, "?", 2)[0]
		h, ok := seen[key]
		if !ok {
			t.Errorf("%s never reached the portal", key)
			continue
		}
		for _, name := range clientHeaders {
			if v, ok := h[http.CanonicalHeaderKey(name)]; ok {
				t.Errorf("%s: the portal received %s: %q", key, name, v)
			}
		}
		for name, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, canaryIP) || strings.Contains(v, canaryUA) || strings.Contains(v, "127.0.0.1") {
					t.Errorf("%s: the portal received the visitor's address or device in %s: %q", key, name, v)
				}
			}
		}
		if h.Get("X-Forwarded-Proto") != "https" || h.Get("Host") != siteName {
			t.Errorf("%s: want X-Forwarded-Proto https and Host %s (for links the portal prints), have %q %q",
				key, siteName, h.Get("X-Forwarded-Proto"), h.Get("Host"))
		}
	}

	staffLog, err := os.ReadFile(filepath.Join(dir, "logs", "minsheng-staff.log"))
	must(t, err)
	if lines := strings.Split(strings.TrimSpace(string(staffLog)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "GET /admin/queue 200") {
		t.Errorf("want one staff log line for GET /admin/queue, have:\n%s", staffLog)
	}
	// Nothing a visitor sent or was given is anywhere in nginx's folder: logs, temporary files.
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(path) == ".pem" || filepath.Ext(path) == ".conf" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range []string{canaryIP, canaryUA, "tok-canary-91", "secret-words-3b", "county-hospital", "/submit", "/track", "/gongshi"} {
			if strings.Contains(string(data), s) {
				t.Errorf("%s holds %q:\n%s", path, s, data)
			}
		}
		return nil
	})
}

var setupPath = regexp.MustCompile(`https://` + regexp.QuoteMeta(siteName) + `(/admin/setup/\S+)`)

// Ensure the real portal works behind the shipped site as docs/deploy.md sets it up (Secure
// cookies, the public address): pages, /healthz and the one-time setup link answer over HTTPS,
// the portal tells browsers to keep to HTTPS, and nginx keeps no trace of any of it.
func TestPortalBehindNginx(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"MINSHENG_SECURE_COOKIES": "on", "MINSHENG_PUBLIC_URL": "https://" + siteName}
	base, stdout, stderr, stopPortal := startServe(t, env, "-db", filepath.Join(dir, "data", "m.db"))
	defer func() {
		if err := stopPortal(); err != nil {
			t.Errorf("portal: %v\n%s", err, stderr.String())
		}
	}()
	m := setupPath.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no setup link for https://%s in:\n%s", siteName, stdout.String())
	}
	ngx := filepath.Join(dir, "nginx")
	must(t, os.Mkdir(ngx, 0o755))
	px := runNginx(t, ngx, strings.TrimPrefix(base, "http://"))

	tests := []struct {
		name, path, want string
		cookie           bool // the page sets one (the form's CSRF cookie)
	}{
		{"health", "/healthz", "ok", false},
		{"home", "/", "", false},
		{"form", "/submit", "", true},
		{"track in English", "/en/track", "", false},
		{"setup link", m[1], "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", fmt.Sprintf("https://127.0.0.1:%d%s", px.httpsPort, tc.path), nil)
			must(t, err)
			req.Host = siteName
			res, err := px.client.Do(req)
			if err != nil {
				t.Fatalf("%v\n%s", err, px.out())
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || (tc.want != "" && string(body) != tc.want) {
				t.Fatalf("status %d, body %.200q", res.StatusCode, body)
			}
			if res.Header.Get("Strict-Transport-Security") == "" {
				t.Errorf("no Strict-Transport-Security: the portal does not know it is served over HTTPS")
			}
			if tc.cookie && len(res.Cookies()) == 0 {
				t.Errorf("no cookie set")
			}
			for _, c := range res.Cookies() {
				if !c.Secure {
					t.Errorf("cookie %s is not Secure", c.Name)
				}
			}
		})
	}
	px.stop()
	filepath.Walk(ngx, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(path) == ".pem" || filepath.Ext(path) == ".conf" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range []string{m[1], "/submit", "/track", "healthz"} {
			if strings.Contains(string(data), s) {
				t.Errorf("%s holds %q:\n%s", path, s, data)
			}
		}
		return nil
	})
}
