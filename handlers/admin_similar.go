package handlers

import (
	"math"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// similarLimit is how many similar opinions the item page lists.
const similarLimit = 8

// similarRow is one opinion of the similar-opinions panel (相似意见) on the item page.
type similarRow struct {
	storage.Opinion
	Percent      int    // the similarity, 0..100
	ProblemTitle string // the problem it is in, "" for none
}

// fillSimilar fills the similar-opinions panel: the opinions that say nearly the same as o
// (storage.Store.NearDuplicates, within what the viewer may open), most similar first, each
// with the problem it is in. Those already in o's own problem are left out: there is nothing
// to do with them. Each row offers 归入同一问题 (admin_problem.go groupProblem).
func (s *Server) fillSimilar(c echo.Context, page *itemPage, o storage.Opinion) error {
	ctx := c.Request().Context()
	v := viewer(c)
	near, err := s.store.NearDuplicates(ctx, o.ID, &v, similarLimit)
	if err != nil {
		return err
	}
	ids := make([]string, len(near))
	for i, n := range near {
		ids[i] = n.Opinion.ID
	}
	problems, err := s.store.ProblemsOf(ctx, ids)
	if err != nil {
		return err
	}
	pr := s.printer(c)
	g := &page.Grouping
	for _, n := range near {
		row := similarRow{Opinion: n.Opinion.SeenBy(v), Percent: int(math.Round(n.Score * 100))}
		row.CreatedOn = pr.Day(row.CreatedOn)
		if p, ok := problems[n.Opinion.ID]; ok {
			if g.Problem != nil && p.ID == g.Problem.ID {
				continue
			}
			row.ProblemTitle = p.Title
		}
		g.Similar = append(g.Similar, row)
	}
	return nil
}
