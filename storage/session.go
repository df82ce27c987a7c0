package storage

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Staff sessions end after SessionLifetime whatever happens, and after SessionIdle without use.
const (
	SessionLifetime = 12 * time.Hour
	SessionIdle     = 30 * time.Minute
	// touchEvery limits the writes that record use: once a minute per session is plenty for a
	// 30-minute idle timeout.
	touchEvery = time.Minute
)

// CreateSession starts a staff session and returns the cookie value "id.secret". Only a hash
// of the secret is stored, so a copy of the database cannot be used to log in. The login is
// audited in the same transaction.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	id, secret := randomToken(16), randomToken(32)
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		// Expired sessions are swept here, at a moment when this table is written anyway.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`,
			now.UTC().Format(timeLayout), now.Add(-SessionIdle).UTC().Format(timeLayout)); err != nil {
			return err
		}
		at := now.UTC().Format(timeLayout)
		_, err := tx.ExecContext(ctx,
			`INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, hashToken(secret), userID, at, now.Add(SessionLifetime).UTC().Format(timeLayout), at)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "login", "", "")
	})
	return id + "." + secret, err
}

// SessionUser returns the staff member of a live session, or ErrNotFound. A session is live
// until SessionLifetime after login and SessionIdle after its last use; using it records the use.
func (s *Store) SessionUser(ctx context.Context, cookie string) (User, error) {
	id, secret, ok := strings.Cut(cookie, ".")
	if !ok || id == "" || secret == "" {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	var u User
	var hash []byte
	var expires, lastSeen string
	err := s.read.QueryRowContext(ctx, `
		SELECT u.id, u.username, u.role, COALESCE(u.unit_code, ''), u.dept, u.post, u.badge, u.conduct, u.lang, u.branch, s.secret_hash, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND u.disabled = 0`, id).
		Scan(&u.ID, &u.Username, &u.Role, &u.Unit, &u.Dept, &u.Post, &u.Badge, &u.ConductReader, &u.Lang, &u.Branch, &hash, &expires, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return User{}, err
	}
	now := s.now()
	exp, _ := time.Parse(timeLayout, expires)
	seen, _ := time.Parse(timeLayout, lastSeen)
	if subtle.ConstantTimeCompare(hash, hashToken(secret)) != 1 || !now.Before(exp) || !now.Before(seen.Add(SessionIdle)) {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if now.Sub(seen) >= touchEvery {
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now.UTC().Format(timeLayout), id)
			return err
		})
		if err != nil {
			return User{}, err
		}
	}
	if u.Mailboxes, err = s.MailboxesReadBy(ctx, u.ID, u.Role); err != nil {
		return User{}, err
	}
	if err := s.loadBranch(ctx, &u); err != nil {
		return User{}, err
	}
	return u, s.loadLinks(ctx, &u)
}

// DeleteSession ends the session in cookie (a logout); an unknown session is not an error.
func (s *Store) DeleteSession(ctx context.Context, userID int64, cookie string) error {
	id, _, _ := strings.Cut(cookie, ".")
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "logout", "", "")
	})
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
