package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"time"
)

// Choices are which kinds reach someone by which channel: Choices[kind][channel].
type Choices map[string]map[string]bool

// NotifyPerson is where a person's mail goes and whether it comes at most hourly.
type NotifyPerson struct {
	Email  string
	Hourly bool
}

// NotifyPersonOf returns userID's mail settings (empty when none were saved).
func (s *Store) NotifyPersonOf(ctx context.Context, userID int64) (NotifyPerson, error) {
	var p NotifyPerson
	err := s.read.QueryRowContext(ctx, `SELECT email, hourly FROM notify_people WHERE user_id = ?`, userID).Scan(&p.Email, &p.Hourly)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	return p, err
}

// ValidEmail reports whether addr is a bare mailbox address (or empty: no mail).
func ValidEmail(addr string) bool {
	if addr == "" {
		return true
	}
	a, err := mail.ParseAddress(addr)
	return err == nil && a.Name == "" && a.Address == addr && len(addr) <= 200
}

// SetNotifyPreferences saves userID's own mail settings and choices (a whole set: every kind
// and channel in choices is the person's own choice from now on), audited.
func (s *Store) SetNotifyPreferences(ctx context.Context, userID int64, p NotifyPerson, choices Choices) error {
	if !ValidEmail(p.Email) {
		return fmt.Errorf("e-mail %q: %w", p.Email, ErrInvalid)
	}
	if err := checkChoices(choices); err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_people (user_id, email, hourly) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, hourly = excluded.hourly`, userID, p.Email, p.Hourly); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notify_prefs WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for kind, chans := range choices {
			for ch, on := range chans {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notify_prefs (user_id, kind, channel, enabled) VALUES (?, ?, ?, ?)`,
					userID, kind, ch, on); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, now, userID, "notify_prefs", "", "")
	})
}

// checkChoices refuses unknown kinds and channels.
func checkChoices(c Choices) error {
	for kind, chans := range c {
		if !KnownKind(kind) {
			return fmt.Errorf("kind %q: %w", kind, ErrInvalid)
		}
		for ch := range chans {
			if ch != ChannelInbox && ch != ChannelEmail && ch != ChannelWebhook {
				return fmt.Errorf("channel %q: %w", ch, ErrInvalid)
			}
		}
	}
	return nil
}

// EffectiveChoices is what reaches userID (of role) now: their own choices over the role's
// defaults over the built-in ones, for every kind and channel.
func (s *Store) EffectiveChoices(ctx context.Context, userID int64, role, unit string) (Choices, error) {
	out := Choices{}
	for _, kind := range append(append([]string{}, StaffKinds...), PublicKinds...) {
		want, err := wantedChannels(ctx, s.read, recipient{ID: userID, Role: role, Unit: unit}, kind)
		if err != nil {
			return nil, err
		}
		out[kind] = want
	}
	return out, nil
}

// RoleDefaults returns the admin's defaults for role over the built-in ones, complete.
func (s *Store) RoleDefaults(ctx context.Context, role string) (Choices, error) {
	return s.EffectiveChoices(ctx, 0, role, "")
}

// SetRoleDefaults replaces the defaults of role (an admin's act, audited). People's own
// choices stay as they made them.
func (s *Store) SetRoleDefaults(ctx context.Context, actorID int64, role string, choices Choices) error {
	if err := checkChoices(choices); err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM notify_role_defaults WHERE role = ?`, role); err != nil {
			return err
		}
		for kind, chans := range choices {
			for ch, on := range chans {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notify_role_defaults (role, kind, channel, enabled) VALUES (?, ?, ?, ?)`,
					role, kind, ch, on); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, now, actorID, "notify_defaults", "", role)
	})
}
