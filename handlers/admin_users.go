package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// userForm adds a staff member. Unit is read only for a liaison, unit head or department head
// (access.HasUnit), Dept only for a department head, and Linked only for a leader or a citizen
// supervisor (access.HasLinks): the page has no script, so it shows every field to every role.
type userForm struct {
	Username  string   `form:"username"`
	Role      string   `form:"role"`
	Unit      string   `form:"unit"`
	Dept      string   `form:"dept"`
	Post      string   `form:"post"`
	Badge     string   `form:"badge"`
	Linked    []string `form:"linked"`
	Branch    string   `form:"branch"` // an administrator's branch (#15), "" for the whole tree
	Password  string   `form:"password"`
	Password2 string   `form:"password2"`
}

func (f *userForm) normalise() {
	f.Username = strings.TrimSpace(f.Username)
	f.Role = strings.TrimSpace(f.Role)
	f.Dept = strings.TrimSpace(f.Dept)
	f.Post, f.Badge = strings.TrimSpace(f.Post), strings.TrimSpace(f.Badge)
	if !access.HasUnit(f.Role) {
		f.Unit, f.Post, f.Badge = "", "", ""
	}
	if f.Role != access.DeptHead {
		f.Dept = ""
	}
	if !access.HasLinks(f.Role) {
		f.Linked = nil
	}
	if f.Branch = strings.TrimSpace(f.Branch); f.Role != access.Admin {
		f.Branch = ""
	}
}

// Validate returns a message per wrong field; units are those that may be chosen.
func (f userForm) Validate(units []storage.Unit) locale.Fields {
	errs := locale.Fields{}
	if f.Username == "" || textProblem(f.Username, 1, 40).Key != "" {
		errs["username"] = locale.M("users.username_required")
	}
	if !access.ValidRole(f.Role) {
		errs["role"] = locale.M("users.role_required")
	}
	if access.HasUnit(f.Role) && !unitListed(units, f.Unit) {
		errs["unit"] = locale.M("users.unit_required")
	}
	if f.Role == access.DeptHead && (f.Dept == "" || textProblem(f.Dept, 1, 50).Key != "") {
		errs["dept"] = locale.M("roles16.dept_required")
	}
	if textProblem(f.Post, 0, 40).Key != "" {
		errs["post"] = locale.M("roles16.post_bad")
	}
	if !badgeRe.MatchString(f.Badge) {
		errs["badge"] = locale.M("roles16.badge_bad")
	}
	if access.HasLinks(f.Role) {
		if msg := checkLinks(units, f.Linked); msg.Key != "" {
			errs["linked"] = msg
		}
	}
	if f.Branch != "" && !unitListed(units, f.Branch) {
		errs["branch"] = locale.M("branch15.branch_unknown")
	}
	checkNewPassword(errs, f.Password, f.Password2)
	return errs
}

// checkNewPassword adds what is wrong with a new password and its repetition to errs.
func checkNewPassword(errs locale.Fields, password, again string) {
	if storage.CheckPassword(password) != nil {
		errs["password"] = locale.M("users.password_length")
	} else if password != again {
		errs["password2"] = locale.M("users.password_mismatch")
	}
}

// checkLinks returns what is wrong with a leader's linked units, or the zero Message.
func checkLinks(units []storage.Unit, linked []string) locale.Message {
	if len(linked) == 0 {
		return locale.M("users.links_required")
	}
	for _, code := range linked {
		if !unitListed(units, code) {
			return locale.M("users.links_unlisted")
		}
	}
	return locale.Message{}
}

// passwordForm sets a new password for someone.
type passwordForm struct {
	Password  string `form:"password"`
	Password2 string `form:"password2"`
}

// Validate returns a message per wrong field.
func (f passwordForm) Validate() locale.Fields {
	errs := locale.Fields{}
	checkNewPassword(errs, f.Password, f.Password2)
	return errs
}

// linksForm replaces a leader's linked units.
type linksForm struct {
	Linked []string `form:"linked"`
}

// Validate returns a message per wrong field.
func (f linksForm) Validate(units []storage.Unit) locale.Fields {
	errs := locale.Fields{}
	if msg := checkLinks(units, f.Linked); msg.Key != "" {
		errs["linked"] = msg
	}
	return errs
}

// usersPage is the data of templates/pages/users.html.
type usersPage struct {
	Users []userRow
	Roles []lifecycle.Term
	Units []storage.Unit // those the person may choose: their branch's
	// WholeTree: the reader administers every unit, so may add an administrator of them all.
	WholeTree bool
	Form      userForm          // the add form, as typed (never its passwords)
	Errors    map[string]string // of the add form
	Message   string            // why the last change was refused
	Notice    string            // what the last change did
	Self      int64
}

// userRow is one staff member in the list, with their row's forms.
type userRow struct {
	storage.User
	RoleLabel   string
	UnitName    string
	BranchName  string // an administrator's branch (#15)
	LinkedNames []string
	HasLinks    bool              // a leader's or citizen supervisor's: the row has the links form
	MayConduct  bool              // anyone but a citizen supervisor may be granted the conduct record
	MayBranch   bool              // another administrator: the row has the branch form (#15)
	Checked     []string          // linked units ticked in the row's form
	Errors      map[string]string // of the row's forms, when one came back
}

// rowRetry is a row form that came back with errors.
type rowRetry struct {
	id      int64
	errs    map[string]string
	checked []string
}

// userNotices are the messages shown after a change, by key; the query names one, so nothing
// typed is ever reflected.
var userNotices = map[string]string{
	"added": "users.done_added", "disabled": "users.done_disabled", "enabled": "users.done_enabled",
	"password": "users.done_password", "links": "users.done_links", "conduct": "roles16.done_conduct",
	"branch": "branch15.done_branch",
}

// showUsers handles GET /admin/users.
func (s *Server) showUsers(c echo.Context) error {
	page := usersPage{}
	if key, ok := userNotices[c.QueryParam("done")]; ok {
		page.Notice = s.printer(c).T(key)
	}
	return s.renderUsers(c, http.StatusOK, page, rowRetry{})
}

// renderUsers fills in the list, roles and units and renders the page.
func (s *Server) renderUsers(c echo.Context, status int, page usersPage, retry rowRetry) error {
	ctx := c.Request().Context()
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	v := viewer(c)
	names := map[string]string{}
	for _, u := range page.Units { // every unit, for the names of the rows
		names[u.Code] = u.Name
	}
	page.WholeTree, page.Units = v.Branch == "", unitsInBranch(v, page.Units)
	name := func(code string) string {
		if n, ok := names[code]; ok {
			return n
		}
		return code // a retired unit
	}
	if me, ok := staffUser(c); ok {
		page.Self = me.ID
	}
	p := s.printer(c)
	for _, u := range users {
		if !v.ManagesAccount(u.Role, u.Unit, u.Branch, u.Linked) {
			continue // a branch administrator lists the accounts of their branch
		}
		row := userRow{User: u, RoleLabel: vocab.LabelIn(p, access.Roles, u.Role), Checked: u.Linked,
			HasLinks: access.HasLinks(u.Role), MayConduct: u.Role != access.Monitor && v.Branch == "",
			MayBranch: u.Role == access.Admin && u.ID != page.Self}
		if u.Unit != "" {
			row.UnitName = name(u.Unit)
		}
		if u.Branch != "" {
			row.BranchName = name(u.Branch)
		}
		for _, code := range u.Linked {
			row.LinkedNames = append(row.LinkedNames, name(code))
		}
		if u.ID == retry.id {
			row.Errors, row.Checked = retry.errs, retry.checked
		}
		page.Users = append(page.Users, row)
	}
	page.Roles = access.Roles
	if v.Branch != "" { // a branch administrator: only the roles that see no more than a branch
		page.Roles = nil
		for _, r := range access.Roles {
			if r.Code == access.Admin || access.HasUnit(r.Code) || access.HasLinks(r.Code) {
				page.Roles = append(page.Roles, r)
			}
		}
	}
	page.Form.Password, page.Form.Password2 = "", ""
	return s.render(c, status, "users", page)
}

// addUser handles POST /admin/users.
func (s *Server) addUser(c echo.Context) error {
	var f userForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	p := s.printer(c)
	retry := func(errs locale.Fields) error {
		return s.renderUsers(c, http.StatusUnprocessableEntity,
			usersPage{Form: f, Errors: p.Fields(errs), Message: p.T("users.add_refused")}, rowRetry{})
	}
	if branchRefusesNew(viewer(c), f) {
		return echo.ErrForbidden // a branch administrator giving more than their branch
	}
	if errs := f.Validate(units); len(errs) > 0 {
		return retry(errs)
	}
	me, _ := staffUser(c)
	_, err = s.store.CreateScopedUser(ctx, me.ID, storage.NewUser{Username: f.Username, Password: f.Password,
		Role: f.Role, Unit: f.Unit, Dept: f.Dept, Post: f.Post, Badge: f.Badge, Linked: f.Linked, Branch: f.Branch})
	if errors.Is(err, storage.ErrConflict) {
		return retry(locale.Fields{"username": locale.M("users.username_taken")})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=added")
}

// userID reads the :id of a user route; a malformed one is 404 like an unknown one.
func userID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// disableUser handles POST /admin/users/{id}/disable.
func (s *Server) disableUser(c echo.Context) error { return s.setUserDisabled(c, true) }

// enableUser handles POST /admin/users/{id}/enable.
func (s *Server) enableUser(c echo.Context) error { return s.setUserDisabled(c, false) }

func (s *Server) setUserDisabled(c echo.Context, disabled bool) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.mayManageUser(c, id); err != nil {
		return err
	}
	me, _ := staffUser(c)
	err = s.store.SetUserDisabled(c.Request().Context(), me.ID, id, disabled)
	if errors.Is(err, storage.ErrConflict) {
		msg := "users.last_admin"
		if id == me.ID {
			msg = "users.not_self"
		}
		return s.renderUsers(c, http.StatusConflict, usersPage{Message: s.printer(c).T(msg)}, rowRetry{})
	}
	if err != nil {
		return err
	}
	if disabled {
		return c.Redirect(http.StatusSeeOther, "/admin/users?done=disabled")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=enabled")
}

// resetUserPassword handles POST /admin/users/{id}/password. Resetting one's own password
// ends one's own session too, so the administrator logs in again with it.
func (s *Server) resetUserPassword(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.mayManageUser(c, id); err != nil {
		return err
	}
	var f passwordForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		p := s.printer(c)
		return s.renderUsers(c, http.StatusUnprocessableEntity,
			usersPage{Message: p.T("users.password_refused")}, rowRetry{id: id, errs: p.Fields(errs)})
	}
	me, _ := staffUser(c)
	if err := s.store.ResetPassword(c.Request().Context(), me.ID, id, f.Password); err != nil {
		return err
	}
	if id == me.ID {
		return c.Redirect(http.StatusSeeOther, langPrefix(me.Lang)+"/admin/login?next=/admin/users")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=password")
}

// setUserLinks handles POST /admin/users/{id}/links: a leader's linked units, a citizen
// supervisor's assigned units.
func (s *Server) setUserLinks(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.mayManageUser(c, id); err != nil {
		return err
	}
	var f linksForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	p := s.printer(c)
	retry := func(errs locale.Fields) error {
		return s.renderUsers(c, http.StatusUnprocessableEntity,
			usersPage{Message: p.T("users.links_refused")}, rowRetry{id: id, errs: p.Fields(errs), checked: f.Linked})
	}
	if v := viewer(c); v.Branch != "" && len(f.Linked) > 0 && !v.ManagesAccount(access.Leader, "", "", f.Linked) {
		return echo.ErrForbidden // links outside the branch
	}
	if errs := f.Validate(units); len(errs) > 0 {
		return retry(errs)
	}
	me, _ := staffUser(c)
	err = s.store.SetLinkedUnits(ctx, me.ID, id, f.Linked)
	if errors.Is(err, storage.ErrInvalid) {
		// Not a leader: the row has no links form to show a message beside.
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersPage{Message: p.T("users.links_leaders_only")}, rowRetry{})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=links")
}

// setUserConduct handles POST /admin/users/{id}/conduct: grants or withdraws the conduct
// record (医德医风档案) of every department (conduct=1 grants). A citizen supervisor is never
// granted it (409).
func (s *Server) setUserConduct(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := s.mayManageUser(c, id); err != nil {
		return err
	}
	if viewer(c).Branch != "" {
		return echo.ErrForbidden // the conduct record of every department reaches beyond a branch
	}
	me, _ := staffUser(c)
	err = s.store.SetConductReader(c.Request().Context(), me.ID, id, c.FormValue("conduct") == "1")
	if errors.Is(err, storage.ErrInvalid) {
		return s.renderUsers(c, http.StatusConflict, usersPage{Message: s.printer(c).T("roles16.conduct_not_monitor")}, rowRetry{})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=conduct")
}

// badgeRe is a badge number (工号) as accounts and opinions keep it: digits and letters, ≤ 20.
var badgeRe = regexp.MustCompile(`^[0-9A-Za-z]{0,20}$`)
