package storage

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// The SMTP password and a robot's secret are sealed with the key file: not in the database
// file in clear, readable back with the key, and not with another.
func TestNotifySecretsSealed(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		path := b.dsn(t)
		key := bytes.Repeat([]byte("k"), 32)
		s, err := Open(ctx, path, Options{Now: fixedClock, PasswordCost: bcrypt.MinCost, LoginKey: key})
		if err != nil {
			t.Fatal(err)
		}
		const password, secret = "smtp-password-in-clear", "SECdingtalk-in-clear"
		if err := s.SetSMTP(ctx, 0, SMTPSettings{Host: "smtp.example.cn", Port: 465, TLSMode: TLSImplicit, Sender: "ms@example.cn", Username: "ms", Password: password}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUnitWebhook(ctx, 0, UnitWebhook{Unit: "county-hospital", URL: "https://oapi.dingtalk.com/robot/send?access_token=t", Format: RobotDingTalk, Secret: secret}); err != nil {
			t.Fatal(err)
		}
		// Saving again without a password keeps the stored one.
		if err := s.SetSMTP(ctx, 0, SMTPSettings{Host: "smtp2.example.cn", Port: 587, TLSMode: TLSStartTLS, Sender: "ms@example.cn", Username: "ms"}); err != nil {
			t.Fatal(err)
		}
		m, err := s.SMTPForSending(ctx)
		if err != nil || m.Password != password || m.Host != "smtp2.example.cn" {
			t.Fatalf("SMTPForSending = %+v, %v", m, err)
		}
		if shown, _ := s.SMTP(ctx); shown.Password != "" || !shown.HasPassword {
			t.Errorf("SMTP for the page = %+v: no password, but HasPassword", shown)
		}
		for where, raw := range storedBytes(t, s) {
			for _, clear := range []string{password, secret} {
				if bytes.Contains(raw, []byte(clear)) || bytes.Contains(raw, []byte(hex.EncodeToString([]byte(clear)))) {
					t.Errorf("%s holds a secret in clear", where)
				}
			}
		}
		other, err := Open(ctx, path, Options{Now: fixedClock, PasswordCost: bcrypt.MinCost, LoginKey: bytes.Repeat([]byte("x"), 32)})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.SMTPForSending(ctx); !errors.Is(err, ErrSealedWithOtherKey) {
			t.Errorf("another key file: %v, want ErrSealedWithOtherKey", err)
		}
	})
}

func TestSMTPSettingsCheck(t *testing.T) {
	ok := SMTPSettings{Host: "smtp.example.cn", Port: 587, TLSMode: TLSStartTLS, Sender: "ms@example.cn"}
	cases := []struct {
		name string
		edit func(*SMTPSettings)
		bad  string
	}{
		{"fine", func(*SMTPSettings) {}, ""},
		{"host with port", func(m *SMTPSettings) { m.Host = "smtp.example.cn:25" }, "host"},
		{"port zero", func(m *SMTPSettings) { m.Port = 0 }, "port"},
		{"unknown TLS", func(m *SMTPSettings) { m.TLSMode = "ssl3" }, "tls_mode"},
		{"sender with a name", func(m *SMTPSettings) { m.Sender = "民声 <ms@example.cn>" }, "sender"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ok
			c.edit(&m)
			bad := m.Check()
			if (c.bad == "" && len(bad) != 0) || (c.bad != "" && (len(bad) != 1 || bad[0] != c.bad)) {
				t.Errorf("Check = %v, want %q", bad, c.bad)
			}
		})
	}
}
