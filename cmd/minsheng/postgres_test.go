package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"minsheng/internal/pgtest"
	"minsheng/storage"
)

// Ensure -db postgres://… boots the portal on PostgreSQL (#15): the schema is created in the
// empty database, the public pages and the setup link answer, and it stops cleanly. The
// printed database name carries no password.
func TestRunServesOnPostgres(t *testing.T) {
	db := pgtest.Shared(t).NewDatabase(t)
	withPassword := strings.Replace(db, "postgres@", "postgres:s3cret@", 1)
	key := filepath.Join(t.TempDir(), "minsheng.key")
	base, stdout, stderr, stop := startServe(t, nil, "-db", withPassword, "-key-file", key)

	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/"); code != http.StatusOK || !strings.Contains(body, "匿名") {
		t.Fatalf("/ = %d, body lacks the anonymity promise", code)
	}
	if code, _ := get(t, base+"/submit"); code != http.StatusOK {
		t.Fatalf("/submit = %d", code)
	}
	link := regexp.MustCompile(`http://\S+/admin/setup/\S+`).FindString(stdout.String())
	if link == "" {
		t.Fatalf("no setup link printed; stdout: %s", stdout.String())
	}
	if code, body := get(t, link); code != http.StatusOK || !strings.Contains(body, "设置第一位管理员") {
		t.Fatalf("setup link = %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel\nstderr: %s", err, stderr.String())
	}
	if out := stdout.String() + stderr.String(); strings.Contains(out, "s3cret") {
		t.Errorf("the database password was printed:\n%s", out)
	}
	if !strings.Contains(stdout.String(), "minsheng stopped") {
		t.Fatalf("no clean stop message; stdout: %s", stdout.String())
	}
}

// Ensure a PostgreSQL database without -key-file is refused with the reason: there is no
// folder to keep the key beside, and every process must read the same one.
func TestPostgresNeedsKeyFile(t *testing.T) {
	err := run(context.Background(), []string{"minsheng", "serve", "-addr", "127.0.0.1:0",
		"-db", "postgres://nobody@127.0.0.1:1/none"}, envFrom(nil), strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "-key-file") {
		t.Fatalf("run = %v, want the refusal naming -key-file", err)
	}
}

// Ensure "minsheng seed" works on PostgreSQL to its last step (#15): its last step, indexing what
// it added, read SQLite's sqlite_master (the index's upgrades, now behind driver.ftsUpgrades).
// 1500 opinions: more than a PostgreSQL chunk, so the index's merge step runs too.
func TestSeedOnPostgres(t *testing.T) {
	db := pgtest.Shared(t).NewDatabase(t)
	if out, err := runCmd(t, "seed", "-db", db, "-n", "1500"); err != nil || !strings.Contains(out, "added 1500") {
		t.Fatalf("seed: %q, %v", out, err)
	}
	// A second seed adds to days the index already holds: the index is built again.
	if out, err := runCmd(t, "seed", "-db", db, "-n", "50", "-seed", "2"); err != nil || !strings.Contains(out, "added 50") {
		t.Fatalf("second seed: %q, %v", out, err)
	}
	s, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountOpinions(context.Background()); n != 1550 {
		t.Fatalf("%d opinions after seeding 1550", n)
	}
}
