package handlers

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// queuePageSize is how many opinions one queue page shows.
const queuePageSize = 50

// queuePage is the data of templates/pages/queue.html.
type queuePage struct {
	Filter   storage.OpinionFilter
	Rows     []queueRow
	NextURL  template.URL // the next page, empty on the last
	CSVURL   template.URL // this filter's export links
	XLSXURL  template.URL
	Statuses []lifecycle.Status
	Styles   []sifeng.Style
	Types    []vocab.Term
	Units    []storage.Unit
	// CanExport shows the export links to the roles that may export.
	CanExport bool
}

// queueRow is one opinion in the queue with its deadline as people read it.
type queueRow struct {
	storage.Opinion
	Due deadlineView
}

// filterFromQuery reads the queue filter from the URL. Unknown values are dropped rather than
// rejected: a stale bookmark should still show a queue.
func filterFromQuery(c echo.Context) storage.OpinionFilter {
	f := storage.OpinionFilter{
		Status:   c.QueryParam("status"),
		Style:    c.QueryParam("style"),
		UnitCode: c.QueryParam("unit"),
		Type:     c.QueryParam("type"),
		Month:    c.QueryParam("month"),
	}
	if !lifecycle.Valid(f.Status) {
		f.Status = ""
	}
	if f.Style != storage.StyleNone && !sifeng.Valid(f.Style) {
		f.Style = ""
	}
	if !vocab.Valid(vocab.Types, f.Type) {
		f.Type = ""
	}
	if _, _, ok := storage.MonthRange(f.Month); !ok {
		f.Month = ""
	}
	if len(f.UnitCode) > 40 {
		f.UnitCode = ""
	}
	return f
}

// filterQuery encodes a filter as a query string, leaving out empty fields.
func filterQuery(f storage.OpinionFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "style": f.Style, "unit": f.UnitCode, "type": f.Type, "month": f.Month} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// showQueue handles GET /admin/queue: opinions newest first, filtered, one page at a time.
func (s *Server) showQueue(c echo.Context) error {
	ctx := c.Request().Context()
	f := filterFromQuery(c)
	v := viewer(c)
	f.Scope = &v
	page, err := s.store.ListOpinions(ctx, f, storage.ParseCursor(c.QueryParam("after")), queuePageSize)
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	data := queuePage{Filter: f, CanExport: v.Can(access.Export), Statuses: lifecycle.Statuses, Styles: sifeng.Styles, Types: vocab.Types, Units: units}
	for _, o := range page.Opinions {
		data.Rows = append(data.Rows, queueRow{Opinion: o, Due: s.deadline(o.Status, o.Deadline)})
	}
	// The links are built from url.Values.Encode, so they are safe to mark as URLs; otherwise
	// html/template would escape the & and = inside them.
	for format, dst := range map[string]*template.URL{"csv": &data.CSVURL, "xlsx": &data.XLSXURL} {
		q := filterQuery(f)
		q.Set("format", format)
		*dst = template.URL("/admin/export?" + q.Encode())
	}
	if page.Next.ID != "" {
		q := filterQuery(f)
		q.Set("after", page.Next.String())
		data.NextURL = template.URL("/admin/queue?" + q.Encode())
	}
	return s.render(c, http.StatusOK, "queue", data)
}

// redirectToQueue handles GET /admin.
func (s *Server) redirectToQueue(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/queue")
}
