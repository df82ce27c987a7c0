package storage

import (
	"context"
	"sync"
	"sync/atomic"
)

// Spent's look-ups on PostgreSQL, sent together (#15). Every receipt page (GET /submit/done,
// one per acknowledged submission) asks whether its cookie was cleared by its owner: one read
// by primary key. Alone, on PostgreSQL, that read cost as much as the submission's share of the
// writer's batch: a round trip from the portal (database/sql, pgx, two system calls) and, on
// the server, 3 µs to run it and 32 µs to plan it, since the read pool plans every statement
// for its values (plan_cache_mode=force_custom_plan, for the searches). So the look-ups that
// arrive while one is on its way wait for it and then go together, as the writer groups
// commits: one statement, one plan and one round trip for all of them. Alone (a quiet portal)
// a look-up goes at once, as before. SQLite answers a look-up inside the process in
// microseconds and keeps one statement each (spentStmt).

// looksUpSpentTogether reports whether Spent's look-ups are sent together (spentTogether)
// rather than one statement each (spentStmt).
func (postgresDriver) looksUpSpentTogether() bool { return true }
func (sqliteDriver) looksUpSpentTogether() bool   { return false }

// spentLookupsMost bounds one statement's array of hashes; the rest go in the next.
const spentLookupsMost = 256

// spentAtOnceSQL is the look-up of many hashes: those of them that were spent.
const spentAtOnceSQL = `SELECT hash FROM spent_tokens WHERE hash = ANY(CAST(? AS bytea[]))`

// spentLookups gathers the look-ups waiting for the one on its way.
type spentLookups struct {
	mu      sync.Mutex
	waiting []spentAsk
	running bool // a goroutine is sending look-ups (runSpentLookups)
	// statements counts the statements sent: fewer than the look-ups when they went together.
	statements atomic.Int64
}

// spentAsk is one look-up: the hash, and where its answer goes (buffered: the asker may have
// gone, its request cancelled).
type spentAsk struct {
	hash   []byte
	answer chan spentAnswer
}

type spentAnswer struct {
	spent bool
	err   error
}

// spentTogether is Spent on PostgreSQL: the hash joins the look-ups waiting, and if none is
// on its way a goroutine starts sending them.
func (s *Store) spentTogether(ctx context.Context, hash []byte) (bool, error) {
	ask := spentAsk{hash: hash, answer: make(chan spentAnswer, 1)}
	l := &s.spentLookups
	l.mu.Lock()
	l.waiting = append(l.waiting, ask)
	start := !l.running
	l.running = true
	l.mu.Unlock()
	if start {
		go s.runSpentLookups()
	}
	select {
	case a := <-ask.answer:
		return a.spent, a.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// runSpentLookups sends the waiting look-ups, up to spentLookupsMost in one statement, until
// none is left. Their statement runs on a context of its own, bounded by the write timeout:
// one asker's cancelled request must not fail the others' look-ups.
func (s *Store) runSpentLookups() {
	l := &s.spentLookups
	for {
		l.mu.Lock()
		asks := l.waiting
		if len(asks) > spentLookupsMost {
			asks = asks[:spentLookupsMost:spentLookupsMost]
		}
		l.waiting = l.waiting[len(asks):]
		if len(asks) == 0 {
			l.waiting = nil
			l.running = false
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
		spent, err := s.spentOf(asks)
		for _, a := range asks {
			a.answer <- spentAnswer{spent: spent[string(a.hash)], err: err}
		}
	}
}

// spentOf reads which of the asks' hashes were spent, with one statement.
func (s *Store) spentOf(asks []spentAsk) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.txTimeout)
	defer cancel()
	hashes := make([][]byte, len(asks))
	for i, a := range asks {
		hashes[i] = a.hash
	}
	s.spentLookups.statements.Add(1)
	rows, err := s.read.QueryContext(ctx, spentAtOnceSQL, hashes)
	if err != nil {
		return nil, mapBusy(err)
	}
	defer rows.Close()
	spent := map[string]bool{}
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, mapBusy(err)
		}
		spent[string(h)] = true
	}
	return spent, mapBusy(rows.Err())
}
