package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// adminNotifyPage is the data of templates/pages/notify_admin.html: the mail server, the
// units' robots, the roles' defaults and what could not be delivered.
type adminNotifyPage struct {
	SMTP        smtpForm
	HasPassword bool
	Robots      []robotRow
	Roles       []vocab.Term
	Role        string
	Grid        []choiceRow
	Problems    []deliveryProblem
	Errors      map[string]string
	Notice      string
}

type deliveryProblem struct {
	storage.DeliveryProblem
	KindTerm vocab.Term
}

type robotRow struct {
	Unit   storage.Unit
	Robot  storage.UnitWebhook
	Errors map[string]string
}

// smtpForm is the mail server; an empty password keeps the stored one.
type smtpForm struct {
	Host     string `form:"host"`
	Port     string `form:"port"`
	TLSMode  string `form:"tls_mode"`
	Sender   string `form:"sender"`
	Username string `form:"username"`
	Password string `form:"password"`
}

func (f smtpForm) settings() storage.SMTPSettings {
	port, _ := strconv.Atoi(strings.TrimSpace(f.Port))
	return storage.SMTPSettings{Host: strings.TrimSpace(f.Host), Port: port, TLSMode: f.TLSMode,
		Sender: strings.TrimSpace(f.Sender), Username: strings.TrimSpace(f.Username), Password: f.Password}
}

// smtpFieldKeys say what is wrong with each field storage checks.
var smtpFieldKeys = map[string]string{"host": "notifyadmin.host_invalid", "port": "notifyadmin.port_invalid",
	"tls_mode": "notifyadmin.tls_invalid", "sender": "notifyadmin.sender_invalid", "username": "notifyadmin.username_invalid"}

// Validate returns a message per wrong field.
func (f smtpForm) Validate() locale.Fields {
	errs := locale.Fields{}
	for _, field := range f.settings().Check() {
		errs[field] = locale.M(smtpFieldKeys[field])
	}
	return errs
}

// robotForm is one unit's robot; an empty address removes it, an empty secret keeps it.
type robotForm struct {
	Unit   string `form:"unit"`
	URL    string `form:"url"`
	Format string `form:"format"`
	Secret string `form:"secret"`
}

func (f robotForm) robot() storage.UnitWebhook {
	return storage.UnitWebhook{Unit: f.Unit, URL: strings.TrimSpace(f.URL), Format: f.Format, Secret: strings.TrimSpace(f.Secret)}
}

// Validate returns a message per wrong field.
func (f robotForm) Validate() locale.Fields {
	if r := f.robot(); r.URL != "" && r.CheckWebhook() != nil {
		return locale.Fields{"url": locale.M("notifyadmin.robot_invalid")}
	}
	return nil
}

// defaultsForm is one role's default choices.
type defaultsForm struct {
	Role string   `form:"role"`
	Pref []string `form:"pref"`
}

var adminNotifyNotices = map[string]string{"smtp": "notifyadmin.smtp_saved", "robot": "notifyadmin.robot_saved",
	"defaults": "notifyadmin.defaults_saved", "retry": "notifyadmin.retried"}

// showAdminNotify handles GET /admin/notify.
func (s *Server) showAdminNotify(c echo.Context) error {
	m, err := s.store.SMTP(c.Request().Context())
	if err != nil {
		return err
	}
	page := adminNotifyPage{SMTP: smtpForm{Host: m.Host, Port: strconv.Itoa(m.Port), TLSMode: m.TLSMode, Sender: m.Sender, Username: m.Username}}
	if key, ok := adminNotifyNotices[c.QueryParam("done")]; ok {
		page.Notice = s.printer(c).T(key)
	}
	return s.renderAdminNotify(c, http.StatusOK, page, c.QueryParam("role"), nil)
}

// renderAdminNotify fills the robots, the role's defaults and the problems, and renders.
func (s *Server) renderAdminNotify(c echo.Context, status int, page adminNotifyPage, role string, badRobot *robotRow) error {
	ctx := c.Request().Context()
	if !access.ValidRole(role) {
		role = access.Liaison
	}
	m, err := s.store.SMTP(ctx)
	if err != nil {
		return err
	}
	page.HasPassword = m.HasPassword
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	robots, err := s.store.UnitWebhooks(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		row := robotRow{Unit: u, Robot: robots[u.Code]}
		if row.Robot.Format == "" {
			row.Robot.Format = storage.RobotWeCom
		}
		if badRobot != nil && badRobot.Unit.Code == u.Code {
			row.Robot, row.Errors = badRobot.Robot, badRobot.Errors
		}
		page.Robots = append(page.Robots, row)
	}
	page.Role, page.Roles = role, access.Roles
	defaults, err := s.store.RoleDefaults(ctx, role)
	if err != nil {
		return err
	}
	page.Grid = choiceGrid(defaults)
	problems, err := s.store.DeliveryProblems(ctx, 50)
	if err != nil {
		return err
	}
	for _, pr := range problems {
		page.Problems = append(page.Problems, deliveryProblem{DeliveryProblem: pr, KindTerm: kindTerm(pr.Kind)})
	}
	return s.render(c, status, "notify_admin", page)
}

// saveSMTP handles POST /admin/notify/smtp.
func (s *Server) saveSMTP(c echo.Context) error {
	var f smtpForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		f.Password = "" // a password is never written back into a page
		return s.renderAdminNotify(c, http.StatusUnprocessableEntity, adminNotifyPage{SMTP: f, Errors: s.printer(c).Fields(errs)}, "", nil)
	}
	u, _ := staffUser(c)
	if err := s.store.SetSMTP(c.Request().Context(), u.ID, f.settings()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notify?done=smtp")
}

// saveRobot handles POST /admin/notify/robot: one unit's group robot.
func (s *Server) saveRobot(c echo.Context) error {
	var f robotForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ctx := c.Request().Context()
	if _, err := s.store.UnitByCode(ctx, f.Unit); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		m, _ := s.store.SMTP(ctx)
		page := adminNotifyPage{SMTP: smtpForm{Host: m.Host, Port: strconv.Itoa(m.Port), TLSMode: m.TLSMode, Sender: m.Sender, Username: m.Username}}
		bad := &robotRow{Unit: storage.Unit{Code: f.Unit}, Robot: storage.UnitWebhook{Unit: f.Unit, URL: f.URL, Format: f.Format},
			Errors: s.printer(c).Fields(errs)}
		return s.renderAdminNotify(c, http.StatusUnprocessableEntity, page, "", bad)
	}
	u, _ := staffUser(c)
	if err := s.store.SetUnitWebhook(ctx, u.ID, f.robot()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notify?done=robot")
}

// saveRoleDefaults handles POST /admin/notify/defaults.
func (s *Server) saveRoleDefaults(c echo.Context) error {
	var f defaultsForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	choices, ok := choicesFrom(f.Pref)
	if !ok || !access.ValidRole(f.Role) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	if err := s.store.SetRoleDefaults(c.Request().Context(), u.ID, f.Role, choices); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notify?done=defaults&role="+f.Role)
}

// retryDelivery handles POST /admin/notify/retry: a failed or in-doubt message is queued again.
func (s *Server) retryDelivery(c echo.Context) error {
	u, _ := staffUser(c)
	err := s.store.RetryDelivery(c.Request().Context(), u.ID, c.FormValue("id"))
	if errors.Is(err, storage.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notify?done=retry")
}
