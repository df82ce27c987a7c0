package storage

import (
	"context"
	"fmt"
	"strings"
)

// FamilyCount is one family of the taxonomy (汇总梳理) as the notice board counts it: the
// year's opinions that carry it.
type FamilyCount struct {
	Tag
	N int
}

// BoardWithheldFamilies are the families the notice board never counts. They name possible
// breaches of discipline (the eight-point rules and what they cover, red envelopes and
// kickbacks): matters for the discipline inspection office, whose 举报 and letters the board
// already leaves out. A public count of them would publish allegations before anyone has
// looked into them, and in a small unit would point at the people concerned.
var BoardWithheldFamilies = []string{"eightrules", "threepublic", "duty_consumption", "favour_consumption",
	"official_cars", "office_space", "kickbacks"}

// publicFamilyCounts counts the opinions where selects (CountsForYear's conditions on o, with
// args) by family, in the taxonomy's order: every family in use, zeros included, and a
// retired one only when it counts some; the withheld families never.
func (s *Store) publicFamilyCounts(ctx context.Context, where string, args ...any) ([]FamilyCount, error) {
	withheld := strings.TrimSuffix(strings.Repeat("?, ", len(BoardWithheldFamilies)), ", ")
	all := append([]any{}, args...)
	for _, code := range BoardWithheldFamilies {
		all = append(all, code)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT g.code, g.label, g.label_en, COALESCE(g.retired_on, ''),
		(SELECT count(*) FROM opinion_tags t JOIN opinions o ON o.id = t.opinion_id`+where+` AND t.tag = g.code)
		FROM tags g WHERE g.kind = '`+TagFamily+`' AND g.code NOT IN (`+withheld+`)
		ORDER BY g.position, g.code`, all...)
	if err != nil {
		return nil, fmt.Errorf("public family counts: %w", err)
	}
	defer rows.Close()
	var out []FamilyCount
	for rows.Next() {
		f := FamilyCount{Tag: Tag{Kind: TagFamily}}
		if err := rows.Scan(&f.Code, &f.Label, &f.LabelEn, &f.RetiredOn, &f.N); err != nil {
			return nil, err
		}
		if !f.Retired() || f.N > 0 {
			out = append(out, f)
		}
	}
	return out, rows.Err()
}
