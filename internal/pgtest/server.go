package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// binEnv names a folder holding initdb and postgres, for machines without Debian's layout.
const binEnv = "PGTEST_BIN"

// debianBins is where Debian's postgresql-N packages put the server programs.
const debianBins = "/usr/lib/postgresql/*/bin"

// findBinaries returns the folder holding initdb and postgres: $PGTEST_BIN, else the newest
// /usr/lib/postgresql/N/bin, else the folder of initdb on $PATH.
func findBinaries() (string, error) {
	return findBinariesIn(os.Getenv(binEnv), debianBins, exec.LookPath)
}

func findBinariesIn(env, pattern string, lookPath func(string) (string, error)) (string, error) {
	if env != "" {
		if err := hasServer(env); err != nil {
			return "", fmt.Errorf("%s=%q: %w", binEnv, env, err)
		}
		return env, nil
	}
	dirs, _ := filepath.Glob(pattern) // the pattern is fixed, so never malformed
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) == nil {
			return d, nil
		}
	}
	if p, err := lookPath("initdb"); err == nil {
		if d := filepath.Dir(p); hasServer(d) == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("neither %s nor $PATH holds initdb and postgres", pattern)
}

// majorOf reads N from /usr/lib/postgresql/N/bin (0 when it is not a number).
func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// hasServer reports whether dir holds the programs a cluster needs.
func hasServer(dir string) error {
	for _, name := range []string{"initdb", "postgres"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return fmt.Errorf("%s is not a program", filepath.Join(dir, name))
		}
	}
	return nil
}

// server is the running postmaster.
type server struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited; err is then set
	err  error
}

// maxSocketPath keeps the socket's path (folder + "/.s.PGSQL.5432.lock") within the 107 bytes
// a Unix socket address holds.
const maxSocketPath = 80

// start makes a cluster in dir (which must exist and be empty) and starts its server.
func start(bin, dir string) (*Cluster, error) {
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, sockDir: dir, data: dataPath(dir), logPath: filepath.Join(dir, "postgres.log")}
	if len(c.sockDir) > maxSocketPath { // a long test name makes a long t.TempDir()
		if c.sockDir, err = os.MkdirTemp("", "pg"); err != nil {
			return nil, err
		}
	}
	if cred != nil {
		for _, d := range []string{dir, c.sockDir} {
			if err := handOver(d, cred); err != nil {
				c.removeSocketDir()
				return nil, err
			}
		}
	}
	if err := c.initdb(bin, cred); err != nil {
		c.removeSocketDir()
		return nil, err
	}
	if err := c.run(bin, cred); err != nil {
		c.removeSocketDir()
		return nil, err
	}
	return c, nil
}

// serverUser is nil when the tests run unprivileged (the server runs as the same user); as
// root, it is the user nobody, since PostgreSQL refuses to run as root.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("running as root, the server needs an unprivileged user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// handOver gives dir to the server's user, and lets that user pass through the folders above
// it (up to the temporary folder) without being able to list them.
func handOver(dir string, cred *syscall.Credential) error {
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	tmp := filepath.Clean(os.TempDir())
	for d := filepath.Dir(dir); strings.HasPrefix(d, tmp+string(filepath.Separator)); d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, st.Mode().Perm()|0o011); err != nil {
				return err
			}
		}
	}
	return nil
}

// command runs a server program as the server's user, with a plain environment.
func command(bin, name string, cred *syscall.Credential, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd
}

// initdb makes the data directory: UTF-8, C collation, the superuser postgres trusted on the
// socket. --no-sync only skips flushing the new files once: the server's own commits are durable.
func (c *Cluster) initdb(bin string, cred *syscall.Credential) error {
	cmd := command(bin, "initdb", cred, "-D", c.data, "-U", Superuser, "--auth=trust",
		"-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	return nil
}

// run starts postgres on the socket only and waits until it accepts connections.
func (c *Cluster) run(bin string, cred *syscall.Credential) error {
	logf, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close() // the child keeps its own copy
	cmd := command(bin, "postgres", cred, "-D", c.data, "-k", c.sockDir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=", "-c", "fsync=on", "-c", "synchronous_commit=on",
		// 100 connections: the storage suite runs 8 tests at once (storage/backends_test.go), each
		// PostgreSQL store up to 5 connections, a few tests two or three stores.
		"-c", "shared_buffers=32MB", "-c", "max_connections=100")
	cmd.Stdout, cmd.Stderr = logf, logf
	// If the test binary dies, the postmaster gets SIGQUIT (immediate shutdown) rather than
	// running on. The signal is tied to the thread that started the process, so that thread
	// stays locked, waiting for the process, for as long as the server runs.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	s := &server{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.err = cmd.Wait()
		close(s.done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.server = s
	if err := c.waitReady(); err != nil {
		_ = c.Stop()
		return err
	}
	return nil
}

// waitReady polls until the server accepts a connection, exits, or readyWithin passes.
func (c *Cluster) waitReady() error {
	deadline := time.Now().Add(readyWithin)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		select {
		case <-c.server.done:
			return fmt.Errorf("postgres exited while starting (%v):\n%s", c.server.err, logTail(c.logPath))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not ready after %v (%v):\n%s", readyWithin, err, logTail(c.logPath))
		}
	}
}

// Stop shuts the server down (fast: open sessions are ended) and waits for it. Stopping twice
// does nothing. The data folder stays for whoever made it to remove.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	c.stopped = true
	defer c.removeSocketDir()
	s := c.server
	_ = s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("postgres did not stop within 60 s and was killed:\n%s", logTail(c.logPath))
	}
	if s.err != nil {
		return fmt.Errorf("postgres stopped with %v:\n%s", s.err, logTail(c.logPath))
	}
	return nil
}

// removeSocketDir removes the socket's own folder when it is not the cluster's folder.
func (c *Cluster) removeSocketDir() {
	if c.sockDir != c.dir {
		_ = os.RemoveAll(c.sockDir)
	}
}
