package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"minsheng/handlers"
	"minsheng/storage"
)

// Several portal processes may serve one database (#15). Each scheduled job's tick runs in one
// of them at a time: the one holding the job's lease (storage.TakeLease), taken or renewed
// before each tick and kept for a few ticks, so that when its holder stops another process
// takes the job over within the lease's time. (On PostgreSQL a session-level advisory lock
// could stand in for the table; the table works on both backends.)

// jobLease is one job's lease as this process asks for it. The zero jobLease (no store) is
// always held: tests that run a loop alone.
type jobLease struct {
	store  *storage.Store
	name   string
	holder string
	ttl    time.Duration
	log    *slog.Logger
}

// newHolder names this process in the leases: random, so two processes on one machine differ.
func newHolder() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// lease is the lease on job name for this process, kept for ttl after each tick.
func (p leases) lease(name string, ttl time.Duration) jobLease {
	return jobLease{store: p.store, name: name, holder: p.holder, ttl: ttl, log: p.log}
}

// leases hands out this process's job leases.
type leases struct {
	store  *storage.Store
	holder string
	log    *slog.Logger
}

// held takes or renews the lease and reports whether this process may run the tick now. A
// database that cannot be asked holds the tick back: the job waits rather than runs twice.
func (l jobLease) held(ctx context.Context) bool {
	if l.store == nil {
		return true
	}
	ok, err := l.store.TakeLease(ctx, l.name, l.holder, l.ttl)
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("job lease", "job", l.name, "err", err)
		}
		return false
	}
	return ok
}

// release gives the lease up at shutdown, so another process takes the job at its next tick.
func (l jobLease) release() {
	if l.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.store.ReleaseLease(ctx, l.name, l.holder)
}

// Lease names and times: each lease lasts three of its job's ticks.
const (
	leaseSweep   = "notify-sweep"
	leaseSend    = "notify-send"
	leaseIndex   = "search-index"
	leaseRetrain = "retrain"
	leaseBudgets = "budgets"
)

// sendWhileHeld runs the notification sender's pass every interval while this process holds
// its lease. (The outbox's claims are transactions of their own too; the lease keeps two
// processes from sending side by side.)
func sendWhileHeld(ctx context.Context, lease jobLease, every time.Duration, runOnce func(context.Context) (int, error), logger *slog.Logger) {
	defer lease.release()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if lease.held(ctx) {
			if _, err := runOnce(ctx); err != nil && ctx.Err() == nil {
				logger.Error("notification sender", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// refillBudgets puts tokens back into the shared budgets every handlers.MissRefillEvery: a read
// while they are full, and the lease and a write only when one is short.
func refillBudgets(ctx context.Context, store *storage.Store, lease jobLease) {
	defer lease.release()
	tick := time.NewTicker(handlers.MissRefillEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if short, err := handlers.MissesShort(ctx, store); err != nil || !short || !lease.held(ctx) {
			continue
		}
		_ = handlers.RefillMisses(ctx, store)
	}
}
