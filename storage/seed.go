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

// InsertSeed writes a batch of made-up opinions in one transaction. Their receipt hashes are
// random, so no receipt code leads to them. It is for `minsheng seed`, never for real data;
// the batch is audited as one "seed" row.
func (s *Store) InsertSeed(ctx context.Context, batch []SeedOpinion) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		ins, err := tx.PrepareContext(ctx, `
			INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact,
			                      status, reply, replied_on, created_on, search_text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		tag, err := tx.PrepareContext(ctx, `INSERT INTO opinion_styles (opinion_id, style) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer tag.Close()
		rect, err := tx.PrepareContext(ctx, `INSERT INTO rectifications
			(opinion_id, lead_unit, responsible, measures, ledger, deadline, kind) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer rect.Close()
		hash := make([]byte, 32)
		for _, o := range batch {
			id := newOpinionID()
			_, _ = rand.Read(hash)
			if _, err := ins.ExecContext(ctx, id, hash, o.Type, o.UnitCode, o.Dept, o.Submitter, o.Content, o.Contact,
				o.Status, o.Reply, o.RepliedOn, o.CreatedOn, searchText(o.Content)); err != nil {
				return fmt.Errorf("seed opinion: %w", mapError(err))
			}
			for _, st := range o.Styles {
				if _, err := tag.ExecContext(ctx, id, st); err != nil {
					return fmt.Errorf("seed tag: %w", err)
				}
			}
			if r := o.Rectification; r != nil {
				if _, err := rect.ExecContext(ctx, id, r.LeadUnit, r.Responsible, r.Measures, r.Ledger, r.Deadline, r.Kind); err != nil {
					return fmt.Errorf("seed rectification: %w", err)
				}
			}
		}
		return audit(ctx, tx, now, 0, "seed", "", fmt.Sprintf("%d", len(batch)))
	})
}
