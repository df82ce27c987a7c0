package handlers

import (
	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/storage"
)

// Branch administrators (#15): an administrator limited to one branch of the unit tree manages
// the units and accounts of that branch only (docs/roles.md). These helpers hold the checks
// the user and unit handlers share; access.Viewer holds the rules.

// unitsInBranch returns the units of v's branch (all of them for the whole tree).
func unitsInBranch(v access.Viewer, units []storage.Unit) []storage.Unit {
	if v.Branch == "" {
		return units
	}
	var out []storage.Unit
	for _, u := range units {
		if v.InBranch(u.Code) {
			out = append(out, u)
		}
	}
	return out
}

// branchRefusesNew reports whether v, a branch administrator, would give the account f more
// than their branch: a whole-tree role, an administrator of the whole tree or of a wider
// branch, a unit or a link outside. What is merely missing is left to Validate (422).
func branchRefusesNew(v access.Viewer, f userForm) bool {
	if v.Branch == "" || !access.ValidRole(f.Role) {
		return false
	}
	if access.HasUnit(f.Role) && f.Unit == "" || access.HasLinks(f.Role) && len(f.Linked) == 0 {
		return false
	}
	return !v.ManagesAccount(f.Role, f.Unit, f.Branch, f.Linked)
}

// mayManageUser answers nil when the account id exists and the person may change it, 404 for
// an unknown account and 403 for one outside their branch.
func (s *Server) mayManageUser(c echo.Context, id int64) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	v := viewer(c)
	for _, u := range users {
		if u.ID == id {
			if !v.ManagesAccount(u.Role, u.Unit, u.Branch, u.Linked) {
				return echo.ErrForbidden
			}
			return nil
		}
	}
	return echo.ErrNotFound
}

// branchMayChangeUnit reports whether v may rename, retire or restore the unit code: a unit
// under the root of their branch, never the root itself (it is the province's to change) nor
// a unit outside. An administrator of the whole tree, any unit.
func branchMayChangeUnit(v access.Viewer, code string) bool {
	return v.Branch == "" || code != v.Branch && v.InBranch(code)
}
