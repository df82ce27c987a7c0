package main

import (
	"context"
	"log/slog"
	"time"

	"minsheng/storage"
)

// leaseSettle is the day-end settle's lease: one process at a time rewrites a finished day
// (storage.SettleDays). Long, because the first settle after an upgrade rewrites the whole
// database once.
const leaseSettle = "settle"

// settleDaily settles every finished day not yet settled, at once (a portal started after a
// night it missed) and then a few minutes after each midnight, until ctx ends (after is
// time.After; tests pass their own). On SQLite there is nothing to settle and it returns at
// once. A failure is logged and tried again the next night (and at the next start); a settle cut
// short is undone whole, or goes on with the tables left to rewrite.
//
// Not audited: like the nightly search index, it is the portal's own housekeeping, changes no
// value anyone reads, and an audit entry with its time would be one more record of when it ran.
func settleDaily(ctx context.Context, store *storage.Store, after func(time.Duration) <-chan time.Time, lease jobLease, logger *slog.Logger) {
	if store.Backend() != "postgres" {
		return
	}
	defer lease.release()
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-after(wait):
		}
		wait = store.UntilNightlyIndex()
		if !lease.held(ctx) {
			continue // another process settles tonight
		}
		start := time.Now()
		rep, err := store.SettleDays(ctx)
		if err != nil {
			if ctx.Err() == nil {
				logger.Error("settle the finished days (no arrival order kept)", "err", err)
			}
			continue
		}
		if rep.Rows > 0 || len(rep.Clustered) > 0 {
			logger.Info("settled the finished days", "through", rep.Through, "rows", rep.Rows,
				"tables", len(rep.Clustered), "took", time.Since(start).Round(time.Millisecond))
		}
	}
}
