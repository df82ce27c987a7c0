package pgtest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"minsheng/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// connect opens one connection to url, closed when the test ends.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestSmoke connects with pgx to a fresh database of the shared cluster and does what the
// storage backend will: a query, a table, and a durable commit read back by another session.
func TestSmoke(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Shared(t).NewDatabase(t)
	conn := connect(t, url)

	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE opinions (id text PRIMARY KEY, day date NOT NULL, body text NOT NULL)`); err != nil {
		t.Fatalf("create table: %v", err)
	}

	// A durable commit: synchronous_commit on (set for the transaction, so that it holds
	// whatever the server's default), and the server flushing to disk.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = on"); err != nil {
		t.Fatalf("synchronous_commit: %v", err)
	}
	for _, setting := range []string{"synchronous_commit", "fsync"} {
		var v string
		if err := tx.QueryRow(ctx, "SELECT current_setting($1)", setting).Scan(&v); err != nil || v != "on" {
			t.Fatalf("%s = %q, %v; want on", setting, v, err)
		}
	}
	const body = "挂号排队两个小时，希望增加窗口。"
	if _, err := tx.Exec(ctx, "INSERT INTO opinions (id, day, body) VALUES ($1, $2, $3)", "a1b2", "2026-12-07", body); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var inserted string // where the WAL stood after the insert, before the commit record
	if err := tx.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&inserted); err != nil {
		t.Fatalf("wal position: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("commit: %v", err)
	}
	// Acknowledged means on disk: the WAL is flushed at least past the insert.
	var flushed bool
	if err := conn.QueryRow(ctx, "SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", inserted).Scan(&flushed); err != nil || !flushed {
		t.Fatalf("WAL flushed past the insert (%s) after the commit: %v, %v", inserted, flushed, err)
	}

	other := connect(t, url) // another session sees the committed row, the text intact
	var got string
	var day time.Time
	if err := other.QueryRow(ctx, "SELECT body, day FROM opinions WHERE id = $1", "a1b2").Scan(&got, &day); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if got != body || day.Format(time.DateOnly) != "2026-12-07" {
		t.Fatalf("read back %q %s, want %q 2026-12-07", got, day.Format(time.DateOnly), body)
	}
	var enc string
	if err := other.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil || enc != "UTF8" {
		t.Fatalf("server_encoding = %q, %v; want UTF8", enc, err)
	}
}

// TestFreshDatabasePerTest: each test's database starts empty, is not another's, and is
// dropped when its test ends.
func TestFreshDatabasePerTest(t *testing.T) {
	ctx := context.Background()
	cluster := pgtest.Shared(t)
	var first, second string
	t.Run("first", func(t *testing.T) {
		first = cluster.NewDatabase(t)
		if _, err := connect(t, first).Exec(ctx, "CREATE TABLE only_in_first (x int)"); err != nil {
			t.Fatalf("create table: %v", err)
		}
		second = cluster.NewDatabase(t)
		if second == first {
			t.Fatalf("two databases share the URL %s", first)
		}
		var n int
		if err := connect(t, second).QueryRow(ctx,
			"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("second database has %d tables (%v), want 0", n, err)
		}
	})
	admin := connect(t, cluster.URL("postgres"))
	for _, url := range []string{first, second} {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatalf("parse %s: %v", url, err)
		}
		var n int
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", cfg.Database).Scan(&n); err != nil || n != 0 {
			t.Errorf("database %s still there after its test (%d, %v)", cfg.Database, n, err)
		}
	}
}

// TestNewDatabaseFrom: a database copied from a template has the template's tables and rows,
// and changes to the copy stay in the copy.
func TestNewDatabaseFrom(t *testing.T) {
	ctx := context.Background()
	cluster := pgtest.Shared(t)
	template := cluster.NewDatabase(t)
	func() {
		conn, err := pgx.Connect(ctx, template)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer conn.Close(ctx) // no session may stay on a template while it is copied
		if _, err := conn.Exec(ctx, "CREATE TABLE units (id text PRIMARY KEY); INSERT INTO units VALUES ('county')"); err != nil {
			t.Fatalf("fill template: %v", err)
		}
	}()
	copied := cluster.NewDatabaseFrom(t, template)
	if copied == template {
		t.Fatal("the copy has the template's URL")
	}
	conn := connect(t, copied)
	if _, err := conn.Exec(ctx, "INSERT INTO units VALUES ('city')"); err != nil {
		t.Fatalf("insert into the copy: %v", err)
	}
	for _, c := range []struct {
		url  string
		want int
	}{{copied, 2}, {template, 1}} {
		var n int
		if err := connect(t, c.url).QueryRow(ctx, "SELECT count(*) FROM units").Scan(&n); err != nil || n != c.want {
			t.Errorf("%s: %d units (%v), want %d", c.url, n, err, c.want)
		}
	}
}

// TestSocketOnly: the server listens on its own folder's Unix socket and on no TCP address.
func TestSocketOnly(t *testing.T) {
	ctx := context.Background()
	cluster := pgtest.Shared(t)
	conn := connect(t, cluster.URL("postgres"))
	for _, c := range []struct{ setting, want string }{
		{"listen_addresses", ""},
		{"unix_socket_directories", cluster.SocketDir()},
	} {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", c.setting).Scan(&v); err != nil || v != c.want {
			t.Errorf("%s = %q, %v; want %q", c.setting, v, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(cluster.SocketDir(), ".s.PGSQL.5432")); err != nil {
		t.Errorf("socket: %v", err)
	}
}

// TestServerIsUnprivileged: the postmaster never runs as root (as root, it runs as nobody).
func TestServerIsUnprivileged(t *testing.T) {
	cluster := pgtest.Shared(t)
	uid := processUID(t, cluster.PID())
	if uid == 0 {
		t.Fatalf("postmaster %d runs as root", cluster.PID())
	}
	if os.Geteuid() != 0 && uid != os.Geteuid() {
		t.Errorf("postmaster runs as uid %d, the tests as %d", uid, os.Geteuid())
	}
	st, err := os.Stat(cluster.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if owner := int(st.Sys().(*syscall.Stat_t).Uid); owner != uid {
		t.Errorf("data directory owned by uid %d, server runs as %d", owner, uid)
	}
}

// processUID reads the real uid of a process from /proc.
func processUID(t *testing.T, pid int) int {
	t.Helper()
	st, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid)))
	if err != nil {
		t.Fatalf("process %d: %v", pid, err)
	}
	return int(st.Sys().(*syscall.Stat_t).Uid)
}

// TestStartStopsAndRemoves: a test's own cluster is not the shared one, and is stopped and its
// folders removed when the test ends, also when a long test name makes a t.TempDir() too long
// for a Unix socket's address (the socket then gets a short folder of its own).
func TestStartStopsAndRemoves(t *testing.T) {
	for _, name := range []string{
		"own cluster",
		"own cluster of a test whose name is long enough to push the socket path past the limit of a Unix address",
	} {
		var pid int
		var data, sock string
		t.Run(name, func(t *testing.T) {
			started := time.Now()
			c := pgtest.Start(t)
			t.Logf("a cluster of its own started in %v (initdb and server)", time.Since(started).Round(time.Millisecond))
			pid, data, sock = c.PID(), c.DataDir(), c.SocketDir()
			t.Logf("data %s, socket in %s", data, sock)
			if n := len(sock + "/.s.PGSQL.5432.lock"); n > 107 {
				t.Errorf("socket path of %d bytes, more than a Unix address holds", n)
			}
			if c.SocketDir() == pgtest.Shared(t).SocketDir() {
				t.Fatal("Start returned the shared cluster")
			}
			var one int
			if err := connect(t, c.URL("postgres")).QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
				t.Fatalf("SELECT 1: %v", err)
			}
		})
		if t.Failed() {
			return
		}
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s: postmaster %d still there after its test: kill -0 gave %v", name, pid, err)
		}
		for _, d := range []string{data, sock} {
			if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: %s still there after its test: %v", name, d, err)
			}
		}
	}
}
