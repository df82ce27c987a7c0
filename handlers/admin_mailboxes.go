package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// mailboxForm is the add and edit form of a mailbox. Roles and Readers are the ticked reader
// roles and named readers (user ids); a discipline mailbox's form has neither.
type mailboxForm struct {
	Name        string   `form:"name"`
	Description string   `form:"description"`
	ReadersNote string   `form:"readers_note"`
	Unit        string   `form:"unit"`
	Roles       []string `form:"role"`
	Readers     []string `form:"reader"`
}

func (f *mailboxForm) normalise() {
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	f.ReadersNote, f.Unit = strings.TrimSpace(f.ReadersNote), strings.TrimSpace(f.Unit)
}

// Validate returns a message per wrong field. units are those a mailbox may belong to, staff
// those who may be named readers; fixedReaders is true for a discipline mailbox.
func (f mailboxForm) Validate(units []storage.Unit, staff []readerChoice, fixedReaders bool) locale.Fields {
	errs := locale.Fields{}
	if f.Name == "" {
		errs["name"] = locale.M("mailboxes.name_missing")
	} else if msg := textProblem(f.Name, 1, storage.MaxMailboxName); msg.Key != "" {
		errs["name"] = fieldProblem("mailboxes.name", msg)
	} else if !storage.ValidMailboxText(f.Name, 1, storage.MaxMailboxName, false) {
		errs["name"] = locale.M("mailboxes.name_control")
	}
	if msg := textProblem(f.Description, 0, storage.MaxMailboxDescription); msg.Key != "" {
		errs["description"] = fieldProblem("mailboxes.description_field", msg)
	}
	if msg := textProblem(f.ReadersNote, 0, storage.MaxMailboxNote); msg.Key != "" {
		errs["readers_note"] = fieldProblem("mailboxes.note_field", msg)
	} else if !storage.ValidMailboxText(f.ReadersNote, 0, storage.MaxMailboxNote, false) {
		errs["readers_note"] = locale.M("mailboxes.note_newline")
	}
	if f.Unit != "" && !unitListed(units, f.Unit) {
		errs["unit"] = locale.M("mailboxes.unit_unknown")
	}
	if fixedReaders {
		return errs
	}
	for _, r := range f.Roles {
		if !access.ValidRole(r) || r == access.Monitor {
			errs["readers"] = locale.M("mailboxes.readers_unknown")
		}
	}
	for _, id := range f.Readers {
		if !slices.ContainsFunc(staff, func(c readerChoice) bool { return c.Value == id }) {
			errs["readers"] = locale.M("mailboxes.readers_unknown")
		}
	}
	if _, wrong := errs["readers"]; len(f.Roles) == 0 && len(f.Readers) == 0 && !wrong {
		errs["readers"] = locale.M("mailboxes.readers_none")
	}
	return errs
}

// edit is what storage stores of the form.
func (f mailboxForm) edit() storage.MailboxEdit {
	e := storage.MailboxEdit{Name: f.Name, Description: f.Description, ReadersNote: f.ReadersNote,
		UnitCode: f.Unit, ReaderRoles: f.Roles}
	for _, id := range f.Readers {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			e.ReaderUsers = append(e.ReaderUsers, n)
		}
	}
	return e
}

// mailboxFormOf is the edit form filled with what m holds now.
func mailboxFormOf(m storage.Mailbox) mailboxForm {
	f := mailboxForm{Name: m.Name, Description: m.Description, ReadersNote: m.ReadersNote, Unit: m.UnitCode, Roles: m.ReaderRoles}
	for _, u := range m.ReaderUsers {
		f.Readers = append(f.Readers, strconv.FormatInt(u.ID, 10))
	}
	return f
}

// readerChoice is one checkbox of the form.
type readerChoice struct {
	Value, Label string
	Checked      bool
}

// mailboxFields is what the form's fields show: the values, the errors and the choices. ID
// keeps the labels of the several forms on the page apart.
type mailboxFields struct {
	ID     string
	Form   mailboxForm
	Errors map[string]string
	Units  []storage.Unit
	Roles  []readerChoice
	Staff  []readerChoice
	Fixed  bool // a discipline mailbox: readers and their note are not offered
	Branch bool // the reader is a branch administrator: a unit of theirs is required
}

// mailboxRow is one mailbox on the admin page, with its edit form.
type mailboxRow struct {
	storage.Mailbox
	Readers   string // who reads it, as the public page says it
	RoleNames string // the reader roles, as staff call them, in the reader's language
	Link      string
	Fields    mailboxFields
}

// mailboxesPage is the data of templates/pages/mailboxes.html.
type mailboxesPage struct {
	Mailboxes []mailboxRow
	Form      mailboxForm       // what was typed into the add form
	Errors    map[string]string // in the reader's language, as Message
	AddFields mailboxFields
	Message   string
}

// showMailboxes handles GET /admin/mailboxes.
func (s *Server) showMailboxes(c echo.Context) error {
	return s.renderMailboxes(c, http.StatusOK, mailboxesPage{}, "", nil, nil)
}

// renderMailboxes loads every mailbox and shows them. page keeps what was typed into the add
// form; editCode names the mailbox whose edit failed, with what was typed and the errors.
func (s *Server) renderMailboxes(c echo.Context, status int, page mailboxesPage, editCode string, edit *mailboxForm, editErrs map[string]string) error {
	ctx := c.Request().Context()
	boxes, err := s.store.AllMailboxes(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	v := viewer(c)
	units, users = unitsInBranch(v, units), accountsInBranch(v, users)
	p := s.printer(c)
	fields := func(id string, f mailboxForm, errs map[string]string, fixed bool) mailboxFields {
		return mailboxFields{ID: id, Form: f, Errors: errs, Units: units, Fixed: fixed, Branch: v.Branch != "",
			Roles: mailboxRoleChoices(p, f.Roles), Staff: mailboxStaffChoices(p, users, units, f.Readers)}
	}
	page.AddFields = fields("new", page.Form, page.Errors, false)
	for _, m := range boxes {
		if !v.OwnsInBranch(m.UnitCode) || v.Branch != "" && m.Discipline {
			continue // another branch's, or the whole portal's (docs/roles.md)
		}
		row := mailboxRow{Mailbox: m, Readers: readersSentence(m), Link: "/submit?mailbox=" + m.Code}
		var names []string
		for _, r := range m.ReaderRoles {
			names = append(names, vocab.LabelIn(p, access.Roles, r))
		}
		row.RoleNames = strings.Join(names, p.T("mailboxes.list_separator"))
		f, errs := mailboxFormOf(m), map[string]string(nil)
		if m.Code == editCode && edit != nil {
			f, errs = *edit, editErrs
		}
		row.Fields = fields(m.Code, f, errs, m.Discipline)
		page.Mailboxes = append(page.Mailboxes, row)
	}
	return s.render(c, status, "mailboxes", page)
}

// mailboxRoleChoices are the reader-role checkboxes with ticked ticked, labelled in p's language.
func mailboxRoleChoices(p *locale.Printer, ticked []string) []readerChoice {
	var out []readerChoice
	for _, r := range access.Roles {
		if r.Code == access.Monitor {
			continue // a citizen supervisor reads no letter (access.Viewer.CanSee)
		}
		out = append(out, readerChoice{Value: r.Code, Label: r.In(p), Checked: slices.Contains(ticked, r.Code)})
	}
	return out
}

// mailboxStaffChoices are the named-reader checkboxes: every active staff member, and a disabled one
// only while ticked (so saving does not drop them unseen), labelled in p's language.
func mailboxStaffChoices(p *locale.Printer, users []storage.User, units []storage.Unit, ticked []string) []readerChoice {
	unitNames := map[string]string{}
	for _, u := range units {
		unitNames[u.Code] = u.Name
	}
	var out []readerChoice
	for _, u := range users {
		id := strconv.FormatInt(u.ID, 10)
		checked := slices.Contains(ticked, id)
		if u.Disabled && !checked || u.Role == access.Monitor {
			continue
		}
		about := []string{vocab.LabelIn(p, access.Roles, u.Role)}
		if name := unitNames[u.Unit]; name != "" {
			about = append(about, name)
		}
		if u.Disabled {
			about = append(about, p.T("mailboxes.disabled"))
		}
		label := p.T("mailboxes.staff_choice", u.Username, strings.Join(about, " · "))
		out = append(out, readerChoice{Value: id, Label: label, Checked: checked})
	}
	return out
}

// backToMailboxes redirects to the list after a change (Post/Redirect/Get).
func backToMailboxes(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/mailboxes")
}

// bindMailboxForm reads and checks the form; fixedReaders is true for a discipline mailbox.
// The problems come back in the reader's language.
func (s *Server) bindMailboxForm(c echo.Context, fixedReaders bool) (mailboxForm, map[string]string, error) {
	var f mailboxForm
	if err := c.Bind(&f); err != nil {
		return f, nil, echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return f, nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return f, nil, err
	}
	v := viewer(c)
	if !v.OwnsInBranch(f.Unit) {
		return f, nil, errOutsideBranch // no unit (the whole portal's) or a unit outside: escalation
	}
	units, users = unitsInBranch(v, units), accountsInBranch(v, users)
	if fixedReaders {
		f.Roles, f.Readers = nil, nil
	}
	p := s.printer(c)
	return f, p.Fields(f.Validate(units, mailboxStaffChoices(p, users, units, f.Readers), fixedReaders)), nil
}

// addMailbox handles POST /admin/mailboxes.
func (s *Server) addMailbox(c echo.Context) error {
	f, errs, err := s.bindMailboxForm(c, false)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Form: f, Errors: errs}, "", nil, nil)
	}
	u, _ := staffUser(c)
	_, err = s.store.CreateMailbox(c.Request().Context(), u.ID, f.edit())
	if field, msg := mailboxRefusal(err); msg.Key != "" {
		errs := map[string]string{field: s.printer(c).Msg(msg)}
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Form: f, Errors: errs}, "", nil, nil)
	}
	if err != nil {
		return err
	}
	return backToMailboxes(c)
}

// editMailbox handles POST /admin/mailboxes/{code}: name, description, note, unit and readers
// (a discipline mailbox's readers stay as they are).
func (s *Server) editMailbox(c echo.Context) error {
	code := c.Param("code")
	m, err := s.mayOwnMailbox(c, code)
	if err != nil {
		return err
	}
	f, errs, err := s.bindMailboxForm(c, m.Discipline)
	if err != nil {
		return err
	}
	p := s.printer(c)
	refuse := func(errs map[string]string) error {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity,
			mailboxesPage{Message: p.T("mailboxes.not_saved", m.Name)}, code, &f, errs)
	}
	if len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	err = s.store.UpdateMailbox(c.Request().Context(), u.ID, code, f.edit())
	if field, msg := mailboxRefusal(err); msg.Key != "" {
		return refuse(map[string]string{field: p.Msg(msg)})
	}
	if err != nil {
		return err
	}
	return backToMailboxes(c)
}

// setMailboxActive handles POST /admin/mailboxes/{code}/active: retire (active=0) or reopen
// (active=1).
func (s *Server) setMailboxActive(c echo.Context) error {
	var f activeForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	p := s.printer(c)
	if !activeChosen(f) {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Message: p.T("mailboxes.use_buttons")}, "", nil, nil)
	}
	if _, err := s.mayOwnMailbox(c, c.Param("code")); err != nil {
		return err
	}
	u, _ := staffUser(c)
	err := s.store.SetMailboxActive(c.Request().Context(), u.ID, c.Param("code"), f.Active == "1")
	if _, msg := mailboxRefusal(err); msg.Key != "" {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Message: p.Msg(msg)}, "", nil, nil)
	}
	if err != nil {
		return err
	}
	return backToMailboxes(c)
}

// mailboxRefusal turns a refusal from storage into the field it concerns and a message; msg is
// the zero Message for nil and for errors that are not the person's to fix.
func mailboxRefusal(err error) (field string, msg locale.Message) {
	switch {
	case err == nil:
		return "", locale.Message{}
	case errors.Is(err, storage.ErrMailboxNameTaken):
		return "name", locale.M("mailboxes.name_taken")
	case errors.Is(err, storage.ErrMailboxNoReaders):
		return "readers", locale.M("mailboxes.readers_none_short")
	case errors.Is(err, storage.ErrMailboxReadersFixed):
		return "readers", locale.M("mailboxes.readers_fixed")
	case errors.Is(err, storage.ErrMailboxPermanent):
		return "active", locale.M("mailboxes.permanent")
	case errors.Is(err, storage.ErrInvalid):
		return "readers", locale.M("mailboxes.readers_gone")
	}
	return "", locale.Message{}
}
