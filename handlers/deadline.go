package handlers

import (
	"strconv"
	"strings"

	"minsheng/lifecycle"
	"minsheng/workday"
)

// deadlineView is a deadline as people read it: the date, and for open work the working days
// left or by how many working days it is overdue (逾期).
type deadlineView struct {
	Date      string
	Open      bool // the work is still going on, so the deadline matters
	Left      int  // working days from today to the deadline
	Overdue   bool
	OverdueBy int  // working days past the deadline
	Covered   bool // the calendar knows the holidays of the deadline's year
	// Estimated: the year's statutory holidays are worked out by rule and its 调休 are not
	// entered yet, so the deadline may still move; the page says the administrator must enter them.
	Estimated bool
	Year      int
}

// deadline describes deadline (YYYY-MM-DD, may be empty) for work in status.
func (s *Server) deadline(status, deadline string) deadlineView {
	d, err := workday.ParseDate(deadline)
	if err != nil {
		return deadlineView{}
	}
	today, err := workday.ParseDate(s.store.Today())
	if err != nil {
		return deadlineView{}
	}
	cal := s.cal()
	v := deadlineView{Date: deadline, Open: lifecycle.Open(status), Covered: cal.Covered(d.Year),
		Estimated: cal.Estimated(d.Year), Year: d.Year}
	if !v.Open {
		return v
	}
	if today.After(d) {
		v.Overdue, v.OverdueBy = true, cal.WorkdaysBetween(d, today)
	} else {
		v.Left = cal.WorkdaysBetween(today, d)
	}
	return v
}

// resolveDeadline turns "N working days" into a date when no date was given: the way the
// office states deadlines (限时结办, 5 个工作日内).
func (s *Server) resolveDeadline(f *stepForm) {
	if strings.TrimSpace(f.Deadline) != "" || strings.TrimSpace(f.DeadlineDays) == "" {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.DeadlineDays))
	if err != nil || n < 1 || n > 365 {
		return // Validate then asks for a deadline
	}
	today, err := workday.ParseDate(s.store.Today())
	if err != nil {
		return
	}
	f.Deadline = s.cal().AddWorkdays(today, n).String()
}
