package handlers

import (
	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// similarRow is one opinion of the similar-opinions panel (相似意见) on the item page.
type similarRow struct {
	storage.Opinion
	Percent      int    // the similarity, 0..100
	ProblemTitle string // the problem it is in, "" for none
}

// fillSimilar fills the similar-opinions panel. It waits for storage.Store.NearDuplicates (the
// near-duplicates branch of #11): until then the panel is not shown.
func (s *Server) fillSimilar(c echo.Context, page *itemPage, o storage.Opinion) error {
	return nil
}
