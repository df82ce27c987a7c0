package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// phonePattern is a published phone number as people dial it: digits, with the usual spaces,
// hyphens, brackets and a leading +. emailPattern is an address with one @ and a dot after it.
var (
	phonePattern = regexp.MustCompile(`^\+?[0-9(][0-9 ()\-]{1,28}[0-9]$`)
	emailPattern = regexp.MustCompile(`^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$`)
)

// contactsForm is the bureau's published numbers and address.
type contactsForm struct {
	ComplaintPhone   string `form:"complaint_phone"`
	ReportPhone      string `form:"report_phone"`
	SupervisionPhone string `form:"supervision_phone"`
	Email            string `form:"email"`
	Hours            string `form:"hours"`
}

func (f *contactsForm) normalise() {
	for _, p := range []*string{&f.ComplaintPhone, &f.ReportPhone, &f.SupervisionPhone, &f.Email, &f.Hours} {
		*p = strings.TrimSpace(*p)
	}
}

// phoneProblem is what is wrong with a phone number that may be left empty.
func phoneProblem(phone string) locale.Message {
	if phone != "" && !phonePattern.MatchString(phone) {
		return locale.M("paper16.directory.phone_wrong")
	}
	return locale.Message{}
}

// Validate returns a message per wrong field.
func (f contactsForm) Validate() locale.Fields {
	errs := locale.Fields{}
	for field, v := range map[string]string{"complaint_phone": f.ComplaintPhone, "report_phone": f.ReportPhone,
		"supervision_phone": f.SupervisionPhone} {
		if m := phoneProblem(v); m.Key != "" {
			errs[field] = m
		}
	}
	if f.Email != "" && (len(f.Email) > storage.MaxDirectoryEmail || !emailPattern.MatchString(f.Email)) {
		errs["email"] = locale.M("paper16.directory.email_wrong")
	}
	if m := textProblem(f.Hours, 0, storage.MaxDirectoryHours); m.Key != "" {
		errs["hours"] = fieldProblem("paper16.directory.hours", m)
	}
	return errs
}

// unitDirectoryForm is one unit's liaison post and commitments (one a line).
type unitDirectoryForm struct {
	LiaisonPost  string `form:"liaison_post"`
	LiaisonPhone string `form:"liaison_phone"`
	Commitments  string `form:"commitments"`
}

func (f *unitDirectoryForm) normalise() {
	f.LiaisonPost, f.LiaisonPhone = strings.TrimSpace(f.LiaisonPost), strings.TrimSpace(f.LiaisonPhone)
	f.Commitments = strings.TrimSpace(strings.ReplaceAll(f.Commitments, "\r\n", "\n"))
}

// items are the commitments, one a line, blank lines left out, in order.
func (f unitDirectoryForm) items() []string {
	var out []string
	for _, line := range strings.Split(f.Commitments, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Validate returns a message per wrong field.
func (f unitDirectoryForm) Validate() locale.Fields {
	errs := locale.Fields{}
	if m := textProblem(f.LiaisonPost, 0, storage.MaxLiaisonPost); m.Key != "" {
		errs["liaison_post"] = fieldProblem("paper16.directory.liaison_post", m)
	}
	if m := phoneProblem(f.LiaisonPhone); m.Key != "" {
		errs["liaison_phone"] = m
	}
	items := f.items()
	if len(items) > storage.MaxCommitments {
		errs["commitments"] = locale.M("paper16.directory.too_many", storage.MaxCommitments, len(items))
	}
	for i, it := range items {
		if m := textProblem(it, 1, storage.MaxCommitment); m.Key != "" {
			errs["commitments"] = locale.M("paper16.directory.item_wrong", i+1, storage.MaxCommitment)
			break
		}
	}
	return errs
}

// unitDirectoryRow is one unit's edit form on the admin page.
type unitDirectoryRow struct {
	Code, Name string
	Form       unitDirectoryForm
	Errors     map[string]string
}

// directoryAdminPage is the data of templates/pages/directory_admin.html.
type directoryAdminPage struct {
	Contacts contactsForm
	Errors   map[string]string
	Message  string
	Units    []unitDirectoryRow
	Saved    bool
}

// showDirectoryAdmin handles GET /admin/qudao (?saved=1 after a save).
func (s *Server) showDirectoryAdmin(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := s.store.DirectoryContacts(ctx)
	if err != nil {
		return err
	}
	page := directoryAdminPage{Contacts: contactsForm(ct), Saved: c.QueryParam("saved") == "1"}
	return s.renderDirectoryAdmin(c, http.StatusOK, page, "", nil, nil)
}

// renderDirectoryAdmin shows the page; editCode names the unit whose form came back, with what
// was typed and its errors.
func (s *Server) renderDirectoryAdmin(c echo.Context, status int, page directoryAdminPage, editCode string, edit *unitDirectoryForm, errs map[string]string) error {
	all, err := s.store.UnitDirectories(c.Request().Context())
	if err != nil {
		return err
	}
	for _, d := range all {
		row := unitDirectoryRow{Code: d.UnitCode, Name: d.UnitName, Form: unitDirectoryForm{LiaisonPost: d.LiaisonPost,
			LiaisonPhone: d.LiaisonPhone, Commitments: strings.Join(d.Commitments, "\n")}}
		if d.UnitCode == editCode && edit != nil {
			row.Form, row.Errors = *edit, errs
		}
		page.Units = append(page.Units, row)
	}
	return s.render(c, status, "directory_admin", page)
}

// saveDirectoryContacts handles POST /admin/qudao: the numbers and address, audited.
func (s *Server) saveDirectoryContacts(c echo.Context) error {
	var f contactsForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	p := s.printer(c)
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderDirectoryAdmin(c, http.StatusUnprocessableEntity, directoryAdminPage{Contacts: f,
			Errors: p.Fields(errs), Message: p.T("paper16.directory.fix_below")}, "", nil, nil)
	}
	u, _ := staffUser(c)
	if err := s.store.SetDirectoryContacts(c.Request().Context(), u.ID, storage.Contacts(f)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/qudao?saved=1")
}

// saveUnitDirectory handles POST /admin/qudao/units/{code}: a unit's liaison post and its
// service commitments, audited.
func (s *Server) saveUnitDirectory(c echo.Context) error {
	var f unitDirectoryForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	ctx := c.Request().Context()
	code := c.Param("code")
	ct, err := s.store.DirectoryContacts(ctx)
	if err != nil {
		return err
	}
	p := s.printer(c)
	page := directoryAdminPage{Contacts: contactsForm(ct), Message: p.T("paper16.directory.fix_below")}
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderDirectoryAdmin(c, http.StatusUnprocessableEntity, page, code, &f, p.Fields(errs))
	}
	u, _ := staffUser(c)
	err = s.store.SetUnitDirectory(ctx, u.ID, storage.UnitDirectory{UnitCode: code, LiaisonPost: f.LiaisonPost,
		LiaisonPhone: f.LiaisonPhone, Commitments: f.items()})
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/qudao?saved=1#unit-"+code)
}
