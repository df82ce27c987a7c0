package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The shipped systemd units (deploy/systemd): systemd itself checks them, and the settings they
// give the portal must be ones it reads.

const unitDir = "../../deploy/systemd"

var envName = regexp.MustCompile(`MINSHENG_[A-Z_]+`)

// unitCommand returns the minsheng command a unit starts ("serve", "backup").
func unitCommand(t *testing.T, unit string) string {
	t.Helper()
	m := regexp.MustCompile(`/usr/local/bin/minsheng (\w+)`).FindStringSubmatch(unit)
	if m == nil {
		t.Fatal("the unit starts no /usr/local/bin/minsheng command")
	}
	return m[1]
}

// Ensure every MINSHENG_ setting a unit names (comments included: they tell the operator what
// to set) is one its command reads, that the command exists, and that the backup copies the
// database the portal serves, with the portal's key file beside it in the instructions.
func TestSystemdUnitsNameRealSettings(t *testing.T) {
	settings := map[string]map[string]string{} // unit → setting → value
	for _, name := range []string{"minsheng.service", "minsheng-backup.service"} {
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(unitDir, name))
			must(t, err)
			unit := string(text)
			cmd := unitCommand(t, unit)
			help, _, status, err := runWith(t, nil, "", cmd, "-h")
			if status != 0 {
				t.Fatalf("minsheng %s -h: %v", cmd, err)
			}
			reads := map[string]bool{}
			for _, env := range envName.FindAllString(help, -1) {
				reads[env] = true
			}
			for _, env := range envName.FindAllString(unit, -1) {
				if !reads[env] {
					t.Errorf("%s names %s, which minsheng %s does not read", name, env, cmd)
				}
			}
			settings[name] = map[string]string{}
			for _, m := range regexp.MustCompile(`(?m)^Environment=(MINSHENG_[A-Z_]+)=(.*)$`).FindAllStringSubmatch(unit, -1) {
				settings[name][m[1]] = m[2]
			}
		})
	}
	for _, env := range []string{"MINSHENG_DB", "MINSHENG_KEY_FILE"} {
		portal, backup := settings["minsheng.service"][env], settings["minsheng-backup.service"][env]
		if portal == "" || portal != backup {
			t.Errorf("%s: the portal has %q, the backup %q: the backup must copy what the portal serves", env, portal, backup)
		}
	}
	if s := settings["minsheng.service"]; s["MINSHENG_SECURE_COOKIES"] != "on" || !strings.HasPrefix(s["MINSHENG_ADDR"], "127.0.0.1:") {
		t.Errorf("the portal behind nginx listens on loopback only and marks cookies Secure; have %v", s)
	}
}

// findSystemdAnalyze returns systemd-analyze. Without it the test fails and says how to install
// it, unless MINSHENG_SKIP_DEPLOY=1 asks for a (loud) skip; CI never sets it.
func findSystemdAnalyze(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("systemd-analyze"); err == nil {
		return p
	}
	const how = "no systemd-analyze found for the test of the shipped systemd units: install it (Debian/Ubuntu: `apt-get install systemd`)"
	if os.Getenv("MINSHENG_SKIP_DEPLOY") == "1" {
		t.Skip("!!! SKIPPING the systemd unit test because MINSHENG_SKIP_DEPLOY=1: " + how + " !!!")
	}
	t.Fatal(how + " (or set MINSHENG_SKIP_DEPLOY=1 to skip the tests of the shipped files explicitly)")
	return ""
}

// Ensure systemd accepts every shipped unit with no warning: an unknown or misspelt setting is
// only a warning to systemd, which would quietly drop a protection. The program path is this
// test's own binary, since verify wants an executable there.
func TestSystemdVerifiesUnits(t *testing.T) {
	analyze := findSystemdAnalyze(t)
	self, err := os.Executable()
	must(t, err)
	files, err := filepath.Glob(filepath.Join(unitDir, "*.*"))
	must(t, err)
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		if ext := filepath.Ext(f); ext != ".service" && ext != ".timer" {
			continue
		}
		text, err := os.ReadFile(f)
		must(t, err)
		p := filepath.Join(dir, filepath.Base(f))
		must(t, os.WriteFile(p, []byte(strings.ReplaceAll(string(text), "/usr/local/bin/minsheng", self)), 0o644))
		paths = append(paths, p)
	}
	if len(paths) < 3 {
		t.Fatalf("want the portal, the backup and its timer, found %v", files)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, dir) || strings.Contains(line, "minsheng") {
			t.Errorf("systemd-analyze verify warns: %s", line)
		}
	}
}
