// Command rawfull is the helper of loadgen/wrk/run.sh, the write path's measurement from
// outside:
//
//	rawfull -raw DB -n N      insert N opinions one transaction each (synchronous=FULL) into a
//	                          new database DB with the portal's schema; print the rate
//	rawfull -count DB         print how many opinions DB holds
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	"minsheng/loadgen" // imports storage, which registers the "sqlite3" driver used below
)

func main() {
	raw := flag.String("raw", "", "new database to insert into, one transaction per row")
	n := flag.Int("n", 3000, "rows to insert with -raw")
	count := flag.String("count", "", "database whose opinions to count")
	flag.Parse()
	if err := run(*raw, *n, *count); err != nil {
		fmt.Fprintln(os.Stderr, "rawfull:", err)
		os.Exit(1)
	}
}

func run(raw string, n int, count string) error {
	ctx := context.Background()
	switch {
	case raw != "":
		rate, err := loadgen.RawCommitRate(ctx, raw, n)
		if err != nil {
			return err
		}
		fmt.Printf("%.0f\n", rate)
	case count != "":
		db, err := sql.Open("sqlite3", "file:"+count+"?mode=ro")
		if err != nil {
			return err
		}
		defer db.Close()
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM opinions`).Scan(&rows); err != nil {
			return err
		}
		fmt.Println(rows)
	default:
		return fmt.Errorf("say -raw DB or -count DB")
	}
	return nil
}
