package storage

import (
	"context"
	"time"
)

// The day-end settle (#15): the promise that no order of arrival is kept, on an engine whose
// rows carry one.
//
// SQLite keeps none: the tables public requests write are WITHOUT ROWID, stored in the order of
// their random keys, with dates only (TestOpinionsKeepNoArrivalOrder), so the settle does
// nothing there. PostgreSQL writes every row version with the number of the transaction that
// wrote it (xmin, increasing), the number of the command within it (cmin), mostly at the end
// of the heap in the order written (ctid), and out-of-line values (TOAST) under OIDs drawn from
// a counter. So a PostgreSQL database holds the order in which a day's opinions, ratings,
// answers and messages came, until SettleDays rewrites them (settle_postgres.go).
//
// The contract, for every table and index that holds public rows on PostgreSQL:
//   - A table written in a public request's transaction (or updated by one) is settled by
//     SettleDays: every row version written since the last settle is written again, in ONE
//     transaction, one row at a time in primary-key order (random keys), so that they all carry
//     the settle's xmin and cmins in key order, and out-of-line values get new OIDs in key
//     order; then the table is rewritten in primary-key order (CLUSTER), which leaves none of
//     the old versions in its files and puts its rows in key order, as SQLite stores them.
//     Every table of the schema is covered, except those listed in settleSkips (which public
//     requests never write, or whose rows must never change).
//   - A table written only AFTER a day is over, from that day's rows, in one transaction and in
//     id order (the full-text index of a finished day, i15-pgsearch), carries no arrival order of
//     its own and needs no settle: it should be written after SettleDays has settled that day
//     (SettledThrough), so that it copies no arrival order from its source either; if it is
//     written before, SettleDays rewrites it with the rest (it is a table of the schema), which
//     is correct, only costlier. Such an index must not be filled in the submission's own
//     transaction.
//
// What no database can take back is listed in docs/deploy.md: the WAL and its archive hold
// every commit in order (for their retention span), and the old table files CLUSTER unlinks lie
// in the file system's free space until overwritten.

// SettleReport says what one SettleDays did.
type SettleReport struct {
	Through   string   // every day up to and including this one is settled ("" = none yet)
	Rows      int64    // row versions written again
	Clustered []string // tables rewritten in key order
}

// SettleDays settles every day that is over and not yet settled (settle.go): nothing on SQLite.
// Run by one process at a time (the "settle" lease), at start-up and a few minutes after each
// midnight (UntilNightlyIndex). Safe to stop and to repeat: a settle interrupted before its
// commit is undone whole, and the tables left to cluster after it are clustered by the next run.
func (s *Store) SettleDays(ctx context.Context) (SettleReport, error) {
	return s.drv.settle(ctx, s)
}

// SettledThrough is the last day whose rows are settled ("" when none is; on SQLite, where
// nothing needs settling, every day that is over).
func (s *Store) SettledThrough(ctx context.Context) (string, error) {
	if s.drv.name() != "postgres" {
		return s.now().AddDate(0, 0, -1).Format(dateLayout), nil
	}
	var through string
	err := s.read.QueryRowContext(ctx, `SELECT settled_through FROM settle_state WHERE id = 1`).Scan(&through)
	return through, mapBusy(err)
}

// settle on SQLite: nothing keeps an order of arrival (see above).
func (sqliteDriver) settle(context.Context, *Store) (SettleReport, error) {
	return SettleReport{}, nil
}

// yesterday is the day before today in the store's zone.
func (s *Store) yesterday(now time.Time) string { return now.AddDate(0, 0, -1).Format(dateLayout) }
