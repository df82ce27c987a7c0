package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// ExportRow is one line of the monthly export: the opinion, how its rectification stands, and
// the latest answer its submitter gave in the 满意度回访.
type ExportRow struct {
	Opinion
	Rect   Rectification // LeadUnitName, Responsible, Measures, Deadline, Kind, Report, Checked, Note, ClosedOn
	Rating Rating        // Rating and Words; zero when the submitter has not answered
	// ProblemID and ProblemTitle are the problem (问题) it is in, as carrier or member; "" for none.
	ProblemID, ProblemTitle string
	// Thread is the conversation with its submitter, in reading order (thread.go); nil for none.
	Thread []Message
	// CampaignName is the campaign it arrived in, "" for none; Answers are the answers given
	// to that campaign's questions, in the questions' order (#14).
	CampaignName string
	Answers      []CampaignAnswer
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
		var thread, answers string
		r := &row.Rect
		o, err := scanOpinion(rows, &r.LeadUnitName, &r.Responsible, &r.Measures, &r.Kind, &r.Report, &r.Checked,
			&r.Note, &r.ClosedOn, &row.Rating.Rating, &row.Rating.Words, &row.ProblemID, &row.ProblemTitle, &thread,
			&row.CampaignName, &answers)
		if err != nil {
			return err
		}
		if row.Thread, err = decodeThread(thread); err != nil {
			return fmt.Errorf("export rows: thread of %s: %w", o.ID, err)
		}
		if row.Answers, err = decodeAnswers(answers); err != nil {
			return fmt.Errorf("export rows: campaign answers of %s: %w", o.ID, err)
		}
		row.Opinion = o
		r.Level, r.LeadUnit, r.Deadline = o.Level, o.LeadUnit, o.Deadline
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportRowsQuery is the SQL EachExportRow runs for f and its arguments. The JSON it gathers is
// text only (numbers cast to TEXT): PostgreSQL's json_array twin (migration 0059) takes text
// arguments, as no SQL function there takes a mix of types. It is exported for the
// export benchmark, which times the sqlite3 shell running the same query as its baseline.
func ExportRowsQuery(f OpinionFilter) (string, []any) {
	where, args := f.where()
	return `SELECT ` + opinionColumns + `,
		COALESCE((SELECT name FROM units WHERE code = r.lead_unit), ''), COALESCE(r.responsible, ''),
		COALESCE(r.measures, ''), COALESCE(r.kind, ''), COALESCE(r.report, ''), COALESCE(r.checked, ''),
		COALESCE(r.note, ''), COALESCE(r.closed_on, ''),
		COALESCE((SELECT g.rating FROM ratings g WHERE g.opinion_id = o.id ORDER BY g.round DESC LIMIT 1), ''),
		COALESCE((SELECT g.words FROM ratings g WHERE g.opinion_id = o.id ORDER BY g.round DESC LIMIT 1), ''),
		COALESCE(pr.id, ''), COALESCE(pr.title, ''),
		COALESCE((SELECT json_group_array(json_array(m.id, m.side, m.kind, m.body, m.day, CAST(COALESCE(m.seq, 0) AS TEXT),
			COALESCE(m.answers, ''))) FROM opinion_messages m WHERE m.opinion_id = o.id), '[]'),
		COALESCE((SELECT name FROM campaigns WHERE id = o.campaign_id), ''),
		CASE WHEN o.campaign_id = 0 THEN '[]' ELSE COALESCE((SELECT json_group_array(json_array(CAST(a.question_no AS TEXT), a.question, a.answer))
			FROM (SELECT * FROM campaign_answers WHERE opinion_id = o.id ORDER BY question_no) a), '[]') END` +
		opinionFrom + ` LEFT JOIN problems pr ON pr.carrier = COALESCE(o.merged_into, o.id)
		WHERE ` + where + ` ORDER BY o.created_on, o.id`, args
}

// decodeThread reads the conversation the export query gathers for one opinion (a JSON array
// of [id, side, kind, body, day, seq, answers], all text) and puts it in reading order. Most opinions
// have none: "[]" is read without decoding.
func decodeThread(text string) ([]Message, error) {
	if text == "[]" || text == "" {
		return nil, nil
	}
	var raw [][7]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, err
	}
	msgs := make([]Message, len(raw))
	for i, r := range raw {
		m := &msgs[i]
		var ok [6]bool
		m.ID, ok[0] = r[0].(string)
		m.Side, ok[1] = r[1].(string)
		m.Kind, ok[2] = r[2].(string)
		m.Body, ok[3] = r[3].(string)
		m.Day, ok[4] = r[4].(string)
		seqText, _ := r[5].(string)
		seq, err := strconv.Atoi(seqText)
		okSeq := err == nil
		m.Answers, ok[5] = r[6].(string)
		if ok != [6]bool{true, true, true, true, true, true} || !okSeq {
			return nil, fmt.Errorf("message %d: unexpected %v", i, r)
		}
		m.Seq = seq
	}
	return orderThread(msgs), nil
}

// decodeAnswers reads the campaign answers the export query gathers for one opinion (a JSON
// array of [no, question, answer], all text). Most opinions have none: "[]" is read without decoding.
func decodeAnswers(text string) ([]CampaignAnswer, error) {
	if text == "[]" || text == "" {
		return nil, nil
	}
	var arrays [][3]json.RawMessage
	if err := json.Unmarshal([]byte(text), &arrays); err != nil {
		return nil, err
	}
	out := make([]CampaignAnswer, len(arrays))
	for i, a := range arrays {
		var no string
		for j, dst := range []any{&no, &out[i].Question, &out[i].Answer} {
			if err := json.Unmarshal(a[j], dst); err != nil {
				return nil, err
			}
		}
		n, err := strconv.Atoi(no)
		if err != nil {
			return nil, fmt.Errorf("question number %q: %w", no, err)
		}
		out[i].No = n
	}
	return out, nil
}
