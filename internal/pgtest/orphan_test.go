package pgtest

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv tells the test binary, run again by TestServerDiesWithTestBinary, to start a
// cluster in the folder it names, print the postmaster's pid and wait to be killed.
const childEnv = "PGTEST_ORPHAN_CHILD_DIR"

// TestServerDiesWithTestBinary: a test binary killed outright (go test's timeout, kill -9)
// leaves no server running on the machine.
func TestServerDiesWithTestBinary(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		bin, err := findBinaries()
		if err != nil {
			t.Fatal(err)
		}
		c, err := start(bin, dir)
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("pid " + strconv.Itoa(c.PID()) + "\n")
		time.Sleep(10 * time.Minute) // killed long before
		return
	}
	if _, err := findBinaries(); err != nil {
		missing(t, err)
	}
	dir := filepath.Join(t.TempDir(), "cluster")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithTestBinary$", "-test.count=1")
	child.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	pid := 0
	lines := bufio.NewScanner(out)
	for pid == 0 && lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "pid "); ok {
			pid, _ = strconv.Atoi(rest)
		}
	}
	if pid == 0 {
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("the child test binary never reported its server (%v)", lines.Err())
	}
	if !running(pid) {
		t.Fatalf("postmaster %d not running before the kill", pid)
	}
	_ = child.Process.Kill() // SIGKILL: no cleanup of its own runs
	_ = child.Wait()
	deadline := time.Now().Add(60 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("postmaster %d still running 60 s after its test binary was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// running reports whether pid is a live process (a zombie waiting for its parent is not).
func running(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		return true
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}
