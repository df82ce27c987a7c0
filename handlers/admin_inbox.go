package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
	"minsheng/vocab"
)

// notifyKinds are the events' names as staff read them (the codes are storage.Event*).
var notifyKinds = vocab.List("notifykind.assigned", "notifykind.deadline_soon", "notifykind.deadline_today",
	"notifykind.overdue", "notifykind.lookback_due", "notifykind.hot_spot", "notifykind.new_opinion", "notifykind.report",
	"notifykind.dissatisfied", "notifykind.submitter_answered")

// inboxLimit is how many lines the inbox shows; older ones stay in the database.
const inboxLimit = 100

// inboxPage is the data of templates/pages/inbox.html.
type inboxPage struct {
	Notices []inboxLine
	// Today counts the public-caused events of today in the person's scope: derived from the
	// data by day, never stored per event (they arrive by mail only in tomorrow's digest).
	Today  []kindCount
	Unread int
}

type inboxLine struct {
	storage.Notice
	Kind vocab.Term
	// Dashboard is where a hot spot (预警) is read: the unit's dashboard of the month its
	// figures count ("" for other kinds, which link to their opinion).
	Dashboard string
}

type kindCount struct {
	Kind  vocab.Term
	Count int
}

// showInbox handles GET /admin/inbox: my notifications, and today's public-caused counts.
func (s *Server) showInbox(c echo.Context) error {
	ctx := c.Request().Context()
	u, _ := staffUser(c)
	list, err := s.store.Inbox(ctx, u.ID, inboxLimit)
	if err != nil {
		return err
	}
	v := viewer(c)
	counts, err := s.store.PublicCounts(ctx, v, v.Today)
	if err != nil {
		return err
	}
	page := inboxPage{}
	for _, n := range list {
		line := inboxLine{Notice: n, Kind: kindTerm(n.Kind)}
		if n.Kind == storage.EventHotSpot && n.Unit != "" && len(n.Deadline) >= 7 {
			line.Dashboard = "/admin/dashboard/" + n.Unit + "?month=" + n.Deadline[:7]
		}
		page.Notices = append(page.Notices, line)
		if !n.Read {
			page.Unread++
		}
	}
	for _, k := range storage.PublicKinds {
		if counts[k] > 0 {
			page.Today = append(page.Today, kindCount{Kind: kindTerm(k), Count: counts[k]})
		}
	}
	return s.render(c, http.StatusOK, "inbox", page)
}

// kindTerm is the term of an event kind (an unknown code reads as itself).
func kindTerm(kind string) vocab.Term {
	for _, t := range notifyKinds {
		if t.Code == kind {
			return t
		}
	}
	return vocab.Term{Code: kind, Key: "notifykind.unknown", Label: kind}
}

// inboxReadForm names the line to mark read; empty marks them all.
type inboxReadForm struct {
	ID string `form:"id"`
}

// markRead handles POST /admin/inbox/read.
func (s *Server) markRead(c echo.Context) error {
	var f inboxReadForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	err := s.store.MarkRead(c.Request().Context(), u.ID, f.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/inbox")
}
