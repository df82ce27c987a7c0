package handlers

import (
	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// The opinions merged into a carrier (重复, a problem's members) keep their own conversations:
// each submitter answers and adds on /track with their own receipt code. The work is done on
// the carrier, so its page shows what those submitters wrote (answers, additions, files), for
// the merged opinions the reader may open, each linked to its own page where staff reply.

// mergedThread is one merged opinion's submitter messages on the carrier's page.
type mergedThread struct {
	ID       string
	Messages []messageView
}

// fillMergedThreads reads, on a carrier's page, what the submitters of the opinions merged
// into it wrote, as the viewer may read it (Members keeps to the viewer's scope; the words
// pass through the viewer's PublicText as the opinion's own do).
func (s *Server) fillMergedThreads(c echo.Context, page *itemPage, o storage.Opinion) error {
	pr := page.Grouping.Problem
	if pr == nil || pr.Carrier != o.ID || pr.Count < 2 {
		return nil
	}
	ctx := c.Request().Context()
	v := viewer(c)
	members, err := s.store.Members(ctx, pr.ID, &v)
	if err != nil {
		return err
	}
	p := s.printer(c)
	for _, m := range members {
		if m.ID == o.ID {
			continue
		}
		msgs, err := s.store.Thread(ctx, m.ID)
		if err != nil {
			return err
		}
		var theirs []storage.Message
		for _, msg := range msgs {
			if !msg.FromStaff() {
				theirs = append(theirs, msg)
			}
		}
		if len(theirs) > 0 {
			page.Merged = append(page.Merged, mergedThread{ID: m.ID, Messages: threadViews(p, v.PublicText, theirs, true, false)})
		}
	}
	return nil
}
