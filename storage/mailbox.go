package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"minsheng/access"
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
	// Readers, filled by ActiveMailboxes and AllMailboxes: the roles whose every member reads
	// it (access.Roles codes, in that order) and the staff named one by one.
	ReaderRoles []string
	ReaderUsers []MailboxReader
}

// MailboxReader is a staff member named as a reader of a mailbox.
type MailboxReader struct {
	ID       int64
	Username string
	Role     string
	Unit     string // a liaison's unit
	UnitName string
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
	return boxes, s.loadReaders(ctx, boxes)
}

// ActiveMailbox returns the mailbox with code, with its readers, if the public may write to
// it, or ErrNotFound.
func (s *Store) ActiveMailbox(ctx context.Context, code string) (Mailbox, error) {
	m, err := scanMailbox(s.read.QueryRowContext(ctx, `SELECT `+mailboxColumns+` WHERE m.code = ? AND m.active = 1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Mailbox{}, fmt.Errorf("mailbox %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return Mailbox{}, err
	}
	boxes := []Mailbox{m}
	err = s.loadReaders(ctx, boxes)
	return boxes[0], err
}

// loadReaders fills the reader roles and named readers of boxes.
func (s *Store) loadReaders(ctx context.Context, boxes []Mailbox) error {
	byCode := map[string]*Mailbox{}
	for i := range boxes {
		byCode[boxes[i].Code] = &boxes[i]
	}
	type roleRow struct{ code, role string }
	roles, err := collect(ctx, s.read, func(r *sql.Rows) (roleRow, error) {
		var row roleRow
		return row, r.Scan(&row.code, &row.role)
	}, `SELECT mailbox_code, role FROM mailbox_reader_roles`)
	if err != nil {
		return fmt.Errorf("mailbox reader roles: %w", err)
	}
	slices.SortStableFunc(roles, func(a, b roleRow) int { return cmp.Compare(roleOrder(a.role), roleOrder(b.role)) })
	for _, row := range roles {
		if m := byCode[row.code]; m != nil {
			m.ReaderRoles = append(m.ReaderRoles, row.role)
		}
	}
	type userRow struct {
		code string
		MailboxReader
	}
	users, err := collect(ctx, s.read, func(r *sql.Rows) (userRow, error) {
		var row userRow
		return row, r.Scan(&row.code, &row.ID, &row.Username, &row.Role, &row.Unit, &row.UnitName)
	}, `SELECT r.mailbox_code, u.id, u.username, u.role, COALESCE(u.unit_code, ''), COALESCE(un.name, '')
		FROM mailbox_reader_users r JOIN users u ON u.id = r.user_id LEFT JOIN units un ON un.code = u.unit_code
		ORDER BY u.username COLLATE NOCASE, u.id`)
	if err != nil {
		return fmt.Errorf("mailbox reader users: %w", err)
	}
	for _, row := range users {
		if m := byCode[row.code]; m != nil {
			m.ReaderUsers = append(m.ReaderUsers, row.MailboxReader)
		}
	}
	return nil
}

// MailboxesReadBy returns the codes of the mailboxes a staff member reads, because of their
// role or by name, retired mailboxes included (their letters stay with their readers). It
// becomes access.Viewer.Mailboxes.
func (s *Store) MailboxesReadBy(ctx context.Context, userID int64, role string) ([]string, error) {
	codes, err := collect(ctx, s.read, func(r *sql.Rows) (string, error) {
		var code string
		return code, r.Scan(&code)
	}, `SELECT mailbox_code FROM mailbox_reader_roles WHERE role = ?
		UNION SELECT mailbox_code FROM mailbox_reader_users WHERE user_id = ? ORDER BY 1`, role, userID)
	if err != nil {
		return nil, fmt.Errorf("mailboxes read by %d: %w", userID, err)
	}
	return codes, nil
}

// Facts are what access needs to know about o, with its mailbox's discipline flag read from
// the mailboxes. A mailbox code that is not stored counts as a discipline mailbox, the
// strictest reading, as in scopeSQL.
func (s *Store) Facts(ctx context.Context, o Opinion) (access.Facts, error) {
	f := access.Facts{Type: o.Type, UnitCode: o.UnitCode, Dept: o.Dept, LeadUnit: o.LeadUnit, LeadParent: o.LeadParent,
		AboutLeadership: o.AboutLeadership, Status: o.Status, Deadline: o.Deadline, Mailbox: o.MailboxCode,
		TargetKind: o.Target.Kind, TargetPost: o.Target.Post, TargetBadge: o.Target.Badge}
	if o.MailboxCode == "" {
		return f, nil
	}
	f.DisciplineMailbox = true
	err := s.read.QueryRowContext(ctx, `SELECT discipline FROM mailboxes WHERE code = ?`, o.MailboxCode).Scan(&f.DisciplineMailbox)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("mailbox of %s: %w", o.ID, err)
	}
	return f, nil
}
