package handlers

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/vocab"
)

// profilePage is the data of templates/pages/profile.html: the staff member's own settings.
type profilePage struct {
	Username  string
	RoleLabel string
	Lang      string         // the language chosen, or being chosen
	Languages []languageLink // every language, each in its own name
	Notice    string
	Errors    map[string]string
}

// profileForm is the language choice.
type profileForm struct {
	Lang string `form:"lang"`
}

// Validate returns a message per wrong field: the language must be one the portal offers.
func (f profileForm) Validate() locale.Fields {
	if !slices.Contains(locale.Languages, f.Lang) {
		return locale.Fields{"lang": locale.M("profile.lang_invalid")}
	}
	return nil
}

// showProfile handles GET /admin/profile.
func (s *Server) showProfile(c echo.Context) error {
	p := s.printer(c)
	page := profilePage{Lang: p.Lang()}
	if c.QueryParam("done") == "saved" {
		// Shown after the redirect, so already in the language just chosen.
		page.Notice = p.T("profile.saved")
	}
	return s.renderProfile(c, http.StatusOK, page)
}

// renderProfile fills in who the person is and the languages, and renders the page.
func (s *Server) renderProfile(c echo.Context, status int, page profilePage) error {
	u, _ := staffUser(c)
	p := s.printer(c)
	page.Username, page.RoleLabel = u.Username, vocab.LabelIn(p, access.Roles, u.Role)
	for _, lang := range locale.Languages {
		page.Languages = append(page.Languages, languageLink{Lang: lang, Name: locale.Get(lang).Name(), Current: lang == page.Lang})
	}
	return s.render(c, status, "profile", page)
}

// saveProfile handles POST /admin/profile: the language the staff pages are shown in.
func (s *Server) saveProfile(c echo.Context) error {
	var f profileForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		p := s.printer(c)
		return s.renderProfile(c, http.StatusUnprocessableEntity, profilePage{Lang: p.Lang(), Errors: p.Fields(errs)})
	}
	u, _ := staffUser(c)
	if err := s.store.SetLanguage(c.Request().Context(), u.ID, f.Lang); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/profile?done=saved")
}
