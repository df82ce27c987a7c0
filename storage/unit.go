package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Unit is an organisation an opinion can be about: the bureau's offices, a hospital, a township
// health centre. Code is stable (it is printed on posters); Name may change.
type Unit struct {
	Code       string
	Name       string
	ParentCode string
}

// unitsTTL is how long the unit list is served from memory. Every form view and submission
// needs it and it changes a few times a year; code that changes units calls forgetUnits and
// bumps GenUnits, which other processes read within GenerationsEvery; the TTL covers changes
// made outside the portal (the sqlite3 shell, a restore).
const unitsTTL = 30 * time.Second

type unitCache struct {
	mu      sync.Mutex
	units   []Unit
	gen     int64 // GenUnits when they were read
	expires time.Time
}

// Units returns the active units in display order. The slice is shared: do not modify it.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	gen, genErr := s.Generation(ctx, GenUnits) // read before the units: a change after it shows next time
	s.unitCache.mu.Lock()
	defer s.unitCache.mu.Unlock()
	if s.unitCache.units != nil && (genErr != nil || gen == s.unitCache.gen) && time.Now().Before(s.unitCache.expires) {
		return s.unitCache.units, nil
	}
	units, err := s.loadUnits(ctx)
	if err != nil {
		return nil, err
	}
	s.unitCache.units, s.unitCache.gen, s.unitCache.expires = units, gen, time.Now().Add(unitsTTL)
	return units, nil
}

// forgetUnits drops the cached unit list; call it after changing units.
func (s *Store) forgetUnits() {
	s.unitCache.mu.Lock()
	s.unitCache.units = nil
	s.unitCache.mu.Unlock()
}

func (s *Store) loadUnits(ctx context.Context) ([]Unit, error) {
	units, err := collect(ctx, s.read, scanUnit,
		`SELECT code, name, COALESCE(parent_code, '') FROM units WHERE active = 1 AND kind != 'dept' ORDER BY sort_order, code`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return units, nil
}

// UnitByCode returns the active unit with code, or ErrNotFound.
func (s *Store) UnitByCode(ctx context.Context, code string) (Unit, error) {
	var u Unit
	err := s.read.QueryRowContext(ctx,
		`SELECT code, name, COALESCE(parent_code, '') FROM units WHERE code = ? AND active = 1`, code).
		Scan(&u.Code, &u.Name, &u.ParentCode)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("unit %q: %w", code, ErrNotFound)
	}
	return u, err
}
