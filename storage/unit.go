package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Unit is an organisation an opinion can be about: the bureau's offices, a hospital, a township
// health centre. Code is stable (it is printed on posters); Name may change.
type Unit struct {
	Code       string
	Name       string
	ParentCode string
}

// Units returns the active units in display order.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT code, name, COALESCE(parent_code, '') FROM units WHERE active = 1 ORDER BY sort_order, code`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var units []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.ParentCode); err != nil {
			return nil, err
		}
		units = append(units, u)
	}
	return units, rows.Err()
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
