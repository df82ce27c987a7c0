package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"minsheng/storage"
)

// migrateCommand handles "minsheng migrate -from FILE -to postgres://…": copy a county's
// SQLite database into an empty PostgreSQL database, verify every table, and commit only if all
// agree (storage.Move). -verify checks an earlier move again without copying.
func migrateCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, _ := newFlagSet("migrate", getenv, stderr)
	from := fs.String("from", "", "the SQLite database file to copy (stop the portal on it first)")
	to := fs.String("to", "", "the empty PostgreSQL database: postgres://USER:PASSWORD@HOST/DB")
	verifyOnly := fs.Bool("verify", false, "only compare the two databases again (counts and checksums per table)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || storage.IsPostgres(*from) {
		return usagef("migrate: write -from FILE: the SQLite database to copy (for example data/minsheng.db)")
	}
	if !storage.IsPostgres(*to) {
		return usagef("migrate: write -to postgres://USER:PASSWORD@HOST/DB: an empty PostgreSQL database")
	}
	started := time.Now()
	var checks []storage.TableCheck
	var err error
	if *verifyOnly {
		fmt.Fprintf(stdout, "comparing %s with %s\n", *from, storage.Shown(*to))
		checks, err = storage.VerifyMove(ctx, *from, *to)
	} else {
		fmt.Fprintf(stdout, "copying %s into %s (one transaction: nothing is kept unless every table matches)\n", *from, storage.Shown(*to))
		checks, err = storage.Move(ctx, *from, *to, func(table string, done, total int64) {
			if done == total {
				fmt.Fprintf(stdout, "  copied %-30s %9d rows\n", table, total)
			} else {
				fmt.Fprintf(stdout, "  copying %-29s %9d of %d rows\n", table, done, total)
			}
		})
	}
	if len(checks) > 0 {
		printChecks(stdout, checks)
	}
	if err != nil {
		return err
	}
	bad := 0
	for _, c := range checks {
		if !c.OK() {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("migrate: %d of %d tables differ (see the table above)", bad, len(checks))
	}
	fmt.Fprintf(stdout, "all %d tables match (rows and SHA-256 checksums), in %s\n", len(checks), time.Since(started).Round(time.Millisecond))
	if !*verifyOnly {
		fmt.Fprintln(stdout, "Receipt codes work on the new database with the SAME key file: give every portal process -key-file with that file.")
		fmt.Fprintln(stdout, "Not moved: the key file itself, backups, and anything else beside the database file.")
	}
	return nil
}

// printChecks prints one line per table: rows and checksums (the first 16 hex digits) on both
// sides, and whether they match.
func printChecks(w io.Writer, checks []storage.TableCheck) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "table\trows SQLite\trows PostgreSQL\tsha256 SQLite\tsha256 PostgreSQL\t")
	for _, c := range checks {
		mark := "ok"
		if !c.OK() {
			mark = "DIFFERS"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.16s\t%.16s\t%s\n", c.Table, c.SourceRows, c.TargetRows, c.SourceSum, c.TargetSum, mark)
	}
	tw.Flush()
}
