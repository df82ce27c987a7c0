package handlers_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"minsheng/internal/testsource"
)

// The handler tests on PostgreSQL (#15: the handler tests run against both engines in CI, and CI
// runs only `go test ./...`). TestMain starts this test binary again with
// MINSHENG_TEST_DB=postgres, so that the second run is the very code of the first (same binary,
// same -race), in a process of its own beside the SQLite run from its first test on;
// TestHandlerJourneysOnPostgres waits for it and reports its failures under its own name, with
// the failing tests' own output, so they cannot be mistaken for failures on SQLite. The child
// starts and stops its own cluster.
//
// Which tests: all of them, but those that name their engine themselves (oneEngineTests), which
// would only repeat in the child what they already do. Until sitting 12 the child ran only the
// tests of the journeys through storage, because migrating every test's database from 0001 on
// PostgreSQL made the whole suite twice too slow for CI's 20 minutes; the harness now copies a
// database migrated once (storetest.DSN), a third less CPU a test, and the admin pages (users,
// units, mailboxes, sites), bulk actions, campaigns, plans, symposia, look-back, reports and
// notices joined: all 171 of them passed on PostgreSQL the first time, in 6 min of CPU (load 15).
// A new test runs on both engines unless it names its engine and is declared below
// (TestHandlerTestsRunOnBothEngines keeps the list true).
//
// Locally, `MINSHENG_TEST_DB=postgres go test -run TestX ./handlers/` runs any test on
// PostgreSQL.

// oneEngineTests are the tests the run on PostgreSQL leaves out, and why: each opens the engine
// it is about itself (newHarness with onSQLite, onPostgres or onDatabase, or a cluster of its
// own), so the child would run it again exactly as the parent does.
var oneEngineTests = map[string]string{
	"TestAnonymityCanarySweep": "greps the SQLite file, its -wal and -shm and a VACUUM INTO backup for " +
		"canaries; on PostgreSQL the rows are storage's (TestSettleLeavesNoArrivalOrderOnPostgres and the storage suite)",
	"TestSubmitHappyPath":                      "reads the SQLite file's bytes for the submitter's words (the same submission on PostgreSQL: TestPostgresSubmitTrackQueue)",
	"TestKioskSubmit":                          "reads the SQLite file's bytes for the kiosk's user agent (the kiosk's other tests run on both)",
	"TestPublicActsKeepTheDateOnly":            "reads the SQLite file's bytes for a time of day (storage checks the columns on both engines)",
	"TestHealthzSaysWhetherTheDatabaseAnswers": "both engines in one test: a SQLite handle closed, a PostgreSQL server of its own stopped",
	"TestPostgresSubmitTrackQueue":             "on PostgreSQL in the SQLite run already (the core loop, even when the child is left out by -run)",
	"TestPostgresSeveralProcesses":             "two processes on one PostgreSQL database in the SQLite run already; the child runs the same walks through TestSubmissionAcrossProcesses and its siblings",
}

// engineNamers are what a test names to choose its engine itself.
var engineNamers = []string{"onSQLite", "onPostgres", "onDatabase", "pgtest"}

// postgresRun is the child run, started by TestMain; nil when none was started.
var postgresRun *childRun

type childRun struct {
	start time.Time
	out   bytes.Buffer
	done  chan error
}

// startPostgresRun starts the child unless this is the child, or -test.run leaves out
// TestHandlerJourneysOnPostgres.
func startPostgresRun() *childRun {
	if os.Getenv(testDBEnv) == "postgres" {
		return nil
	}
	if !flag.Parsed() {
		flag.Parse()
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		if re, err := regexp.Compile(f.Value.String()); err != nil || !re.MatchString("TestHandlerJourneysOnPostgres") {
			return nil
		}
	}
	skip := make([]string, 0, len(oneEngineTests))
	for name := range oneEngineTests {
		skip = append(skip, regexp.QuoteMeta(name))
	}
	slices.Sort(skip)
	args := []string{"-test.count=1", "-test.run=^Test", "-test.skip=^(" + strings.Join(skip, "|") + ")$"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil && d > 0 {
			// The child stops, and says where it was, a little before the parent would be killed.
			args = append(args, "-test.timeout="+max(d-time.Minute, time.Second).String())
		}
	}
	r := &childRun{start: time.Now(), done: make(chan error, 1)}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), testDBEnv+"=postgres")
	cmd.Stdout, cmd.Stderr = &r.out, &r.out
	if err := cmd.Start(); err != nil {
		r.done <- err
		return r
	}
	go func() { r.done <- cmd.Wait() }()
	return r
}

// TestHandlerJourneysOnPostgres reports the run on PostgreSQL that TestMain started.
func TestHandlerJourneysOnPostgres(t *testing.T) {
	if os.Getenv(testDBEnv) == "postgres" {
		t.Skip("this is the run on PostgreSQL")
	}
	if postgresRun == nil {
		t.Fatal("TestMain started no run on PostgreSQL")
	}
	t.Parallel() // waits beside the SQLite run
	err := <-postgresRun.done
	took := time.Since(postgresRun.start).Round(time.Second)
	if err != nil {
		t.Fatalf("the handler tests on PostgreSQL failed (%v) after %s; rerun them with "+
			"`MINSHENG_TEST_DB=postgres go test -run NAME ./handlers/`:\n%s", err, took, postgresRun.out.String())
	}
	t.Logf("the handler journeys passed on PostgreSQL in %s", took)
	if testing.Verbose() {
		t.Log(postgresRun.out.String())
	}
}

// TestHandlerTestsRunOnBothEngines keeps oneEngineTests true: a test that names its engine
// itself is in it (or the child would repeat it), and every test in it exists and still does.
func TestHandlerTestsRunOnBothEngines(t *testing.T) {
	t.Parallel()
	funcs, err := testsource.Parse(".")
	if err != nil {
		t.Fatal(err)
	}
	both, total := 0, 0
	for _, name := range funcs.Names() {
		if !strings.HasPrefix(name, "Test") || name == "TestMain" || name == "TestHandlerJourneysOnPostgres" {
			continue
		}
		total++
		_, listed := oneEngineTests[name]
		switch names := funcs.Reaches(name, engineNamers); {
		case names && !listed:
			t.Errorf("%s (%s) chooses its engine itself: add it with the reason to oneEngineTests, or let the harness choose (newHarness(t))",
				name, funcs.File(name))
		case !names && listed:
			t.Errorf("%s (%s) follows the harness's engine now: take it out of oneEngineTests", name, funcs.File(name))
		case !names:
			both++
		}
	}
	for name, why := range oneEngineTests {
		if !funcs.Has(name) {
			t.Errorf("oneEngineTests names %s, which is no test of handlers", name)
		}
		if len([]rune(why)) < 10 {
			t.Errorf("%s: say why it is left out of the run on PostgreSQL (%q)", name, why)
		}
	}
	t.Logf("%d of %d tests run on both engines; %d choose their engine themselves", both, total, len(oneEngineTests))
}
