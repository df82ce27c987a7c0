package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/receipt"
	"minsheng/storage"
)

// runLong is runWith with time for a database move on a busy machine.
func runLong(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = run(ctx, append([]string{"minsheng"}, args...), envFrom(nil), strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

// Ensure "minsheng migrate" moves a SQLite database into an empty PostgreSQL one through run():
// progress per table, the table of counts and checksums, a receipt code that still finds its
// opinion with the same key file, a re-check with -verify, and a refusal to move twice.
func TestMigrateCommandMovesToPostgres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, keyFile := filepath.Join(dir, "minsheng.db"), filepath.Join(dir, "minsheng.key")
	key, err := loadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	h, err := receipt.NewHasher(key)
	if err != nil {
		t.Fatal(err)
	}
	code, err := receipt.Parse(receipt.New())
	if err != nil {
		t.Fatal(err)
	}
	src, err := storage.Open(ctx, db, storage.Options{LoginKey: key})
	if err != nil {
		t.Fatal(err)
	}
	id, err := src.CreateOpinion(ctx, storage.NewOpinion{Type: "suggestion", UnitCode: "county-hospital",
		Submitter: "patient", Content: "希望周末也能做胃镜"}, h.Hash(code))
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	to := pgtest.Shared(t).NewDatabase(t)
	withPassword := strings.Replace(to, "postgres@", "postgres:s3cret@", 1)

	out, err := runLong(t, "migrate", "-from", db, "-to", withPassword)
	if err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`copied opinions\s+1 rows`),
		regexp.MustCompile(`copied units\s+6 rows`),
		regexp.MustCompile(`(?m)^table\s+rows SQLite\s+rows PostgreSQL\s+sha256 SQLite\s+sha256 PostgreSQL`),
		regexp.MustCompile(`(?m)^opinions\s+1\s+1\s+([0-9a-f]{16})\s+([0-9a-f]{16})\s+ok$`),
		regexp.MustCompile(`all \d+ tables match`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	t.Logf("minsheng migrate printed:\n%s", out)
	if strings.Contains(out, "s3cret") {
		t.Errorf("the database password was printed:\n%s", out)
	}

	pg, err := storage.Open(ctx, to, storage.Options{LoginKey: key})
	if err != nil {
		t.Fatal(err)
	}
	o, err := pg.OpinionByReceipt(ctx, h.Hash(code))
	pg.Close()
	if err != nil || o.ID != id || o.Content != "希望周末也能做胃镜" {
		t.Fatalf("receipt look-up after the move = %q %q, %v; want %s", o.ID, o.Content, err, id)
	}

	if out, err := runLong(t, "migrate", "-verify", "-from", db, "-to", to); err != nil || !strings.Contains(out, "tables match") {
		t.Errorf("migrate -verify = %v\n%s", err, out)
	}
	out, err = runLong(t, "migrate", "-from", db, "-to", to)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second migrate = %v (status %d), want the refusal of a non-empty target\n%s", err, exitCode(err), out)
	}
	if _, err := runLong(t, "migrate", "-from", db); exitCode(err) != 2 {
		t.Errorf("migrate without -to = %v, want a usage error (status 2)", err)
	}
}
