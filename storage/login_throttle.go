package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Failed logins are counted per username as typed (known or not: an unknown name must answer
// exactly as a known one). Nothing locks an account, because a lock-out hands the account to
// whoever types wrong passwords for it. Instead:
//   - after CaptchaAfter failures the name's logins need a correctly answered captcha as well
//     as the password, so a script that cannot read captchas is stopped after a few guesses;
//   - an attempt without a correct captcha must also wait out a delay that doubles with each
//     failure, refused cheaply (no password check) if it comes early;
//   - an attempt with a correct captcha is never refused, so the right password and the right
//     captcha always let the owner in, however many failures an attacker piles up. (A delay
//     that held back even such attempts would be a lock-out in slow motion: an attacker firing
//     a wrong guess each time the delay runs out would keep the owner waiting for ever.)
//
// A name's failures are forgotten LoginMemory after the last one, by an administrator's
// password reset, or by "minsheng user unlock".
const (
	CaptchaAfter    = 3
	FirstLoginDelay = time.Second
	MaxLoginDelay   = 15 * time.Minute
	LoginMemory     = 24 * time.Hour
)

// ErrNeedCaptcha means the name has had CaptchaAfter failures and the attempt brought no
// correctly answered captcha; its password was not checked.
var ErrNeedCaptcha = errors.New("login needs the captcha")

// LoginWait is the error for an attempt that came before its name's delay ran out; its
// password was not checked.
type LoginWait struct{ Wait time.Duration }

func (w *LoginWait) Error() string { return fmt.Sprintf("login too soon: wait %s", w.Wait) }

// LoginAttempt is one try at logging in, as AdmitLogin sees it before any password is checked.
type LoginAttempt struct {
	Username string
	// CaptchaSolved: the attempt carries a captcha answered correctly just now.
	CaptchaSolved bool
	// CaptchaOff: the portal runs without captchas (development and load tests only); then
	// only the delay applies, and an attacker could hold the owner back with it.
	CaptchaOff bool
}

// loginDelay is how long after a name's latest failure an attempt without a correct captcha
// must wait, given the name's failures so far.
func loginDelay(failures int) time.Duration {
	if failures <= 0 {
		return 0
	}
	if failures > 20 {
		return MaxLoginDelay
	}
	return min(FirstLoginDelay<<(failures-1), MaxLoginDelay)
}

// nameHash is the key a username's failures are kept under: a keyed hash of the name as
// Authenticate reads it.
func (s *Store) nameHash(username string) []byte {
	m := hmac.New(sha256.New, s.loginKey)
	m.Write([]byte("staff login name\x00" + strings.TrimSpace(username)))
	return m.Sum(nil)
}

// AdmitLogin decides, in one transaction, whether the password of a may be checked now. If so
// it counts the attempt as a failure in advance (LoginSucceeded takes it back), so that
// attempts sent together cannot all slip past the delay; it returns the name's failures with
// this one. A refusal is ErrNeedCaptcha or a *LoginWait, and stores nothing. It reads and
// writes the same whether or not the user exists.
func (s *Store) AdmitLogin(ctx context.Context, a LoginAttempt) (int, error) {
	key := s.nameHash(a.Username)
	var failures int
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE last_at < ?`,
			now.Add(-LoginMemory).UTC().Format(timeLayout)); err != nil {
			return err
		}
		var last string
		err := tx.QueryRowContext(ctx, `SELECT failures, last_at FROM login_throttle WHERE name_hash = ?`, key).
			Scan(&failures, &last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if !a.CaptchaSolved {
			if failures >= CaptchaAfter && !a.CaptchaOff {
				return ErrNeedCaptcha
			}
			// A last failure after now means the clock was set back; nobody is held for that.
			if lastAt, err := time.Parse(timeLayout, last); err == nil && !lastAt.After(now) {
				if wait := lastAt.Add(loginDelay(failures)).Sub(now); wait > 0 {
					return &LoginWait{Wait: wait}
				}
			}
		}
		failures++
		_, err = tx.ExecContext(ctx, `INSERT INTO login_throttle (name_hash, failures, last_at) VALUES (?, ?, ?)
			ON CONFLICT (name_hash) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`,
			key, failures, now.UTC().Format(timeLayout))
		return err
	})
	return failures, err
}

// LoginSucceeded takes back the failure AdmitLogin counted in advance. A name below
// CaptchaAfter is forgotten (the owner's own typos); one above it keeps asking for the captcha
// until its failures are forgotten, so that the owner logging in does not hand an attacker a
// fresh set of guesses without it.
func (s *Store) LoginSucceeded(ctx context.Context, username string) error {
	key := s.nameHash(username)
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE login_throttle SET failures = failures - 1 WHERE name_hash = ? AND failures > ?`,
			key, CaptchaAfter); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE name_hash = ? AND failures <= ?`, key, CaptchaAfter)
		return err
	})
}

// LoginFailures returns how many failures are remembered for username.
func (s *Store) LoginFailures(ctx context.Context, username string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT failures FROM login_throttle WHERE name_hash = ? AND last_at >= ?`,
		s.nameHash(username), s.now().Add(-LoginMemory).UTC().Format(timeLayout)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// UnlockLogin forgets the failed logins of the staff member called username, so they can log
// in without the captcha or any wait, and audits it. It returns how many were forgotten; an
// unknown username is ErrNotFound. actorID is who did it (0 for the command line).
func (s *Store) UnlockLogin(ctx context.Context, actorID int64, username string) (int, error) {
	username = strings.TrimSpace(username)
	var failures int
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := forgetLoginFailures(ctx, tx, s.nameHash(username), &failures); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "user_unlock", "", username)
	})
	return failures, err
}

// forgetLoginFailures deletes the failures kept under key, reporting their number in n if n
// is not nil.
func forgetLoginFailures(ctx context.Context, tx *sql.Tx, key []byte, n *int) error {
	var failures int
	err := tx.QueryRowContext(ctx, `DELETE FROM login_throttle WHERE name_hash = ? RETURNING failures`, key).Scan(&failures)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if n != nil {
		*n = failures
	}
	return nil
}
