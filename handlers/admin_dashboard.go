package handlers

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// dashboardsPage is the data of templates/pages/dashboards.html: the units whose dashboard
// (单位看板) the staff member may open.
type dashboardsPage struct {
	Units  []storage.Unit
	Months int // how far back a dashboard looks (stats.DashboardMonths)
}

// showDashboards handles GET /admin/dashboard: the units whose dashboard the staff member may
// open (stats.MayOpenDashboard): every unit for the office and 纪检, the linked units (联系点) for
// a leader, its own for a liaison. Whoever has one unit goes straight to its dashboard.
func (s *Server) showDashboards(c echo.Context) error {
	units, err := s.dashboardUnits(c.Request().Context(), c)
	if err != nil {
		return err
	}
	if len(units) == 1 {
		return c.Redirect(http.StatusSeeOther, "/admin/dashboard/"+units[0].Code)
	}
	return s.render(c, http.StatusOK, "dashboards", dashboardsPage{Units: units, Months: stats.DashboardMonths})
}

// showDashboard handles GET /admin/dashboard/:unit?month=YYYY-MM[&dept=科室]: one unit's (or
// one of its 科室's) last twelve months, open and overdue work, satisfaction, hot-spot warnings
// (预警) and the month's 科室 ranking, counted over what the staff member may open. A unit they
// may not open is not found.
func (s *Server) showDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	units, err := s.dashboardUnits(ctx, c)
	if err != nil {
		return err
	}
	unit, ok := storage.Unit{}, false
	for _, u := range units {
		if u.Code == c.Param("unit") {
			unit, ok = u, true
		}
	}
	if !ok {
		return echo.ErrNotFound
	}
	today := s.store.Today()
	month := today[:7]
	if p, err := period.Parse(c.QueryParam("month")); err == nil && p.Kind == period.Month && p.String() <= month {
		month = p.String()
	}
	dept := strings.TrimSpace(c.QueryParam("dept"))
	if utf8.RuneCountInString(dept) > maxDeptRunes {
		return echo.ErrNotFound // no 科室 is called that: the form keeps them shorter
	}
	v := viewer(c)
	d, err := stats.BuildDashboard(ctx, s.store, stats.DashboardQuery{Unit: unit.Code, Dept: dept, Month: month, Viewer: v, Today: today})
	if err != nil {
		return err
	}
	tags, err := s.store.Tags(ctx)
	if err != nil {
		return err
	}
	p := s.printer(c)
	page, err := newDashboardPage(p, newTaxonomy(p, tags), unit, d, v, today[:7])
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "dashboard", page)
}

// maxDeptRunes is the longest 科室 an opinion can name (storage checks the form's field).
const maxDeptRunes = 50

// dashboardUnits are the active units whose dashboard the staff member may open, in tree order.
func (s *Server) dashboardUnits(ctx context.Context, c echo.Context) ([]storage.Unit, error) {
	all, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	v := viewer(c)
	var out []storage.Unit
	for _, u := range all {
		if stats.MayOpenDashboard(v, u.Code) {
			out = append(out, u)
		}
	}
	return out, nil
}
