package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minsheng/lifecycle"
)

// Ensure a seed far longer than one write transaction may last still completes, as on a busy
// two-core machine where `minsheng seed -n 200000` ran into the write timeout and stopped: the
// store here has a write timeout so short that the rows cannot all go into one transaction.
// The timeout is a second, not less: a transaction is cut after a quarter of it, and the rest
// is the commit's headroom, which under heavy load (load 40 on two cores) 300 ms was not.
func TestInsertSeedOutlastsTheWriteTimeout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		s.txTimeout = time.Second
		batch := make([]SeedOpinion, 20000) // over 250 ms of inserts even on a quiet machine
		for i := range batch {
			batch[i] = SeedOpinion{NewOpinion: NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: fmt.Sprintf("第%d条：挂号排队太久，窗口只开了一个，老人站不住。", i)},
				CreatedOn: "2026-03-01", Status: lifecycle.Triaged, Styles: []string{"formalism"}}
		}
		if err := s.InsertSeed(context.Background(), batch); err != nil {
			t.Fatalf("InsertSeed: %v", err)
		}
		if n := countRows(t, s, "audit_log", "action = 'seed'"); n < 2 {
			t.Fatalf("the seed went into %d transaction(s); it must be cut into ones shorter than the write timeout", n)
		}
		if n := countRows(t, s, "opinions", "1 = 1"); n != len(batch) {
			t.Fatalf("%d opinions stored, want %d", n, len(batch))
		}
		if n := countRows(t, s, "opinion_styles", "1 = 1"); n != len(batch) {
			t.Fatalf("%d style tags stored, want %d", n, len(batch))
		}
		var audited int
		if err := s.read.QueryRow(`SELECT COALESCE(SUM(CAST(detail AS INTEGER)), 0) FROM audit_log WHERE action = 'seed'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != len(batch) {
			t.Fatalf("the seed audit rows add up to %d, want %d", audited, len(batch))
		}
	})
}
