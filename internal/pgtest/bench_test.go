package pgtest

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkStart: making a cluster (initdb), starting its server until it answers, and
// stopping it. Reports the parts as initdb-ms and serve-ms per cluster.
func BenchmarkStart(b *testing.B) {
	bin, err := findBinaries()
	if err != nil {
		missing(b, err)
	}
	var initdb, serve time.Duration
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		cred, err := serverUser()
		if err != nil {
			b.Fatal(err)
		}
		c := &Cluster{dir: dir, sockDir: dir, data: dataPath(dir), logPath: dir + "/postgres.log"}
		if cred != nil {
			if err := handOver(dir, cred); err != nil {
				b.Fatal(err)
			}
		}
		t0 := time.Now()
		if err := c.initdb(bin, cred); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := c.run(bin, cred); err != nil {
			b.Fatal(err)
		}
		initdb, serve = initdb+t1.Sub(t0), serve+time.Since(t1)
		if err := c.Stop(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(initdb.Milliseconds())/float64(b.N), "initdb-ms")
	b.ReportMetric(float64(serve.Milliseconds())/float64(b.N), "serve-ms")
}

// BenchmarkNewDatabase: a fresh database on the shared cluster, against a SELECT 1 on a new
// connection as the baseline of the same run (the ratio is what to compare between runs).
func BenchmarkNewDatabase(b *testing.B) {
	c := Shared(b)
	ctx := context.Background()
	for _, strategy := range []string{"", " STRATEGY = FILE_COPY"} {
		b.Run("create"+strategy, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				name := fmt.Sprintf("bench_%d_%d", len(strategy), i)
				if err := c.exec(ctx, "CREATE DATABASE "+name+strategy); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := c.exec(ctx, "DROP DATABASE "+name); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
	b.Run("baseline connect and SELECT 1", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := c.exec(ctx, "SELECT 1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
