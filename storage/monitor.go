package storage

// The citizen supervisor (行风/社会监督员, access.Monitor, feature 58): what they submitted and
// the public notice of their assigned units, in more detail than the public board.
//
// How a supervisor's submission is kept: the opinion itself is stored as the public's are (the
// day only, a random id, no user on the row) with submitter category "monitor", so that the
// office reads it as coming from a supervisor without knowing which one. The supervisor is
// not anonymous by nature — they must follow what they submitted — so the one link from the
// person to the opinion is kept apart, in monitor_opinions (no rowid, no time), and read only
// by MonitorItems for that person's own page. No queue, export, report, notification or audit
// entry reads or writes it: the submission writes no audit entry, which would tie a named
// account to an opinion in a log administrators read.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// MonitorSubmitter is the submitter category of a citizen supervisor's opinions (vocab).
const MonitorSubmitter = "monitor"

// Step is one move of an opinion along the lifecycle as a supervisor reads it: the day and
// the two statuses (lifecycle codes).
type Step struct {
	Day, From, To string
}

// MonitorItem is one opinion a supervisor submitted, as their page shows it.
type MonitorItem struct {
	ID, CreatedOn, Type, UnitName, Dept, Content, Status string
	Deadline, Kind, Explanation, ClosedOn                string // from the rectification, "" before
	Steps                                                []Step
}

// linkMonitor records, in the opinion's own transaction, that userID submitted opinionID.
func linkMonitor(ctx context.Context, tx *sql.Tx, userID int64, opinionID string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO monitor_opinions (user_id, opinion_id) VALUES (?, ?)`, userID, opinionID)
	return err
}

// MonitorItems returns what the supervisor userID submitted, newest day first, each with its
// steps. Only their own: the link table is read for this person alone.
func (s *Store) MonitorItems(ctx context.Context, userID int64) ([]MonitorItem, error) {
	var items []MonitorItem
	err := eachRow(ctx, s.read, `
		SELECT o.id, o.created_on, o.type, COALESCE(u.name, o.unit_code), o.dept, o.content, o.status,
		       COALESCE(r.deadline, ''), COALESCE(r.kind, ''), COALESCE(r.explanation, ''), COALESCE(r.closed_on, '')
		FROM monitor_opinions m JOIN opinions o ON o.id = m.opinion_id
		LEFT JOIN units u ON u.code = o.unit_code LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE m.user_id = ? ORDER BY o.created_on DESC, o.id`, func(rows *sql.Rows) error {
		var it MonitorItem
		if err := rows.Scan(&it.ID, &it.CreatedOn, &it.Type, &it.UnitName, &it.Dept, &it.Content, &it.Status,
			&it.Deadline, &it.Kind, &it.Explanation, &it.ClosedOn); err != nil {
			return err
		}
		items = append(items, it)
		return nil
	}, userID)
	if err != nil {
		return nil, fmt.Errorf("monitor items: %w", err)
	}
	for i := range items {
		if items[i].Steps, err = s.steps(ctx, items[i].ID); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// steps are the status moves of opinion id, oldest first, read from the audit log (every move
// is recorded there as "from→to"): the day of each, never who made it or what they wrote.
func (s *Store) steps(ctx context.Context, id string) ([]Step, error) {
	var steps []Step
	loc := s.now().Location() // the day in the portal's time zone, as opinions keep theirs
	err := eachRow(ctx, s.read, `SELECT created_at, detail FROM audit_log
		WHERE opinion_id = ? AND action = 'status' ORDER BY id`, func(rows *sql.Rows) error {
		var at, detail string
		if err := rows.Scan(&at, &detail); err != nil {
			return err
		}
		t, err := time.Parse(timeLayout, at)
		if err != nil {
			return fmt.Errorf("audit time %q: %w", at, err)
		}
		if from, to, ok := strings.Cut(detail, "→"); ok {
			steps = append(steps, Step{Day: t.In(loc).Format(dateLayout), From: from, To: to})
		}
		return nil
	}, id)
	if err != nil {
		return nil, fmt.Errorf("steps of %s: %w", id, err)
	}
	return steps, nil
}

// MonitorPublication is a published rectification of a supervisor's assigned unit with the
// detail the public board leaves out: each step and its day, and the result of the latest
// check (核验 / 回头看). Still only what was published: never the submitter's words, contact
// or a 举报 (which is never published).
type MonitorPublication struct {
	Publication
	UnitCode string
	Checked  string
	Steps    []Step
}

// MonitorBoard returns the published rectifications about, or led by, one of units, newest
// publication first.
func (s *Store) MonitorBoard(ctx context.Context, units []string) ([]MonitorPublication, error) {
	if len(units) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 2*len(units))
	for range 2 {
		for _, u := range units {
			args = append(args, u)
		}
	}
	in := "(?" + strings.Repeat(", ?", len(units)-1) + ")"
	var pubs []MonitorPublication
	err := eachRow(ctx, s.read, `SELECT o.unit_code, r.checked, `+publicationColumns+`
		WHERE o.type != 'report' AND (o.unit_code IN `+in+` OR r.lead_unit IN `+in+`)
		ORDER BY p.published_on DESC, p.opinion_id`, func(rows *sql.Rows) error {
		var m MonitorPublication
		p := &m.Publication
		if err := rows.Scan(&m.UnitCode, &m.Checked, &p.OpinionID, &p.Title, &p.Body, &p.Result, &p.PublishedOn, &p.Status,
			&p.LeadUnitName, &p.Deadline, &p.Kind, &p.Explanation, &p.ClosedOn, &p.UnitCode); err != nil {
			return err
		}
		pubs = append(pubs, m)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("monitor board: %w", err)
	}
	for i := range pubs {
		if pubs[i].Steps, err = s.steps(ctx, pubs[i].OpinionID); err != nil {
			return nil, err
		}
	}
	return pubs, nil
}
