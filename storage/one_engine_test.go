package storage

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"minsheng/internal/testsource"
)

// One storage suite for both engines (#15), kept so: a test of this package runs on SQLite and
// PostgreSQL (forEachBackend, called by the test itself or by a helper of the test files), or
// it is declared in the table of oneEngineDoc with one of the reasons below. A new test written
// against one engine fails TestOneEngineTestsAreDeclared until it is ported or declared; a row
// left behind by a test since ported or removed fails it too.

// oneEngineDoc holds the table: one row per test, `| TestName | reason | why |`.
const oneEngineDoc = "../docs/deploy.md"

// oneEngineSection is the heading of the table's section in oneEngineDoc.
const oneEngineSection = "## Tests that run on one engine only"

// oneEngineReasons are the reasons a test may run on one engine, or none.
var oneEngineReasons = []string{
	// SQLite's own machinery: the file and its mode, WAL and checkpoints, PRAGMAs, VACUUM INTO
	// backups, its one write lock, its query planner, FTS4, rebuilding a table to alter it.
	"SQLite internals",
	// An upgrade from a SQLite schema older than PostgreSQL's first (its 0001 folds 0001–0040:
	// TestFoldedPostgresMigrationsAreEmpty): no PostgreSQL database ever held those rows.
	"older SQLite schema",
	// PostgreSQL's own machinery: its server settings, collations, lock_timeout, heap and
	// transaction numbers (the settle), pg_dump's backups.
	"PostgreSQL internals",
	// The test opens one database of each engine itself: the move, the schema twins.
	"both engines in one test",
	// A pure function or a file of the source tree: no database at all.
	"no database",
}

// storeOpeners are the names through which a test reaches a database: a test declared "no
// database" must not use them, directly or through a helper of the test files.
var storeOpeners = []string{"Open", "openAt", "mustOpen", "mustOpenClock", "backends", "postgresDatabase",
	"openMigratedTo", "migrateTo", "Restore", "Move", "VerifyMove", "pgtest", "sql"}

// testFuncs parses this package's test files (at least 50 of them, or the glob went wrong).
func testFuncs(t *testing.T) *testsource.Funcs {
	t.Helper()
	funcs, err := testsource.Parse(".")
	if err != nil || len(funcs.Names()) < 50 {
		t.Fatalf("test files: %v", err)
	}
	return funcs
}

// oneEngineRow is a row of the table: the reason and the words that explain it.
type oneEngineRow struct{ reason, why string }

var oneEngineRowPattern = regexp.MustCompile("^\\| `(Test\\w+)` \\| ([^|]+?) \\| (.*) \\|$")

// declaredOneEngine reads the table of oneEngineDoc.
func declaredOneEngine(t *testing.T) map[string]oneEngineRow {
	t.Helper()
	raw, err := os.ReadFile(oneEngineDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n"+oneEngineSection+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", oneEngineDoc, oneEngineSection)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	rows := map[string]oneEngineRow{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		m := oneEngineRowPattern.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: a row not of the form | `TestName` | reason | why |: %s", oneEngineDoc, line)
			continue
		}
		if _, twice := rows[m[1]]; twice {
			t.Errorf("%s declares %s twice", oneEngineDoc, m[1])
		}
		rows[m[1]] = oneEngineRow{m[2], strings.TrimSpace(m[3])}
	}
	return rows
}

// TestOneEngineTestsAreDeclared: every test of the package runs on both engines or is declared,
// with a known reason and words that say why, in the table of docs/deploy.md; a test declared
// "no database" opens none; and the table names no test that does not exist or that has since
// been ported to both engines.
func TestOneEngineTestsAreDeclared(t *testing.T) {
	t.Parallel()
	funcs := testFuncs(t)
	declared := declaredOneEngine(t)
	both, total := 0, 0
	for _, name := range funcs.Names() {
		if !strings.HasPrefix(name, "Test") || name == "TestMain" {
			continue
		}
		total++
		row, listed := declared[name]
		switch onBoth := funcs.Reaches(name, []string{"forEachBackend"}); {
		case onBoth && listed:
			t.Errorf("%s (%s) runs on both engines: take its row out of %s", name, funcs.File(name), oneEngineDoc)
		case onBoth:
			both++
		case !listed:
			t.Errorf("%s (%s) runs on one engine only: write it with forEachBackend(t, func(t *testing.T, b backend) {…}), "+
				"or, if what it tests is one engine's own, add it with its reason to the table %q of %s",
				name, funcs.File(name), oneEngineSection, oneEngineDoc)
		case !slices.Contains(oneEngineReasons, row.reason):
			t.Errorf("%s: reason %q is not one of %q", name, row.reason, oneEngineReasons)
		case len([]rune(row.why)) < 10:
			t.Errorf("%s: say why it runs on one engine (%q)", name, row.why)
		case row.reason == "no database" && funcs.Reaches(name, storeOpeners):
			t.Errorf("%s is declared \"no database\" but opens one", name)
		}
	}
	for name := range declared {
		if !funcs.Has(name) {
			t.Errorf("%s declares %s, which is no test of storage", oneEngineDoc, name)
		}
	}
	t.Logf("%d of %d tests run on both engines; %d declared in %s", both, total, len(declared), oneEngineDoc)
}
