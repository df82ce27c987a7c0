package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runWith runs the command line args (without the program name) against env and returns what
// it wrote and the exit status main would give it.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, status int, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	// A command that wrongly starts serving must not hang the test: it ends with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = run(ctx, append([]string{"minsheng"}, args...), envFrom(env), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), exitCode(err), err
}

// Ensure an argument no flag takes is refused with exit status 2 and a message naming it, by
// every command, before anything is opened or started: "-captcha off" used to swallow every
// flag after it and start the portal on the default database.
func TestStrayArgumentsRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	tests := []struct {
		name string
		args []string
	}{
		{"serve", []string{"serve", "-addr", "127.0.0.1:0", "-db", db, "later"}},
		{"serve by default", []string{"-addr", "127.0.0.1:0", "-db", db, "later"}},
		{"serve, bool flag then a word", []string{"serve", "-addr", "127.0.0.1:0", "-secure-cookies", "later", "-db", db}},
		{"user add", []string{"user", "add", "-db", db, "-username", "wang", "later"}},
		{"backup", []string{"backup", "-db", db, "-o", filepath.Join(dir, "b.db"), "later"}},
		{"restore", []string{"restore", "-db", db, "-i", filepath.Join(dir, "b.db"), "later"}},
		{"seed", []string{"seed", "-db", db, "-n", "5", "later"}},
		{"loadtest", []string{"loadtest", "-db", db, "-duration", "1s", "later"}},
		{"help", []string{"help", "serve", "later"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, status, err := runWith(t, nil, "a-long-password-1\n", tt.args...)
			if status != 2 || err == nil || !strings.Contains(err.Error(), `"later"`) {
				t.Fatalf("status %d, err %v; want status 2 and a message naming \"later\"", status, err)
			}
			if _, statErr := os.Stat(db); statErr == nil {
				t.Fatalf("the database was created although the command line was refused")
			}
		})
	}
}

// Ensure "-captcha off" and "-captcha=off" both turn the captcha off and leave the flags after
// them in force: the portal serves the database named by -db, not MINSHENG_DB's.
func TestCaptchaOffBothForms(t *testing.T) {
	for _, form := range [][]string{{"-captcha", "off"}, {"-captcha=off"}, {"-captcha", "OFF"}} {
		t.Run(strings.Join(form, " "), func(t *testing.T) {
			dir := t.TempDir()
			decoy, db := filepath.Join(dir, "decoy.db"), filepath.Join(dir, "chosen.db")
			args := append(append([]string{}, form...), "-db", db, "-kiosk-idle", "3m")
			base, _, stderr, stop := startServe(t, map[string]string{"MINSHENG_DB": decoy}, args...)
			defer stop()
			if !strings.Contains(stderr.String(), "captcha is OFF") {
				t.Errorf("no warning that the captcha is off; stderr: %s", stderr.String())
			}
			if _, body := get(t, base+"/submit"); strings.Contains(body, "captcha_id") {
				t.Error("the form still has a captcha")
			}
			if _, err := os.Stat(db); err != nil {
				t.Errorf("-db after -captcha was dropped: %v", err)
			}
			if _, err := os.Stat(decoy); err == nil {
				t.Error("the portal opened MINSHENG_DB instead of -db")
			}
		})
	}
}

// Ensure the on/off flags read a following on/off word as their value, and otherwise stand
// alone, so "-secure-cookies", "-secure-cookies on" and "-captcha no" all mean what they say.
func TestOnOffFlagForms(t *testing.T) {
	tests := []struct {
		args          []string
		captcha, sure bool
	}{
		{[]string{"-captcha", "off"}, false, false},
		{[]string{"-captcha=off", "-secure-cookies"}, false, true},
		{[]string{"-secure-cookies", "on", "-captcha", "no"}, false, true},
		{[]string{"-secure-cookies", "-captcha", "on"}, true, true},
		{[]string{"-captcha"}, true, false},
		{[]string{"-addr", "off", "-captcha", "0"}, false, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs, _ := newFlagSet("serve", envFrom(nil), io.Discard)
			captcha, secure := onOff(true), onOff(false)
			fs.Var(&captcha, "captcha", "")
			fs.Var(&secure, "secure-cookies", "")
			fs.String("addr", "", "")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if bool(captcha) != tt.captcha || bool(secure) != tt.sure {
				t.Fatalf("captcha %v, secure-cookies %v; want %v, %v", captcha, secure, tt.captcha, tt.sure)
			}
		})
	}
}

// Ensure "minsheng help", "-h" and "--help" list every command, and "minsheng CMD -h" (or
// "minsheng help CMD") lists that command's flags, on standard output with status 0.
func TestHelp(t *testing.T) {
	everyCommand := []string{"serve", "user add", "backup", "restore", "seed", "loadtest", "CMD -h"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"help", []string{"help"}, everyCommand},
		{"-h", []string{"-h"}, everyCommand},
		{"--help", []string{"--help"}, everyCommand},
		{"help -h", []string{"help", "-h"}, everyCommand},
		{"serve -h", []string{"serve", "-h"}, []string{"minsheng serve", "-addr", "-captcha", "-db", "-public-url", "MINSHENG_DB"}},
		{"help serve", []string{"help", "serve"}, []string{"minsheng serve", "-addr", "-captcha"}},
		{"user -h", []string{"user", "-h"}, []string{"user add"}},
		{"user add -h", []string{"user", "add", "-h"}, []string{"-username", "-role", "-unit", "-units", "standard input"}},
		{"help user add", []string{"help", "user", "add"}, []string{"-username", "-role"}},
		{"backup -help", []string{"backup", "-help"}, []string{"-o", "-db", "-key-file"}},
		{"seed -h", []string{"seed", "-h"}, []string{"-n", "-months"}},
		{"loadtest --help", []string{"loadtest", "--help"}, []string{"-url", "-clients"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, status, err := runWith(t, nil, "", tt.args...)
			if status != 0 || err != nil {
				t.Fatalf("status %d, err %v", status, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// Ensure mistakes on the command line say what to do, with exit status 2.
func TestUsageMistakes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown command", []string{"launch"}, []string{`"launch"`, "serve", "loadtest", "minsheng help"}},
		{"unknown flag", []string{"serve", "-port", "80"}, []string{"-port", "minsheng serve -h"}},
		{"user without a subcommand", []string{"user"}, []string{"user add"}},
		{"unknown user subcommand", []string{"user", "remove"}, []string{`"remove"`, "user add"}},
		{"help for an unknown command", []string{"help", "launch"}, []string{`"launch"`}},
		{"captcha with a wrong word", []string{"serve", "-captcha=maybe"}, []string{"-captcha", "on or off"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, status, err := runWith(t, nil, "", tt.args...)
			if status != 2 || err == nil {
				t.Fatalf("status %d, err %v; want status 2", status, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
		})
	}
}

// Ensure user add explains every refusal in words that say what to type instead: the known
// roles, the -unit flag, the known units; never a raw SQLite message.
func TestUserAddExplains(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	allRoles := []string{"admin", "reviewer", "liaison", "leader", "supervisor", "discipline", "unit_head", "dept_head", "monitor"}
	someUnits := []string{"bureau", "county-hospital", "qingshan-thc", "县人民医院"}
	tests := []struct {
		name   string
		args   []string
		status int
		want   []string
	}{
		{"unknown role", []string{"-username", "sun", "-role", "boss"}, 2, append([]string{`"boss"`}, allRoles...)},
		{"liaison without -unit", []string{"-username", "wu", "-role", "liaison"}, 2, append([]string{"-unit CODE"}, someUnits...)},
		{"liaison of an unknown unit", []string{"-username", "zheng", "-role", "liaison", "-unit", "nowhere"}, 2, append([]string{`"nowhere"`}, someUnits...)},
		{"leader with an unknown linked unit", []string{"-username", "feng", "-role", "leader", "-units", "bureau,nowhere"}, 2, append([]string{`"nowhere"`}, someUnits...)},
		{"a unit for a reviewer", []string{"-username", "qian", "-role", "reviewer", "-unit", "bureau"}, 2, []string{"-unit", "liaison"}},
		{"linked units for a liaison", []string{"-username", "chu", "-role", "liaison", "-unit", "bureau", "-units", "bureau"}, 2, []string{"-units", "leader"}},
		{"no username", []string{"-role", "admin"}, 2, []string{"-username NAME"}},
		{"department head without -dept", []string{"-username", "he", "-role", "dept_head", "-unit", "bureau"}, 2, []string{"-dept NAME"}},
		{"unit head without -unit", []string{"-username", "lv", "-role", "unit_head"}, 2, append([]string{"-unit CODE"}, someUnits...)},
		{"a unit for a citizen supervisor", []string{"-username", "shi", "-role", "monitor", "-unit", "bureau"}, 2, []string{"-units"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"user", "add", "-db", db}, tt.args...)
			_, _, status, err := runWith(t, nil, "a-long-password-1\n", args...)
			if err == nil || status != tt.status {
				t.Fatalf("status %d, err %v; want status %d", status, err, tt.status)
			}
			msg := err.Error()
			if strings.Contains(strings.ToUpper(msg), "FOREIGN KEY") || strings.Contains(msg, "constraint") {
				t.Errorf("raw database message: %s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}

// Ensure a help request is not mistaken for the server: "minsheng -h" must not start serving.
func TestHelpDoesNotServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	out, _, status, err := runWith(t, map[string]string{"MINSHENG_DB": db}, "", "-h")
	if err != nil || status != 0 || strings.Contains(out, "listening") {
		t.Fatalf("status %d, err %v, out %q", status, err, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("-h created the database")
	}
}
