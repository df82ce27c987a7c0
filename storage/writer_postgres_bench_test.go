package storage

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/internal/testkit"
)

// BenchmarkWriterPostgres measures the writer on PostgreSQL as BenchmarkWriter does on SQLite
// (64 goroutines submitting through CreateOpinion, the queue, the batches, commits with
// synchronous_commit=on), and beside the portal's own CPU the server's: what the server
// processes serving the store's database spent per submission (server-cpu-µs/op, from /proc;
// 10 ms ticks, so run thousands) and the WAL it wrote (wal-bytes/op, a count the machine's load
// does not change). Each way runs on a fresh database of the test cluster (internal/pgtest), in
// the same run:
//
//		go test -run '^$' -bench WriterPostgres -benchtime 20000x -count 3 ./storage
//
//	  - "before": the writer and schema as the eleventh sitting left them: the batch's INSERT with
//	    ON CONFLICT DO NOTHING (a speculative insertion per row: each unique index looked up before
//	    the row goes in, and a WAL record to confirm it), and the foreign key of opinions.unit_code
//	    (a query of the unit under a lock, per row) instead of migration 0060's check per statement;
//	  - "no-on-conflict": the INSERT of now, the foreign key of before (the first change alone);
//	  - "now": the writer and schema as they are.
func BenchmarkWriterPostgres(b *testing.B) {
	const foreignKey = `ALTER TABLE opinions ADD CONSTRAINT opinions_unit_code_fkey FOREIGN KEY (unit_code) REFERENCES units(code);
		DROP TRIGGER opinions_unit_known ON opinions`
	for _, way := range []struct {
		name    string
		manySQL string
		alter   string
	}{
		{"before", insertOpinionsAtOnceOnConflict, foreignKey},
		{"no-on-conflict", "", foreignKey},
		{"now", "", ""},
	} {
		b.Run(way.name, func(b *testing.B) {
			cluster := pgtest.Shared(b)
			url := cluster.NewDatabaseFrom(b, cluster.Template(b, "minsheng_template", migrateTemplate))
			s, err := Open(context.Background(), url, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if way.alter != "" {
				if _, err := s.write.Exec(way.alter); err != nil {
					b.Fatal(err)
				}
			}
			s.subs.manySQL = way.manySQL // before the first submission: the writer reads it after the queue's handoff
			cpu0, wal0 := databaseServerCPU(b, s.read), walPosition(b, s.read)
			submitConcurrently(b, s, noCaptcha)
			cpu1, wal1 := databaseServerCPU(b, s.read), walPosition(b, s.read)
			b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(b.N), "server-cpu-µs/op")
			b.ReportMetric(float64(wal1-wal0)/float64(b.N), "wal-bytes/op")
		})
	}
}

// insertOpinionsAtOnceOnConflict is the batch's INSERT before the twelfth sitting: the same as
// insertOpinionsAtOnce, with ON CONFLICT DO NOTHING.
var insertOpinionsAtOnceOnConflict = strings.Replace(insertOpinionsAtOnce, "RETURNING id", "ON CONFLICT DO NOTHING\n\tRETURNING id", 1)

// databaseServerCPU is the CPU time (user and system) the server processes connected to db's
// database have used so far, read from /proc/<pid>/stat (Linux, and the server on this
// machine: the test cluster's). The store keeps its connections, so none of them ends between
// two readings.
func databaseServerCPU(b *testing.B, db *sql.DB) time.Duration {
	b.Helper()
	rows, err := db.Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			b.Fatal(err)
		}
		if used, ok := testkit.ProcessCPU(pid); ok {
			total += used
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return total
}

// walPosition is the cluster's WAL insert position, in bytes.
func walPosition(b *testing.B, db *sql.DB) int64 {
	b.Helper()
	var n int64
	if err := db.QueryRow(`SELECT pg_current_wal_insert_lsn() - '0/0'`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}
