// Package captchastore makes and checks the captchas the public forms show. Images and sounds
// are drawn by github.com/dchest/captcha; this package owns the challenges, because the
// library's own store does not check expiry when an answer is read (an old captcha stays valid
// until 100 newer ones have been made) and lives in one process's memory.
//
// A challenge is stored nowhere when it is made. Its id is sealed with a key: a random nonce,
// the challenge's expiry and a MAC over both, so that any process holding the key (every
// portal process reads the same key file) can tell a real unexpired id from a forged one, and
// derives the six digits from the id under that key — the image, the sound and the check of an
// answer come out the same whichever process serves them. Only the use of a challenge is
// recorded, by a Spender: once, whoever guesses, so each challenge takes a single guess. The
// portal's Spender is the database (storage.Store.Spend), shared by every process;
// New's own is this process's memory, for tests and tools that run one process.
package captchastore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/dchest/captcha"
)

// Digits is the number of digits a person types.
const Digits = 6

// Image size in pixels: readable on a 360 px wide phone screen.
const (
	ImageWidth  = 240
	ImageHeight = 80
)

// Spender records that a challenge was used (answered, right or wrong, or replaced).
type Spender interface {
	// Spend records the challenge whose id has SHA-256 hash, valid until expires, and reports
	// false when it was recorded before.
	Spend(ctx context.Context, hash []byte, expires time.Time) (bool, error)
}

// An id is nonce ‖ expiry (unix seconds, 4 bytes) ‖ MAC (16 bytes), in base64url: 43 characters.
const (
	nonceSize  = 12
	expirySize = 4
	macSize    = 16
	idSize     = nonceSize + expirySize + macSize
)

// Store makes and checks captchas. It is safe for concurrent use.
type Store struct {
	macKey, digitKey []byte
	ttl              time.Duration
	spent            Spender
	now              func() time.Time
}

// NewShared returns a store whose captchas live for ttl, sealed and derived with key (at least
// 32 bytes, the same in every process), their uses recorded by spent.
func NewShared(key []byte, ttl time.Duration, spent Spender) (*Store, error) {
	if len(key) < 32 {
		return nil, errors.New("captchastore: key shorter than 32 bytes")
	}
	return &Store{macKey: derive(key, "minsheng captcha id"), digitKey: derive(key, "minsheng captcha digits"),
		ttl: ttl, spent: spent, now: time.Now}, nil
}

// New returns a store for one process: a random key, and uses recorded in memory, at most max
// at once (when full, expired ones go first and then those closest to expiring).
func New(ttl time.Duration, max int) *Store {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s, _ := NewShared(key, ttl, &memorySpender{max: max, spent: map[[32]byte]time.Time{}})
	s.spent.(*memorySpender).now = func() time.Time { return s.now() }
	return s
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// New makes a captcha and returns its id.
func (s *Store) New() string {
	var b [idSize]byte
	_, _ = rand.Read(b[:nonceSize])
	binary.BigEndian.PutUint32(b[nonceSize:], uint32(s.now().Add(s.ttl).Unix()))
	copy(b[nonceSize+expirySize:], s.mac(b[:nonceSize+expirySize]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Store) mac(body []byte) []byte {
	m := hmac.New(sha256.New, s.macKey)
	m.Write(body)
	return m.Sum(nil)[:macSize]
}

// open checks id: made with this key and not expired. It returns the expiry.
func (s *Store) open(id string) (time.Time, bool) {
	if len(id) != base64.RawURLEncoding.EncodedLen(idSize) {
		return time.Time{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(b) != idSize || !hmac.Equal(s.mac(b[:nonceSize+expirySize]), b[nonceSize+expirySize:]) {
		return time.Time{}, false
	}
	expires := time.Unix(int64(binary.BigEndian.Uint32(b[nonceSize:])), 0)
	return expires, s.now().Before(expires)
}

// digits derives the challenge's digits from its id.
func (s *Store) digits(id string) []byte {
	out := make([]byte, 0, Digits)
	for round := byte(0); len(out) < Digits; round++ {
		m := hmac.New(sha256.New, s.digitKey)
		m.Write([]byte{round})
		m.Write([]byte(id))
		for _, x := range m.Sum(nil) {
			if x < 250 && len(out) < Digits { // 250 = 25 × 10: no digit more likely than another
				out = append(out, x%10)
			}
		}
	}
	return out
}

func (s *Store) get(id string) ([]byte, bool) {
	if _, ok := s.open(id); !ok {
		return nil, false
	}
	return s.digits(id), true
}

// spend records the use of id; false when it was used before or is not a live id.
func (s *Store) spend(ctx context.Context, id string) (bool, error) {
	expires, ok := s.open(id)
	if !ok {
		return false, nil
	}
	hash := sha256.Sum256([]byte(id))
	return s.spent.Spend(ctx, hash[:], expires)
}

// Verify reports whether answer solves captcha id. The captcha is spent either way, so each
// one allows a single guess, in whichever process. Spaces in the answer are ignored. An error
// is the Spender's (a busy database): nothing is decided.
func (s *Store) Verify(ctx context.Context, id, answer string) (bool, error) {
	fresh, err := s.spend(ctx, id)
	if err != nil || !fresh {
		return false, err
	}
	return s.solves(id, answer), nil
}

// solves reports whether answer gives the digits of captcha id (spaces ignored, full-width
// digits taken).
func (s *Store) solves(id, answer string) bool {
	var got []byte
	for _, r := range answer {
		switch {
		case r >= '0' && r <= '9':
			got = append(got, byte(r-'0'))
		case r >= '０' && r <= '９': // full-width digits from a Chinese keyboard
			got = append(got, byte(r-'０'))
		case r == ' ' || r == '\u3000':
		default:
			return false
		}
	}
	return hmac.Equal(got, s.digits(id))
}

// Pass is a right answer to a captcha not spent yet: the caller spends it (Hash, until Expires)
// in the same transaction as the write the answer admits, so that a submission is one write
// (#11) and still no captcha is used twice — that write refuses a hash already spent, by any
// process, as Spend does.
type Pass struct {
	Hash    []byte
	Expires time.Time
}

// Check is Verify for a form that stores something: a wrong answer (or an unknown, expired or
// spent id) spends the captcha now and returns nil; a right one returns its Pass unspent, for
// the caller to spend with its own write, or with Spend when it stores nothing after all.
func (s *Store) Check(ctx context.Context, id, answer string) (*Pass, error) {
	expires, ok := s.open(id)
	if !ok {
		return nil, nil
	}
	hash := sha256.Sum256([]byte(id))
	if r, ok := s.spent.(spentReader); ok {
		if spent, err := r.Spent(ctx, hash[:]); err != nil || spent {
			return nil, err
		}
	}
	if !s.solves(id, answer) {
		_, err := s.spent.Spend(ctx, hash[:], expires)
		return nil, err
	}
	return &Pass{Hash: hash[:], Expires: expires}, nil
}

// Spend spends a Pass that no write took (the form came back with other errors); false when it
// was spent meanwhile.
func (s *Store) Spend(ctx context.Context, p *Pass) (bool, error) {
	return s.spent.Spend(ctx, p.Hash, p.Expires)
}

// spentReader is a Spender that can tell, with a read, whether a hash was spent.
type spentReader interface {
	Spent(ctx context.Context, hash []byte) (bool, error)
}

// Discard spends captcha id unanswered, as when a person asks for another one.
func (s *Store) Discard(ctx context.Context, id string) error {
	_, err := s.spend(ctx, id)
	return err
}

// WriteImage draws captcha id as a PNG. It reports false for an id this key did not make or one
// that expired. (A spent one is still drawn: it can no longer be answered, and telling would
// cost every image a read of the Spender.)
func (s *Store) WriteImage(w io.Writer, id string) (bool, error) {
	digits, ok := s.get(id)
	if !ok {
		return false, nil
	}
	_, err := captcha.NewImage(id, digits, ImageWidth, ImageHeight).WriteTo(w)
	return true, err
}

// WriteAudio speaks captcha id in Mandarin as a WAV file. It reports false for an unknown or
// expired id.
func (s *Store) WriteAudio(w io.Writer, id string) (bool, error) {
	return s.WriteAudioIn(w, id, "zh")
}

// WriteAudioIn speaks captcha id as a WAV file in the voice of lang, a BCP 47 tag: Mandarin for
// Chinese in either script, and the library's own voice for the other languages it records
// (en, ja, pt, ru); English for any language it has no voice for. It reports false for an
// unknown or expired id.
func (s *Store) WriteAudioIn(w io.Writer, id, lang string) (bool, error) {
	digits, ok := s.get(id)
	if !ok {
		return false, nil
	}
	_, err := captcha.NewAudio(id, digits, Voice(lang)).WriteTo(w)
	return true, err
}

// Voice is the library's voice for lang, a BCP 47 tag (zh-CN, zh-Hant, en): the language's own
// primary subtag when the library has recorded digits in it, else English.
func Voice(lang string) string {
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch primary {
	case "zh", "en", "ja", "pt", "ru":
		return primary
	}
	return "en"
}

// Answer returns the digits of captcha id without spending it. Only tests and the end-to-end
// harness use it, to play the person reading the image; nothing reachable over HTTP calls it.
func (s *Store) Answer(id string) (string, bool) {
	digits, ok := s.get(id)
	if !ok {
		return "", false
	}
	out := make([]byte, len(digits))
	for i, d := range digits {
		out[i] = '0' + d
	}
	return string(out), true
}

// memorySpender records uses in this process's memory: New's Spender.
type memorySpender struct {
	mu    sync.Mutex
	spent map[[32]byte]time.Time
	max   int
	now   func() time.Time
}

func (m *memorySpender) Spend(_ context.Context, hash []byte, expires time.Time) (bool, error) {
	var key [32]byte
	copy(key[:], hash)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.spent[key]; ok {
		return false, nil
	}
	if len(m.spent) >= m.max {
		m.evict()
	}
	m.spent[key] = expires
	return true, nil
}

// Spent reports whether hash was spent in this process.
func (m *memorySpender) Spent(_ context.Context, hash []byte) (bool, error) {
	var key [32]byte
	copy(key[:], hash)
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.spent[key]
	return ok, nil
}

// evict drops the records of expired challenges (they can no longer be answered anyway), and if
// none were, the one closest to expiring. Called with mu held.
func (m *memorySpender) evict() {
	now := m.now()
	var oldestKey [32]byte
	var oldest time.Time
	for k, exp := range m.spent {
		if !now.Before(exp) {
			delete(m.spent, k)
			continue
		}
		if oldest.IsZero() || exp.Before(oldest) {
			oldestKey, oldest = k, exp
		}
	}
	if len(m.spent) >= m.max && !oldest.IsZero() {
		delete(m.spent, oldestKey)
	}
}
