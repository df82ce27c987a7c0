package handlers_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// The handler tests on PostgreSQL (#15: the handler tests run against both engines in CI, and CI
// runs only `go test ./...`). TestMain starts this test binary again with
// MINSHENG_TEST_DB=postgres, so that the second run is the very code of the first (same binary,
// same -race), in a process of its own beside the SQLite run from its first test on;
// TestHandlerJourneysOnPostgres waits for it and reports its failures under its own name, with
// the failing tests' own output, so they cannot be mistaken for failures on SQLite. The child
// starts and stops its own cluster.
//
// Which tests: the whole suite twice did not fit the package in CI's 20 minutes under -race
// (the SQLite run alone takes 10–15 of them on two cores), so the child runs the tests of every
// journey that reads or writes through storage — the public's (submit, receipt, track, 公示,
// surveys and 民主评议), the review queue and the item page, roles and branches, exports, problems
// and near-duplicates, health, staff login and its throttle, conversations with the submitter
// and their files, attachments, the kiosk and transcribed letters, the audit page and its
// export — listed by postgresJourneys. The last six added 40 tests, about 60 s of CPU on
// PostgreSQL (measured under load 65: 790 s wall, 42 s user, 22 s system). Not yet here, on
// SQLite alone: user, unit, mailbox and site administration, bulk actions, campaigns, plans,
// symposia, look-back, reports, notices. The rest (forms' validation, page rendering, static
// files, captcha, calendars…) is engine-blind above storage, whose own suite runs on both
// engines test by test.
//
// Locally, `MINSHENG_TEST_DB=postgres go test -run TestX ./handlers/` runs any test on
// PostgreSQL.
var postgresJourneys = `^Test(Postgres|Submit|Receipt|Track|Public|Gongshi|Survey|Evaluation|Queue|Item|Role|Branch|Export|Similar|Problem|Healthz|Readyz|Login|Conversation|Attachment|Kiosk|Transcribe|Audit)`

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
	args := []string{"-test.count=1", "-test.run=" + postgresJourneys}
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
