package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minsheng/access"
)

// Symposium is a meeting (座谈会, feature 10) staff held to hear opinions: the day it was held,
// the unit, who chaired it (a name or post, as staff wrote it), who took part (vocab.Submitters
// codes) and how many, and a short note. Staff-written: it keeps a rowid.
type Symposium struct {
	ID           int64
	HeldOn       string // YYYY-MM-DD
	UnitCode     string
	UnitName     string // filled on read
	Host         string
	Categories   []string // vocab.Submitters codes, in the form's order
	Participants int
	Note         string
	Opinions     int // how many opinions were entered for it
}

// Limits of a meeting's text, in characters (the CHECKs of migration 0043 agree).
const (
	MaxSymposiumHost  = 50
	MaxSymposiumNote  = 500
	MaxParticipants   = 10000
	MaxSymposiumBatch = 30 // opinions entered in one form
)

// NewSymposium is a meeting to record with the opinions raised at it. Handlers validate it;
// every opinion must carry the meeting's unit (or one under it), its day and a channel.
type NewSymposium struct {
	HeldOn       string
	UnitCode     string
	Host         string
	Categories   []string
	Participants int
	Note         string
	// Opinions are the opinions raised, in order, each with the hash of its receipt code
	// (Hashes[i] is Opinions[i]'s).
	Opinions []NewOpinion
	Hashes   [][]byte
}

// ErrSymposiumRow is the refusal of one opinion of a batch (its unit retired, its receipt hash
// already stored): nothing of the meeting is stored. Row says which, from 0.
type ErrSymposiumRow struct {
	Row int
	Err error
}

func (e *ErrSymposiumRow) Error() string {
	return fmt.Sprintf("opinion %d of the meeting: %v", e.Row+1, e.Err)
}
func (e *ErrSymposiumRow) Unwrap() error { return e.Err }

// RecordSymposium stores the meeting and every opinion raised at it in ONE transaction: all or
// nothing, so that staff are told "saved" only when the whole batch is. Each opinion is written
// as a transcribed one is (the writer's inserter, the campaign of the day it was received, an
// audit row "transcribe" by the staff member), then linked to the meeting; the meeting is
// audited as "symposium". It bypasses the group-commit queue: a batch of a few dozen rows is
// one transaction of its own, like any staff change. A refused opinion is *ErrSymposiumRow
// wrapping ErrNotFound or ErrConflict.
func (s *Store) RecordSymposium(ctx context.Context, userID int64, n NewSymposium) (int64, []string, error) {
	if len(n.Hashes) != len(n.Opinions) || len(n.Opinions) > MaxSymposiumBatch {
		return 0, nil, fmt.Errorf("symposium with %d opinions and %d hashes: %w", len(n.Opinions), len(n.Hashes), ErrInvalid)
	}
	all, err := s.Campaigns(ctx)
	if err != nil {
		return 0, nil, err
	}
	var id int64
	var ids []string
	err = s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		ids = ids[:0]
		err := tx.QueryRowContext(ctx, `INSERT INTO symposia (held_on, unit_code, host, participants, note, recorded_by)
			SELECT ?, code, ?, ?, ?, ? FROM units WHERE code = ? AND active = 1 RETURNING id`,
			n.HeldOn, n.Host, n.Participants, n.Note, nullID(userID), n.UnitCode).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("symposium unit %q: %w", n.UnitCode, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("insert symposium: %w", mapError(err))
		}
		for _, c := range n.Categories {
			if _, err := tx.ExecContext(ctx, `INSERT INTO symposium_categories (symposium_id, submitter) VALUES (?, ?)`, id, c); err != nil {
				return fmt.Errorf("symposium category %q: %w", c, mapError(err))
			}
		}
		day := publicDay(now)
		ins, err := newOpinionInserter(ctx, tx, day, idDayCode(s.idKey, day), s.drv.insertNeedsSavepoint(), nil)
		if err != nil {
			return err
		}
		defer ins.close()
		for i, o := range n.Opinions {
			oid, err := ins.insert(ctx, o, n.Hashes[i], searchText(o.Content), arrivedIn(pending{opinion: o, campaigns: all}, ins.day))
			if err != nil {
				if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
					return &ErrSymposiumRow{Row: i, Err: err}
				}
				return err
			}
			if err := audit(ctx, tx, now, userID, "transcribe", oid, o.Channel+" "+o.ReceivedOn); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO symposium_opinions (opinion_id, symposium_id, position) VALUES (?, ?, ?)`,
				oid, id, i+1); err != nil {
				return fmt.Errorf("link opinion to symposium: %w", mapError(err))
			}
			ids = append(ids, oid)
		}
		return audit(ctx, tx, now, userID, "symposium", "", fmt.Sprintf("%d %s %s %d", id, n.HeldOn, n.UnitCode, len(n.Opinions)))
	})
	if err != nil {
		return 0, nil, err
	}
	return id, ids, nil
}

const symposiumColumns = `m.id, m.held_on, m.unit_code, u.name, m.host, m.participants, m.note,
	COALESCE((SELECT group_concat(submitter) FROM symposium_categories c WHERE c.symposium_id = m.id), ''),
	(SELECT count(*) FROM symposium_opinions k WHERE k.symposium_id = m.id)
	FROM symposia m JOIN units u ON u.code = m.unit_code`

func scanSymposium(row scanner) (Symposium, error) {
	var m Symposium
	var cats string
	err := row.Scan(&m.ID, &m.HeldOn, &m.UnitCode, &m.UnitName, &m.Host, &m.Participants, &m.Note, &cats, &m.Opinions)
	if cats != "" {
		m.Categories = strings.Split(cats, ",")
	}
	return m, err
}

// Symposium returns the meeting with id, or ErrNotFound.
func (s *Store) Symposium(ctx context.Context, id int64) (Symposium, error) {
	m, err := scanSymposium(s.read.QueryRowContext(ctx, `SELECT `+symposiumColumns+` WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Symposium{}, fmt.Errorf("symposium %d: %w", id, ErrNotFound)
	}
	return m, err
}

// Symposia lists the meetings, the latest held first; unit "" for every unit, else that unit's
// alone (a liaison's list).
func (s *Store) Symposia(ctx context.Context, unit string) ([]Symposium, error) {
	return collect(ctx, s.read, func(rows *sql.Rows) (Symposium, error) { return scanSymposium(rows) },
		`SELECT `+symposiumColumns+` WHERE ? = '' OR m.unit_code = ? ORDER BY m.held_on DESC, m.id DESC LIMIT 500`, unit, unit)
}

// SymposiumOpinions returns the opinions raised at meeting id that v may open, in the order
// they were entered, and how many others it holds that v may not open.
func (s *Store) SymposiumOpinions(ctx context.Context, id int64, v access.Viewer) ([]Opinion, int, error) {
	cond, args := scopeSQL(v)
	list, err := collect(ctx, s.read, func(rows *sql.Rows) (Opinion, error) { return scanOpinion(rows) },
		`SELECT `+opinionColumns+opinionFrom+` JOIN symposium_opinions k ON k.opinion_id = o.id
		 WHERE k.symposium_id = ? AND `+cond+` ORDER BY k.position`, append([]any{id}, args...)...)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM symposium_opinions WHERE symposium_id = ?`, id).Scan(&total); err != nil {
		return nil, 0, err
	}
	return list, total - len(list), nil
}

// SymposiumOf returns the meeting an opinion was raised at, 0 for none.
func (s *Store) SymposiumOf(ctx context.Context, opinion string) (int64, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT symposium_id FROM symposium_opinions WHERE opinion_id = ?`, opinion).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SymposiumCount is one unit's meetings in a period: how many were held, how many took part,
// and how many opinions were raised that the reader may count.
type SymposiumCount struct {
	Unit         string
	Meetings     int
	Participants int
	Opinions     int
}

// SymposiumCounts counts the meetings held in [f.From, f.To) about f.Unit and the units under
// it, by unit; the opinions raised at them are counted in f's scope (a liaison's, 举报 only
// for 纪检, the public's rule). A liaison counts their own unit's meetings only.
func (s *Store) SymposiumCounts(ctx context.Context, f FactFilter) ([]SymposiumCount, error) {
	where, args := symposiumWhere(f)
	scope, scopeArgs := f.access()
	query := `SELECT m.unit_code, count(*), sum(m.participants),
		sum((SELECT count(*) FROM symposium_opinions k JOIN opinions o ON o.id = k.opinion_id
		     LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE k.symposium_id = m.id AND ` + scope + `))
		FROM symposia m WHERE ` + where + ` GROUP BY m.unit_code ORDER BY m.unit_code`
	return collect(ctx, s.read, func(rows *sql.Rows) (SymposiumCount, error) {
		var c SymposiumCount
		err := rows.Scan(&c.Unit, &c.Meetings, &c.Participants, &c.Opinions)
		return c, err
	}, query, append(scopeArgs, args...)...)
}

// symposiumWhere is the condition on the meetings (alias m) of f: held in [f.From, f.To), about
// f.Unit and the units under it, and for a liaison their own unit's only.
func symposiumWhere(f FactFilter) (string, []any) {
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
	return strings.Join(conds, " AND "), args
}
