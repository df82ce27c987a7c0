package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// Lengths of a site's fields, in characters; the CHECK constraints of migration 0012 agree.
const (
	maxSiteName     = 50
	maxSiteBuilding = 30
	maxSiteFloor    = 10
	maxSiteWard     = 30
)

// siteForm is the "add a site" form and each site's edit form.
type siteForm struct {
	Name     string `form:"name"`
	Building string `form:"building"`
	Floor    string `form:"floor"`
	Ward     string `form:"ward"`
	Unit     string `form:"unit"`
	Dept     string `form:"dept"`
}

func (f *siteForm) normalise() {
	for _, p := range []*string{&f.Name, &f.Building, &f.Floor, &f.Ward, &f.Unit, &f.Dept} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate returns a message per wrong field; units are the public form's list, the only
// units a poster may send people to.
func (f siteForm) Validate(units []storage.Unit) locale.Fields {
	errs := locale.Fields{}
	if f.Name == "" {
		errs["name"] = locale.M("sites.name_missing")
	}
	for _, field := range []struct {
		key, label, value string
		max               int
	}{
		{"name", "sites.name", f.Name, maxSiteName},
		{"building", "sites.building", f.Building, maxSiteBuilding},
		{"floor", "sites.floor", f.Floor, maxSiteFloor},
		{"ward", "sites.ward", f.Ward, maxSiteWard},
		{"dept", "sites.dept", f.Dept, maxDept},
	} {
		if _, taken := errs[field.key]; taken {
			continue
		}
		if msg := textProblem(field.value, 0, field.max); msg.Key != "" {
			errs[field.key] = fieldProblem(field.label, msg)
		} else if strings.ContainsAny(field.value, "\r\n\t") {
			errs[field.key] = fieldProblem(field.label, locale.M("sites.one_line"))
		}
	}
	if !unitListed(units, f.Unit) {
		errs["unit"] = locale.M("sites.unit_missing")
	}
	return errs
}

func (f siteForm) newSite() storage.NewSite {
	return storage.NewSite{Name: f.Name, Building: f.Building, Floor: f.Floor, Ward: f.Ward, UnitCode: f.Unit, Dept: f.Dept}
}

func formOf(st storage.Site) siteForm {
	return siteForm{Name: st.Name, Building: st.Building, Floor: st.Floor, Ward: st.Ward, Unit: st.UnitCode, Dept: st.Dept}
}

// siteRow is one site on the list, with its own edit form (as stored, or as typed after a
// refused edit).
type siteRow struct {
	storage.SiteSummary
	Place  string // 门诊楼 · 1F · 内科病区
	Edit   siteForm
	Errors map[string]string
	Open   bool // the edit form comes back open after a refusal
}

// sitesPage is the data of templates/pages/sites.html.
type sitesPage struct {
	Sites   []siteRow
	Units   []storage.Unit
	Form    siteForm
	Errors  map[string]string // in the reader's language, as every page's data below
	Message string
	// EditCode, Edit and EditErrors keep a refused edit next to its site.
	EditCode   string
	Edit       siteForm
	EditErrors map[string]string
	// Address warns when posters and the kiosks' QR codes would carry an address people
	// outside cannot open.
	Address printedAddress
}

// showSites handles GET /admin/sites.
func (s *Server) showSites(c echo.Context) error {
	return s.renderSites(c, http.StatusOK, sitesPage{})
}

// renderSites lists the sites around what page already holds.
func (s *Server) renderSites(c echo.Context, status int, page sitesPage) error {
	ctx := c.Request().Context()
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	v := viewer(c)
	page.Units = unitsInBranch(v, page.Units)
	for _, st := range sites {
		if !v.OwnsInBranch(st.UnitCode) {
			continue // another branch's
		}
		row := siteRow{SiteSummary: st, Place: st.Place(), Edit: formOf(st.Site)}
		if st.Code == page.EditCode {
			row.Edit, row.Errors, row.Open = page.Edit, page.EditErrors, true
		}
		page.Sites = append(page.Sites, row)
	}
	page.Address = s.printedAddressFor(c, s.printer(c).T("sites.unprintable"))
	return s.render(c, status, "sites", page)
}

// backToSites redirects to the list after a change (Post/Redirect/Get).
func backToSites(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/sites")
}

// addSite handles POST /admin/sites: 422 with the form as typed, or 303 to the new site's
// poster, which is what the administrator came for.
func (s *Server) addSite(c echo.Context) error {
	var f siteForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	v := viewer(c)
	if f.Unit != "" && !v.OwnsInBranch(f.Unit) {
		return errOutsideBranch
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	units = unitsInBranch(v, units)
	p := s.printer(c)
	refuse := func(errs locale.Fields) error {
		return s.renderSites(c, http.StatusUnprocessableEntity, sitesPage{Form: f, Errors: p.Fields(errs), Message: p.T("sites.fix_below")})
	}
	if errs := f.Validate(units); len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	st, err := s.store.CreateSite(c.Request().Context(), u.ID, f.newSite())
	if errors.Is(err, storage.ErrSiteUnit) { // retired meanwhile
		return refuse(locale.Fields{"unit": locale.M("sites.unit_retired")})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/sites/"+st.Code+"/poster")
}

// editSite handles POST /admin/sites/{code}: the site's name, place, unit and department.
func (s *Server) editSite(c echo.Context) error {
	var f siteForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	ctx := c.Request().Context()
	code := c.Param("code")
	if err := s.mayOwnSite(c, code); err != nil {
		return err // ErrNotFound: the error handler's 404; another branch's: 403
	}
	v := viewer(c)
	if f.Unit != "" && !v.OwnsInBranch(f.Unit) {
		return errOutsideBranch // moving it out of the branch
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	units = unitsInBranch(v, units)
	p := s.printer(c)
	refuse := func(errs locale.Fields) error {
		return s.renderSites(c, http.StatusUnprocessableEntity, sitesPage{EditCode: code, Edit: f, EditErrors: p.Fields(errs),
			Message: p.T("sites.edit_not_saved")})
	}
	if errs := f.Validate(units); len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	err = s.store.UpdateSite(ctx, u.ID, code, f.newSite())
	if errors.Is(err, storage.ErrSiteUnit) {
		return refuse(locale.Fields{"unit": locale.M("sites.unit_retired")})
	}
	if err != nil {
		return err
	}
	return backToSites(c)
}

// setSiteActive handles POST /admin/sites/{code}/active: retire (active=0) or restore (active=1).
func (s *Server) setSiteActive(c echo.Context) error {
	var f activeForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if !activeChosen(f) {
		return s.renderSites(c, http.StatusUnprocessableEntity, sitesPage{Message: s.printer(c).T("sites.use_buttons")})
	}
	if err := s.mayOwnSite(c, c.Param("code")); err != nil {
		return err
	}
	u, _ := staffUser(c)
	if err := s.store.SetSiteActive(c.Request().Context(), u.ID, c.Param("code"), f.Active == "1"); err != nil {
		return err
	}
	return backToSites(c)
}

// activeChosen reports whether f came from the page's own retire or restore button (active is
// "0" or "1"); anything else is a hand-made request, answered with a plain word.
func activeChosen(f activeForm) bool { return f.Active == "0" || f.Active == "1" }

// siteNamesFor returns the names of the active sites of units, offered as suggestions where
// staff type in what a box held, so that the same box gets the same name. Only suggestions:
// if the list cannot be read, the field works without it.
func (s *Server) siteNamesFor(c echo.Context, units []storage.Unit) []string {
	sites, err := s.store.Sites(c.Request().Context())
	if err != nil {
		s.log.Warn("list sites for suggestions", "err", err)
		return nil
	}
	var names []string
	seen := map[string]bool{}
	for _, st := range sites {
		if st.Active && unitListed(units, st.UnitCode) && !seen[st.Name] {
			seen[st.Name] = true
			names = append(names, st.Name)
		}
	}
	return names
}

// registeredSiteCode is the code of the active site called name in unit, or "" when there is
// none (or the name is ambiguous): a slip typed in from a registered box then counts for that
// box like the opinions sent from its poster. Free-text places stay free text.
func (s *Server) registeredSiteCode(c echo.Context, name, unit string) string {
	if name == "" {
		return ""
	}
	sites, err := s.store.Sites(c.Request().Context())
	if err != nil {
		s.log.Warn("list sites for a transcribed slip", "err", err)
		return ""
	}
	code := ""
	for _, st := range sites {
		if st.Active && st.Name == name && st.UnitCode == unit {
			if code != "" {
				return ""
			}
			code = st.Code
		}
	}
	return code
}
