package storage

import (
	"context"
	"database/sql"
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
	where, args := symposiumWhere(f)
	scope, scopeArgs := f.access()
	raised := `(SELECT count(*) FROM symposium_opinions k JOIN opinions o ON o.id = k.opinion_id
		LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE k.symposium_id = m.id AND ` + scope
	query := `SELECT m.id, m.held_on, m.unit_code, m.host, m.participants, ` + raised + `), ` +
		raised + ` AND o.status = 'closed')
		FROM symposia m WHERE ` + where + ` ORDER BY m.held_on, m.id`
	all := append(append(append([]any{}, scopeArgs...), scopeArgs...), args...)
	return collect(ctx, s.read, func(rows *sql.Rows) (SymposiumMeeting, error) {
		var m SymposiumMeeting
		err := rows.Scan(&m.ID, &m.HeldOn, &m.Unit, &m.Host, &m.Participants, &m.Opinions, &m.Closed)
		return m, err
	}, query, all...)
}
