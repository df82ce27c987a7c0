package stats

import (
	"context"

	"minsheng/storage"
)

// ComputeSatisfaction counts only the ratings of q: Figures.Satisfaction exactly as Compute
// counts it (the ratings given in q.Period, by the unit the opinion was about, within q's
// scope, and the 补课 list), without reading the period's opinions, which the satisfaction
// page does not show.
func ComputeSatisfaction(ctx context.Context, st *storage.Store, q Query) (Satisfaction, error) {
	e, err := newEnv(ctx, st, q)
	if err != nil {
		return Satisfaction{}, err
	}
	return e.satisfaction(ctx, q.Period)
}
