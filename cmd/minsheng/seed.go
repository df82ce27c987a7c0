package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"minsheng/seeddata"
	"minsheng/storage"
)

// seedBatch is how many made-up opinions are made at a time; storage cuts them into
// transactions short enough for the write timeout.
const seedBatch = 20000

// seed handles "minsheng seed -n N": fill a database with N made-up opinions, to see a
// populated queue or to measure with realistic volume.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("seed", getenv, stderr)
	n := fs.Int("n", 1000, "how many opinions to add")
	months := fs.Int("months", 24, "spread them over this many months before today")
	randomSeed := fs.Uint64("seed", 1, "random seed: the same seed gives the same opinions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *months < 1 {
		return usagef("seed: -n and -months must be 1 or more")
	}
	store, err := storage.Open(ctx, common.db, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seedStore(ctx, store, *n, *months, *randomSeed, stderr); err != nil {
		return err
	}
	// The made-up opinions of past days go into the full-text index now (rebuilt when they
	// fell into days it already held), not at the portal's next start.
	if err := store.IndexSearch(ctx, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d made-up opinions to %s\n", *n, common.db)
	return nil
}

// seedStore adds n made-up opinions to store in batches, saying on progress how far it got
// when there is more than one batch (a large seed takes minutes).
func seedStore(ctx context.Context, store *storage.Store, n, months int, randomSeed uint64, progress io.Writer) error {
	units, err := store.Units(ctx)
	if err != nil {
		return err
	}
	today, _ := time.Parse("2006-01-02", store.Today())
	gen := seeddata.New(randomSeed, units, today, months)
	batch := make([]storage.SeedOpinion, 0, seedBatch)
	for done := 0; done < n; {
		batch = batch[:0]
		for len(batch) < seedBatch && done+len(batch) < n {
			batch = append(batch, gen.Next())
		}
		if err := store.InsertSeed(ctx, batch); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		done += len(batch)
		if n > seedBatch {
			fmt.Fprintf(progress, "seed: %d of %d\n", done, n)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
