package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/storage"
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

// Validate returns a Chinese message per wrong field. parents are the units a new unit may go
// under (active, not departments).
func (f unitForm) Validate(parents []unitRow) map[string]string {
	errs := map[string]string{}
	if f.Code == "" {
		errs["code"] = "请填写代码。"
	} else if !storage.ValidUnitCode(f.Code) {
		errs["code"] = "代码只能用小写英文字母、数字和“-”，最多 40 个字符，例如 renmin-hospital。"
	}
	if msg := unitNameProblem(f.Name); msg != "" {
		errs["name"] = msg
	}
	if !lifecycle.ValidTerm(storage.UnitKinds, f.Kind) {
		errs["kind"] = "请选择类别。"
	}
	switch {
	case f.Parent == "" && f.Kind == storage.UnitDept:
		errs["parent"] = "科室/病区要选择所属单位。"
	case f.Parent != "" && !parentListed(parents, f.Parent):
		errs["parent"] = "请从列表中选择上级单位。"
	}
	return errs
}

// renameForm is the per-unit rename form.
type renameForm struct {
	Name string `form:"name"`
}

// Validate returns a Chinese message per wrong field.
func (f renameForm) Validate() map[string]string {
	if msg := unitNameProblem(f.Name); msg != "" {
		return map[string]string{"name": msg}
	}
	return map[string]string{}
}

// activeForm is the retire / restore button: active is "0" or "1".
type activeForm struct {
	Active string `form:"active"`
}

// Validate returns a Chinese message per wrong field.
func (f activeForm) Validate() map[string]string {
	if f.Active != "0" && f.Active != "1" {
		return map[string]string{"active": "请用页面上的“停用”或“恢复”按钮。"}
	}
	return map[string]string{}
}

func unitNameProblem(name string) string {
	if name == "" {
		return "请填写名称。"
	}
	if msg := checkText(name, 1, storage.MaxUnitName); msg != "" {
		return "名称" + msg
	}
	if !storage.ValidUnitName(name) {
		return "名称不能含有换行或控制字符。"
	}
	return ""
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
	return s.render(c, status, "units", page)
}

// unitRows returns the whole tree and the units a new unit may go under.
func (s *Server) unitRows(c echo.Context) (all, parents []unitRow, err error) {
	nodes, err := s.store.AllUnits(c.Request().Context())
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, n := range nodes {
		names[n.Code] = n.Name
	}
	for _, n := range nodes {
		r := unitRow{UnitNode: n, KindLabel: lifecycle.TermLabel(storage.UnitKinds, n.Kind)}
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
	_, parents, err := s.unitRows(c)
	if err != nil {
		return err
	}
	if errs := f.Validate(parents); len(errs) > 0 {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Form: f, Errors: errs})
	}
	u, _ := staffUser(c)
	err = s.store.CreateUnit(c.Request().Context(), u.ID,
		storage.NewUnit{Code: f.Code, Name: f.Name, ParentCode: f.Parent, Kind: f.Kind})
	if field, msg := unitRefusal(err); msg != "" {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Form: f, Errors: map[string]string{field: msg}})
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
	refuse := func(errs map[string]string) error {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{RenameCode: code, RenameName: f.Name, RenameErrors: errs})
	}
	if errs := f.Validate(); len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	err := s.store.RenameUnit(c.Request().Context(), u.ID, code, f.Name)
	if _, msg := unitRefusal(err); msg != "" {
		return refuse(map[string]string{"name": msg})
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
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Message: errs["active"]})
	}
	u, _ := staffUser(c)
	err := s.store.SetUnitActive(c.Request().Context(), u.ID, c.Param("code"), f.Active == "1")
	if _, msg := unitRefusal(err); msg != "" {
		return s.renderUnits(c, http.StatusUnprocessableEntity, unitsPage{Message: msg})
	}
	if err != nil {
		return err
	}
	return backToUnits(c)
}

// unitRefusal turns a refusal from storage into the field it concerns and a Chinese message;
// msg is "" for nil and for errors that are not the person's to fix (ErrNotFound, failures).
func unitRefusal(err error) (field, msg string) {
	switch {
	case err == nil:
		return "", ""
	case errors.Is(err, storage.ErrUnitCodeTaken):
		return "code", "这个代码已经有单位在用（包括已停用的单位），请换一个。"
	case errors.Is(err, storage.ErrUnitNameTaken):
		return "name", "已有同名单位（科室/病区只需在本单位内不重名），请换一个名称。"
	case errors.Is(err, storage.ErrUnitHasChildren):
		return "active", "这个单位下面还有启用中的下级单位或科室，请先停用它们。"
	case errors.Is(err, storage.ErrUnitParentRetired):
		return "active", "上级单位已停用，请先恢复上级单位。"
	case errors.Is(err, storage.ErrInvalid):
		return "parent", "上级单位不存在、已停用或本身是科室/病区，请从列表中重新选择。"
	}
	return "", ""
}
