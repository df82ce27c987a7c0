package storetest

import (
	"fmt"
	"strings"
	"testing"

	"minsheng/internal/storetest/rowscan"
	"minsheng/storage"
)

// Row is one row of a table: its key (rowid, or the primary key of a table without one) and
// every column's value.
type Row struct {
	Key    string
	Values map[string]any
}

// Table is what Dump read of one table. WithoutRowid: the table has no rowid, so its rows
// carry no arrival order (the anonymity promise for public-written tables).
type Table struct {
	WithoutRowid bool
	Rows         map[string]Row
}

// Dump reads every row of every table of st's database, as the schema itself describes them
// (sqlite_master, table_info): nothing is left out because a test forgot to name it.
func Dump(t testing.TB, st *storage.Store) map[string]Table {
	t.Helper()
	if st.Backend() != "sqlite" {
		t.Fatalf("storetest.Dump reads SQLite's own schema (sqlite_master, rowid): not on %s", st.Backend())
	}
	db := open(t, st, true)
	defer db.Close()
	names, err := rowscan.Column[string](db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 20 {
		t.Fatalf("only %d tables found: %v", len(names), names)
	}
	out := map[string]Table{}
	for _, name := range names {
		var cols, pk []string
		info, err := db.Query(`SELECT name, pk FROM pragma_table_info(?) ORDER BY pk, cid`, name)
		if err != nil {
			t.Fatal(err)
		}
		for info.Next() {
			var c string
			var p int
			if err := info.Scan(&c, &p); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, c)
			if p > 0 {
				pk = append(pk, c)
			}
		}
		info.Close()
		_, rowidErr := db.Exec(`SELECT rowid FROM "` + name + `" LIMIT 0`)
		tbl := Table{WithoutRowid: rowidErr != nil, Rows: map[string]Row{}}
		key := "rowid"
		if tbl.WithoutRowid {
			key = `"` + strings.Join(pk, `" || '|' || "`) + `"`
		}
		quoted := `"` + strings.Join(cols, `", "`) + `"`
		data, err := db.Query(`SELECT ` + key + `, ` + quoted + ` FROM "` + name + `"`)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		for data.Next() {
			vals := make([]any, len(cols)+1)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := data.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			r := Row{Key: fmt.Sprint(vals[0]), Values: map[string]any{}}
			for i, c := range cols {
				r.Values[c] = vals[i+1]
			}
			tbl.Rows[r.Key] = r
		}
		data.Close()
		out[name] = tbl
	}
	return out
}
