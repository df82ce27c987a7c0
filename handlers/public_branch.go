package handlers

import (
	"errors"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/stats"
	"minsheng/storage"
)

// Public pages of one branch (#15): /gongshi?branch=CODE and /xinxiang?branch=CODE show the
// notice board, and the mailboxes and box sites, of one unit and the units under it (a county
// within a province). Without ?branch= the pages are as they were. An unknown or retired unit
// is 404, as any page that does not exist.

// publicScope is the branch a public page shows; the zero value is the whole tree.
type publicScope struct {
	Code, Name string
	Units      []string // the subtree's codes, root included
}

// has reports whether unit is in the scope (always, for the whole tree).
func (p publicScope) has(unit string) bool { return p.Code == "" || slices.Contains(p.Units, unit) }

// publicBranch reads ?branch= of a public page.
func (s *Server) publicBranch(c echo.Context) (publicScope, error) {
	code := c.QueryParam("branch")
	if code == "" {
		return publicScope{}, nil
	}
	ctx := c.Request().Context()
	u, err := s.store.UnitByCode(ctx, code)
	if errors.Is(err, storage.ErrNotFound) {
		return publicScope{}, echo.ErrNotFound
	}
	if err != nil {
		return publicScope{}, err
	}
	units, err := s.store.Subtree(ctx, code)
	if err != nil {
		return publicScope{}, err
	}
	return publicScope{Code: u.Code, Name: u.Name, Units: units}, nil
}

// countedBoard is one branch's board figures, kept as the whole tree's are (countsTTL).
type countedBoard struct {
	today     string
	board     *stats.Board
	countedAt time.Time
	expires   time.Time
}

// branchBoardFigures are boardFigures for one branch. At most one entry per unit is kept,
// and a branch is a unit that exists, so the cache stays as small as the tree.
func (s *Server) branchBoardFigures(c echo.Context, scope publicScope) (*stats.Board, time.Time, error) {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	today := s.store.Today()
	if b, ok := s.counts.branches[scope.Code]; ok && b.today == today && time.Now().Before(b.expires) {
		return b.board, b.countedAt, nil
	}
	board, err := stats.ComputeBranchBoard(c.Request().Context(), s.store, today, scope.Units)
	if err != nil {
		return nil, time.Time{}, err
	}
	if s.counts.branches == nil {
		s.counts.branches = map[string]countedBoard{}
	}
	b := countedBoard{today: today, board: board, countedAt: s.store.Now(), expires: time.Now().Add(countsTTL)}
	s.counts.branches[scope.Code] = b
	return b.board, b.countedAt, nil
}
