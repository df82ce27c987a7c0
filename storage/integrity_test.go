package storage

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"minsheng/internal/pgtest"
)

// TestCheckFindsDamage: Check passes on a fresh database and names what was damaged behind
// the portal's back, on each engine what it can find there: on SQLite a row whose foreign key
// points nowhere (written with the checks off), on PostgreSQL a constraint added NOT VALID
// (rows it never checked; PostgreSQL itself refuses the orphan row).
func TestCheckFindsDamage(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		mustCreateOpinion(t, s, NewOpinion{Content: "一个很长的意见内容，超过五个字"})
		if err := s.Check(ctx); err != nil {
			t.Fatalf("Check of a sound database: %v", err)
		}
		damage, want := []string{`PRAGMA foreign_keys = OFF`,
			`INSERT INTO opinion_tags (opinion_id, tag) VALUES ('NOSUCHID00', 'praise')`,
			`PRAGMA foreign_keys = ON`}, "foreign key broken: opinion_tags"
		if b.name == "postgres" {
			damage, want = []string{`ALTER TABLE opinions ADD CONSTRAINT short_content CHECK (length(content) < 5) NOT VALID`},
				"constraint opinions.short_content is NOT VALID"
		}
		conn, err := s.write.Conn(ctx) // one connection: the PRAGMAs are per connection
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range damage {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		conn.Close()
		if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check of the damaged database: %v, want %q", err, want)
		}
	})
}

// TestPostgresRefusesOtherCollations: Open refuses a database whose text does not sort byte by
// byte as SQLite's (an ICU collation, even with datcollate C) or is not UTF-8, and says how
// to create one that fits; C.UTF-8 (code point order, the same for UTF-8) is accepted.
func TestPostgresRefusesOtherCollations(t *testing.T) {
	t.Parallel()
	cluster := pgtest.Shared(t)
	for _, tc := range []struct {
		name, options string
		ok            bool
	}{
		{"ICU Chinese", `LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'zh-CN'`, false},
		{"SQL_ASCII", `LOCALE 'C' ENCODING 'SQL_ASCII'`, false},
		{"C.UTF-8", `LOCALE 'C.utf8' ENCODING 'UTF8'`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			name := "collation_" + strings.NewReplacer(" ", "_", ".", "_", "-", "_").Replace(strings.ToLower(tc.name))
			admin := func(stmt string) error {
				conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
				if err != nil {
					return err
				}
				defer conn.Close(ctx)
				_, err = conn.Exec(ctx, stmt)
				return err
			}
			if err := admin(`CREATE DATABASE ` + name + ` TEMPLATE template0 ` + tc.options); err != nil {
				t.Fatalf("create a database with %s: %v", tc.options, err)
			}
			t.Cleanup(func() {
				if err := admin(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
					t.Errorf("drop %s: %v", name, err)
				}
			})
			s, err := Open(ctx, cluster.URL(name), Options{Now: fixedClock})
			if tc.ok {
				if err != nil {
					t.Fatalf("Open of a %s database: %v", tc.name, err)
				}
				if err := s.Check(ctx); err != nil {
					t.Errorf("Check: %v", err)
				}
				s.Close()
				return
			}
			if err == nil {
				s.Close()
				t.Fatalf("Open of a %s database succeeded", tc.name)
			}
			if !strings.Contains(err.Error(), "minsheng needs collation C and UTF8") || !strings.Contains(err.Error(), "createdb --locale=C") {
				t.Errorf("the refusal does not say what is needed: %v", err)
			}
		})
	}
}
