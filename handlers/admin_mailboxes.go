package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
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

// Validate returns a Chinese message per wrong field. units are those a mailbox may belong to,
// staff those who may be named readers; fixedReaders is true for a discipline mailbox.
func (f mailboxForm) Validate(units []storage.Unit, staff []readerChoice, fixedReaders bool) map[string]string {
	errs := map[string]string{}
	if f.Name == "" {
		errs["name"] = "请填写信箱名称，例如“县人民医院院长信箱”。"
	} else if msg := checkText(f.Name, 1, storage.MaxMailboxName); msg != "" {
		errs["name"] = "名称" + msg
	} else if !storage.ValidMailboxText(f.Name, 1, storage.MaxMailboxName, false) {
		errs["name"] = "名称不能含有换行或控制字符。"
	}
	if msg := checkText(f.Description, 0, storage.MaxMailboxDescription); msg != "" {
		errs["description"] = "说明" + msg
	}
	if msg := checkText(f.ReadersNote, 0, storage.MaxMailboxNote); msg != "" {
		errs["readers_note"] = "这句话" + msg
	} else if !storage.ValidMailboxText(f.ReadersNote, 0, storage.MaxMailboxNote, false) {
		errs["readers_note"] = "这句话不能含有换行。"
	}
	if f.Unit != "" && !unitListed(units, f.Unit) {
		errs["unit"] = "请从列表中选择单位。"
	}
	if fixedReaders {
		return errs
	}
	for _, r := range f.Roles {
		if !access.ValidRole(r) {
			errs["readers"] = "请从列表中勾选读者。"
		}
	}
	for _, id := range f.Readers {
		if !slices.ContainsFunc(staff, func(c readerChoice) bool { return c.Value == id }) {
			errs["readers"] = "请从列表中勾选读者。"
		}
	}
	if len(f.Roles) == 0 && len(f.Readers) == 0 && errs["readers"] == "" {
		errs["readers"] = "请至少勾选一种读者角色或一位指定读者：没有人读的信箱，来信就没人看了。"
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
}

// mailboxRow is one mailbox on the admin page, with its edit form.
type mailboxRow struct {
	storage.Mailbox
	Readers   string // who reads it, as the public page says it
	RoleNames string // the reader roles, as staff call them
	Link      string
	Fields    mailboxFields
}

// mailboxesPage is the data of templates/pages/mailboxes.html.
type mailboxesPage struct {
	Mailboxes []mailboxRow
	Form      mailboxForm // what was typed into the add form
	Errors    map[string]string
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
	fields := func(id string, f mailboxForm, errs map[string]string, fixed bool) mailboxFields {
		return mailboxFields{ID: id, Form: f, Errors: errs, Units: units, Fixed: fixed,
			Roles: mailboxRoleChoices(f.Roles), Staff: mailboxStaffChoices(users, units, f.Readers)}
	}
	page.AddFields = fields("new", page.Form, page.Errors, false)
	for _, m := range boxes {
		row := mailboxRow{Mailbox: m, Readers: readersSentence(m), Link: "/submit?mailbox=" + m.Code}
		var names []string
		for _, r := range m.ReaderRoles {
			names = append(names, lifecycle.TermLabel(access.Roles, r))
		}
		row.RoleNames = strings.Join(names, "、")
		f, errs := mailboxFormOf(m), map[string]string(nil)
		if m.Code == editCode && edit != nil {
			f, errs = *edit, editErrs
		}
		row.Fields = fields(m.Code, f, errs, m.Discipline)
		page.Mailboxes = append(page.Mailboxes, row)
	}
	return s.render(c, status, "mailboxes", page)
}

// mailboxRoleChoices are the reader-role checkboxes with ticked ticked.
func mailboxRoleChoices(ticked []string) []readerChoice {
	var out []readerChoice
	for _, r := range access.Roles {
		out = append(out, readerChoice{Value: r.Code, Label: r.Label, Checked: slices.Contains(ticked, r.Code)})
	}
	return out
}

// mailboxStaffChoices are the named-reader checkboxes: every active staff member, and a disabled one
// only while ticked (so saving does not drop them unseen).
func mailboxStaffChoices(users []storage.User, units []storage.Unit, ticked []string) []readerChoice {
	unitNames := map[string]string{}
	for _, u := range units {
		unitNames[u.Code] = u.Name
	}
	var out []readerChoice
	for _, u := range users {
		id := strconv.FormatInt(u.ID, 10)
		checked := slices.Contains(ticked, id)
		if u.Disabled && !checked {
			continue
		}
		label := u.Username + "（" + lifecycle.TermLabel(access.Roles, u.Role)
		if name := unitNames[u.Unit]; name != "" {
			label += " · " + name
		}
		if u.Disabled {
			label += " · 已停用"
		}
		out = append(out, readerChoice{Value: id, Label: label + "）", Checked: checked})
	}
	return out
}

// backToMailboxes redirects to the list after a change (Post/Redirect/Get).
func backToMailboxes(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/mailboxes")
}

// bindMailboxForm reads and checks the form; fixedReaders is true for a discipline mailbox.
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
	if fixedReaders {
		f.Roles, f.Readers = nil, nil
	}
	return f, f.Validate(units, mailboxStaffChoices(users, units, f.Readers), fixedReaders), nil
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
	if field, msg := mailboxRefusal(err); msg != "" {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Form: f, Errors: map[string]string{field: msg}}, "", nil, nil)
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
	m, err := s.store.Mailbox(c.Request().Context(), code)
	if err != nil {
		return err
	}
	f, errs, err := s.bindMailboxForm(c, m.Discipline)
	if err != nil {
		return err
	}
	refuse := func(errs map[string]string) error {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity,
			mailboxesPage{Message: "“" + m.Name + "”没有保存，请按红字提示修改。"}, code, &f, errs)
	}
	if len(errs) > 0 {
		return refuse(errs)
	}
	u, _ := staffUser(c)
	err = s.store.UpdateMailbox(c.Request().Context(), u.ID, code, f.edit())
	if field, msg := mailboxRefusal(err); msg != "" {
		return refuse(map[string]string{field: msg})
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
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Message: errs["active"]}, "", nil, nil)
	}
	u, _ := staffUser(c)
	err := s.store.SetMailboxActive(c.Request().Context(), u.ID, c.Param("code"), f.Active == "1")
	if _, msg := mailboxRefusal(err); msg != "" {
		return s.renderMailboxes(c, http.StatusUnprocessableEntity, mailboxesPage{Message: msg}, "", nil, nil)
	}
	if err != nil {
		return err
	}
	return backToMailboxes(c)
}

// mailboxRefusal turns a refusal from storage into the field it concerns and a Chinese message;
// msg is "" for nil and for errors that are not the person's to fix.
func mailboxRefusal(err error) (field, msg string) {
	switch {
	case err == nil:
		return "", ""
	case errors.Is(err, storage.ErrMailboxNameTaken):
		return "name", "已有同名的信箱（包括已停用的），请换一个名称。"
	case errors.Is(err, storage.ErrMailboxNoReaders):
		return "readers", "请至少勾选一种读者角色或一位指定读者。"
	case errors.Is(err, storage.ErrMailboxReadersFixed):
		return "readers", "纪检监察信箱只由纪检监察人员阅读，读者不能更改。"
	case errors.Is(err, storage.ErrMailboxPermanent):
		return "active", "纪检监察信箱不能停用：群众需要一个只有纪检监察人员能看到的信箱。"
	case errors.Is(err, storage.ErrInvalid):
		return "readers", "所选的单位或读者已不存在或已停用，请刷新页面后重新选择。"
	}
	return "", ""
}
