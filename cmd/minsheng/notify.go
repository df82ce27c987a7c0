package main

import (
	"context"
	"log/slog"
	"time"

	"minsheng/stats"
	"minsheng/storage"
	"minsheng/workday"
)

// notifySweepEvery is how often serve looks for reminders to queue and for the day's digest.
// Reminders are keyed, so sweeping often only costs a read.
const notifySweepEvery = 5 * time.Minute

// notifySendEvery is how often the sender looks in the outbox. Staff-caused events reach a
// person within it; what a restart interrupted goes out at the next look (or, if it was being
// sent at that moment, is shown to the admin as in doubt: see storage.ClaimDeliveries).
const notifySendEvery = 30 * time.Second

// sweepNotifications queues deadline reminders and, once a day from storage.DigestHour, the
// digest of yesterday's public-caused events and the new hot spots (预警), until ctx ends (after is time.After; tests pass
// their own). It sweeps once at start, so a server down at the digest hour catches up.
func sweepNotifications(ctx context.Context, store *storage.Store, after func(time.Duration) <-chan time.Time, lease jobLease, logger *slog.Logger) {
	defer lease.release()
	for {
		if lease.held(ctx) {
			sweepOnce(ctx, store, logger)
		}
		select {
		case <-ctx.Done():
			return
		case <-after(notifySweepEvery):
		}
	}
}

// sweepOnce is one pass; failures are logged and tried again at the next pass.
func sweepOnce(ctx context.Context, store *storage.Store, logger *slog.Logger) {
	overrides, err := store.CalendarOverrides(ctx)
	if err != nil {
		logger.Error("notifications: read the calendar", "err", err)
		return
	}
	if n, err := store.SweepDeadlines(ctx, workday.New(overrides)); err != nil {
		logger.Error("notifications: deadline reminders", "err", err)
	} else if n > 0 {
		logger.Info("notifications: deadline reminders queued", "reminders", n)
	}
	if n, err := sweepHotSpots(ctx, store); err != nil {
		logger.Error("notifications: hot spots", "err", err)
	} else if n > 0 {
		logger.Info("notifications: hot spots queued", "notices", n)
	}
	if n, err := store.SweepLookBacks(ctx); err != nil {
		logger.Error("notifications: campaign look-backs", "err", err)
	} else if n > 0 {
		logger.Info("notifications: campaign look-backs due", "campaigns", n)
	}
	if n, err := store.SweepShared(ctx); err != nil {
		logger.Error("spent captchas and receipt cookies of days past", "err", err)
	} else if n > 0 {
		logger.Info("spent captchas and receipt cookies of days past deleted", "rows", n)
	}
	if queued, err := store.QueueDigest(ctx); err != nil {
		logger.Error("notifications: daily digest", "err", err)
	} else if queued {
		logger.Info("notifications: daily digest queued")
	}
}

// sweepHotSpots tells, once a day from storage.DigestHour, of the hot spots (预警) the figures
// up to yesterday (and, after a server down on the 1st, up to the month's last day) show and nobody was told of yet: stats counts (it imports storage, so the
// counting cannot live there), storage queues. It returns how many notices it queued.
func sweepHotSpots(ctx context.Context, store *storage.Store) (int, error) {
	through, due, err := store.HotSpotsDue(ctx)
	if err != nil || !due {
		return 0, err
	}
	readers, err := store.HotSpotReaders(ctx)
	if err != nil {
		return 0, err
	}
	var notices []storage.HotSpotNotice
	for _, day := range through {
		found, err := stats.HotSpotNotices(ctx, store, readers, day)
		if err != nil {
			return 0, err
		}
		notices = append(notices, found...)
	}
	return store.QueueHotSpots(ctx, notices)
}
