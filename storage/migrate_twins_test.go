package storage

import (
	"io/fs"
	"strings"
	"testing"
)

// Every SQLite migration has a PostgreSQL twin of the same number and name, and no twin is
// left without its SQLite original: both engines record the same names in schema_migrations,
// so the newer-schema refusal means the same on both.
func TestEveryMigrationHasItsPostgresTwin(t *testing.T) {
	sqlite, err := migrationNames(sqliteDriver{})
	if err != nil {
		t.Fatal(err)
	}
	postgres, err := migrationNames(postgresDriver{})
	if err != nil {
		t.Fatal(err)
	}
	twins := map[string]bool{}
	for _, n := range postgres {
		twins[n] = true
	}
	originals := map[string]bool{}
	for _, n := range sqlite {
		originals[n] = true
		if !twins[n] {
			t.Errorf("storage/migrations/%s has no PostgreSQL twin: add storage/migrations/postgres/%s doing the same change in PostgreSQL's SQL", n, n)
		}
	}
	for _, n := range postgres {
		if !originals[n] {
			t.Errorf("storage/migrations/postgres/%s has no SQLite original storage/migrations/%s: the two folders must hold the same numbers and names", n, n)
		}
	}
}

// The twins of the migrations folded into 0001 say so and do nothing else.
func TestFoldedPostgresMigrationsAreEmpty(t *testing.T) {
	files, dir := postgresDriver{}.migrationFS()
	names, err := migrationNames(postgresDriver{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == "0001_init.sql" || n > "0040" {
			continue
		}
		body, err := readFS(files, dir+"/"+n)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "Folded into 0001_init.sql") || !strings.HasSuffix(strings.TrimSpace(body), "SELECT 1;") {
			t.Errorf("postgres/%s: a migration folded into 0001 should say so and only SELECT 1;, got:\n%s", n, body)
		}
	}
}

func readFS(files fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(files, name)
	return string(b), err
}
