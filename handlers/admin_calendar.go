package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
	"minsheng/workday"
)

// reloadCalendar rebuilds the working-day calendar from the library and the overrides in the
// store, and puts it in place for every request after. Reloads run one at a time, each reading
// after its own change committed, so the calendar left in place holds every change.
func (s *Server) reloadCalendar(ctx context.Context) error {
	s.calendarMu.Lock()
	defer s.calendarMu.Unlock()
	overrides, err := s.store.CalendarOverrides(ctx)
	if err != nil {
		return err
	}
	s.calendar.Store(workday.New(overrides))
	return nil
}

// shippedCalendar is the calendar with no overrides: what the library and the weekday rule
// say, shown beside each override.
var shippedCalendar = sync.OnceValue(func() *workday.Calendar { return workday.New(nil) })

// Years an override may name: wide enough for any real notice, narrow enough to catch a typo.
const (
	firstOverrideYear = 2000
	lastOverrideYear  = 2100
)

// calendarForm sets one day as worked or off.
type calendarForm struct {
	Day  string `form:"day"`
	Kind string `form:"kind"` // "off" (放假) or "work" (上班)
	Name string `form:"name"`
}

func (f *calendarForm) normalise() {
	f.Day, f.Kind, f.Name = strings.TrimSpace(f.Day), strings.TrimSpace(f.Kind), strings.TrimSpace(f.Name)
}

// Validate returns a Chinese message per wrong field.
func (f calendarForm) Validate() map[string]string {
	errs := map[string]string{}
	if d, err := workday.ParseDate(f.Day); err != nil {
		errs["day"] = "请选择日期（例如 2027-02-08）。"
	} else if d.Year < firstOverrideYear || d.Year > lastOverrideYear {
		errs["day"] = "日期需要在 2000 年到 2100 年之间。"
	}
	if f.Kind != "off" && f.Kind != "work" {
		errs["kind"] = "请选择这一天放假还是上班。"
	}
	if msg := checkText(f.Name, 0, storage.MaxOverrideName); msg != "" {
		errs["name"] = "名称" + msg
	}
	return errs
}

// calendarPage is the data of templates/pages/calendar.html.
type calendarPage struct {
	Days            []overrideRow
	Form            calendarForm
	Errors          map[string]string
	Message         string
	Notice          string
	LastLibraryYear int
	Uncovered       []int // this year and the next two, when only their statutory holidays are known
}

// overrideRow is one override as listed.
type overrideRow struct {
	Day     string
	Weekday string
	Work    bool
	Name    string
	Shipped string // what the day would be without the override
}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

var calendarNotices = map[string]string{
	"set":     "已保存。整改时限从现在起按新的安排计算。",
	"deleted": "已删除。整改时限从现在起按新的安排计算。",
}

// showCalendar handles GET /admin/calendar.
func (s *Server) showCalendar(c echo.Context) error {
	return s.renderCalendar(c, http.StatusOK, calendarPage{Notice: calendarNotices[c.QueryParam("done")]})
}

func (s *Server) renderCalendar(c echo.Context, status int, page calendarPage) error {
	overrides, err := s.store.CalendarOverrides(c.Request().Context())
	if err != nil {
		return err
	}
	shipped := shippedCalendar()
	for d, o := range overrides {
		row := overrideRow{Day: d.String(), Weekday: weekdayNames[d.Weekday()], Work: o.Work, Name: o.Name, Shipped: "放假"}
		if shipped.IsWorkday(d) {
			row.Shipped = "上班"
		}
		if why := shipped.Reason(d); why != "" {
			row.Shipped += "（" + why + "）"
		}
		switch {
		case shipped.Estimated(d.Year):
			row.Shipped = "按法定节假日推算：" + row.Shipped
		case !shipped.Covered(d.Year):
			row.Shipped = "内置表没有这一年"
		}
		page.Days = append(page.Days, row)
	}
	slices.SortFunc(page.Days, func(a, b overrideRow) int { return strings.Compare(a.Day, b.Day) })
	page.LastLibraryYear = workday.LastLibraryYear()
	if today, err := workday.ParseDate(s.store.Today()); err == nil {
		cal := s.cal()
		for y := today.Year; y <= today.Year+2; y++ {
			if cal.Estimated(y) {
				page.Uncovered = append(page.Uncovered, y)
			}
		}
	}
	return s.render(c, status, "calendar", page)
}

// setCalendarDay handles POST /admin/calendar: adds an override or replaces the day's one.
func (s *Server) setCalendarDay(c echo.Context) error {
	var f calendarForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderCalendar(c, http.StatusUnprocessableEntity,
			calendarPage{Form: f, Errors: errs, Message: "还没有保存，请按红字提示修改。"})
	}
	day, _ := workday.ParseDate(f.Day)
	me, _ := staffUser(c)
	ctx := c.Request().Context()
	if err := s.store.SetCalendarOverride(ctx, me.ID, day, workday.Override{Work: f.Kind == "work", Name: f.Name}); err != nil {
		return err
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/calendar?done=set")
}

// deleteCalendarDay handles POST /admin/calendar/delete (field day). A day already gone (a
// second click) is not an error.
func (s *Server) deleteCalendarDay(c echo.Context) error {
	day, err := workday.ParseDate(strings.TrimSpace(c.FormValue("day")))
	if err != nil {
		return s.renderCalendar(c, http.StatusUnprocessableEntity, calendarPage{Message: "没有这一天的设置。"})
	}
	me, _ := staffUser(c)
	ctx := c.Request().Context()
	if err := s.store.DeleteCalendarOverride(ctx, me.ID, day); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/calendar?done=deleted")
}
