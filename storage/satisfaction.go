package storage

import (
	"context"
	"fmt"

	"minsheng/access"
)

// UnitSatisfaction is how the submitters of one unit's opinions rated the results.
type UnitSatisfaction struct {
	UnitCode     string
	UnitName     string
	Satisfied    int
	Basically    int
	Dissatisfied int
}

// Rated is the number of ratings.
func (u UnitSatisfaction) Rated() int { return u.Satisfied + u.Basically + u.Dissatisfied }

// Rate is the share of 满意 and 基本满意 among the ratings, in percent (0 when none).
func (u UnitSatisfaction) Rate() float64 {
	if u.Rated() == 0 {
		return 0
	}
	return 100 * float64(u.Satisfied+u.Basically) / float64(u.Rated())
}

// SatisfactionByUnit counts the ratings given in year, by the unit the opinion was about,
// over the opinions scope may see. Units without ratings are left out.
func (s *Store) SatisfactionByUnit(ctx context.Context, scope access.Viewer, year int) ([]UnitSatisfaction, error) {
	cond, args := scopeSQL(scope)
	args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1))
	rows, err := s.read.QueryContext(ctx, `
		SELECT o.unit_code, u.name,
		       sum(g.rating = 'satisfied'), sum(g.rating = 'basically'), sum(g.rating = 'dissatisfied')
		FROM ratings g JOIN opinions o ON o.id = g.opinion_id JOIN units u ON u.code = o.unit_code
		LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE `+cond+` AND g.rated_on >= ? AND g.rated_on < ?
		GROUP BY o.unit_code ORDER BY u.sort_order, o.unit_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("satisfaction: %w", err)
	}
	defer rows.Close()
	var out []UnitSatisfaction
	for rows.Next() {
		var u UnitSatisfaction
		if err := rows.Scan(&u.UnitCode, &u.UnitName, &u.Satisfied, &u.Basically, &u.Dissatisfied); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
