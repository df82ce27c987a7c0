package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"
)

// SeedOpinion is a made-up opinion for demonstrations and benchmarks, with the review state it
// would have reached.
type SeedOpinion struct {
	NewOpinion
	CreatedOn string   // YYYY-MM-DD
	Status    string   // lifecycle code
	Styles    []string // sifeng codes
	Reply     string
	RepliedOn string
	// Rectification, for opinions that got as far as 交办: lead unit, responsible, measures,
	// ledger, deadline and kind are written; the rest stays empty.
	Rectification *Rectification
}

// InsertSeed writes a batch of made-up opinions. Their receipt hashes are random, so no receipt
// code leads to them. It is for `minsheng seed`, never for real data.
//
// The batch is cut into transactions by time, not by count: each stops taking rows after a
// quarter of the write timeout and commits, and the next goes on. A fixed count that fits in
// the timeout on an idle machine ran out of it on a busy one and aborted the seed; cut by time,
// transactions just get smaller, and a portal serving meanwhile never waits long for the lock.
// Each transaction is audited as one "seed" row with its count.
func (s *Store) InsertSeed(ctx context.Context, batch []SeedOpinion) error {
	for len(batch) > 0 {
		var n int
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			// The real clock, not s.now: this measures work, and a test's clock stands still.
			stop := time.Now().Add(s.txTimeout / 4)
			var err error
			if n, err = insertSeedRows(ctx, tx, batch, stop); err != nil {
				return err
			}
			// Made-up opinions of days the full-text index already holds: its docids follow
			// (created_on, id), so it is built again by the next IndexSearch.
			first := batch[0].CreatedOn
			for _, o := range batch[:n] {
				first = min(first, o.CreatedOn)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE search_state SET rebuild = 1
				WHERE id = 1 AND indexed_through != '' AND indexed_through >= ?`, first); err != nil {
				return err
			}
			return audit(ctx, tx, now, 0, "seed", "", fmt.Sprintf("%d", n))
		})
		if err != nil {
			return err
		}
		batch = batch[n:]
		if err := ctx.Err(); err != nil {
			return err // stopped (Ctrl-C): what was committed stays
		}
	}
	return nil
}

// insertSeedRows inserts rows of batch until it is done or the clock passes stop (always at
// least one row, so every transaction makes progress), and returns how many it inserted.
func insertSeedRows(ctx context.Context, tx *sql.Tx, batch []SeedOpinion, stop time.Time) (int, error) {
	ins, err := tx.PrepareContext(ctx, `
		INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact,
		                      status, reply, replied_on, created_on, search_text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	tag, err := tx.PrepareContext(ctx, `INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?)`)
	if err != nil {
		return 0, err
	}
	defer tag.Close()
	rect, err := tx.PrepareContext(ctx, `INSERT INTO rectifications
		(opinion_id, lead_unit, responsible, measures, ledger, deadline, kind) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer rect.Close()
	hash := make([]byte, 32)
	for i, o := range batch {
		if i > 0 && time.Now().After(stop) {
			return i, nil
		}
		id := newOpinionID()
		_, _ = rand.Read(hash)
		if _, err := ins.ExecContext(ctx, id, hash, o.Type, o.UnitCode, o.Dept, o.Submitter, o.Content, o.Contact,
			o.Status, o.Reply, o.RepliedOn, o.CreatedOn, searchText(o.Content)); err != nil {
			return 0, fmt.Errorf("seed opinion: %w", mapError(err))
		}
		for _, st := range o.Styles {
			if _, err := tag.ExecContext(ctx, id, st); err != nil {
				return 0, fmt.Errorf("seed tag: %w", err)
			}
		}
		if r := o.Rectification; r != nil {
			if _, err := rect.ExecContext(ctx, id, r.LeadUnit, r.Responsible, r.Measures, r.Ledger, r.Deadline, r.Kind); err != nil {
				return 0, fmt.Errorf("seed rectification: %w", err)
			}
		}
		if o.Reply != "" || o.Rectification != nil {
			if err := writeStaffDoc(ctx, tx, id); err != nil {
				return 0, fmt.Errorf("seed staff text: %w", err)
			}
		}
	}
	return len(batch), nil
}
