package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"minsheng/storage"
)

// Ensure "user unlock" forgets the failed logins the server recorded for a name (under the
// server's key), says what it did, and refuses what it cannot do in plain words.
func TestUserUnlock(t *testing.T) {
	dir := t.TempDir()
	db, keyFile := filepath.Join(dir, "m.db"), filepath.Join(dir, "m.key")
	key, err := loadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	failures := func() int {
		t.Helper()
		s, err := storage.Open(ctx, db, storage.Options{LoginKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n, err := s.LoginFailures(ctx, "wang")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	s, err := storage.Open(ctx, db, storage.Options{LoginKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, 0, "wang", "a-long-password-1", storage.RoleReviewer); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 7; i++ {
		if _, err := s.AdmitLogin(ctx, storage.LoginAttempt{Username: "wang", CaptchaSolved: true}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if n := failures(); n != 7 {
		t.Fatalf("failures before unlock: %d, want 7", n)
	}

	tests := []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{"unlock", []string{"-username", "wang", "-key-file", keyFile}, "unlocked wang: 7 failed logins forgotten", ""},
		{"again", []string{"-username", "wang", "-key-file", keyFile}, "no failed logins", ""},
		{"unknown name", []string{"-username", "nobody", "-key-file", keyFile}, "", `no account named "nobody"`},
		{"no username", []string{"-key-file", keyFile}, "", "write -username NAME"},
		{"no key file", []string{"-username", "wang", "-key-file", filepath.Join(dir, "missing.key")}, "", "-key-file"},
		{"stray argument", []string{"-username", "wang", "-key-file", keyFile, "now"}, "", `"now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCmd(t, append([]string{"user", "unlock", "-db", db}, tt.args...)...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("output %q, err %v; want %q", out, err, tt.wantOut)
			}
		})
	}
	if n := failures(); n != 0 {
		t.Fatalf("failures after unlock: %d, want 0", n)
	}
}
