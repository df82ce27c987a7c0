package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/storage"
)

// Branch administrators (#15): an administrator limited to one branch of the unit tree manages
// the units and accounts of that branch only (docs/roles.md). These helpers hold the checks
// the user and unit handlers share; access.Viewer holds the rules.

// The two refusals of a branch administrator (403), each with its own words on the page:
// errWholePortal for the whole portal's work (taxonomy, calendar, directory, settings…),
// errOutsideBranch for a thing of another branch or of no unit (a mailbox, a site, a survey).
var (
	errWholePortal   = errors.New("the whole portal's work, refused to a branch administrator")
	errOutsideBranch = errors.New("outside the administrator's branch")
)

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

// accountsInBranch returns the accounts v manages (all of them for the whole tree): the named
// readers a branch administrator may give a mailbox, the people of their audit log's filter.
func accountsInBranch(v access.Viewer, users []storage.User) []storage.User {
	if v.Branch == "" {
		return users
	}
	var out []storage.User
	for _, u := range users {
		if v.ManagesAccount(u.Role, u.Unit, u.Branch, u.Linked) {
			out = append(out, u)
		}
	}
	return out
}

// mayOwnMailbox returns mailbox code if the person may change it: 404 for an unknown one, 403
// for another branch's, the whole portal's (no unit) or a discipline mailbox (纪检 reads the
// whole tree) for a branch administrator.
func (s *Server) mayOwnMailbox(c echo.Context, code string) (storage.Mailbox, error) {
	m, err := s.store.Mailbox(c.Request().Context(), code)
	if err != nil {
		return m, err
	}
	v := viewer(c)
	if !v.OwnsInBranch(m.UnitCode) || v.Branch != "" && m.Discipline {
		return m, errOutsideBranch
	}
	return m, nil
}

// mayOwnSite answers nil if the person may change or print site code: 404 for an unknown one,
// 403 for a site of a unit outside their branch.
func (s *Server) mayOwnSite(c echo.Context, code string) error {
	st, err := s.store.Site(c.Request().Context(), code)
	if err != nil {
		return err
	}
	if !viewer(c).OwnsInBranch(st.UnitCode) {
		return errOutsideBranch
	}
	return nil
}

// setUserBranch handles POST /admin/users/{id}/branch: sets (branch=CODE) or clears (branch
// "") the branch of another administrator, audited (user_branch). A branch administrator sets
// only a branch inside their own (the same or narrower), never clears one (the whole tree is
// wider than theirs): 403. No one changes their own; the last administrator of the whole tree
// keeps it (409, said on the page).
func (s *Server) setUserBranch(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.mayManageUser(c, id); err != nil {
		return err
	}
	v, root := viewer(c), c.FormValue("branch")
	if !v.ManagesAccount(access.Admin, "", root, nil) {
		return errOutsideBranch
	}
	me, _ := staffUser(c)
	err = s.store.SetUserBranch(c.Request().Context(), me.ID, id, root)
	p := s.printer(c)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return s.renderUsers(c, http.StatusConflict, usersPage{Message: p.T("branch15.change_refused")}, rowRetry{})
	case errors.Is(err, storage.ErrInvalid):
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersPage{},
			rowRetry{id: id, errs: map[string]string{"branch": p.T("branch15.branch_unknown")}})
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=branch")
}

// ownsSurvey reports whether v reads and manages a survey or an evaluation of branch ("" the
// whole portal's): every one for the whole tree, for a branch administrator those of their
// branch or of a branch inside it. Staff who read results without administering (reviewers,
// the 督导组) are not limited to a branch and read them all.
func ownsSurvey(v access.Viewer, branch string) bool {
	return v.Branch == "" || branch != "" && v.InBranch(branch)
}

// mayOwnSurvey answers nil if the person may read and change survey id: 404 for an unknown
// one, 403 for the whole portal's or another branch's to a branch administrator.
func (s *Server) mayOwnSurvey(c echo.Context, id int64) error {
	sv, err := s.store.Survey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !ownsSurvey(viewer(c), sv.Branch) {
		return errOutsideBranch
	}
	return nil
}
