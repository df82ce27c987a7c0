package storage

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The schema PostgreSQL's migrations build means what SQLite's does (#15): the same tables with
// the same columns in the same order, the same named indexes and triggers, and per table as
// many CHECK constraints and foreign keys. The FTS4 shadow tables of SQLite's search index
// are SQLite's own; PostgreSQL's search_index is a plain table of the same documents.
func TestPostgresSchemaMatchesSQLite(t *testing.T) {
	t.Parallel()
	lite := backends[0].mustOpen(t)
	pg := backends[1].mustOpen(t)
	a, b := schemaParts(t, lite), schemaParts(t, pg)
	for part, lines := range postgresOnly {
		b[part] = slices.DeleteFunc(b[part], func(l string) bool { return lines[l] != "" })
	}
	for part, lines := range sqliteOnly {
		a[part] = slices.DeleteFunc(a[part], func(l string) bool { return lines[l] != "" })
	}
	for _, part := range []string{"tables", "columns", "indexes", "triggers", "checks", "foreign keys"} {
		if !reflect.DeepEqual(a[part], b[part]) {
			t.Errorf("%s differ:\n%s", part, diffLines(a[part], b[part]))
		}
	}
}

// postgresOnly are the parts of PostgreSQL's schema SQLite has in another form, each with why.
var postgresOnly = map[string]map[string]string{
	"columns": {
		// Migration 0059: what FTS4 keeps in its shadow tables (each token's documents and
		// positions), PostgreSQL keeps beside the body as a tsvector, generated from it.
		"search_index: tokens": "FTS4's token lists",
	},
	"indexes": {
		// Migration 0059: the GIN index over that tsvector is what FTS4's segments are.
		"search_index.search_index_tokens": "FTS4's segments",
		// Migration 0061: the staff documents' own GIN index (search_newest.go).
		"search_index.search_index_staff_tokens": "FTS4's segments, read newest first",
	},
	// Migration 0060: an opinion's unit is checked once per INSERT statement (and per row when
	// an UPDATE changes it) by these triggers, where SQLite keeps the foreign key; both engines
	// refuse to delete a unit or change its code (units_never_deleted, units_keep_their_code).
	"triggers": {
		"opinions.opinions_unit_known":           "SQLite's foreign key of opinions.unit_code, checked once a statement",
		"opinions.opinions_unit_known_on_update": "SQLite's foreign key of opinions.unit_code, on an UPDATE",
	},
	"foreign keys": {"opinions 1": "merged_into only: unit_code is checked by the triggers above"},
}

// sqliteOnly are the parts of SQLite's schema PostgreSQL has in another form, each with why.
var sqliteOnly = map[string]map[string]string{
	// Migration 0060: PostgreSQL checks opinions.unit_code with triggers (postgresOnly).
	"foreign keys": {"opinions 2": "unit_code and merged_into: PostgreSQL checks unit_code with triggers"},
}

// fts4Shadow are SQLite's FTS4 tables behind search_index (and its older twin).
func fts4Shadow(name string) bool {
	return strings.HasPrefix(name, "search_index_") || name == "sqlite_sequence" || name == "sqlite_stat1"
}

// schemaParts describes s's schema as sorted lines per part.
func schemaParts(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	cols := tableColumns(t, s)
	for tbl, cs := range cols {
		if fts4Shadow(tbl) {
			continue
		}
		out["tables"] = append(out["tables"], tbl)
		if tbl == "search_index" && s.Backend() == "postgres" {
			cs = cs[1:]      // FTS4 hides its docid column; PostgreSQL's plain table names it
			if len(cs) > 1 { // and its tokens (postgresOnly)
				out["columns"] = append(out["columns"], tbl+": "+strings.Join(cs[1:], ", "))
				cs = cs[:1]
			}
		}
		out["columns"] = append(out["columns"], tbl+": "+strings.Join(cs, ", "))
	}
	var queries map[string]string
	if s.Backend() == "sqlite" {
		queries = map[string]string{
			"indexes":  `SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`,
			"triggers": `SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'trigger'`,
			"checks": `SELECT name || ' ' || ((length(upper(sql)) - length(replace(upper(sql), 'CHECK (', ''))) / 7)
				FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'`,
			"foreign keys": `SELECT m.name || ' ' || count(DISTINCT f.id) FROM sqlite_master m, pragma_foreign_key_list(m.name) f
				WHERE m.type = 'table' GROUP BY m.name`,
		}
	} else {
		queries = map[string]string{
			"indexes": `SELECT tablename || '.' || indexname FROM pg_indexes i WHERE schemaname = current_schema()
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))`,
			"triggers": `SELECT event_object_table || '.' || trigger_name FROM information_schema.triggers
				WHERE trigger_schema = current_schema() GROUP BY event_object_table, trigger_name`,
			"checks": `SELECT conrelid::regclass::text || ' ' || count(*) FROM pg_constraint
				WHERE contype = 'c' AND connamespace = current_schema()::regnamespace GROUP BY conrelid`,
			"foreign keys": `SELECT conrelid::regclass::text || ' ' || count(*) FROM pg_constraint
				WHERE contype = 'f' AND connamespace = current_schema()::regnamespace GROUP BY conrelid`,
		}
	}
	for part, q := range queries {
		rows, err := s.read.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			if !fts4Shadow(strings.SplitN(strings.SplitN(line, ".", 2)[0], " ", 2)[0]) {
				out[part] = append(out[part], line)
			}
		}
		rows.Close()
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// diffLines lists the lines only one side has.
func diffLines(sqlite, postgres []string) string {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range list {
			m[l] = true
		}
		return m
	}
	a, b := in(sqlite), in(postgres)
	var out strings.Builder
	for _, l := range sqlite {
		if !b[l] {
			fmt.Fprintf(&out, "  only SQLite:     %s\n", l)
		}
	}
	for _, l := range postgres {
		if !a[l] {
			fmt.Fprintf(&out, "  only PostgreSQL: %s\n", l)
		}
	}
	return out.String()
}
