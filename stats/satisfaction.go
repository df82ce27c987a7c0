package stats

import (
	"context"
	"fmt"
	"sort"

	"minsheng/period"
	"minsheng/storage"
)

// satisfaction counts the ratings given in p (by the day given), by the unit the opinion was
// about, and lists the units to redo (补课): under RedoRate on at least MinRatings ratings.
// Every round's answer is a rating: a 不满意 that sent the work back and the answer after it
// both count, as both were given.
func (e *env) satisfaction(ctx context.Context, p period.Period) (Satisfaction, error) {
	var s Satisfaction
	units := map[string]*UnitSatisfaction{}
	err := e.st.EachRating(ctx, e.filter(p.From, p.To), func(g storage.RatingFact) error {
		u := units[g.UnitCode]
		if u == nil {
			u = &UnitSatisfaction{Code: g.UnitCode}
			units[g.UnitCode] = u
		}
		switch g.Rating {
		case "satisfied":
			s.Satisfied++
			u.Satisfied++
		case "basically":
			s.Basically++
			u.Basically++
		case "dissatisfied":
			s.Dissatisfied++
			u.Dissatisfied++
		default:
			return nil // the schema allows no other answer
		}
		s.Rated++
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("stats satisfaction %s: %w", p, err)
	}
	for code, u := range units {
		u.Name = code
		if i, ok := e.unitIndex[code]; ok {
			u.Name = e.units[i].Name
		}
		s.ByUnit = append(s.ByUnit, *u)
	}
	sort.Slice(s.ByUnit, func(i, j int) bool {
		a, b := s.ByUnit[i], s.ByUnit[j]
		if pa, pb := e.unitPlace(a.Code), e.unitPlace(b.Code); pa != pb {
			return pa < pb
		}
		return a.Code < b.Code
	})
	for _, u := range s.ByUnit {
		rate, ok := u.Rate()
		if ok && rate < RedoRate {
			s.Redo = append(s.Redo, u.Code)
		}
		if ok && rate < TargetRate {
			s.BelowTarget = append(s.BelowTarget, u.Code)
		}
	}
	return s, nil
}
