package storetest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"minsheng/internal/testkit"
)

// Ensure SQLite stays storage's business, the groundwork of a second backend (#15): no Go file
// outside storage imports the SQLite driver, and no handler or browser test opens the database
// itself (database/sql) instead of going through storage or this package. The files that
// still need the driver's name or SQL of their own are listed here, each with its reason.
func TestOnlyStorageKnowsTheDriver(t *testing.T) {
	t.Parallel()
	root, err := testkit.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	// Reading the database beside a portal running in another process (the kill -9 test):
	// there is no Store to ask.
	mayOpen := map[string]bool{"cmd/minsheng/crash_test.go": true}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(strings.TrimPrefix(path, root), string(filepath.Separator)))
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasPrefix(rel, "storage/") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case p == "github.com/mattn/go-sqlite3":
				t.Errorf("%s imports the SQLite driver: only storage may (map its errors to storage's sentinels)", rel)
			case p == "database/sql" && strings.HasSuffix(rel, "_test.go") && !mayOpen[rel] &&
				(strings.HasPrefix(rel, "handlers/") || strings.HasPrefix(rel, "e2e/")):
				t.Errorf("%s opens the database itself: use a storage method or an internal/storetest helper", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Go files checked: the walk missed the module", checked)
	}
}
