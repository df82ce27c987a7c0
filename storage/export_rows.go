package storage

import (
	"context"
	"fmt"
)

// ExportRow is one line of the monthly export: the opinion, how its rectification stands, and
// the latest answer its submitter gave in the 满意度回访.
type ExportRow struct {
	Opinion
	Rect   Rectification // LeadUnitName, Responsible, Measures, Deadline, Kind, Report, Checked, Note, ClosedOn
	Rating Rating        // Rating and Words; zero when the submitter has not answered
	// ProblemID and ProblemTitle are the problem (问题) it is in, as carrier or member; "" for none.
	ProblemID, ProblemTitle string
}

// EachExportRow calls fn for every opinion f selects, oldest first, like EachOpinion, with its
// rectification and rating read in the same query: one cursor, so a large month streams.
func (s *Store) EachExportRow(ctx context.Context, f OpinionFilter, fn func(ExportRow) error) error {
	query, args := ExportRowsQuery(f)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("export rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var row ExportRow
		r := &row.Rect
		o, err := scanOpinion(rows, &r.LeadUnitName, &r.Responsible, &r.Measures, &r.Kind, &r.Report, &r.Checked,
			&r.Note, &r.ClosedOn, &row.Rating.Rating, &row.Rating.Words, &row.ProblemID, &row.ProblemTitle)
		if err != nil {
			return err
		}
		row.Opinion = o
		r.Level, r.LeadUnit, r.Deadline = o.Level, o.LeadUnit, o.Deadline
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportRowsQuery is the SQL EachExportRow runs for f and its arguments. It is exported for the
// export benchmark, which times the sqlite3 shell running the same query as its baseline.
func ExportRowsQuery(f OpinionFilter) (string, []any) {
	where, args := f.where()
	return `SELECT ` + opinionColumns + `,
		COALESCE((SELECT name FROM units WHERE code = r.lead_unit), ''), COALESCE(r.responsible, ''),
		COALESCE(r.measures, ''), COALESCE(r.kind, ''), COALESCE(r.report, ''), COALESCE(r.checked, ''),
		COALESCE(r.note, ''), COALESCE(r.closed_on, ''),
		COALESCE((SELECT g.rating FROM ratings g WHERE g.opinion_id = o.id ORDER BY g.round DESC LIMIT 1), ''),
		COALESCE((SELECT g.words FROM ratings g WHERE g.opinion_id = o.id ORDER BY g.round DESC LIMIT 1), ''),
		COALESCE(pr.id, ''), COALESCE(pr.title, '')` +
		opinionFrom + ` LEFT JOIN problems pr ON pr.carrier = COALESCE(o.merged_into, o.id)
		WHERE ` + where + ` ORDER BY o.created_on, o.id`, args
}
