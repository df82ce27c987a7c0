package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/export"
	"minsheng/storage"
)

// zhuanlanPage is the data of zhuanlan.html: the 专栏 (feature 49), the items the reader may
// read, newest first. Base is where an item opens: /zhuanlan for the public, /admin/zhuanlan
// for staff (whose scoped items live only under /admin, where their session is).
type zhuanlanPage struct {
	Items   []noticeRow
	Base    string
	Staff   bool
	Publish bool // the reader may publish: link the management page
}

// zhuanlanItemPage is the data of zhuanlan_item.html: one item, a task list with its rows.
type zhuanlanItemPage struct {
	Item  noticeRow
	Tasks []taskRowView
	Base  string
	Staff bool
}

// showZhuanlan handles GET /zhuanlan: the public column, items published to the public.
func (s *Server) showZhuanlan(c echo.Context) error {
	return s.renderZhuanlan(c, s.localPath(c, "/zhuanlan"), false)
}

// showStaffZhuanlan handles GET /admin/zhuanlan: what the signed-in reader may read (their
// unit's items, the whole staff's, the public's).
func (s *Server) showStaffZhuanlan(c echo.Context) error {
	return s.renderZhuanlan(c, "/admin/zhuanlan", true)
}

func (s *Server) renderZhuanlan(c echo.Context, base string, staff bool) error {
	items, err := s.store.Bulletins(c.Request().Context(), storage.BulletinFilter{Reader: s.campaignReader(c)})
	if err != nil {
		return err
	}
	rows, err := s.noticeRows(c, items)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "zhuanlan", zhuanlanPage{Items: rows, Base: base, Staff: staff, Publish: staff && mayPublish(c)})
}

// showZhuanlanItem handles GET /zhuanlan/{id}: one public item. Another scope's item, a
// withdrawn one and one that never was all answer 404 alike.
func (s *Server) showZhuanlanItem(c echo.Context) error {
	return s.renderZhuanlanItem(c, s.localPath(c, "/zhuanlan"), false)
}

// showStaffZhuanlanItem handles GET /admin/zhuanlan/{id}: one item the signed-in reader may read.
func (s *Server) showStaffZhuanlanItem(c echo.Context) error {
	return s.renderZhuanlanItem(c, "/admin/zhuanlan", true)
}

func (s *Server) renderZhuanlanItem(c echo.Context, base string, staff bool) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	b, err := s.store.Bulletin(c.Request().Context(), id, s.campaignReader(c))
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	rows, err := s.noticeRows(c, []storage.Bulletin{b})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "zhuanlan_item", zhuanlanItemPage{Item: rows[0], Tasks: taskRowViews(s.printer(c), b.Tasks),
		Base: base, Staff: staff})
}

// downloadTaskListNotice handles GET /zhuanlan/{id}/xlsx and GET /admin/zhuanlan/{id}/xlsx: a
// published task list as a workbook, for whoever may read it there (others, and items that are
// no task list, answer 404 as on its page); a staff member's download is audited as an export.
func (s *Server) downloadTaskListNotice(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	b, err := s.store.Bulletin(ctx, id, s.campaignReader(c))
	if errors.Is(err, storage.ErrNotFound) || err == nil && b.Kind != storage.NoticeTaskList {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	if u, ok := staffUser(c); ok {
		if err := s.store.Record(ctx, u.ID, "export", "tasklist #"+c.Param("id")); err != nil {
			return err
		}
	}
	res := c.Response()
	res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	res.Header().Set("Content-Disposition", `attachment; filename="minsheng-tasklist-`+b.PublishedOn+`.xlsx"`)
	return export.In(s.printer(c)).WriteTaskList(res, b.Title, b.Tasks)
}
