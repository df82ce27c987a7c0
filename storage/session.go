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

// SessionLifetime is how long a staff login lasts at most.
const SessionLifetime = 12 * time.Hour

// CreateSession starts a staff session and returns the cookie value "id.secret". Only a hash
// of the secret is stored, so a copy of the database cannot be used to log in. The login is
// audited in the same transaction.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	id, secret := randomToken(16), randomToken(32)
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		// Expired sessions are swept here, at the only moment sessions are written anyway.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, now.UTC().Format(timeLayout)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			id, hashToken(secret), userID, now.UTC().Format(timeLayout), now.Add(SessionLifetime).UTC().Format(timeLayout))
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "login", "", "")
	})
	return id + "." + secret, err
}

// SessionUser returns the staff member of a live session, or ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, cookie string) (User, error) {
	id, secret, ok := strings.Cut(cookie, ".")
	if !ok || id == "" || secret == "" {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	var u User
	var hash []byte
	var expires string
	err := s.read.QueryRowContext(ctx, `
		SELECT u.id, u.username, u.role, s.secret_hash, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).
		Scan(&u.ID, &u.Username, &u.Role, &hash, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return User{}, err
	}
	exp, _ := time.Parse(timeLayout, expires)
	if subtle.ConstantTimeCompare(hash, hashToken(secret)) != 1 || !s.now().Before(exp) {
		return User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	return u, nil
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
