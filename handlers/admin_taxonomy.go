package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
)

// tagForm is the add and edit form of a tag. Keywords come one per line.
type tagForm struct {
	Code     string `form:"code"`
	Kind     string `form:"kind"`
	Style    string `form:"style"`
	Label    string `form:"label"`
	LabelEn  string `form:"label_en"`
	Keywords string `form:"keywords"`
}

func (f tagForm) edit() storage.TagEdit {
	var words []string
	for _, w := range strings.Split(strings.ReplaceAll(f.Keywords, "\r\n", "\n"), "\n") {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, w)
		}
	}
	return storage.TagEdit{Code: strings.TrimSpace(f.Code), Kind: f.Kind, Style: f.Style,
		Label: strings.TrimSpace(f.Label), LabelEn: strings.TrimSpace(f.LabelEn), Keywords: words}
}

// Validate returns a message per wrong field; storage says what is wrong by code.
func (f tagForm) Validate(adding bool) locale.Fields {
	errs := locale.Fields{}
	for field, problem := range f.edit().Validate(adding) {
		switch problem {
		case "required":
			errs[field] = locale.M("taxonomy.required")
		case "too_long":
			errs[field] = locale.M("taxonomy.too_long")
		case "bad_code":
			errs[field] = locale.M("taxonomy.bad_code")
		case "bad_kind":
			errs[field] = locale.M("taxonomy.bad_kind")
		case "bad_style":
			errs[field] = locale.M("taxonomy.bad_style")
		default:
			errs[field] = locale.M("taxonomy.bad_keyword")
		}
	}
	return errs
}

// taxonomyPage is the data of templates/pages/taxonomy.html.
type taxonomyPage struct {
	Taxonomy taxonomy
	Groups   []tagGroup
	Styles   []sifeng.Style
	Form     tagForm
	Errors   map[string]string
	// EditCode, EditForm and EditErrors keep a failed edit beside its tag.
	EditCode   string
	EditForm   tagForm
	EditErrors map[string]string
	// DiagnosticOn says whether the optional diagnostic family is on (diagnostic_tags.go).
	DiagnosticOn bool
}

// showTaxonomy handles GET /admin/taxonomy: the manifestations under each style and the
// families, with their keywords and how many opinions carry each.
func (s *Server) showTaxonomy(c echo.Context) error {
	return s.renderTaxonomy(c, http.StatusOK, taxonomyPage{})
}

func (s *Server) renderTaxonomy(c echo.Context, status int, page taxonomyPage) error {
	p := s.printer(c)
	tags, err := s.store.TagsWithUses(c.Request().Context())
	if err != nil {
		return err
	}
	t := newTaxonomy(p, tags)
	page.Taxonomy, page.Styles = t, sifeng.Styles
	for _, st := range sifeng.Styles {
		g := tagGroup{ID: "style-" + st.Code, Heading: st.In(p), About: st.AboutIn(p)}
		for _, tag := range t.Tags {
			if tag.Style == st.Code {
				g.Tags = append(g.Tags, tag)
			}
		}
		page.Groups = append(page.Groups, g)
	}
	families := tagGroup{ID: "families", Heading: p.T("taxonomy.families"), About: p.T("taxonomy.families_lead")}
	diagnostic := tagGroup{ID: "family-diagnostic", Heading: p.T("form16.diagnostic_heading"), About: p.T("form16.diagnostic_about")}
	for _, tag := range t.Tags {
		switch {
		case tag.OptionalFamily == storage.DiagnosticFamily:
			diagnostic.Tags = append(diagnostic.Tags, tag)
		case tag.Kind == storage.TagFamily:
			families.Tags = append(families.Tags, tag)
		}
	}
	page.Groups = append(page.Groups, families, diagnostic)
	if page.DiagnosticOn, err = s.store.OptionalFamilyOn(c.Request().Context(), storage.DiagnosticFamily); err != nil {
		return err
	}
	return s.render(c, status, "taxonomy", page)
}

// tagGroup is one table of the taxonomy page: a style's manifestations, or the families.
type tagGroup struct {
	ID, Heading, About string
	Tags               []storage.Tag
}

// addTag handles POST /admin/taxonomy.
func (s *Server) addTag(c echo.Context) error {
	var f tagForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	p := s.printer(c)
	if errs := f.Validate(true); len(errs) > 0 {
		return s.renderTaxonomy(c, http.StatusUnprocessableEntity, taxonomyPage{Form: f, Errors: p.Fields(errs)})
	}
	u, _ := staffUser(c)
	err := s.store.AddTag(c.Request().Context(), u.ID, f.edit())
	if errors.Is(err, storage.ErrConflict) {
		return s.renderTaxonomy(c, http.StatusUnprocessableEntity, taxonomyPage{Form: f,
			Errors: p.Fields(locale.Fields{"code": locale.M("taxonomy.code_taken")})})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/taxonomy#tag-"+f.edit().Code)
}

// editTag handles POST /admin/taxonomy/{code}: new words and keywords for a tag.
func (s *Server) editTag(c echo.Context) error {
	var f tagForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Code = c.Param("code")
	p := s.printer(c)
	if errs := f.Validate(false); len(errs) > 0 {
		return s.renderTaxonomy(c, http.StatusUnprocessableEntity, taxonomyPage{EditCode: f.Code, EditForm: f, EditErrors: p.Fields(errs)})
	}
	u, _ := staffUser(c)
	err := s.store.EditTag(c.Request().Context(), u.ID, f.edit())
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/taxonomy#tag-"+f.Code)
}

// retireTag handles POST /admin/taxonomy/{code}/retired: retired=1 retires the tag (it stays
// on the opinions that carry it), retired=0 brings it back.
func (s *Server) retireTag(c echo.Context) error {
	retired := c.FormValue("retired")
	if retired != "0" && retired != "1" {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	err := s.store.SetTagRetired(c.Request().Context(), u.ID, c.Param("code"), retired == "1")
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/taxonomy#tag-"+c.Param("code"))
}
