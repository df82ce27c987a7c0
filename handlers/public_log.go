package handlers

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Log lines of the web layer carry the date alone, unless they are about a staff route. A log
// line's time to the millisecond would date a submission far more finely than the database
// does (an error drawing the kiosk's QR code is logged after the opinion is stored, say), so
// Server.log drops it by default and only logFor hands staff routes the timed logger.

// dayOnly is a slog.Handler that replaces a record's time with its calendar day (China time).
type dayOnly struct{ next slog.Handler }

func (h dayOnly) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h dayOnly) Handle(ctx context.Context, r slog.Record) error {
	// A zero time makes slog's handlers leave the time out altogether.
	out := slog.NewRecord(time.Time{}, r.Level, r.Message, 0)
	out.AddAttrs(slog.String("day", r.Time.In(displayZone).Format("2006-01-02")))
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(a)
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h dayOnly) WithAttrs(as []slog.Attr) slog.Handler { return dayOnly{h.next.WithAttrs(as)} }

func (h dayOnly) WithGroup(name string) slog.Handler { return dayOnly{h.next.WithGroup(name)} }

// logFor returns the logger for a request: with the time for a staff route (/admin), where
// staff actions are audited to the second anyway; with the day alone for everything else, since
// whoever is on a public route may be a submitter.
func (s *Server) logFor(c echo.Context) *slog.Logger {
	if strings.HasPrefix(c.Path(), "/admin") {
		return s.staffLog
	}
	return s.log
}
