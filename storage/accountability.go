package storage

// 追责问责 (feature 43): the record of each accountability decision on an opinion whose
// rectification is marked 追责 (rectifications.accountability, SetFlags). Administrators and
// discipline read them (access.Accountability); administrators not those about 举报 or letters
// to a discipline mailbox, as with the audit log.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/vocab"
)

// AccountabilityRecord is one decision.
type AccountabilityRecord struct {
	ID        int64
	OpinionID string
	UnitCode  string // the unit the opinion is about
	DecidedBy string // who decided (局党组, 院纪委…)
	Measure   string // a vocab.Measures code
	DecidedOn string // YYYY-MM-DD
	DocNo     string // the document number, "" for none
	CreatedBy string // the staff member who recorded it
}

// NewAccountability is a decision to record.
type NewAccountability struct {
	OpinionID, DecidedBy, Measure, DecidedOn, DocNo string
}

// ErrNotFlagged refuses a record on an opinion whose rectification is not marked 追责.
var ErrNotFlagged = fmt.Errorf("not marked for accountability: %w", ErrConflict)

// check returns ErrInvalid unless n's fields are acceptable.
func (n NewAccountability) check() error {
	_, dayErr := time.Parse(dateLayout, n.DecidedOn)
	by := utf8.RuneCountInString(n.DecidedBy)
	if by < 1 || by > 100 || !vocab.Valid(vocab.Measures, n.Measure) || dayErr != nil || utf8.RuneCountInString(n.DocNo) > 60 {
		return fmt.Errorf("accountability record: %w", ErrInvalid)
	}
	return nil
}

// AddAccountability records a decision on an opinion marked 追责, audited in its transaction.
// An unknown opinion is ErrNotFound, one not marked ErrNotFlagged.
func (s *Store) AddAccountability(ctx context.Context, userID int64, n NewAccountability) (int64, error) {
	n.DecidedBy, n.DocNo = strings.TrimSpace(n.DecidedBy), strings.TrimSpace(n.DocNo)
	if err := n.check(); err != nil {
		return 0, err
	}
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var flagged bool
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(r.accountability, 0) FROM opinions o
			LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = ?`, n.OpinionID).Scan(&flagged)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("opinion %s: %w", n.OpinionID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !flagged {
			return fmt.Errorf("opinion %s: %w", n.OpinionID, ErrNotFlagged)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO accountability_records (opinion_id, decided_by, measure, decided_on, doc_no,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.OpinionID, n.DecidedBy, n.Measure, n.DecidedOn, n.DocNo,
			nullID(userID), now.UTC().Format(timeLayout)).Scan(&id); err != nil {
			return fmt.Errorf("add accountability record: %w", mapError(err))
		}
		return audit(ctx, tx, now, userID, "accountability_add", n.OpinionID, n.Measure+" "+n.DecidedOn)
	})
	return id, err
}

// secretOpinionSQL holds when o is a 举报 or a letter to a discipline mailbox.
const secretOpinionSQL = "(o.type = 'report' OR (o.mailbox_code != '' AND NOT " + ordinaryMailboxSQL + "))"

// AccountabilityRecords returns the records of one opinion (opinionID) or of all ("" ),
// newest decision first; withSecret includes those about 举报 and discipline-mailbox letters
// (discipline's reading).
func (s *Store) AccountabilityRecords(ctx context.Context, opinionID string, withSecret bool) ([]AccountabilityRecord, error) {
	var out []AccountabilityRecord
	err := eachRow(ctx, s.read, `SELECT a.id, a.opinion_id, o.unit_code, a.decided_by, a.measure, a.decided_on, a.doc_no,
		COALESCE(u.username, '') FROM accountability_records a JOIN opinions o ON o.id = a.opinion_id
		LEFT JOIN users u ON u.id = a.created_by
		WHERE (? = '' OR a.opinion_id = ?) AND (? = 1 OR NOT `+secretOpinionSQL+`)
		ORDER BY a.decided_on DESC, a.id DESC`, func(rows *sql.Rows) error {
		var r AccountabilityRecord
		if err := rows.Scan(&r.ID, &r.OpinionID, &r.UnitCode, &r.DecidedBy, &r.Measure, &r.DecidedOn, &r.DocNo, &r.CreatedBy); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	}, opinionID, opinionID, withSecret)
	if err != nil {
		return nil, fmt.Errorf("accountability records: %w", err)
	}
	return out, nil
}

// AccountabilityCounts counts the decisions taken in [from, to) by measure (every code of
// vocab.Measures, zeros included), for opinions about unit and the units under it ("" for all);
// withSecret as for AccountabilityRecords.
func (s *Store) AccountabilityCounts(ctx context.Context, from, to, unit string, withSecret bool) (map[string]int, error) {
	counts := make(map[string]int, len(vocab.Measures))
	for _, m := range vocab.Measures {
		counts[m.Code] = 0
	}
	span, args := FactFilter{Unit: unit}.span("o.created_on")
	args = append([]any{from, to, withSecret}, args...)
	err := eachRow(ctx, s.read, `SELECT a.measure, count(*) FROM accountability_records a JOIN opinions o ON o.id = a.opinion_id
		WHERE a.decided_on >= ? AND a.decided_on < ? AND (? = 1 OR NOT `+secretOpinionSQL+`) AND `+span+`
		GROUP BY a.measure`, func(rows *sql.Rows) error {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return err
		}
		counts[m] = n
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("accountability counts: %w", err)
	}
	return counts, nil
}
