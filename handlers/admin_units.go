package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// unitForm is the "add a unit" form.
type unitForm struct {
	Code   string `form:"code"`
	Name   string `form:"name"`
	Kind   string `form:"kind"`
	Parent string `form:"parent"`
}

func (f *unitForm) normalise() {
	f.Code, f.Name = strings.TrimSpace(f.Code), strings.TrimSpace(f.Name)
	f.Kind, f.Parent = strings.TrimSpace(f.Kind), strings.TrimSpace(f.Parent)
}

// Validate returns a message per wrong field. parents are the units a new unit may go under
// (active, not departments).
func (f unitForm) Validate(parents []unitRow) locale.Fields {
	errs := locale.Fields{}
	if f.Code == "" {
		errs["code"] = locale.M("units.code_required")
	} else if !storage.ValidUnitCode(f.Code) {
		errs["code"] = locale.M("units.code_invalid")
	}
	if msg := unitNameProblem(f.Name); msg.Key != "" {
		errs["name"] = msg
	}
	if !lifecycle.ValidTerm(storage.UnitKinds, f.Kind) {
		errs["kind"] = locale.M("units.kind_required")
	}
	switch {
	case f.Parent == "" && f.Kind == storage.UnitDept:
		errs["parent"] = locale.M("units.dept_needs_parent")
	case f.Parent != "" && !parentListed(parents, f.Parent):
		errs["parent"] = locale.M("units.parent_unlisted")
	}
	return errs
}

// renameForm is the per-unit rename form.
type renameForm struct {
	Name string `form:"name"`
}

// Validate returns a message per wrong field.
func (f renameForm) Validate() locale.Fields {
	if msg := unitNameProblem(f.Name); msg.Key != "" {
		return locale.Fields{"name": msg}
	}
	return locale.Fields{}
}

// activeForm is the retire / restore button: active is "0" or "1".
type activeForm struct {
	Active string `form:"active"`
}

// Problems returns a message per wrong field.
func (f activeForm) Problems() locale.Fields {
	if f.Active != "0" && f.Active != "1" {
		return locale.Fields{"active": locale.M("units.use_buttons")}
	}
	return locale.Fields{}
}

// unitNameProblem returns what is wrong with a unit's name, or the zero Message. A text
// problem (form.*) is said of the name: 名称太长了….
func unitNameProblem(name string) locale.Message {
	if name == "" {
		return locale.M("units.name_required")
	}
	switch msg := textProblem(name, 1, storage.MaxUnitName); msg.Key {
	case "form.too_long":
		return locale.M("units.name_too_long", msg.Args...)
	case "form.too_short":
		return locale.M("units.name_too_short")
	case "form.bad_characters":
		return locale.M("units.name_bad_characters")
	}
	if !storage.ValidUnitName(name) {
		return locale.M("units.name_controls")
	}
	return locale.Message{}
}

func parentListed(parents []unitRow, code string) bool {
	for _, p := range parents {
		if p.Code == code {
			return true
		}
	}
	return false
}

// unitRow is one line of the tree as the page shows it.
type unitRow struct {
	storage.UnitNode
	Indent    string // full-width spaces and a corner, by depth
	KindLabel string
	PosterURL string // where a poster's QR code points
	Poster    string // the same, readable (the 科室 not percent-encoded)
}

// unitsPage is the data of templates/pages/units.html. Rename* keep a failed rename next to
// its unit; Message is a refusal that belongs to no field.
type unitsPage struct {
	Units        []unitRow
	Parents      []unitRow
	Kinds        []lifecycle.Term
	Form         unitForm
	Errors       map[string]string
	RenameCode   string
	RenameName   string
	RenameErrors map[string]string
	Message      string
	WholeTree    bool // the reader administers the whole tree, not a branch (#15)
}

// showUnits handles GET /admin/units.
func (s *Server) showUnits(c echo.Context) error {
	return s.renderUnits(c, http.StatusOK, unitsPage{})
}

// renderUnits loads the tree and shows it; what page already holds (errors, what was typed)
// is kept.
func (s *Server) renderUnits(c echo.Context, status int, page unitsPage) error {
	rows, parents, err := s.unitRows(c)
	if err != nil {
		return err
	}
	page.Units, page.Parents, page.Kinds = rows, parents, storage.UnitKinds
	page.WholeTree = viewer(c).Branch == ""
	return s.render(c, status, "units", page)
}

// unitRows returns the whole tree and the units a new unit may go under.
func (s *Server) unitRows(c echo.Context) (all, parents []unitRow, err error) {
	nodes, err := s.store.AllUnits(c.Request().Context())
	if err != nil {
		return nil, nil, err
	}
	p, v := s.printer(c), viewer(c)
	for _, n := range nodes {
		if !v.InBranch(n.Code) {
			continue // a branch administrator sees and changes their branch only
		}
		r := unitRow{UnitNode: n, KindLabel: vocab.LabelIn(p, storage.UnitKinds, n.Kind)}
		if n.Depth > 0 {
			r.Indent = strings.Repeat("　", 2*(n.Depth-1)) + "└ "
		}
		// A department has no place in the public list: its poster names its unit and
		// pre-fills the 科室 field, which the form already takes (?dept=).
		r.PosterURL = "/submit?unit=" + url.QueryEscape(n.Code)
		if n.IsDept() {
			r.PosterURL = "/submit?unit=" + url.QueryEscape(n.ParentCode) + "&dept=" + url.QueryEscape(n.Name)
		}
		r.Poster, _ = url.QueryUnescape(r.PosterURL)
		all = append(all, r)
		if n.Active && !n.IsDept() {
			parents = append(parents, r)
		}
	}
	return all, parents, nil
}

// backToUnits redirects to the tree after a change (Post/Redirect/Get).
func backToUnits(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/units")
}

// addUnit handles POST /admin/units.
func (s *Server) addUnit(c echo.Context) error {
	var f unitForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	if v := viewer(c); v.Branch != "" && (f.Parent == "" || !v.InBranch(f.Parent)) {
		return echo.ErrForbidden // only under the branch's root, never beside or above it
	}
	_, parents, err := s.unitRows(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	if errs := f.Validate(parents); len(errs) > 0 {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Form: f, Errors: p.Fields(errs)})
	}
	u, _ := staffUser(c)
	err = s.store.CreateUnit(c.Request().Context(), u.ID,
		storage.NewUnit{Code: f.Code, Name: f.Name, ParentCode: f.Parent, Kind: f.Kind})
	if field, msg := unitRefusal(err); msg.Key != "" {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Form: f, Errors: p.Fields(locale.Fields{field: msg})})
	}
	if err != nil {
		return err
	}
	return backToUnits(c)
}

// renameUnit handles POST /admin/units/{code}/rename.
func (s *Server) renameUnit(c echo.Context) error {
	var f renameForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Name = strings.TrimSpace(f.Name)
	code := c.Param("code")
	if !branchMayChangeUnit(viewer(c), code) {
		return echo.ErrForbidden
	}
	refuse := func(errs locale.Fields) error {
		return s.renderUnits(c, http.StatusUnprocessableEntity,
			unitsPage{RenameCode: code, RenameName: f.Name, RenameErrors: s.printer(c).Fields(errs)})
	}
	if errs := f.Validate(); len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	err := s.store.RenameUnit(c.Request().Context(), u.ID, code, f.Name)
	if _, msg := unitRefusal(err); msg.Key != "" {
		return refuse(locale.Fields{"name": msg})
	}
	if err != nil {
		return err
	}
	return backToUnits(c)
}

// setUnitActive handles POST /admin/units/{code}/active: retire (active=0) or restore (active=1).
func (s *Server) setUnitActive(c echo.Context) error {
	var f activeForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if !branchMayChangeUnit(viewer(c), c.Param("code")) {
		return echo.ErrForbidden
	}
	p := s.printer(c)
	if errs := f.Problems(); len(errs) > 0 {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Message: p.Msg(errs["active"])})
	}
	u, _ := staffUser(c)
	err := s.store.SetUnitActive(c.Request().Context(), u.ID, c.Param("code"), f.Active == "1")
	if _, msg := unitRefusal(err); msg.Key != "" {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Message: p.Msg(msg)})
	}
	if err != nil {
		return err
	}
	return backToUnits(c)
}

// unitRefusal turns a refusal from storage into the field it concerns and a message; msg is
// the zero Message for nil and for errors that are not the person's to fix (ErrNotFound,
// failures).
func unitRefusal(err error) (field string, msg locale.Message) {
	switch {
	case err == nil:
		return "", locale.Message{}
	case errors.Is(err, storage.ErrUnitCodeTaken):
		return "code", locale.M("units.code_taken")
	case errors.Is(err, storage.ErrUnitNameTaken):
		return "name", locale.M("units.name_taken")
	case errors.Is(err, storage.ErrUnitHasChildren):
		return "active", locale.M("units.has_children")
	case errors.Is(err, storage.ErrUnitParentRetired):
		return "active", locale.M("units.parent_retired")
	case errors.Is(err, storage.ErrInvalid):
		return "parent", locale.M("units.parent_invalid")
	}
	return "", locale.Message{}
}
