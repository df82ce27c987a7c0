package storage

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestPortalRefusesAServerThatLogsArrivals: a database (or role) whose PostgreSQL settings would
// write each statement, or each slow one, into the server's log with its time is refused at
// Open, naming the setting and the value to set; the same database with those settings reset
// opens. (track_commit_timestamp is the server's alone, set at its start: privacySettings reads
// it the same way, and the shipped configuration sets it off: deploy_postgresql_test.go.)
func TestPortalRefusesAServerThatLogsArrivals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := postgresDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	alter := func(setting string) {
		t.Helper()
		if _, err := conn.Exec(ctx, `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET `+strings.ReplaceAll(setting, "'", "''")+`', current_database()); END $$`); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ set, reset string }{
		{"log_statement = 'all'", "log_statement = 'none'"},
		{"log_statement = 'mod'", "log_statement = 'none'"},
		{"log_min_duration_statement = 250", "log_min_duration_statement = -1"},
		{"log_min_duration_sample = 0", "log_min_duration_sample = -1"},
		{"log_transaction_sample_rate = 0.01", "log_transaction_sample_rate = 0"},
		{"log_parameter_max_length_on_error = 64", "log_parameter_max_length_on_error = 0"},
	} {
		alter(c.set)
		s, err := Open(ctx, url, Options{})
		if err == nil {
			s.Close()
			t.Errorf("Open with %s succeeded; want a refusal", c.set)
		} else if !errors.Is(err, ErrServerKeepsArrival) {
			t.Errorf("Open with %s: %v; want ErrServerKeepsArrival", c.set, err)
		}
		alter(c.reset)
	}
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatalf("Open with the settings reset: %v", err)
	}
	s.Close()
}
