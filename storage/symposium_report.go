package storage

import (
	"context"
	"database/sql"
	"strings"

	"minsheng/access"
)

// SymposiumMeeting is one meeting (座谈会) of a period as a report lists it: the day, the unit,
// who chaired it (as staff wrote it), how many took part, how many opinions were raised at it
// that the reader may count, and of those how many are closed (办结, lifecycle "closed").
type SymposiumMeeting struct {
	ID           int64
	HeldOn       string
	Unit         string
	Host         string
	Participants int
	Opinions     int
	Closed       int
}

// SymposiumMeetings lists the meetings held in [f.From, f.To) about f.Unit and the units under
// it, by the day held then as recorded; the opinions are counted in f's scope, as
// SymposiumCounts does (a liaison lists their own unit's meetings only). The SQL is in the
// subset SQLite and PostgreSQL share.
func (s *Store) SymposiumMeetings(ctx context.Context, f FactFilter) ([]SymposiumMeeting, error) {
	conds := []string{"1 = 1"}
	var args []any
	if f.From != "" {
		conds, args = append(conds, "m.held_on >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "m.held_on < ?"), append(args, f.To)
	}
	if f.Unit != "" {
		conds = append(conds, `m.unit_code IN (WITH RECURSIVE sub(code) AS (SELECT ? UNION
			SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code) SELECT code FROM sub)`)
		args = append(args, f.Unit)
	}
	if f.Viewer != nil && f.Viewer.Role == access.Liaison {
		conds, args = append(conds, "m.unit_code = ?"), append(args, f.Viewer.Unit)
	}
	scope, scopeArgs := f.access()
	raised := `(SELECT count(*) FROM symposium_opinions k JOIN opinions o ON o.id = k.opinion_id
		LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE k.symposium_id = m.id AND ` + scope
	query := `SELECT m.id, m.held_on, m.unit_code, m.host, m.participants, ` + raised + `), ` +
		raised + ` AND o.status = 'closed')
		FROM symposia m WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY m.held_on, m.id`
	all := append(append(append([]any{}, scopeArgs...), scopeArgs...), args...)
	return collect(ctx, s.read, func(rows *sql.Rows) (SymposiumMeeting, error) {
		var m SymposiumMeeting
		err := rows.Scan(&m.ID, &m.HeldOn, &m.Unit, &m.Host, &m.Participants, &m.Opinions, &m.Closed)
		return m, err
	}, query, all...)
}
