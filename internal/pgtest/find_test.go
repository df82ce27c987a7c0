package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeServer makes dir/initdb and dir/postgres as empty programs.
func fakeServer(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"initdb", "postgres"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func noPath(string) (string, error) { return "", errors.New("not on PATH") }

func TestFindBinaries(t *testing.T) {
	root := t.TempDir()
	fakeServer(t, filepath.Join(root, "lib", "9", "bin"))
	fakeServer(t, filepath.Join(root, "lib", "15", "bin"))
	if err := os.MkdirAll(filepath.Join(root, "lib", "17", "bin"), 0o755); err != nil { // no programs
		t.Fatal(err)
	}
	fakeServer(t, filepath.Join(root, "own"))
	fakeServer(t, filepath.Join(root, "onpath"))
	pattern := filepath.Join(root, "lib", "*", "bin")
	onPath := func(string) (string, error) { return filepath.Join(root, "onpath", "initdb"), nil }

	for _, c := range []struct {
		name, env, pattern string
		lookPath           func(string) (string, error)
		want               string // "" for an error
	}{
		{"the newest Debian version that has the programs", "", pattern, noPath, filepath.Join(root, "lib", "15", "bin")},
		{"PGTEST_BIN first", filepath.Join(root, "own"), pattern, noPath, filepath.Join(root, "own")},
		{"PGTEST_BIN without the programs is an error", filepath.Join(root, "lib", "17", "bin"), pattern, onPath, ""},
		{"PATH when Debian's folders are absent", "", filepath.Join(root, "none", "*", "bin"), onPath, filepath.Join(root, "onpath")},
		{"nothing anywhere", "", filepath.Join(root, "none", "*", "bin"), noPath, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := findBinariesIn(c.env, c.pattern, c.lookPath)
			if c.want == "" {
				if err == nil {
					t.Fatalf("found %s, want an error", got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("found %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// The failure says how to install PostgreSQL and how to skip on purpose, as the browser test does.
func TestMissingMessage(t *testing.T) {
	msg := missingMessage(errors.New("nothing found"))
	for _, want := range []string{"apt-get install postgresql", "PGTEST_BIN", "nothing found"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// recorder stands in for a test to see whether missing fails or skips it.
type recorder struct {
	testing.TB
	verb, msg string
}

type stopped struct{}

func (r *recorder) Helper() {}
func (r *recorder) Skip(args ...any) {
	r.verb, r.msg = "skip", args[0].(string)
	panic(stopped{})
}
func (r *recorder) Fatal(args ...any) {
	r.verb, r.msg = "fail", args[0].(string)
	panic(stopped{})
}

// TestMissingFailsUnlessSkipAsked: without PostgreSQL a test fails; MINSHENG_SKIP_POSTGRES=1
// (and only "1") makes it a loud skip.
func TestMissingFailsUnlessSkipAsked(t *testing.T) {
	for _, c := range []struct{ env, verb, says string }{
		{"", "fail", "set MINSHENG_SKIP_POSTGRES=1 to skip"},
		{"0", "fail", "apt-get install postgresql"},
		{"1", "skip", "!!! SKIPPING"},
	} {
		t.Run("MINSHENG_SKIP_POSTGRES="+c.env, func(t *testing.T) {
			t.Setenv(skipEnv, c.env)
			r := &recorder{TB: t}
			func() {
				defer func() {
					if p := recover(); p != nil && p != (stopped{}) {
						panic(p)
					}
				}()
				missing(r, errors.New("none"))
			}()
			if r.verb != c.verb || !strings.Contains(r.msg, c.says) || !strings.Contains(r.msg, "apt-get install postgresql") {
				t.Errorf("%s %q; want %s saying %q and how to install", r.verb, r.msg, c.verb, c.says)
			}
		})
	}
}
