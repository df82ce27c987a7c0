package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"minsheng/storage"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"minsheng"}, args...), envFrom(nil), strings.NewReader(""), &out, io.Discard)
	return out.String(), err
}

// Ensure seed fills a database, backup copies it while it could be serving, and restore puts the
// copy in place of another database, keeping the one it replaced.
func TestSeedBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	live, other, copyPath := filepath.Join(dir, "live.db"), filepath.Join(dir, "other.db"), filepath.Join(dir, "b", "copy.db")
	if out, err := runCmd(t, "seed", "-db", live, "-n", "1500"); err != nil || !strings.Contains(out, "added 1500") {
		t.Fatalf("seed: %q, %v", out, err)
	}
	out, err := runCmd(t, "backup", "-db", live, "-o", copyPath)
	if err != nil || !strings.Contains(out, "key file") {
		t.Fatalf("backup: %q, %v", out, err)
	}
	if _, err := runCmd(t, "backup", "-db", live, "-o", copyPath); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	if _, err := runCmd(t, "seed", "-db", other, "-n", "10"); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, "restore", "-db", other, "-i", copyPath)
	if err != nil || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: %q, %v", out, err)
	}
	s, err := storage.Open(context.Background(), other, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountOpinions(context.Background()); n != 1500 {
		t.Fatalf("restored database has %d opinions, want 1500", n)
	}
	for _, args := range [][]string{{"backup", "-db", live}, {"restore", "-db", live}, {"seed", "-db", live, "-n", "0"}} {
		if _, err := runCmd(t, args...); err == nil {
			t.Errorf("%v: no error for a missing or bad argument", args)
		}
	}
}

// Ensure loadtest drives a real portal, verifies every acknowledged submission in its
// database, and reports lost = 0.
func TestLoadtestCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "load.db")
	base, _, _, stop := startServe(t, map[string]string{"MINSHENG_DB": db}, "-captcha=off")
	defer stop()
	out, err := runCmd(t, "loadtest", "-url", base, "-db", db, "-clients", "4", "-duration", "1s")
	if err != nil {
		t.Fatalf("loadtest: %v\n%s", err, out)
	}
	for _, want := range []string{"requests/s", "p95", "lost = 0"} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.TrimSuffix(want, "/s")) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Ensure loadtest refuses to send load anywhere but this machine.
func TestLoadtestOnlyLoopback(t *testing.T) {
	for _, target := range []string{"http://10.0.0.5:8080", "http://example.com", "http://192.168.1.1"} {
		if _, err := runCmd(t, "loadtest", "-url", target, "-duration", "1s"); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: err = %v, want a loopback refusal", target, err)
		}
	}
	if err := checkLoopback("http://[::1]:8080"); err != nil {
		t.Errorf("::1 refused: %v", err)
	}
}
