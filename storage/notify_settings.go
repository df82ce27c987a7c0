package storage

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Secrets the notifications need (the SMTP password, a DingTalk robot's signing secret) are
// kept sealed with AES-GCM under a key derived from the server's key file (Options.LoginKey,
// the file that already keys the receipt hashes and the login throttle): a copy of the
// database alone does not give them away, as it does not give away receipt codes. They are
// never shown again on a page; leaving the field empty keeps the stored one.
func (s *Store) sealKey() []byte {
	m := hmac.New(sha256.New, s.loginKey)
	m.Write([]byte("minsheng notify secrets v1"))
	return m.Sum(nil)
}

func (s *Store) seal(plain string) ([]byte, error) {
	if plain == "" {
		return nil, nil
	}
	block, err := aes.NewCipher(s.sealKey())
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	_, _ = rand.Read(nonce)
	return gcm.Seal(nonce, nonce, []byte(plain), nil), nil
}

// ErrSealedWithOtherKey means a stored secret was sealed under another key file: the admin
// must type it again.
var ErrSealedWithOtherKey = errors.New("stored secret was sealed with another key file")

func (s *Store) unseal(sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	block, err := aes.NewCipher(s.sealKey())
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", ErrSealedWithOtherKey
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
	if err != nil {
		return "", ErrSealedWithOtherKey
	}
	return string(plain), nil
}

// TLS modes of the SMTP server.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
	TLSNone     = "none" // only for a relay on the same machine
)

// SMTPSettings is the mail server the admin configures. Password is only ever written: read
// back it is empty, with HasPassword saying one is stored (Password filled by SMTPForSending).
type SMTPSettings struct {
	Host, TLSMode, Sender, Username, Password string
	Port                                      int
	HasPassword                               bool
}

// Configured reports whether mail can be sent at all.
func (m SMTPSettings) Configured() bool { return m.Host != "" && m.Sender != "" }

// Check returns the names of the wrong fields (the form turns them into messages).
func (m SMTPSettings) Check() []string {
	var bad []string
	if m.Host != "" && (strings.ContainsAny(m.Host, " /:") || len(m.Host) > 200) {
		bad = append(bad, "host")
	}
	if m.Port < 1 || m.Port > 65535 {
		bad = append(bad, "port")
	}
	if m.TLSMode != TLSStartTLS && m.TLSMode != TLSImplicit && m.TLSMode != TLSNone {
		bad = append(bad, "tls_mode")
	}
	if m.Sender != "" {
		if a, err := mail.ParseAddress(m.Sender); err != nil || a.Name != "" || len(m.Sender) > 200 {
			bad = append(bad, "sender")
		}
	}
	if len(m.Username) > 200 || len(m.Password) > 200 {
		bad = append(bad, "username")
	}
	return bad
}

// SMTP returns the settings for the admin page (no password).
func (s *Store) SMTP(ctx context.Context) (SMTPSettings, error) {
	m, _, err := s.smtpRow(ctx)
	return m, err
}

// SMTPForSending returns the settings with the password unsealed.
func (s *Store) SMTPForSending(ctx context.Context) (SMTPSettings, error) {
	m, sealed, err := s.smtpRow(ctx)
	if err != nil {
		return m, err
	}
	m.Password, err = s.unseal(sealed)
	return m, err
}

func (s *Store) smtpRow(ctx context.Context) (SMTPSettings, []byte, error) {
	m := SMTPSettings{Port: 587, TLSMode: TLSStartTLS}
	var sealed []byte
	err := s.read.QueryRowContext(ctx, `SELECT host, port, tls_mode, sender, username, password_sealed FROM smtp_settings WHERE id = 1`).
		Scan(&m.Host, &m.Port, &m.TLSMode, &m.Sender, &m.Username, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil, nil
	}
	m.HasPassword = len(sealed) > 0
	return m, sealed, err
}

// SetSMTP stores the mail server settings (an empty Password keeps the stored one), audited.
func (s *Store) SetSMTP(ctx context.Context, actorID int64, m SMTPSettings) error {
	if bad := m.Check(); len(bad) > 0 {
		return fmt.Errorf("smtp settings %v: %w", bad, ErrInvalid)
	}
	sealed, err := s.seal(m.Password)
	if err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO smtp_settings (id, host, port, tls_mode, sender, username, password_sealed)
			VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port,
			tls_mode = excluded.tls_mode, sender = excluded.sender, username = excluded.username,
			password_sealed = COALESCE(excluded.password_sealed, smtp_settings.password_sealed)`,
			m.Host, m.Port, m.TLSMode, m.Sender, m.Username, sealed); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, "smtp_settings", "", m.Host)
	})
}

// Robot formats.
const (
	RobotWeCom    = "wecom"
	RobotDingTalk = "dingtalk"
)

// UnitWebhook is a unit's group robot. Secret (DingTalk's signing secret) is write-only as
// the SMTP password is.
type UnitWebhook struct {
	Unit, URL, Format, Secret string
	HasSecret                 bool
}

// CheckWebhook reports whether u may be stored: an https address (http only for a machine on
// the same network the admin typed, e.g. a test server) and a known format.
func (u UnitWebhook) CheckWebhook() error {
	p, err := url.Parse(u.URL)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || len(u.URL) > 500 {
		return fmt.Errorf("robot address %q: %w", u.URL, ErrInvalid)
	}
	if u.Format != RobotWeCom && u.Format != RobotDingTalk {
		return fmt.Errorf("robot format %q: %w", u.Format, ErrInvalid)
	}
	return nil
}

// UnitWebhooks returns every unit's robot (no secrets).
func (s *Store) UnitWebhooks(ctx context.Context) (map[string]UnitWebhook, error) {
	list, err := collect(ctx, s.read, func(r *sql.Rows) (UnitWebhook, error) {
		var u UnitWebhook
		err := r.Scan(&u.Unit, &u.URL, &u.Format, &u.HasSecret)
		return u, err
	}, `SELECT unit_code, url, format, secret_sealed IS NOT NULL FROM unit_webhooks`)
	if err != nil {
		return nil, err
	}
	out := map[string]UnitWebhook{}
	for _, u := range list {
		out[u.Unit] = u
	}
	return out, nil
}

// SetUnitWebhook stores unit's robot (an empty Secret keeps the stored one); an empty URL
// removes it. Audited.
func (s *Store) SetUnitWebhook(ctx context.Context, actorID int64, u UnitWebhook) error {
	if u.URL != "" {
		if err := u.CheckWebhook(); err != nil {
			return err
		}
	}
	sealed, err := s.seal(u.Secret)
	if err != nil {
		return err
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var err error
		if u.URL == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM unit_webhooks WHERE unit_code = ?`, u.Unit)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO unit_webhooks (unit_code, url, format, secret_sealed) VALUES (?, ?, ?, ?)
				ON CONFLICT (unit_code) DO UPDATE SET url = excluded.url, format = excluded.format,
				secret_sealed = COALESCE(excluded.secret_sealed, unit_webhooks.secret_sealed)`, u.Unit, u.URL, u.Format, sealed)
		}
		if err != nil {
			return mapError(err)
		}
		return audit(ctx, tx, now, actorID, "unit_webhook", "", u.Unit+" "+u.Format)
	})
}
