package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// notifyMinePage is the data of templates/pages/notify_mine.html: how I am told.
type notifyMinePage struct {
	Form   notifyMineForm
	Grid   []choiceRow
	Errors map[string]string
	Notice string
}

// notifyMineForm is where my mail goes, whether hourly, and the ticked kind.channel boxes.
type notifyMineForm struct {
	Email  string   `form:"email"`
	Hourly bool     `form:"hourly"`
	Pref   []string `form:"pref"`
}

// Validate returns a message per wrong field.
func (f notifyMineForm) Validate() locale.Fields {
	errs := locale.Fields{}
	if !storage.ValidEmail(f.Email) {
		errs["email"] = locale.M("notifyprefs.email_invalid")
	}
	if _, ok := choicesFrom(f.Pref); !ok {
		errs["pref"] = locale.M("notifyprefs.pref_invalid")
	}
	return errs
}

// showNotifyMine handles GET /admin/notify/mine.
func (s *Server) showNotifyMine(c echo.Context) error {
	ctx := c.Request().Context()
	u, _ := staffUser(c)
	person, err := s.store.NotifyPersonOf(ctx, u.ID)
	if err != nil {
		return err
	}
	choices, err := s.store.EffectiveChoices(ctx, u.ID, u.Role, u.Unit)
	if err != nil {
		return err
	}
	page := notifyMinePage{Form: notifyMineForm{Email: person.Email, Hourly: person.Hourly}, Grid: choiceGrid(choices)}
	if c.QueryParam("done") == "saved" {
		page.Notice = s.printer(c).T("notifyprefs.saved")
	}
	return s.render(c, http.StatusOK, "notify_mine", page)
}

// saveNotifyMine handles POST /admin/notify/mine.
func (s *Server) saveNotifyMine(c echo.Context) error {
	var f notifyMineForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Email = strings.TrimSpace(f.Email)
	choices, _ := choicesFrom(f.Pref)
	if errs := f.Validate(); len(errs) > 0 {
		page := notifyMinePage{Form: f, Errors: s.printer(c).Fields(errs), Grid: choiceGrid(choices)}
		return s.render(c, http.StatusUnprocessableEntity, "notify_mine", page)
	}
	u, _ := staffUser(c)
	if err := s.store.SetNotifyPreferences(c.Request().Context(), u.ID, storage.NotifyPerson{Email: f.Email, Hourly: f.Hourly}, choices); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notify/mine?done=saved")
}
