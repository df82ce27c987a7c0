package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Mailbox is a named addressee on the public site (信箱): 局长信箱, 纪检监察信箱, a hospital's
// 院长信箱. A letter written to it is read only by its readers (see scopeSQL).
type Mailbox struct {
	Code        string
	Name        string
	Description string // what to write about, shown on the public list
	ReadersNote string // who reads it, in plain words for the public page
	UnitCode    string // the unit it belongs to; "" for the bureau's own
	UnitName    string
	// Discipline: read by the discipline role alone (纪检监察信箱); its readers are fixed.
	Discipline bool
	Active     bool
}

const mailboxColumns = `m.code, m.name, m.description, m.readers_note, COALESCE(m.unit_code, ''),
	COALESCE(u.name, ''), m.discipline, m.active
	FROM mailboxes m LEFT JOIN units u ON u.code = m.unit_code`

func scanMailbox(row scanner) (Mailbox, error) {
	var m Mailbox
	err := row.Scan(&m.Code, &m.Name, &m.Description, &m.ReadersNote, &m.UnitCode, &m.UnitName, &m.Discipline, &m.Active)
	return m, err
}

// ActiveMailboxes returns the mailboxes the public may write to, in display order.
func (s *Store) ActiveMailboxes(ctx context.Context) ([]Mailbox, error) {
	boxes, err := collect(ctx, s.read, func(r *sql.Rows) (Mailbox, error) { return scanMailbox(r) },
		`SELECT `+mailboxColumns+` WHERE m.active = 1 ORDER BY m.sort_order, m.code`)
	if err != nil {
		return nil, fmt.Errorf("list mailboxes: %w", err)
	}
	return boxes, nil
}

// ActiveMailbox returns the mailbox with code if the public may write to it, or ErrNotFound.
func (s *Store) ActiveMailbox(ctx context.Context, code string) (Mailbox, error) {
	m, err := scanMailbox(s.read.QueryRowContext(ctx, `SELECT `+mailboxColumns+` WHERE m.code = ? AND m.active = 1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Mailbox{}, fmt.Errorf("mailbox %q: %w", code, ErrNotFound)
	}
	return m, err
}
