package storage

import "slices"

// Fact is the row as counting sees it, so that a writer streaming the export can count what it
// writes with package stats' tally (stats.Counter) instead of counting on its own. A letter's
// mailbox is known by code only: DisciplineMailbox stays false, which only 纪检's 举报 figures
// read, and the export's counts sheet does not show them.
func (r ExportRow) Fact() Fact {
	o := r.Opinion
	f := Fact{ID: o.ID, CreatedOn: o.CreatedOn, Type: o.Type, Channel: o.Channel, Submitter: o.Submitter,
		UnitCode: o.UnitCode, Dept: o.Dept, Status: o.Status,
		Level: o.Level, LeadUnit: o.LeadUnit, Ledger: r.Rect.Ledger, Kind: r.Rect.Kind, Deadline: o.Deadline,
		ClosedOn: r.Rect.ClosedOn, Checked: r.Rect.Checked, Note: r.Rect.Note,
		MergedInto: o.MergedInto, ProblemID: r.ProblemID, ProblemTitle: r.ProblemTitle,
		MailboxCode: o.MailboxCode, AboutLeadership: o.AboutLeadership,
		Accountability: r.Rect.Accountability, Unfounded: r.Rect.Unfounded, Substantiated: r.Rect.Substantiated}
	if f.Channel == "" {
		f.Channel = "web" // the column's default: a row from before channels were recorded
	}
	// The database holds a style or a tag once per opinion; a row built by hand might not.
	f.Styles = distinct(o.Styles)
	f.Tags = distinct(o.Tags)
	return f
}

// distinct is codes without repeats, in their first order.
func distinct(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
