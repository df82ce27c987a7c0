package main

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"minsheng/internal/pgtest"
)

const postgresConfFile = "../../deploy/postgresql/minsheng.conf"

// readPostgresConf reads the settings of a postgresql.conf file: name → value, quotes removed.
func readPostgresConf(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out[strings.TrimSpace(name)] = strings.Trim(strings.TrimSpace(value), "'")
	}
	return out
}

// TestShippedPostgresConfKeepsThePromise: the shipped PostgreSQL settings turn off what would
// write down when each opinion came or what it said (every setting the portal refuses, and the
// logging of failed statements), load no auto_explain, and are all settings and values a real
// PostgreSQL server accepts (checked against its catalog).
func TestShippedPostgresConfKeepsThePromise(t *testing.T) {
	conf := readPostgresConf(t, postgresConfFile)
	for name, want := range map[string]string{
		"track_commit_timestamp":            "off",
		"log_statement":                     "none",
		"log_min_duration_statement":        "-1",
		"log_min_duration_sample":           "-1",
		"log_transaction_sample_rate":       "0",
		"log_parameter_max_length":          "0",
		"log_parameter_max_length_on_error": "0",
		"log_min_error_statement":           "panic",
		"log_error_verbosity":               "terse",
		"log_connections":                   "off",
		"wal_recycle":                       "off",
	} {
		if got, ok := conf[name]; !ok || got != want {
			t.Errorf("%s = %q in %s, want %q", name, got, postgresConfFile, want)
		}
	}
	for _, name := range []string{"shared_preload_libraries", "session_preload_libraries"} {
		if strings.Contains(conf[name], "auto_explain") {
			t.Errorf("%s loads auto_explain", name)
		}
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.Shared(t).NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for name, value := range conf {
		var vartype string
		var enumvals []string
		if err := conn.QueryRow(ctx, `SELECT vartype, coalesce(enumvals, '{}') FROM pg_settings WHERE name = $1`, name).
			Scan(&vartype, &enumvals); err != nil {
			t.Errorf("%s: not a setting of this PostgreSQL: %v", name, err)
			continue
		}
		if vartype == "enum" && !slices.Contains(enumvals, value) {
			t.Errorf("%s = %q: not one of %v", name, value, enumvals)
		}
		if vartype == "bool" && value != "on" && value != "off" {
			t.Errorf("%s = %q: not on or off", name, value)
		}
	}
}
