package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"minsheng/storage"
)

// run is the whole program: main only wires it to the process. Subcommands: serve (the
// default), user, backup, restore, seed, loadtest, report, suggest and help. Help goes to stdout; every other
// outcome is the error returned (exitCode turns it into the process status).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args[1:], getenv, stdin, stdout, stderr)
	var h helpShown
	if errors.As(err, &h) {
		_, err = io.WriteString(stdout, h.text)
	}
	return err
}

// dispatch runs the command named by the first argument; "minsheng -flags" serves.
func dispatch(ctx context.Context, rest []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = rest[0], rest[1:]
	} else if len(rest) > 0 && isHelpFlag(rest[0]) {
		cmd, rest = "help", nil
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, rest, getenv, stdin, stdout, stderr)
	case "backup":
		return backup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return restore(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrateCommand(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, rest, getenv, stdout, stderr)
	case "loadtest":
		return loadtest(ctx, rest, getenv, stdout, stderr)
	case "report":
		return reportCommand(ctx, rest, getenv, stdout, stderr)
	case "suggest":
		return suggestCommand(ctx, rest, getenv, stdin, stdout, stderr)
	case "help":
		return helpCommand(rest, func(args []string) error {
			return dispatch(ctx, args, getenv, stdin, stdout, stderr)
		})
	default:
		return usagef("unknown command %q. %s", cmd, knownCommands())
	}
}

// isHelpFlag reports whether arg asks for help the way flag understands it.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

// commonFlags are the settings every subcommand shares.
type commonFlags struct {
	db      string
	keyFile string
}

// defaultDB is where the database lives when neither -db nor MINSHENG_DB says otherwise.
const defaultDB = "data/minsheng.db"

func (c *commonFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.db, "db", envOr(getenv, "MINSHENG_DB", defaultDB),
		"SQLite database file, or a postgres:// URL of a PostgreSQL database (env MINSHENG_DB)")
	fs.StringVar(&c.keyFile, "key-file", getenv("MINSHENG_KEY_FILE"),
		"file holding the secret key for receipt hashes; created if missing (env MINSHENG_KEY_FILE; default: minsheng.key beside the database)")
}

// keyPath is the key file: -key-file, or minsheng.key beside a SQLite database. A PostgreSQL
// database has no folder to put it beside, and every portal process on it must read the same
// key, so there it must be given ("" here, which loadKey refuses with the reason).
func (c *commonFlags) keyPath() string {
	if c.keyFile != "" {
		return c.keyFile
	}
	if storage.IsPostgres(c.db) {
		return ""
	}
	return filepath.Join(filepath.Dir(c.db), "minsheng.key")
}

// errKeyFileNeeded: see keyPath.
var errKeyFileNeeded = errors.New("with a PostgreSQL database (-db postgres://…) give -key-file (or MINSHENG_KEY_FILE): " +
	"every portal process on that database must read the same key file")

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// onOff is a boolean flag that also reads "on" and "off", as the documentation writes it.
type onOff bool

func (b *onOff) String() string {
	if *b {
		return "on"
	}
	return "off"
}

func (b *onOff) Set(s string) error {
	switch strings.ToLower(s) {
	case "on", "yes":
		*b = true
	case "off", "no":
		*b = false
	default:
		v, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New("want on or off")
		}
		*b = onOff(v)
	}
	return nil
}

func (b *onOff) IsBoolFlag() bool { return true }

// envOnOff reads an on/off setting from the environment, def when it is unset.
func envOnOff(getenv func(string) string, key string, def bool) (onOff, error) {
	v := onOff(def)
	if s := getenv(key); s != "" && v.Set(s) != nil {
		return v, usagef("%s=%q: want on or off", key, s)
	}
	return v, nil
}

// loadKey reads the receipt-hash key, creating it (readable by the owner only) on first start.
// It lives outside the database so that a copied database alone cannot check guessed codes.
func loadKey(path string) ([]byte, error) {
	if path == "" {
		return nil, errKeyFileNeeded
	}
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < 32 {
			return nil, fmt.Errorf("key file %s is shorter than 32 bytes", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}
