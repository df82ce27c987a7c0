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

// Ensure that, through the real nginx running the shipped site, the portal receives no client
// address or user agent (not even those the visitor's browser or a proxy on the way sent), and
// that afterwards no log holds a visitor's request: public pages in any language, a form post
// and the setup link leave nothing; a staff page leaves one line, without its query string.
func TestNginxPassesNoClientAddress(t *testing.T) {
	nginx := findNginx(t)
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

	httpPort, httpsPort := freePort(t), freePort(t)
	conf := testSite(t, dir, strings.TrimPrefix(portal.URL, "http://"), httpPort, httpsPort)
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "logs", "error.log"), "-c", conf, "-g", "daemon off;")
	// A file, not a buffer: nginx writes it directly, with no goroutine of ours copying.
	outFile, err := os.Create(filepath.Join(dir, "logs", "nginx.out"))
	must(t, err)
	defer outFile.Close()
	cmd.Stdout, cmd.Stderr = outFile, outFile
	out := func() string { b, _ := os.ReadFile(outFile.Name()); return string(b) }
	must(t, cmd.Start())
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGQUIT) // graceful: finishes and closes its logs
			cmd.Wait()
		}
	}
	defer stop()

	pool := x509.NewCertPool()
	certPEM, err := os.ReadFile(filepath.Join(dir, "fullchain.pem"))
	must(t, err)
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Timeout: 10 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: siteName}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", httpsPort))
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not start: %v\n%s", err, out())
		}
		time.Sleep(50 * time.Millisecond)
	}

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
