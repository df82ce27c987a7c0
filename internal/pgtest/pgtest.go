// Package pgtest starts throwaway PostgreSQL clusters for tests, from the server programs of
// Debian's `postgresql` package (initdb and postgres under /usr/lib/postgresql/N/bin).
//
// A cluster lives in a temporary folder: its data, its log and its Unix socket, and it listens
// on nothing else (no TCP). When the tests run as root, initdb and postgres run as the
// unprivileged user nobody (PostgreSQL refuses root), with the folder handed to that user.
// Authentication is trust, for the superuser postgres, which is fine for a socket only the
// machine's users can reach, and only for tests.
//
// One cluster per test binary, with a fresh database per test:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.Shared(t).NewDatabase(t) // postgres:// URL of an empty database
//		...
//	}
//
// NewDatabaseFrom copies a template database (say, one migrated once) for a test. Start gives a
// test a cluster of its own, stopped and removed by t.Cleanup.
//
// Without the package the test FAILS and says how to install it; MINSHENG_SKIP_POSTGRES=1
// turns that into a loud skip, for local runs only (CI never sets it).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role every cluster is made with and every URL connects as.
const Superuser = "postgres"

// port only names the socket file (.s.PGSQL.5432) in the cluster's own folder: nothing listens
// on TCP, so clusters never clash however many run at once.
const port = 5432

// readyWithin bounds the wait for a new server to accept connections. Generous: the machine
// is shared, and a slow start is not a failure.
const readyWithin = 90 * time.Second

// Cluster is one running PostgreSQL server.
type Cluster struct {
	dir     string // the folder holding data/, the log and (usually) the socket
	sockDir string
	data    string
	logPath string
	server  *server

	mu        sync.Mutex
	stopped   bool
	templates map[string]*template
}

// template is one database made once for many tests' copies (Template).
type template struct {
	once sync.Once
	url  string
	err  error
}

// SocketDir is the folder of the cluster's Unix socket, the "host" of its connection strings.
func (c *Cluster) SocketDir() string { return c.sockDir }

// DataDir is the cluster's data directory.
func (c *Cluster) DataDir() string { return c.data }

// PID is the process id of the postmaster.
func (c *Cluster) PID() int { return c.server.cmd.Process.Pid }

// URL is the postgres:// URL of database db on this cluster, as the superuser, over the socket.
func (c *Cluster) URL(db string) string {
	q := url.Values{}
	q.Set("host", c.sockDir)
	q.Set("port", strconv.Itoa(port))
	q.Set("sslmode", "disable")
	return (&url.URL{Scheme: "postgres", User: url.User(Superuser), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// NewDatabase creates an empty database with a random name and returns its URL; the database
// is dropped (connections and all) when the test ends.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	return c.newDatabase(t, "")
}

// NewDatabaseFrom creates a database as a copy of the one at templateURL (for example one
// migrated once for many tests), dropped when the test ends. Nobody may be connected to the
// template while it is copied.
func (c *Cluster) NewDatabaseFrom(t testing.TB, templateURL string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(templateURL)
	if err != nil {
		t.Fatalf("pgtest: template %s: %v", templateURL, err)
	}
	return c.newDatabase(t, cfg.Database)
}

// Template returns the URL of database name, created and handed to fill (to migrate it, say)
// by the first caller and kept until the cluster stops: NewDatabaseFrom copies it for each
// test, which is much quicker than filling every test's database anew. A failure fails every
// caller alike.
func (c *Cluster) Template(t testing.TB, name string, fill func(ctx context.Context, url string) error) string {
	t.Helper()
	c.mu.Lock()
	if c.templates == nil {
		c.templates = map[string]*template{}
	}
	tpl := c.templates[name]
	if tpl == nil {
		tpl = &template{}
		c.templates[name] = tpl
	}
	c.mu.Unlock()
	tpl.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*readyWithin)
		defer cancel()
		if tpl.err = c.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); tpl.err != nil {
			return
		}
		tpl.url = c.URL(name)
		tpl.err = fill(ctx, tpl.url)
	})
	if tpl.err != nil {
		t.Fatalf("pgtest: template database %s: %v", name, tpl.err)
	}
	return tpl.url
}

func (c *Cluster) newDatabase(t testing.TB, template string) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: database name: %v", err)
	}
	name := "test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), readyWithin)
	defer cancel()
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		create += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if err := c.exec(ctx, create); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), readyWithin)
		defer cancel()
		if err := c.exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return c.URL(name)
}

// exec runs one statement in the maintenance database postgres.
func (c *Cluster) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// Start starts a cluster of the test's own in t.TempDir(); t.Cleanup stops it (the folder
// goes with the test's temporary folders). Without PostgreSQL the test fails with how to
// install it (or skips, loudly, with MINSHENG_SKIP_POSTGRES=1).
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := findBinaries()
	if err != nil {
		missing(t, err)
	}
	c, err := start(bin, t.TempDir())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return c
}

// The cluster shared by a test binary's tests, started by the first test that asks for it and
// stopped by Main when every test has run.
var (
	mainRunning atomic.Bool
	shared      struct {
		once    sync.Once
		cluster *Cluster
		dir     string
		err     error
		missing bool
	}
)

// Main runs the tests of a package and then stops and removes the shared cluster, if one was
// started. Call it from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	if err := stopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Shared returns the test binary's cluster, starting it on first use. The package's TestMain
// must call Main, which stops it at the end; otherwise the test fails.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	if !mainRunning.Load() {
		t.Fatal("pgtest: Shared needs the package's TestMain to call pgtest.Main(m), which stops the cluster at the end")
	}
	shared.once.Do(func() {
		bin, err := findBinaries()
		if err != nil {
			shared.err, shared.missing = err, true
			return
		}
		// Not t.TempDir(): the cluster outlives the test that started it. Main removes it.
		dir, err := os.MkdirTemp("", "minsheng-pgtest-")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		shared.cluster, shared.err = start(bin, dir)
	})
	if shared.missing {
		missing(t, shared.err)
	}
	if shared.err != nil {
		t.Fatalf("pgtest: shared cluster: %v", shared.err)
	}
	return shared.cluster
}

// stopShared stops the shared cluster and removes its folder.
func stopShared() error {
	var errs []error
	if shared.cluster != nil {
		errs = append(errs, shared.cluster.Stop())
	}
	if shared.dir != "" {
		errs = append(errs, os.RemoveAll(shared.dir))
	}
	return errors.Join(errs...)
}

// skipEnv asks for a loud skip instead of a failure when PostgreSQL is missing. Local runs only.
const skipEnv = "MINSHENG_SKIP_POSTGRES"

// missing fails the test because PostgreSQL's programs were not found, or skips it loudly when
// MINSHENG_SKIP_POSTGRES=1.
func missing(t testing.TB, err error) {
	t.Helper()
	how := missingMessage(err)
	if os.Getenv(skipEnv) == "1" {
		t.Skip("!!! SKIPPING the PostgreSQL test because " + skipEnv + "=1: " + how + " !!!")
	}
	t.Fatal(how + " (or set " + skipEnv + "=1 to skip this test explicitly)")
}

// missingMessage says what is missing and how to install it.
func missingMessage(err error) string {
	return fmt.Sprintf("no PostgreSQL server programs found for the PostgreSQL test (%v): install them "+
		"(Debian/Ubuntu: `apt-get install postgresql`; the test starts its own throwaway cluster, "+
		"the system service need not run) or point PGTEST_BIN at the folder holding initdb and postgres", err)
}

// logTail returns the end of the server's log, for error messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	const keep = 2000
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return string(b)
}

// dataPath is where a cluster's files go inside its folder.
func dataPath(dir string) string { return filepath.Join(dir, "data") }
