package testsource

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Ensure Reaches follows the test files' functions to what they name, through helpers and not
// through methods, and stops on a cycle; Names, Has and File describe what was parsed.
func TestReachesThroughHelpers(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a_test.go", `package p
func TestDirect(t *T) { open(onSQLite) }
func TestViaHelper(t *T) { helper() }
func TestNone(t *T) { other() }
func TestViaMethod(t *T) { var h h; h.m() }
func helper() { deeper() }
func deeper() { x := onPostgres; _ = x }
func other() { other(); cycle() }
func cycle() { other() }
`)
	write("b_test.go", `package p
func (h) m() { onSQLite() }
`)
	write("c.go", `package p
func TestNotATestFile() { onSQLite() }
`)
	f, err := Parse(dir)
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"onSQLite", "onPostgres"}
	for name, want := range map[string]bool{"TestDirect": true, "TestViaHelper": true, "TestNone": false,
		"TestViaMethod": false, "TestNotATestFile": false, "TestMissing": false} {
		if got := f.Reaches(name, targets); got != want {
			t.Errorf("Reaches(%s) = %v, want %v", name, got, want)
		}
	}
	want := []string{"TestDirect", "TestNone", "TestViaHelper", "TestViaMethod", "cycle", "deeper", "helper", "other"}
	if got := f.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if !f.Has("helper") || f.Has("m") || f.File("helper") != "a_test.go" || f.File("m") != "" {
		t.Errorf("Has/File: helper %v %q, m %v %q", f.Has("helper"), f.File("helper"), f.Has("m"), f.File("m"))
	}
	if _, err := Parse(t.TempDir()); err == nil {
		t.Error("Parse of a folder without test files: no error")
	}
}
