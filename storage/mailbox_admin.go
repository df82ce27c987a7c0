package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minsheng/access"
)

// Limits of a mailbox's texts, in characters, as migration 0012 checks them.
const (
	MaxMailboxName        = 30
	MaxMailboxDescription = 200
	MaxMailboxNote        = 100
)

// Reasons a mailbox change is refused. The first wraps ErrConflict, the others ErrInvalid; the
// admin page tells them apart.
var (
	ErrMailboxNameTaken = fmt.Errorf("mailbox name taken: %w", ErrConflict)
	// ErrMailboxReadersFixed: the readers of a discipline mailbox are the discipline role,
	// whoever asks to change them.
	ErrMailboxReadersFixed = fmt.Errorf("a discipline mailbox's readers are fixed: %w", ErrInvalid)
	// ErrMailboxNoReaders: a mailbox nobody reads would swallow letters.
	ErrMailboxNoReaders = fmt.Errorf("a mailbox needs at least one reader: %w", ErrInvalid)
	// ErrMailboxPermanent: the discipline mailbox stays open; it is the public's promised way
	// to reach discipline alone.
	ErrMailboxPermanent = fmt.Errorf("a discipline mailbox cannot be retired: %w", ErrInvalid)
)

// MailboxEdit is what the administrator sets of a mailbox. For a discipline mailbox the
// readers must be left empty (or be exactly the discipline role): they cannot change, and
// neither does the sentence saying who reads it (ReadersNote is ignored).
type MailboxEdit struct {
	Name        string
	Description string
	ReadersNote string // the public sentence of who reads it; "" to let the page build one
	UnitCode    string // "" for the bureau's own
	ReaderRoles []string
	ReaderUsers []int64
}

// normalise trims the texts and checks them; a malformed edit is ErrInvalid.
func (e *MailboxEdit) normalise() error {
	e.Name, e.Description = strings.TrimSpace(e.Name), strings.TrimSpace(e.Description)
	e.ReadersNote, e.UnitCode = strings.TrimSpace(e.ReadersNote), strings.TrimSpace(e.UnitCode)
	switch {
	case !ValidMailboxText(e.Name, 1, MaxMailboxName, false):
		return fmt.Errorf("mailbox name %q: %w", e.Name, ErrInvalid)
	case !ValidMailboxText(e.Description, 0, MaxMailboxDescription, true):
		return fmt.Errorf("mailbox description: %w", ErrInvalid)
	case !ValidMailboxText(e.ReadersNote, 0, MaxMailboxNote, false):
		return fmt.Errorf("mailbox readers note: %w", ErrInvalid)
	}
	for _, r := range e.ReaderRoles {
		if !access.ValidRole(r) || r == access.Monitor { // a citizen supervisor reads no letter
			return fmt.Errorf("mailbox reader role %q: %w", r, ErrInvalid)
		}
	}
	return nil
}

// ValidMailboxText reports whether s (already trimmed) has min to max characters and no
// control characters (newlines only where lines is true).
func ValidMailboxText(s string, min, max int, lines bool) bool {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < min || n > max {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\r'))
	}) < 0
}

// AllMailboxes returns every mailbox, active and retired, with its readers, in display order.
func (s *Store) AllMailboxes(ctx context.Context) ([]Mailbox, error) {
	boxes, err := collect(ctx, s.read, func(r *sql.Rows) (Mailbox, error) { return scanMailbox(r) },
		`SELECT `+mailboxColumns+` ORDER BY m.active DESC, m.sort_order, m.code`)
	if err != nil {
		return nil, fmt.Errorf("list all mailboxes: %w", err)
	}
	return boxes, s.loadReaders(ctx, boxes)
}

// CreateMailbox adds an ordinary mailbox (a discipline mailbox comes only with the schema) at
// the end of the list, under a fresh random code, and returns it. A malformed edit, an unknown
// unit or reader, or no reader at all is ErrInvalid; a name in use ErrMailboxNameTaken.
func (s *Store) CreateMailbox(ctx context.Context, actorID int64, e MailboxEdit) (Mailbox, error) {
	if err := e.normalise(); err != nil {
		return Mailbox{}, err
	}
	if len(e.ReaderRoles) == 0 && len(e.ReaderUsers) == 0 {
		return Mailbox{}, ErrMailboxNoReaders
	}
	var code string
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var err error
		if code, err = freeMailboxCode(ctx, tx); err != nil {
			return err
		}
		if err := checkMailboxName(ctx, tx, e.Name, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mailboxes (code, name, description, readers_note, unit_code, sort_order)
			VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM mailboxes))`,
			code, e.Name, e.Description, e.ReadersNote, nullString(e.UnitCode)); err != nil {
			return fmt.Errorf("add mailbox %q: %w", e.Name, mailboxError(err))
		}
		readers, err := setMailboxReaders(ctx, tx, code, e)
		if err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, "mailbox_add", e.UnitCode, code+" "+e.Name+" "+readers)
	})
	if err != nil {
		return Mailbox{}, err
	}
	return s.Mailbox(ctx, code)
}

// UpdateMailbox changes a mailbox's texts, unit and readers. A discipline mailbox keeps its
// readers and its readers note: asking for other readers is ErrMailboxReadersFixed. An unknown code is ErrNotFound.
func (s *Store) UpdateMailbox(ctx context.Context, actorID int64, code string, e MailboxEdit) error {
	if err := e.normalise(); err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		discipline, _, err := mailboxFlags(ctx, tx, code)
		if err != nil {
			return err
		}
		if discipline {
			if len(e.ReaderUsers) > 0 || slices.ContainsFunc(e.ReaderRoles, func(r string) bool { return r != access.Discipline }) {
				return fmt.Errorf("mailbox %q: %w", code, ErrMailboxReadersFixed)
			}
		} else if len(e.ReaderRoles) == 0 && len(e.ReaderUsers) == 0 {
			return fmt.Errorf("mailbox %q: %w", code, ErrMailboxNoReaders)
		}
		if err := checkMailboxName(ctx, tx, e.Name, code); err != nil {
			return err
		}
		// A discipline mailbox's sentence of who reads it is as fixed as its readers.
		if _, err := tx.ExecContext(ctx, `UPDATE mailboxes SET name = ?, description = ?,
			readers_note = CASE WHEN discipline = 1 THEN readers_note ELSE ? END, unit_code = ?
			WHERE code = ?`, e.Name, e.Description, e.ReadersNote, nullString(e.UnitCode), code); err != nil {
			return fmt.Errorf("edit mailbox %q: %w", code, mailboxError(err))
		}
		detail := code + " " + e.Name
		if !discipline {
			readers, err := setMailboxReaders(ctx, tx, code, e)
			if err != nil {
				return err
			}
			detail += " " + readers
		}
		return auditUnit(ctx, tx, now, actorID, "mailbox_edit", e.UnitCode, detail)
	})
}

// SetMailboxActive retires a mailbox (no new letters; those it has stay with its readers) or
// opens it again. A discipline mailbox cannot be retired (ErrMailboxPermanent).
func (s *Store) SetMailboxActive(ctx context.Context, actorID int64, code string, active bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		discipline, was, err := mailboxFlags(ctx, tx, code)
		if err != nil {
			return err
		}
		if discipline && !active {
			return fmt.Errorf("mailbox %q: %w", code, ErrMailboxPermanent)
		}
		if was == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mailboxes SET active = ? WHERE code = ?`, active, code); err != nil {
			return err
		}
		action := "mailbox_retire"
		if active {
			action = "mailbox_restore"
		}
		var unit sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT unit_code FROM mailboxes WHERE code = ?`, code).Scan(&unit); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, action, unit.String, code)
	})
}

// Mailbox returns one mailbox, active or retired, with its readers, or ErrNotFound.
func (s *Store) Mailbox(ctx context.Context, code string) (Mailbox, error) {
	m, err := scanMailbox(s.read.QueryRowContext(ctx, `SELECT `+mailboxColumns+` WHERE m.code = ?`, code))
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

// mailboxFlags reads whether a mailbox is a discipline one and whether it is active, or
// ErrNotFound.
func mailboxFlags(ctx context.Context, tx *sql.Tx, code string) (discipline, active bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT discipline, active FROM mailboxes WHERE code = ?`, code).Scan(&discipline, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, fmt.Errorf("mailbox %q: %w", code, ErrNotFound)
	}
	return discipline, active, err
}

// setMailboxReaders replaces the readers of an ordinary mailbox and describes them for the
// audit log in codes: "roles=director,leader;readers=wang#4" (role codes, username#id). It refuses a discipline mailbox whatever the caller checked before.
func setMailboxReaders(ctx context.Context, tx *sql.Tx, code string, e MailboxEdit) (string, error) {
	if discipline, _, err := mailboxFlags(ctx, tx, code); err != nil || discipline {
		if err == nil {
			err = fmt.Errorf("mailbox %q: %w", code, ErrMailboxReadersFixed)
		}
		return "", err
	}
	for _, q := range []string{`DELETE FROM mailbox_reader_roles WHERE mailbox_code = ?`, `DELETE FROM mailbox_reader_users WHERE mailbox_code = ?`} {
		if _, err := tx.ExecContext(ctx, q, code); err != nil {
			return "", err
		}
	}
	var roles, names []string
	for _, r := range e.ReaderRoles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mailbox_reader_roles (mailbox_code, role) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			code, r); err != nil {
			return "", fmt.Errorf("mailbox %q reader role %q: %w", code, r, err)
		}
		roles = append(roles, r)
	}
	for _, id := range e.ReaderUsers {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT username FROM users WHERE id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("mailbox %q reader %d: %w", code, id, ErrInvalid)
		}
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mailbox_reader_users (mailbox_code, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			code, id); err != nil {
			return "", fmt.Errorf("mailbox %q reader %d: %w", code, id, err)
		}
		names = append(names, name+"#"+strconv.FormatInt(id, 10))
	}
	return "roles=" + strings.Join(roles, ",") + ";readers=" + strings.Join(names, ","), nil
}

// checkMailboxName refuses a name another mailbox (not except) already has.
func checkMailboxName(ctx context.Context, tx *sql.Tx, name, except string) error {
	var taken bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM mailboxes WHERE name = ? AND code != ?)`,
		name, except).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("mailbox name %q: %w", name, ErrMailboxNameTaken)
	}
	return nil
}

// freeMailboxCode picks a random code no mailbox has: "mb-" and six lowercase letters or
// digits, which go into the public link (/submit?mailbox=CODE) and say nothing of the reader.
func freeMailboxCode(ctx context.Context, tx *sql.Tx) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	for range 10 {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)] // 256 is a multiple of 32: no bias
		}
		code := "mb-" + string(b)
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM mailboxes WHERE code = ?)`, code).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return code, nil
		}
	}
	return "", fmt.Errorf("no free mailbox code: %w", ErrConflict)
}

// mailboxError maps a failed mailbox write: a unit that does not exist (a foreign key) is
// ErrInvalid, a duplicate ErrConflict.
func mailboxError(err error) error {
	if isConstraint(err) && !errors.Is(mapError(err), ErrConflict) {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return mapError(err)
}
