package handlers_test

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestEveryHandlerTestOnPostgres runs this package's tests a second time with every harness on
// PostgreSQL (#15: the handler tests run against both engines in CI, and CI runs only
// `go test ./...`). It starts this test binary again with MINSHENG_TEST_DB=postgres, so that
// the second run is the very suite of the first (same binary, same -race), in a process of its
// own: its failures come back under this one test's name, with the failing tests' own output,
// and cannot be mistaken for a failure on SQLite. The child starts and stops its own cluster.
//
// Locally, `MINSHENG_TEST_DB=postgres go test -run TestX ./handlers/` runs one test on
// PostgreSQL; this test does nothing in that run.
func TestEveryHandlerTestOnPostgres(t *testing.T) {
	if os.Getenv(testDBEnv) == "postgres" {
		t.Skip("this is the run on PostgreSQL")
	}
	t.Parallel() // beside the SQLite run, which leaves cores idle while it waits on fsync
	args := []string{"-test.count=1"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	if d, ok := t.Deadline(); ok {
		// The child stops, and says where it was, a little before the parent would be killed.
		args = append(args, "-test.timeout="+max(time.Until(d)-30*time.Second, time.Second).Truncate(time.Second).String())
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), testDBEnv+"=postgres")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if err != nil {
		t.Fatalf("the handler tests on PostgreSQL failed (%v) after %s; rerun them with "+
			"`MINSHENG_TEST_DB=postgres go test -run NAME ./handlers/`:\n%s",
			err, time.Since(start).Round(time.Second), out.String())
	}
	t.Logf("every handler test passed on PostgreSQL in %s", time.Since(start).Round(time.Second))
	if testing.Verbose() {
		t.Log(out.String())
	}
}
