package main

import (
	"bytes"
	"context"
	"io"
	"minsheng/internal/testkit"
	"minsheng/storage"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var listenLine = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// startServe boots run() on a random port and returns its base URL and a stop function that
// waits for run to return and reports its error.
func startServe(t *testing.T, env map[string]string, args ...string) (string, *testkit.SyncBuffer, *testkit.SyncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"minsheng", "serve", "-addr", "127.0.0.1:0"}, args...), envFrom(env), strings.NewReader(""), stdout, stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(stdout.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					t.Fatal("run did not return after cancel")
					return nil
				}
			}
			return m[1], stdout, stderr, stop
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\nstderr: %s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("server never said it was listening; stdout: %s stderr: %s", stdout.String(), stderr.String())
	return "", nil, nil, nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Ensure run() boots a real server on a fresh database, creates it, prints a setup link that
// works, and shuts down cleanly when its context ends.
func TestRunServesAndStops(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sub", "minsheng.db")
	base, stdout, stderr, stop := startServe(t, map[string]string{"MINSHENG_DB": db})

	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || body != "ok" {
		t.Fatalf("/readyz = %d %q, want 200 ok while serving", code, body)
	}
	if code, body := get(t, base+"/"); code != http.StatusOK || !strings.Contains(body, "匿名") {
		t.Fatalf("/ = %d, body lacks the anonymity promise", code)
	}
	link := regexp.MustCompile(`http://\S+/admin/setup/\S+`).FindString(stdout.String())
	if link == "" {
		t.Fatalf("no setup link printed; stdout: %s", stdout.String())
	}
	if code, body := get(t, link); code != http.StatusOK || !strings.Contains(body, "设置第一位管理员") {
		t.Fatalf("setup link = %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel", err)
	}
	if !strings.Contains(stdout.String(), "minsheng stopped") {
		t.Fatalf("no clean stop message; stdout: %s", stdout.String())
	}
	// The health checks, like every public request that did not fail, left no line.
	if out := stdout.String() + stderr.String(); strings.Contains(out, "healthz") || strings.Contains(out, "readyz") ||
		strings.Contains(out, "Go-http-client") {
		t.Fatalf("health checks were logged:\n%s", out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("database not created: %v", err)
	}
	info, err := os.Stat(filepath.Join(dir, "sub", "minsheng.key"))
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode %o, want 600", perm)
	}
}

// Ensure -captcha=off warns loudly and the form then has no captcha.
func TestRunCaptchaOffWarns(t *testing.T) {
	base, _, stderr, stop := startServe(t, map[string]string{"MINSHENG_DB": filepath.Join(t.TempDir(), "m.db")}, "-captcha=off")
	defer stop()
	if !strings.Contains(stderr.String(), "WARNING: the captcha is OFF") {
		t.Fatalf("no warning; stderr: %s", stderr.String())
	}
	if _, body := get(t, base+"/submit"); strings.Contains(body, "captcha_id") {
		t.Fatal("form still shows a captcha with -captcha=off")
	}
}

// Ensure a second start with an administrator prints no setup link.
func TestRunNoSetupLinkOnceAdminExists(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	env := map[string]string{"MINSHENG_DB": db}
	var out bytes.Buffer
	err := run(context.Background(), []string{"minsheng", "user", "add", "-username", "chief", "-role", "admin"},
		envFrom(env), strings.NewReader("correct horse battery\n"), &out, io.Discard)
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	_, stdout, _, stop := startServe(t, env)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout.String(), "/admin/setup/") {
		t.Fatalf("setup link printed although an admin exists: %s", stdout.String())
	}
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr string
		wantOut string
	}{
		{"reviewer", []string{"-username", "wang", "-role", "reviewer"}, "a-long-password-1\n", "", "added wang (reviewer)"},
		{"admin without newline", []string{"-username", "li", "-role", "admin"}, "another-long-password", "", "added li (admin)"},
		{"taken name", []string{"-username", "WANG", "-role", "reviewer"}, "a-long-password-1\n", "taken", ""},
		{"short password", []string{"-username", "zhao"}, "short\n", "must be 12", ""},
		{"no username", []string{"-role", "admin"}, "a-long-password-1\n", "-username NAME", ""},
		{"bad role", []string{"-username", "sun", "-role", "boss"}, "a-long-password-1\n", "unknown role", ""},
		{"liaison with a unit", []string{"-username", "zhou", "-role", "liaison", "-unit", "county-hospital"}, "a-long-password-1\n", "", "unit: county-hospital"},
		{"liaison without a unit", []string{"-username", "wu", "-role", "liaison"}, "a-long-password-1\n", "add -unit CODE", ""},
		{"liaison of an unknown unit", []string{"-username", "zheng", "-role", "liaison", "-unit", "nowhere"}, "a-long-password-1\n", "no unit \"nowhere\"", ""},
		{"leader with linked units", []string{"-username", "feng", "-role", "leader", "-units", "bureau, tcm-hospital"}, "a-long-password-1\n", "", "unit: bureau, tcm-hospital"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			args := append([]string{"minsheng", "user", "add", "-db", db}, tt.args...)
			err := run(context.Background(), args, envFrom(nil), strings.NewReader(tt.stdin), &out, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("output %q, want %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	err := run(context.Background(), []string{"minsheng", "launch"}, envFrom(nil), strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("err = %v", err)
	}
}

func TestOnOffFlag(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		err  bool
	}{
		{"on", true, false}, {"off", false, false}, {"OFF", false, false}, {"true", true, false},
		{"0", false, false}, {"yes", true, false}, {"maybe", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b onOff
			err := b.Set(tt.in)
			if (err != nil) != tt.err || (err == nil && bool(b) != tt.want) {
				t.Fatalf("Set(%q) = %v, %v; want %v, err %v", tt.in, b, err, tt.want, tt.err)
			}
		})
	}
}

func TestLoadKeyIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k", "minsheng.key")
	k1, err := loadKey(path)
	if err != nil || len(k1) != 32 {
		t.Fatalf("first loadKey: %d bytes, %v", len(k1), err)
	}
	k2, err := loadKey(path)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second loadKey differs or failed: %v", err)
	}
	short := filepath.Join(t.TempDir(), "short.key")
	os.WriteFile(short, []byte("too short"), 0o600)
	if _, err := loadKey(short); err == nil {
		t.Fatal("a short key file was accepted")
	}
}

func TestRedactingWriter(t *testing.T) {
	tests := []struct{ name, in, leak string }{
		{"ipv4 with port", "http: TLS handshake error from 203.0.113.9:51234: EOF", "203.0.113.9"},
		{"ipv6", "http: TLS handshake error from [2001:db8::1]:443: EOF", "2001:db8::1"},
		{"panic line", "http: panic serving 198.51.100.23:40000: boom", "198.51.100.23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			n, err := redactingWriter{&out}.Write([]byte(tt.in))
			if err != nil || n != len(tt.in) {
				t.Fatalf("Write = %d, %v", n, err)
			}
			if strings.Contains(out.String(), tt.leak) || !strings.Contains(out.String(), "[address removed]") {
				t.Fatalf("got %q", out.String())
			}
		})
	}
	var out bytes.Buffer
	redactingWriter{&out}.Write([]byte("server.go:123 superfluous WriteHeader"))
	if !strings.Contains(out.String(), "server.go:123") {
		t.Fatalf("a file:line was redacted: %q", out.String())
	}
}

// TestServeKioskTimes: -kiosk-idle and -kiosk-receipt (or their env) reach the kiosk page;
// values outside the sensible range stop the start with a message naming the flag.
func TestServeKioskTimes(t *testing.T) {
	refused := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"idle not a duration", []string{"-kiosk-idle", "两分钟"}, nil, "-kiosk-idle"},
		{"idle too short", []string{"-kiosk-idle", "1s"}, nil, "-kiosk-idle 1s: must be from 30s to 30m0s"},
		{"receipt too long (env)", nil, map[string]string{"MINSHENG_KIOSK_RECEIPT": "1h"}, "-kiosk-receipt 1h0m0s"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"MINSHENG_DB": filepath.Join(t.TempDir(), "m.db")}
			for k, v := range tt.env {
				env[k] = v
			}
			err := run(context.Background(), append([]string{"minsheng", "serve", "-addr", "127.0.0.1:0"}, tt.args...),
				envFrom(env), strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run: %v, want an error containing %q", err, tt.want)
			}
		})
	}

	t.Run("set by flag", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "m.db")
		s, err := storage.Open(context.Background(), db, storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		site, err := s.AddSite(context.Background(), storage.NewSite{Name: "门诊大厅自助机", UnitCode: "county-hospital"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		base, _, _, stop := startServe(t, map[string]string{"MINSHENG_DB": db}, "-kiosk-idle", "3m")
		defer stop()
		status, body := get(t, base+"/kiosk/"+site.Code)
		if status != http.StatusOK || !strings.Contains(body, `data-kiosk-idle-ms="180000"`) {
			t.Errorf("kiosk page: status %d, idle attribute missing from %.300s", status, body)
		}
	})
}
