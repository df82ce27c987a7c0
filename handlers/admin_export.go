package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/export"
	"minsheng/stats"
	"minsheng/storage"
)

// rowWriter is what both export formats offer.
type rowWriter interface {
	Write(storage.ExportRow) error
	Close() error
}

// exportMonth handles GET /admin/export?month=YYYY-MM&format=csv|xlsx (or ?campaign=ID[&phase=SEQ]
// instead of or beside the month), with the queue's filters.
// The export is audited before a byte is sent: it carries every opinion of the month.
func (s *Server) exportMonth(c echo.Context) error {
	f := filterFromQuery(c)
	format := c.QueryParam("format")
	p := s.printer(c) // the file is written in the language of the one who downloads it
	// A month, or a campaign (#14: ?campaign=ID[&phase=SEQ], its phase's days), bounds the file.
	if (f.Month == "" && f.Campaign == 0) || (format != "csv" && format != "xlsx") {
		return s.render(c, http.StatusBadRequest, "error", errorPage{p.T("export.cannot_title"), p.T("export.cannot_text")})
	}
	u, _ := staffUser(c)
	v := viewer(c) // with today's date, so overdue work reaches the parent unit's liaison (督办) as in the queue
	f.Scope = &v
	if err := s.store.Record(c.Request().Context(), u.ID, "export", format+" "+filterQuery(f).Encode()); err != nil {
		return err
	}
	tags, err := s.taxonomy(c) // the tags' words in the file's language, retired ones too
	if err != nil {
		return err
	}
	res := c.Response()
	span := f.Month
	if f.Campaign != 0 {
		span = strings.TrimPrefix(fmt.Sprintf("%s-campaign%d", f.Month, f.Campaign), "-")
		if f.Phase != 0 {
			span += fmt.Sprintf("-phase%d", f.Phase)
		}
	}
	name := fmt.Sprintf("minsheng-%s.%s", span, format)
	res.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	var w rowWriter
	files := export.In(p).WithTags(tags.Tags, tags.Label)
	if format == "csv" {
		res.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w, err = files.NewCSV(res)
	} else {
		// Sheet "统计" counts the rows with stats' tally for this reader: the figures the
		// reports, /gongshi and the satisfaction page use, units in the tree's order.
		counter, cerr := stats.NewCounter(c.Request().Context(), s.store, stats.Query{Viewer: v, Today: s.store.Today(), Printer: p})
		if cerr != nil {
			return cerr
		}
		res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w, err = files.WithCounter(counter).NewXLSX(res, v.OmittedIn(p))
	}
	if err != nil {
		return err
	}
	// Each row as the item page shows it to this person (access: the contact only for those
	// who may reach the submitter, numbers in the text masked for those who may not see them).
	err = s.store.EachExportRow(c.Request().Context(), f, func(r storage.ExportRow) error {
		return w.Write(r.SeenBy(v))
	})
	if err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}
