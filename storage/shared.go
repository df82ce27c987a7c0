package storage

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Shared state of several portal processes on one database (#15, migration 0051). Each method
// is one statement of the SQL SQLite and PostgreSQL share (INSERT … ON CONFLICT … DO UPDATE …
// WHERE, DELETE), atomic on its own, so two processes racing for the same row get one winner.

// writeLight runs fn like writeTx, except that its commit does not wait for the disk
// (synchronous=NORMAL for this one transaction): for rows whose loss in a power cut costs
// nothing worth an fsync on the submission path — a spent token (its captcha could be answered
// once more), a budget's count, a lease (renewed at the next tick). The WAL keeps the commit in
// order; it reaches the disk with the next commit that syncs, as a rule the opinion's own a
// moment later. The one write connection goes back to FULL before anything else may use it;
// should that fail, the connection is thrown away rather than reused.
//
// On PostgreSQL the same is asked of the one transaction alone: SET LOCAL synchronous_commit =
// off, which lasts until its COMMIT (the engine's own reading of "no wait for the disk"; a
// crash may lose the last such commits, never break the order of the WAL).
func (s *Store) writeLight(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	return s.drv.writeLight(ctx, s, fn)
}

// writeLight on PostgreSQL: writeTx with its commit not waiting for the WAL's flush.
func (postgresDriver) writeLight(ctx context.Context, s *Store, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		return fn(ctx, tx, now)
	})
}

// writeLight on SQLite: synchronous=NORMAL on the one write connection for this transaction.
func (sqliteDriver) writeLight(ctx context.Context, s *Store, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.txTimeout)
	defer cancel()
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", mapBusy(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		return mapBusy(err)
	}
	defer func() {
		restore, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(restore, `PRAGMA synchronous = FULL`); err != nil {
			_ = conn.Raw(func(any) error { return sqldriver.ErrBadConn }) // never pooled again
		}
	}()
	return s.runTx(ctx, conn, fn)
}

// Spend records that the single-use token with SHA-256 hash was used — a captcha answered
// (right or wrong) or replaced, a receipt page's cookie cleared — and reports false when that
// was done before, by this process or another. expires is the token's own expiry: the row
// keeps only the day it falls on, in the store's zone, and SweepShared deletes it once that day
// is over.
//
// A day is not an arrival time here: the rows are keyed by a hash of a random token (no order
// of any kind) and every token expires within minutes of being made, so the day is that of the
// form view — the same date an opinion keeps, and no finer.
func (s *Store) Spend(ctx context.Context, hash []byte, expires time.Time) (bool, error) {
	if len(hash) != 32 {
		return false, fmt.Errorf("token hash of %d bytes: %w", len(hash), ErrInvalid)
	}
	var spent bool
	err := s.writeLight(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		var err error
		spent, err = s.spendIn(ctx, tx, hash, expires)
		return err
	})
	return spent, err
}

// ErrTokenSpent: the single-use token given with an opinion (NewOpinion.Token) or a survey
// response (SurveyAnswer.Token) was spent before.
var ErrTokenSpent = fmt.Errorf("token spent before: %w", ErrConflict)

// spendIn is Spend's one statement, in tx: false when hash was spent before. The opinion
// writer runs it in its batch for a NewOpinion's Token. Two processes inserting the same hash
// get one winner: SQLite's one write lock orders them, and PostgreSQL's ON CONFLICT waits for
// the other transaction holding the key and then does nothing.
func (s *Store) spendIn(ctx context.Context, tx *sql.Tx, hash []byte, expires time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO spent_tokens (hash, until_on) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING`, hash, s.tokenDay(expires))
	if err != nil {
		return false, fmt.Errorf("spend token: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// tokenDay is the day a spent token's row keeps: the one its expiry falls on, in the store's zone.
func (s *Store) tokenDay(expires time.Time) string {
	return expires.In(s.now().Location()).Format(dateLayout)
}

// spentSQL is Spent's read. Every receipt page runs it: on SQLite the Store prepares it once on
// the read pool (spentStmt), so that a page view does not compile it (#11); on PostgreSQL the
// look-ups go together (spent_lookups.go).
const spentSQL = `SELECT 1 FROM spent_tokens WHERE hash = ?`

// Spent reports whether the token with SHA-256 hash was spent (one read by primary key).
func (s *Store) Spent(ctx context.Context, hash []byte) (bool, error) {
	if s.drv.looksUpSpentTogether() {
		return s.spentTogether(ctx, hash)
	}
	var one int
	var row *sql.Row
	// Without the request's cancellation: database/sql watches a cancellable context of a
	// query with a goroutine of its own (Rows.awaitDone), started and ended for each read, a
	// quarter of this read's CPU; a read by primary key in the process has nothing to cancel.
	ctx = context.WithoutCancel(ctx)
	if s.spentStmt != nil {
		row = s.spentStmt.QueryRowContext(ctx, hash)
	} else {
		row = s.read.QueryRowContext(ctx, spentSQL, hash)
	}
	err := row.Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, mapBusy(err)
}

// TakeBudget takes one token from the shared budget name, which starts full with burst tokens,
// and reports false when none is left. Every process draws on the same count; RefillBudget,
// run by the budget's lease holder, puts tokens back. The row holds a count and nothing else.
// An empty budget is seen with a read, so a flood that spent it costs no writes.
func (s *Store) TakeBudget(ctx context.Context, name string, burst int) (bool, error) {
	var tokens int
	if err := s.read.QueryRowContext(ctx, `SELECT tokens FROM budgets WHERE name = ?`, name).Scan(&tokens); err == nil && tokens == 0 {
		return false, nil
	}
	var took bool
	err := s.writeLight(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO budgets (name, tokens) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET tokens = budgets.tokens - 1 WHERE budgets.tokens > 0`,
			name, max(burst-1, 0))
		if err != nil {
			return fmt.Errorf("take from budget %s: %w", name, err)
		}
		n, err := res.RowsAffected()
		took = n == 1 && burst > 0
		return err
	})
	return took, err
}

// BudgetShort reports whether budget name holds fewer than burst tokens (one read; a budget
// never drawn on is full).
func (s *Store) BudgetShort(ctx context.Context, name string, burst int) (bool, error) {
	var tokens int
	err := s.read.QueryRowContext(ctx, `SELECT tokens FROM budgets WHERE name = ?`, name).Scan(&tokens)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && tokens < burst, mapBusy(err)
}

// RefillBudget puts add tokens back into budget name, up to burst. It reads first and writes
// only when the budget is short, so an idle portal's refill costs one read.
func (s *Store) RefillBudget(ctx context.Context, name string, add, burst int) error {
	var tokens int
	err := s.read.QueryRowContext(ctx, `SELECT tokens FROM budgets WHERE name = ?`, name).Scan(&tokens)
	if err == sql.ErrNoRows || (err == nil && tokens >= burst) {
		return nil
	}
	if err != nil {
		return mapBusy(err)
	}
	return s.writeLight(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, `
			UPDATE budgets SET tokens = CASE WHEN tokens + ? > ? THEN ? ELSE tokens + ? END
			WHERE name = ? AND tokens < ?`, add, burst, burst, add, name, burst)
		return err
	})
}

// Generation names: what processes keep in memory and reload when its generation moves.
const (
	GenCalendar  = "calendar"
	GenUnits     = "units"
	GenCampaigns = "campaigns"
	GenModel     = "model" // the tag suggestion model in use
)

// bump moves generation name on, in the transaction of the change it announces.
func bump(ctx context.Context, tx *sql.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO generations (name, n) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET n = generations.n + 1`, name)
	if err != nil {
		return fmt.Errorf("bump generation %s: %w", name, err)
	}
	return nil
}

// Generations returns every generation by name (one small read; a name never bumped is absent,
// which reads as 0).
func (s *Store) Generations(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT name, n FROM generations`)
	if err != nil {
		return nil, mapBusy(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, rows.Err()
}

// TakeLease takes or renews the lease on job name for holder until ttl from now, and reports
// whether holder has it: it does when nobody held it, when holder held it already, or when the
// other holder's lease has expired. One statement, so of two processes asking at once exactly
// one gets it. (On PostgreSQL an advisory lock held by a session could replace the table; the
// table works on both and outlives no crashed holder by more than ttl.)
func (s *Store) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	var held bool
	err := s.writeLight(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
			WHERE leases.holder = excluded.holder OR leases.expires <= ?`,
			name, holder, now.Add(ttl).UnixMilli(), now.UnixMilli())
		if err != nil {
			return fmt.Errorf("take lease %s: %w", name, err)
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	return held, err
}

// ReleaseLease gives up holder's lease on job name, so another process may take it at once.
// Releasing a lease one does not hold does nothing.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.writeLight(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
}

// SweepShared deletes the spent tokens whose day is over (the tokens expired with it) and the
// leases that expired an hour ago or more. It returns how many spent tokens went.
func (s *Store) SweepShared(ctx context.Context) (int64, error) {
	var n int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM spent_tokens WHERE until_on < ?`, now.Format(dateLayout))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM leases WHERE expires < ?`, now.Add(-time.Hour).UnixMilli())
		return err
	})
	return n, err
}
