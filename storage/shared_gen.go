package storage

import (
	"context"
	"sync"
	"time"
)

// GenerationsEvery is how often a process reads the generations (one small read of a table of
// a few rows): a change made by another process reaches this one's units, campaigns and
// working-day calendar within it. Changes made through this process reach them at once.
const GenerationsEvery = 2 * time.Second

// genCache is the generations as last read, and when (by the store's clock).
type genCache struct {
	mu   sync.Mutex
	n    map[string]int64
	read time.Time
}

// Generation returns generation name as read at most GenerationsEvery ago. Should the read
// fail, the last one read is kept and the error returned with it.
func (s *Store) Generation(ctx context.Context, name string) (int64, error) {
	s.gens.mu.Lock()
	defer s.gens.mu.Unlock()
	now := s.now()
	if s.gens.n != nil && now.Sub(s.gens.read) < GenerationsEvery && !now.Before(s.gens.read) {
		return s.gens.n[name], nil
	}
	m, err := s.Generations(ctx)
	if err != nil {
		return s.gens.n[name], err
	}
	s.gens.n, s.gens.read = m, now
	return m[name], nil
}
