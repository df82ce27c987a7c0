package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"minsheng/access"
)

// Users returns every staff member, active and disabled, with their unit and linked units,
// in the order access.Roles lists the roles, then by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT id, username, role, COALESCE(unit_code, ''), dept, post, badge, conduct, disabled, branch FROM users ORDER BY username COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []User
	byID := map[int64]int{}
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Username, &u.Role, &u.Unit, &u.Dept, &u.Post, &u.Badge, &u.ConductReader, &u.Disabled, &u.Branch); err != nil {
			return nil, err
		}
		byID[u.ID] = len(users)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := s.read.QueryContext(ctx, `SELECT user_id, unit_code FROM user_units ORDER BY unit_code`)
	if err != nil {
		return nil, fmt.Errorf("list linked units: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var id int64
		var code string
		if err := links.Scan(&id, &code); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok && access.HasLinks(users[i].Role) {
			users[i].Linked = append(users[i].Linked, code)
		}
	}
	if err := links.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(users, func(a, b User) int { return cmp.Compare(roleOrder(a.Role), roleOrder(b.Role)) })
	return users, nil
}

// roleOrder is the position of role in access.Roles (unknown roles last).
func roleOrder(role string) int {
	for i, r := range access.Roles {
		if r.Code == role {
			return i
		}
	}
	return len(access.Roles)
}

// userInTx reads one staff member inside tx, or ErrNotFound.
func userInTx(ctx context.Context, tx *sql.Tx, id int64) (User, error) {
	var u User
	err := tx.QueryRowContext(ctx, `SELECT id, username, role, COALESCE(unit_code, ''), dept, conduct, disabled, branch FROM users WHERE id = ?`, id).
		Scan(&u.ID, &u.Username, &u.Role, &u.Unit, &u.Dept, &u.ConductReader, &u.Disabled, &u.Branch)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return u, err
}

// accountUnit is the unit an audit entry about account u concerns: the unit of a liaison or a
// head, the root of an administrator's branch, none for an account of the whole tree (a
// leader's links are attributed by SetLinkedUnits when they are one unit).
func accountUnit(u User) string {
	if u.Unit != "" {
		return u.Unit
	}
	return u.Branch
}

// endSessions logs a staff member out everywhere.
func endSessions(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// SetUserDisabled disables or re-enables a staff member. Disabling ends their sessions at
// once. Nobody can disable themselves, and the last active administrator cannot be disabled
// (both ErrConflict), so the portal always keeps someone who can administer it. Setting the
// state a user already has changes nothing and is not audited.
func (s *Store) SetUserDisabled(ctx context.Context, actorID, userID int64, disabled bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		action := "user_enable"
		if disabled {
			action = "user_disable"
			if userID == actorID {
				return fmt.Errorf("disable yourself: %w", ErrConflict)
			}
			if u.Role == access.Admin {
				var active int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`).
					Scan(&active); err != nil {
					return err
				}
				if active <= 1 {
					return fmt.Errorf("disable the last active administrator: %w", ErrConflict)
				}
			}
			if err := endSessions(ctx, tx, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, action, accountUnit(u), u.Username)
	})
}

// ResetPassword sets a new password for a staff member (CheckPassword's rules), ends their
// sessions and forgets their failed logins, so the colleague can log in at once with the new
// password, without the captcha.
func (s *Store) ResetPassword(ctx context.Context, actorID, userID int64, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	// bcrypt is slow on purpose: hash before taking the write lock.
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), userID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, userID); err != nil {
			return err
		}
		if err := forgetLoginFailures(ctx, tx, s.nameHash(u.Username), nil); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, "user_password", accountUnit(u), u.Username)
	})
}

// SetLinkedUnits replaces a leader's linked units (联系点). Only a leader has them, and every
// unit must exist and be active; anything else is ErrInvalid.
func (s *Store) SetLinkedUnits(ctx context.Context, actorID, userID int64, units []string) error {
	codes := slices.Clone(units)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !access.HasLinks(u.Role) {
			return fmt.Errorf("%s is %s, only a leader or a citizen supervisor has linked units: %w", u.Username, u.Role, ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_units WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, code := range codes {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE code = ? AND active = 1`, code).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("unit %q: %w", code, ErrInvalid)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_units (user_id, unit_code) VALUES (?, ?)`, userID, code); err != nil {
				return err
			}
		}
		unit := accountUnit(u)
		if len(codes) == 1 {
			unit = codes[0]
		}
		return auditUnit(ctx, tx, now, actorID, "user_links", unit, u.Username+": "+strings.Join(codes, ","))
	})
}

// SetLanguage records the language userID reads the staff pages in ("" for the default). The
// caller checks that lang is one the portal speaks; it is a preference, not an audited act.
func (s *Store) SetLanguage(ctx context.Context, userID int64, lang string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, userID)
		if err != nil {
			return fmt.Errorf("set language: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("set language: user %d: %w", userID, ErrNotFound)
		}
		return nil
	})
}

// SetConductReader grants or withdraws a staff member the conduct record (医德医风档案) of
// every department, audited. A citizen supervisor is never granted it (ErrInvalid). Setting
// what is already set changes nothing and is not audited.
func (s *Store) SetConductReader(ctx context.Context, actorID, userID int64, on bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if on && u.Role == access.Monitor {
			return fmt.Errorf("%s is a citizen supervisor: %w", u.Username, ErrInvalid)
		}
		if u.ConductReader == on {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET conduct = ? WHERE id = ?`, on, userID); err != nil {
			return err
		}
		action := "conduct_revoke"
		if on {
			action = "conduct_grant"
		}
		return auditUnit(ctx, tx, now, actorID, action, accountUnit(u), u.Username)
	})
}
