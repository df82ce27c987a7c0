package storage

import (
	"errors"
	"testing"
)

func TestRewritePlaceholders(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", `SELECT 1`, `SELECT 1`},
		{"in order", `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{"numbered, repeated", `SELECT ?1, ?2 WHERE x = ?1`, `SELECT $1, $2 WHERE x = $1`},
		{"bare after numbered takes the next", `SELECT ?2, ?`, `SELECT $2, $3`},
		{"string literal kept", `SELECT '?' || ? FROM t WHERE s = 'it''s ?'`, `SELECT '?' || $1 FROM t WHERE s = 'it''s ?'`},
		{"quoted identifier kept", `SELECT "a?" FROM t WHERE b = ?`, `SELECT "a?" FROM t WHERE b = $1`},
		{"line comment kept", "SELECT ? -- why?\nFROM t WHERE b = ?", "SELECT $1 -- why?\nFROM t WHERE b = $2"},
		{"block comment kept", `SELECT /* ? */ ?`, `SELECT /* ? */ $1`},
		{"unclosed literal left as is", `SELECT ? WHERE s = 'open ?`, `SELECT $1 WHERE s = 'open ?`},
		{"ten and more", `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rewritePlaceholders(tt.in); got != tt.want {
				t.Errorf("rewritePlaceholders(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if got := postgresPlaceholders(tt.in); got != tt.want {
				t.Errorf("postgresPlaceholders (cached) = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDriverFor(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"data/minsheng.db", "sqlite"},
		{"/var/lib/minsheng/db.sqlite", "sqlite"},
		{"postgres://u@h/db", "postgres"},
		{"postgresql://u@h/db?sslmode=require", "postgres"},
		{"POSTGRES://u@h/db", "postgres"},
		{"postgres.db", "sqlite"},
	}
	for _, tt := range tests {
		if got := driverFor(tt.dsn).name(); got != tt.want {
			t.Errorf("driverFor(%q) = %s, want %s", tt.dsn, got, tt.want)
		}
	}
	if got := Shown("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Errorf("Shown hides the password as %q", got)
	}
}

// Backups of a PostgreSQL database are PostgreSQL's business: both directions refuse.
func TestPostgresBackupAndRestoreRefused(t *testing.T) {
	t.Parallel()
	if _, err := Restore(t.Context(), "backup.db", "postgres://u@h/db", fixedTime); !errors.Is(err, ErrBackupElsewhere) {
		t.Errorf("Restore onto PostgreSQL: err = %v, want ErrBackupElsewhere", err)
	}
	s := backends[1].mustOpen(t)
	if err := s.Backup(t.Context(), t.TempDir()+"/copy.db"); !errors.Is(err, ErrBackupElsewhere) {
		t.Errorf("Backup of PostgreSQL: err = %v, want ErrBackupElsewhere", err)
	}
}

// SQLite's CROSS JOIN … ON (a join in the written order) is PostgreSQL's JOIN … ON; a CROSS
// JOIN without ON stays.
func TestCrossJoinOnForPostgres(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT 1 FROM json_each(?) j CROSS JOIN search_docs d ON d.docid = j.value`:                                    `SELECT 1 FROM json_each($1) j JOIN search_docs d ON d.docid = j.value`,
		`SELECT 1 FROM ratings g CROSS JOIN opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE g.x = ?`: `SELECT 1 FROM ratings g CROSS JOIN opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE g.x = $1`,
	} {
		if got := postgresPlaceholders(in); got != want {
			t.Errorf("%s\n got %s\nwant %s", in, got, want)
		}
	}
}
