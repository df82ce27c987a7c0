package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/internal/testkit"
	"minsheng/loadgen"
	"minsheng/receipt"
	"minsheng/storage"
)

// childEnv makes the test binary act as the minsheng binary: the crash tests start it as a
// separate process so that they can kill it with SIGKILL, as a power cut or the OOM killer would.
const childEnv = "MINSHENG_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, append([]string{"minsheng"}, strings.Fields(args)...), os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "minsheng:", err)
			os.Exit(exitCode(err))
		}
		os.Exit(0)
	}
	pgtest.Main(m) // stops the PostgreSQL cluster a test may have started
}

// child is the portal running in its own process.
type child struct {
	cmd  *exec.Cmd
	base string
	out  *testkit.SyncBuffer
}

// startChild starts the portal on db with the captcha off (the load cannot read images); extra
// are more flags (none with spaces), such as -key-file on PostgreSQL.
func startChild(t *testing.T, db string, extra ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=serve -addr 127.0.0.1:0 -captcha=off -db "+strings.Join(append([]string{db}, extra...), " "))
	out, errOut := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// childPatience, like waitForStored: under -race on a machine busy with other builds a child
	// took more than 20 s to open its database and listen, and three minutes at a load of 40 on
	// two cores (7 s of CPU, SQLite or PostgreSQL alike). This waits; it measures nothing.
	deadline := time.Now().Add(childPatience)
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(out.String()); m != nil {
			return &child{cmd: cmd, base: m[1], out: out}
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("child never listened: %s\nits errors: %s", out.String(), errOut.String())
	return nil
}

// verifyAll checks every acknowledged submission is stored once with its text, and that the
// database passes its engine's checks (SQLite's integrity and foreign keys; PostgreSQL's
// Store.Check). keyPath is the key file the portal hashed the receipts with.
func verifyAll(t *testing.T, db, keyPath string, acks []loadgen.Ack) {
	t.Helper()
	ctx := context.Background()
	key, err := loadKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	hasher, _ := receipt.NewHasher(key)
	store, err := storage.Open(ctx, db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Check(ctx); err != nil {
		t.Fatalf("database damaged: %v", err)
	}
	lost, err := countLost(ctx, store, hasher, acks)
	if err != nil {
		t.Fatal(err)
	}
	if lost != 0 {
		t.Fatalf("%d of %d acknowledged submissions lost", lost, len(acks))
	}
	seen := map[string]int{}
	err = store.EachOpinion(ctx, storage.OpinionFilter{}, func(o storage.Opinion) error {
		seen[o.Content]++
		if seen[o.Content] > 1 {
			return fmt.Errorf("stored twice: %q", o.Content)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// countOpinions counts the opinions in the database file, read-only, beside a running portal.
func countOpinions(t *testing.T, db string) int {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM opinions`).Scan(&n); err != nil {
		return 0 // not migrated yet
	}
	return n
}

// waitForOpinions waits until the database file holds at least n opinions: a fixed sleep
// before a signal would, on a machine busy with other tests, stop the portal before any load
// reached it.
func waitForOpinions(t *testing.T, db string, n int) {
	t.Helper()
	waitForStored(t, func() int { return countOpinions(t, db) }, n)
}

// childPatience bounds the waits for a child portal to listen and for its first stored
// submissions: generous, as they only wait on a busy machine and measure nothing.
const childPatience = 5 * time.Minute

// waitForStored waits until stored() reaches n, for at most childPatience of load.
func waitForStored(t *testing.T, stored func() int, n int) {
	t.Helper()
	deadline := time.Now().Add(childPatience)
	for stored() < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d opinions stored after %v of load", n, childPatience)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Ensure nothing acknowledged is lost when the portal is killed with SIGKILL in the middle of
// a load, again and again, and that the database stays sound.
func TestCrashUnderLoadLosesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crash.db")
	acks := crashCycles(t, func() *child { return startChild(t, db) }, func() int { return countOpinions(t, db) })
	verifyAll(t, db, filepath.Join(filepath.Dir(db), "minsheng.key"), acks)
}

// crashCycles starts the portal (start), loads it, and kills it with SIGKILL once stored() has
// grown, four times; it returns every submission acknowledged. No server error may come before
// a kill.
func crashCycles(t *testing.T, start func() *child, stored func() int) []loadgen.Ack {
	t.Helper()
	var acks []loadgen.Ack
	const cycles = 4
	for i := 0; i < cycles; i++ {
		before := stored()
		c := start()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan loadgen.Result, 1)
		go func() {
			done <- loadgen.Run(ctx, loadgen.Config{BaseURL: c.base, Clients: 16, Duration: childPatience}) // ended by the kill
		}()
		// Killed once the load is under way, however slowly a busy machine got it going.
		waitForStored(t, stored, before+1)
		time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		c.cmd.Wait()
		time.Sleep(100 * time.Millisecond) // let in-flight requests fail
		cancel()
		res := <-done
		t.Logf("cycle %d: %s", i, res.Summary())
		if res.Class(5) > 0 {
			t.Fatalf("cycle %d: %d server errors before the kill", i, res.Class(5))
		}
		acks = append(acks, res.Acks...)
	}
	if len(acks) == 0 {
		t.Fatal("no submission was acknowledged; the test proved nothing")
	}
	return acks
}

// Ensure SIGTERM lets in-flight submissions finish: every acknowledged one is stored and the
// process exits cleanly.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	db := filepath.Join(t.TempDir(), "term.db")
	c := startChild(t, db)
	done := make(chan loadgen.Result, 1)
	go func() {
		done <- loadgen.Run(context.Background(), loadgen.Config{BaseURL: c.base, Clients: 16, Duration: 3 * time.Second})
	}()
	waitForOpinions(t, db, 1) // stopped in the middle of the load, not before it began
	time.Sleep(200 * time.Millisecond)
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("portal exited with %v after SIGTERM; output: %s", err, c.out.String())
	}
	if !strings.Contains(c.out.String(), "minsheng stopped") {
		t.Fatalf("no clean stop: %s", c.out.String())
	}
	res := <-done
	t.Log(res.Summary())
	if len(res.Acks) == 0 {
		t.Fatal("nothing acknowledged before SIGTERM")
	}
	verifyAll(t, db, filepath.Join(filepath.Dir(db), "minsheng.key"), res.Acks)
}
