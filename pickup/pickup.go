// Package pickup keeps something just shown to a person — a receipt code — for a few minutes,
// so that the page showing it survives Back, a reload and a change of language without the
// code ever being put in a URL, a log, a lasting cookie or the database.
//
// The code travels sealed in the person's own cookie (a session cookie, HttpOnly, sent only to
// the page that shows it): AES-256-GCM under a key derived from the key file every portal
// process shares, with the cookie's name as associated data and the moment it stops being
// shown sealed inside. So whichever process serves the page after the redirect can open it,
// and nothing is kept on the server at all: a copy of the server's memory or database holds no
// trace of it, and there is nothing to fill up. Without the key the cookie is noise; with the
// key but without the cookie there is nothing to read.
package pickup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// Box seals payloads for a cookie and opens them again until their time is up. It is safe for
// concurrent use.
type Box struct {
	aead cipher.AEAD
	ttl  time.Duration
	now  func() time.Time
}

// New returns a box whose sealed payloads open for ttl, keyed by key (at least 32 bytes: the
// portal's key file, the same in every process).
func New(key []byte, ttl time.Duration) (*Box, error) {
	if len(key) < 32 {
		return nil, errors.New("pickup: key shorter than 32 bytes")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("minsheng pickup cookie"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, ttl: ttl, now: time.Now}, nil
}

// Lifetime is how long a sealed payload opens.
func (b *Box) Lifetime() time.Duration { return b.ttl }

// Seal seals payload for the cookie called name and returns the cookie's value.
func (b *Box) Seal(name string, payload []byte) string {
	plain := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint64(plain, uint64(b.now().Add(b.ttl).Unix()))
	plain = append(plain, payload...)
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(b.aead.Seal(nonce, nonce, plain, []byte(name)))
}

// Open opens the value of the cookie called name. It reports false for a value this key did
// not seal for that name, a tampered one, or one whose time is up.
func (b *Box) Open(name, value string) ([]byte, bool) {
	sealed, err := base64.RawURLEncoding.DecodeString(value)
	ns := b.aead.NonceSize()
	if err != nil || len(sealed) < ns+b.aead.Overhead()+8 {
		return nil, false
	}
	plain, err := b.aead.Open(nil, sealed[:ns], sealed[ns:], []byte(name))
	if err != nil || len(plain) < 8 {
		return nil, false
	}
	if !b.now().Before(time.Unix(int64(binary.BigEndian.Uint64(plain)), 0)) {
		return nil, false
	}
	return plain[8:], true
}
