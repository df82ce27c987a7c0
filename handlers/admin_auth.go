package handlers

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
)

const (
	sessionCookie = "ms_session"
	staffKey      = "staff"
	todayKey      = "today"
)

// staffUser returns the logged-in staff member, if any.
func staffUser(c echo.Context) (storage.User, bool) {
	u, ok := c.Get(staffKey).(storage.User)
	return u, ok
}

// requireStaff lets a request through only with a live staff session; others are sent to the
// login page, which brings them back afterwards.
func (s *Server) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil {
			u, err := s.store.SessionUser(c.Request().Context(), ck.Value)
			if err == nil {
				c.Set(staffKey, u)
				c.Set(todayKey, s.store.Today())
				if u.Role == access.Monitor && !monitorMay(c) {
					return echo.ErrForbidden // a citizen supervisor reaches their own pages alone (monitor.go)
				}
				return next(c)
			}
			if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
		}
		if c.Request().Method != http.MethodGet {
			return echo.NewHTTPError(http.StatusForbidden)
		}
		// The login page in the language of the path asked for (/en/admin/… → /en/admin/login).
		return c.Redirect(http.StatusSeeOther, s.localPath(c, "/admin/login?next="+url.QueryEscape(c.Request().URL.RequestURI())))
	}
}

// viewer is the logged-in staff member as access decisions see them, on today's date (which
// decides what is overdue and escalates).
func viewer(c echo.Context) access.Viewer {
	u, _ := staffUser(c)
	v := u.Viewer()
	v.Today, _ = c.Get(todayKey).(string)
	return v
}

// requireAction lets a request through only when the staff member's role may do action.
func requireAction(action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if v := viewer(c); !v.Can(action) {
				if v.Branch != "" && access.WholePortal(action) {
					return errWholePortal // says why: the province's to do
				}
				return echo.ErrForbidden
			}
			return next(c)
		}
	}
}

// itemAccess guards the routes of one opinion: the role must be allowed action ("" for any
// role), and the opinion must be one this person may see. An opinion they may not see answers
// 404, exactly like one that does not exist, so its existence is not revealed.
func (s *Server) itemAccess(action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			v := viewer(c)
			if action != "" && !v.Can(action) {
				return echo.ErrForbidden
			}
			o, err := s.store.Opinion(c.Request().Context(), c.Param("id"))
			if err != nil {
				return err
			}
			if !s.canSee(c.Request().Context(), v, o) {
				return echo.ErrNotFound
			}
			return next(c)
		}
	}
}

// canSee reports whether v may open o, with the facts storage gives (which know whether o's
// mailbox is a discipline one). A failure to read them is logged and answers no.
func (s *Server) canSee(ctx context.Context, v access.Viewer, o storage.Opinion) bool {
	f, err := s.store.Facts(ctx, o)
	if err != nil {
		s.log.Error("access facts", "opinion", o.ID, "err", err)
		return false
	}
	return v.CanSee(f)
}

// safeNext keeps a post-login redirect on this site: only a local /admin path is allowed.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/admin/queue"
	}
	return next
}

// loginPage is the data of templates/pages/login.html. CaptchaID is set when the name typed
// needs the captcha as well as the password (see storage.AdmitLogin). The messages are
// already in the page's language.
type loginPage struct {
	Username     string
	Next         string
	Message      string
	CaptchaID    string
	CaptchaError string
}

// showLogin handles GET /admin/login.
func (s *Server) showLogin(c echo.Context) error {
	return s.render(c, http.StatusOK, "login", loginPage{Next: safeNext(c.QueryParam("next"))})
}

// login handles POST /admin/login. Failures are counted per name typed, known or not, and the
// answers depend on that count alone: a wrong password, an unknown user and a disabled account
// look the same. After a few failures the name needs the captcha too; an attempt without one
// that comes too soon is refused at once, before any password is checked, so an attacker costs
// no goroutine and no bcrypt while waiting. The right password with the right captcha always
// gets in.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	username, password := c.FormValue("username"), c.FormValue("password")
	page := loginPage{Username: username, Next: safeNext(c.FormValue("next"))}
	attempt := storage.LoginAttempt{Username: username, CaptchaOff: s.captchas == nil}
	answer := strings.TrimSpace(c.FormValue("captcha_answer"))
	var err error
	if s.captchas != nil && c.FormValue("captcha_id") != "" {
		if attempt.CaptchaSolved, err = s.captchas.Verify(ctx, c.FormValue("captcha_id"), answer); err != nil {
			return s.loginRefused(c, page, err, answer != "")
		}
	}
	failures, err := s.store.AdmitLogin(ctx, attempt)
	if err != nil {
		return s.loginRefused(c, page, err, answer != "")
	}
	u, err := s.store.Authenticate(ctx, username, password)
	if errors.Is(err, storage.ErrBadLogin) {
		page.Message = s.printer(c).T("login.bad")
		needCaptcha := failures >= storage.CaptchaAfter && s.captchas != nil
		if needCaptcha {
			page.Message = s.printer(c).T("login.bad_captcha")
		}
		return s.renderLogin(c, http.StatusUnauthorized, page, needCaptcha)
	}
	if err != nil {
		return err
	}
	if err := s.store.LoginSucceeded(ctx, username); err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	if u.Role == access.Monitor && !strings.HasPrefix(page.Next, "/admin/jiandu") {
		page.Next = "/admin/jiandu" // a citizen supervisor's own page, never the queue
	}
	return c.Redirect(http.StatusSeeOther, page.Next)
}

// loginRefused answers an attempt AdmitLogin turned away before any password was checked: too
// soon after a failure (429, with the wait), or without the captcha the name now needs. answered
// tells a wrong captcha answer from none (a person who could not read it, or who wants another).
func (s *Server) loginRefused(c echo.Context, page loginPage, err error, answered bool) error {
	var wait *storage.LoginWait
	switch {
	case errors.As(err, &wait):
		secs := int(math.Ceil(wait.Wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		page.Message = s.printer(c).Plural("login.wait", secs)
		return s.renderLogin(c, http.StatusTooManyRequests, page, false)
	case errors.Is(err, storage.ErrNeedCaptcha):
		page.Message = s.printer(c).T("login.need_captcha")
		if answered {
			page.CaptchaError = s.printer(c).T("login.captcha_wrong")
		}
		return s.renderLogin(c, http.StatusUnauthorized, page, true)
	}
	return err
}

// renderLogin shows the login form again, with a fresh captcha when one is needed. The
// password is never sent back.
func (s *Server) renderLogin(c echo.Context, status int, page loginPage, captcha bool) error {
	if captcha && s.captchas != nil {
		page.CaptchaID = s.captchas.New()
	}
	return s.render(c, status, "login", page)
}

// startSession ends any session the browser already had and starts a new one, so a session id
// planted before login is worthless after it.
func (s *Server) startSession(c echo.Context, u storage.User) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if old, err := s.store.SessionUser(c.Request().Context(), ck.Value); err == nil {
			_ = s.store.DeleteSession(c.Request().Context(), old.ID, ck.Value)
		}
	}
	value, err := s.store.CreateSession(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: value, Path: "/admin", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(storage.SessionLifetime.Seconds())})
	return nil
}

// logout handles POST /admin/logout. The login page it ends on is in the person's language.
func (s *Server) logout(c echo.Context) error {
	u, _ := staffUser(c)
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(c.Request().Context(), u.ID, ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, langPrefix(u.Lang)+"/admin/login")
}

// setupPage is the data of templates/pages/setup.html.
type setupPage struct {
	Token    string
	Username string
	Errors   map[string]string
}

// setupProblems returns what is wrong with the first administrator's name and password.
func setupProblems(username, password, again string) locale.Fields {
	errs := locale.Fields{}
	if username == "" || len([]rune(username)) > 40 {
		errs["username"] = locale.M("users.username_required")
	}
	checkNewPassword(errs, password, again)
	return errs
}

// setupGone is the page of a setup link already used or never made; more says what to do.
func (s *Server) setupGone(c echo.Context, more bool) error {
	p := s.printer(c)
	msg := p.T("setup.gone")
	if more {
		msg = p.T("setup.gone_more")
	}
	return s.render(c, http.StatusNotFound, "error", errorPage{p.T("setup.gone_title"), msg})
}

// showSetup handles GET /admin/setup/{token}: the one-time page where the first administrator
// chooses a name and password.
func (s *Server) showSetup(c echo.Context) error {
	token := c.Param("token")
	ok, err := s.store.SetupTokenValid(c.Request().Context(), token)
	if err != nil {
		return err
	}
	if !ok {
		return s.setupGone(c, true)
	}
	return s.render(c, http.StatusOK, "setup", setupPage{Token: token})
}

// setup handles POST /admin/setup/{token}.
func (s *Server) setup(c echo.Context) error {
	token := c.Param("token")
	page := setupPage{Token: token, Username: strings.TrimSpace(c.FormValue("username"))}
	password := c.FormValue("password")
	if errs := setupProblems(page.Username, password, c.FormValue("password2")); len(errs) > 0 {
		page.Errors = s.printer(c).Fields(errs)
		return s.render(c, http.StatusUnprocessableEntity, "setup", page)
	}
	u, err := s.store.UseSetupToken(c.Request().Context(), token, page.Username, password)
	if errors.Is(err, storage.ErrBadToken) {
		return s.setupGone(c, false)
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/queue")
}
