package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/export"
	"minsheng/redact"
	"minsheng/storage"
)

// rowWriter is what both export formats offer.
type rowWriter interface {
	Write(storage.Opinion) error
	Close() error
}

// exportMonth handles GET /admin/export?month=YYYY-MM&format=csv|xlsx, with the queue's filters.
// The export is audited before a byte is sent: it carries every opinion of the month.
func (s *Server) exportMonth(c echo.Context) error {
	f := filterFromQuery(c)
	format := c.QueryParam("format")
	if f.Month == "" || (format != "csv" && format != "xlsx") {
		return s.render(c, http.StatusBadRequest, "error", errorPage{"无法导出",
			"请在队列里选择月份，再点“CSV”或“Excel”导出。"})
	}
	u, _ := staffUser(c)
	v := viewer(c) // with today's date, so overdue work reaches the parent unit's liaison (督办) as in the queue
	f.Scope = &v
	if err := s.store.Record(c.Request().Context(), u.ID, "export", format+" "+filterQuery(f).Encode()); err != nil {
		return err
	}
	res := c.Response()
	name := fmt.Sprintf("minsheng-%s.%s", f.Month, format)
	res.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	var w rowWriter
	var err error
	if format == "csv" {
		res.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w, err = export.NewCSV(res)
	} else {
		res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w, err = export.NewXLSX(res)
	}
	if err != nil {
		return err
	}
	if !v.Can(access.SeeIdentifiers) {
		w = maskingWriter{w}
	}
	if err := s.store.EachOpinion(c.Request().Context(), f, w.Write); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// maskingWriter masks personal data (redact) in each opinion's content and contact before the
// row is written: a spreadsheet travels further than a page, so it holds the original only
// for those allowed to see it.
type maskingWriter struct{ rowWriter }

func (m maskingWriter) Write(o storage.Opinion) error {
	o.Content, o.Contact = redact.Mask(o.Content), redact.Mask(o.Contact)
	return m.rowWriter.Write(o)
}
