package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
	"minsheng/workday"
)

// reloadCalendar rebuilds the working-day calendar from the library and the overrides in the
// store, and puts it in place for every request after. Reloads run one at a time, each reading
// after its own change committed, so the calendar left in place holds every change.
func (s *Server) reloadCalendar(ctx context.Context) error {
	s.calendarMu.Lock()
	defer s.calendarMu.Unlock()
	gen, err := s.store.Generation(ctx, storage.GenCalendar) // before the overrides: a later change shows next time
	if err != nil {
		return err
	}
	overrides, err := s.store.CalendarOverrides(ctx)
	if err != nil {
		return err
	}
	s.calendar.Store(workday.New(overrides))
	s.calendarGen.Store(gen)
	return nil
}

// cal is the working-day calendar deadlines use now. An override changed by another process
// (its generation moved on) is read within storage.GenerationsEvery; should that read fail,
// the calendar in place serves until the next.
func (s *Server) cal() *workday.Calendar {
	if gen, err := s.store.Generation(context.Background(), storage.GenCalendar); err == nil && gen != s.calendarGen.Load() {
		if err := s.reloadCalendar(context.Background()); err != nil {
			s.staffLog.Warn("reload the working-day calendar", "err", err)
		}
	}
	return s.calendar.Load()
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

// Validate returns a message per wrong field.
func (f calendarForm) Validate() locale.Fields {
	errs := locale.Fields{}
	if d, err := workday.ParseDate(f.Day); err != nil {
		errs["day"] = locale.M("calendar.day_missing")
	} else if d.Year < firstOverrideYear || d.Year > lastOverrideYear {
		errs["day"] = locale.M("calendar.day_range", firstOverrideYear, lastOverrideYear)
	}
	if f.Kind != "off" && f.Kind != "work" {
		errs["kind"] = locale.M("calendar.kind_missing")
	}
	if msg := textProblem(f.Name, 0, storage.MaxOverrideName); msg.Key != "" {
		errs["name"] = fieldProblem("calendar.name", msg)
	}
	return errs
}

// calendarPage is the data of templates/pages/calendar.html; its words are in the reader's
// language.
type calendarPage struct {
	Days            []overrideRow
	Form            calendarForm
	Errors          map[string]string
	Message         string
	Notice          string
	LastLibraryYear int
	Uncovered       []int  // this year and the next two, when only their statutory holidays are known
	UncoveredYears  string // the same, as a list in words: 2028 年、2029 年
}

// overrideRow is one override as listed.
type overrideRow struct {
	Day     string
	Weekday string
	Work    bool
	Name    string // as entered, or in the reader's language when it names known holidays
	Shipped string // what the day would be without the override
}

// weekdayKeys are the names of the days of the week, Sunday first as time.Weekday counts.
var weekdayKeys = [...]string{"calendar.sunday", "calendar.monday", "calendar.tuesday", "calendar.wednesday",
	"calendar.thursday", "calendar.friday", "calendar.saturday"}

// calendarNotices are what ?done= says after a change.
var calendarNotices = map[string]string{
	"set":     "calendar.saved",
	"deleted": "calendar.deleted",
}

// holidayKeys say the holidays workday knows by code in the reader's language.
var holidayKeys = map[string]string{
	workday.NewYear:              "workday.new_year",
	workday.SpringFestival:       "workday.spring_festival",
	workday.Qingming:             "workday.qingming",
	workday.LabourDay:            "workday.labour_day",
	workday.DragonBoat:           "workday.dragon_boat",
	workday.MidAutumn:            "workday.mid_autumn",
	workday.NationalDay:          "workday.national_day",
	workday.NationalDayMidAutumn: "workday.national_day_mid_autumn",
	workday.VictoryDay:           "workday.victory_day",
}

// dayNameIn says a day's name in p's language: the holidays it names (春节, 中秋节、国庆节,
// 国庆节调休) from the catalog, or the name as it was typed when it names something else.
func dayNameIn(p *locale.Printer, n workday.Name) string {
	if len(n.Holidays) == 0 {
		return n.Typed
	}
	words := make([]string, len(n.Holidays))
	for i, code := range n.Holidays {
		words[i] = code // a code workday adds before the catalog has it shows as itself
		if key, ok := holidayKeys[code]; ok {
			words[i] = p.T(key)
		}
	}
	joined := strings.Join(words, p.T("workday.and"))
	if n.Swap {
		return p.T("workday.swap", joined)
	}
	return joined
}

// reasonIn says workday's explanation of a day in p's language: "" for an ordinary weekday, 周末,
// 放假, a holiday's name, or the holiday a weekend is worked for (春节调休).
func reasonIn(p *locale.Printer, why workday.Why) string {
	switch why.Kind {
	case workday.Weekend:
		return p.T("workday.weekend")
	case workday.DayOff:
		return p.T("workday.off")
	case workday.Swap:
		if why.Name.IsZero() {
			return p.T("workday.swap_unnamed")
		}
		return p.T("workday.swap", dayNameIn(p, why.Name))
	case workday.Holiday, workday.Named:
		return dayNameIn(p, why.Name)
	}
	return ""
}

// shippedIn says what day d would be without the administrator's override: worked or off and
// why, from the library, or from the statutory holidays alone in a year past the library.
func shippedIn(p *locale.Printer, shipped *workday.Calendar, d workday.Date) string {
	if !shipped.Covered(d.Year) && !shipped.Estimated(d.Year) {
		return p.T("calendar.not_covered")
	}
	words := p.T("calendar.off")
	if shipped.IsWorkday(d) {
		words = p.T("calendar.work")
	}
	if why := reasonIn(p, shipped.Explain(d)); why != "" {
		words = p.T("calendar.with_reason", words, why)
	}
	if shipped.Estimated(d.Year) {
		return p.T("calendar.estimated", words)
	}
	return words
}

// showCalendar handles GET /admin/calendar.
func (s *Server) showCalendar(c echo.Context) error {
	page := calendarPage{}
	if key, ok := calendarNotices[c.QueryParam("done")]; ok {
		page.Notice = s.printer(c).T(key)
	}
	return s.renderCalendar(c, http.StatusOK, page)
}

func (s *Server) renderCalendar(c echo.Context, status int, page calendarPage) error {
	overrides, err := s.store.CalendarOverrides(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.printer(c)
	shipped := shippedCalendar()
	for d, o := range overrides {
		page.Days = append(page.Days, overrideRow{Day: d.String(), Weekday: p.T(weekdayKeys[d.Weekday()]), Work: o.Work,
			Name: dayNameIn(p, workday.ReadName(o.Name)), Shipped: shippedIn(p, shipped, d)})
	}
	slices.SortFunc(page.Days, func(a, b overrideRow) int { return strings.Compare(a.Day, b.Day) })
	page.LastLibraryYear = workday.LastLibraryYear()
	if today, err := workday.ParseDate(s.store.Today()); err == nil {
		cal := s.cal()
		var years []string
		for y := today.Year; y <= today.Year+2; y++ {
			if cal.Estimated(y) {
				page.Uncovered = append(page.Uncovered, y)
				years = append(years, p.T("calendar.year", y))
			}
		}
		page.UncoveredYears = strings.Join(years, p.T("calendar.list_separator"))
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
		p := s.printer(c)
		return s.renderCalendar(c, http.StatusUnprocessableEntity,
			calendarPage{Form: f, Errors: p.Fields(errs), Message: p.T("calendar.not_saved")})
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
		return s.renderCalendar(c, http.StatusUnprocessableEntity, calendarPage{Message: s.printer(c).T("calendar.no_such_day")})
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
