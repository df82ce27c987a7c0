// Package captchastore keeps the captchas the public forms show. Images and sounds are drawn by
// github.com/dchest/captcha; this package owns the answers, because the library's own store
// does not check expiry when an answer is read (an old captcha stays valid until 100 newer
// ones have been made) and lives in a package-level global.
package captchastore

import (
	"crypto/rand"
	"encoding/base64"
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

type entry struct {
	digits  []byte
	expires time.Time
}

// Store holds pending captchas in memory. Each can be answered once, right or wrong, until it
// expires. It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	entries map[string]entry
	ttl     time.Duration
	max     int
	now     func() time.Time
}

// New returns a store whose captchas live for ttl. At most max are kept; when full, expired
// ones are dropped first and then the oldest, so a flood of form views cannot exhaust memory.
func New(ttl time.Duration, max int) *Store {
	return &Store{entries: map[string]entry{}, ttl: ttl, max: max, now: time.Now}
}

// New makes a captcha and returns its id.
func (s *Store) New() string {
	var b [15]byte
	_, _ = rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	digits := captcha.RandomDigits(Digits)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) >= s.max {
		s.evict()
	}
	s.entries[id] = entry{digits: digits, expires: s.now().Add(s.ttl)}
	return id
}

// evict drops expired entries, and if none were, the one closest to expiring. Called with mu held.
func (s *Store) evict() {
	now := s.now()
	var oldestID string
	var oldest time.Time
	for id, e := range s.entries {
		if now.After(e.expires) {
			delete(s.entries, id)
			continue
		}
		if oldestID == "" || e.expires.Before(oldest) {
			oldestID, oldest = id, e.expires
		}
	}
	if len(s.entries) >= s.max && oldestID != "" {
		delete(s.entries, oldestID)
	}
}

func (s *Store) get(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok || s.now().After(e.expires) {
		return nil, false
	}
	return e.digits, true
}

// Verify reports whether answer solves captcha id. The captcha is spent either way, so each
// one allows a single guess. Spaces in the answer are ignored.
func (s *Store) Verify(id, answer string) bool {
	s.mu.Lock()
	e, ok := s.entries[id]
	delete(s.entries, id)
	s.mu.Unlock()
	if !ok || s.now().After(e.expires) {
		return false
	}
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
	if len(got) != len(e.digits) {
		return false
	}
	for i := range got {
		if got[i] != e.digits[i] {
			return false
		}
	}
	return true
}

// Discard forgets captcha id unanswered, as when a person asks for another one.
func (s *Store) Discard(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, id)
}

// WriteImage draws captcha id as a PNG. It reports false for an unknown or expired id.
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
