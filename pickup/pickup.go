// Package pickup keeps something just shown to a person — a receipt code — for a few minutes,
// sealed, so that the page showing it survives Back and a reload without the code ever being
// put in a URL, a log, a lasting cookie or the database.
//
// The person's browser holds a ticket: 32 random bytes, in a session cookie that goes when the
// browser closes. The server holds only the payload sealed with that ticket (AES-256-GCM), filed
// under the ticket's SHA-256. Without the ticket an entry can be neither found nor read, not even
// from a copy of the server's memory; after the lifetime it is gone, and a restart forgets all.
package pickup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"time"
)

// ErrFull means the store holds as many entries as it may; the caller shows the payload at once
// instead of keeping it.
var ErrFull = errors.New("pickup: store full")

const keySize = 32

type entry struct {
	sealed  []byte // nonce ‖ ciphertext
	expires time.Time
}

// Store holds sealed entries in memory. It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]entry
	// order lists the ids in the order they were put. Every entry lives for the same ttl, so
	// they expire in that order too: dropping the expired ones reads only the front of order,
	// not the whole map (which, full, held up every Put while it was walked under mu). Ids
	// dropped early stay in order until they reach its front or order is compacted.
	order []queued
	ttl   time.Duration
	max   int
	now   func() time.Time
}

type queued struct {
	id      [sha256.Size]byte
	expires time.Time
}

// New returns a store whose entries live for ttl, at most max at once.
func New(ttl time.Duration, max int) *Store {
	return &Store{entries: map[[sha256.Size]byte]entry{}, ttl: ttl, max: max, now: time.Now}
}

// Lifetime is how long an entry is kept.
func (s *Store) Lifetime() time.Duration { return s.ttl }

// Put seals payload under a new ticket and returns the ticket, for the browser alone to keep.
// When the store is full of unexpired entries it returns ErrFull: an earlier
// person's entry is never pushed out before its time.
func (s *Store) Put(payload []byte) (string, error) {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	id := sha256.Sum256(key)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, payload, id[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	// Sweeping on every Put keeps no sealed entry past its time for long; the store is small.
	s.dropExpired(s.now())
	if len(s.entries) >= s.max {
		return "", ErrFull
	}
	expires := s.now().Add(s.ttl)
	s.entries[id] = entry{sealed: sealed, expires: expires}
	s.order = append(s.order, queued{id: id, expires: expires})
	return base64.RawURLEncoding.EncodeToString(key), nil
}

// Get opens the entry of ticket. It reports false for a malformed, unknown or expired ticket.
func (s *Store) Get(ticket string) ([]byte, bool) {
	key, ok := decode(ticket)
	if !ok {
		return nil, false
	}
	id := sha256.Sum256(key)
	s.mu.Lock()
	e, found := s.entries[id]
	if found && !s.now().Before(e.expires) {
		delete(s.entries, id)
		found = false
	}
	s.mu.Unlock()
	if !found {
		return nil, false
	}
	aead, err := newAEAD(key)
	if err != nil || len(e.sealed) < aead.NonceSize() {
		return nil, false
	}
	payload, err := aead.Open(nil, e.sealed[:aead.NonceSize()], e.sealed[aead.NonceSize():], id[:])
	return payload, err == nil
}

// Drop forgets the entry of ticket at once (the person said they have noted it down, or a newer
// entry replaces it).
func (s *Store) Drop(ticket string) {
	key, ok := decode(ticket)
	if !ok {
		return
	}
	id := sha256.Sum256(key)
	s.mu.Lock()
	delete(s.entries, id)
	s.mu.Unlock()
}

// dropExpired deletes every entry whose time is over, from the front of order: the work is
// the number of entries that expired, not the number held. Called with mu held.
func (s *Store) dropExpired(now time.Time) {
	n := 0
	for ; n < len(s.order) && !now.Before(s.order[n].expires); n++ {
		if e, ok := s.entries[s.order[n].id]; ok && e.expires.Equal(s.order[n].expires) {
			delete(s.entries, s.order[n].id)
		}
	}
	s.order = s.order[n:]
	// Ids dropped before their time (Drop, Get of an expired one) leave stale places in order;
	// once they are most of it, keep only the live ones, so order stays within twice the
	// entries held.
	if len(s.order) > 2*len(s.entries)+64 {
		live := make([]queued, 0, 2*len(s.entries)+64)
		for _, q := range s.order {
			if e, ok := s.entries[q.id]; ok && e.expires.Equal(q.expires) {
				live = append(live, q)
			}
		}
		s.order = live
	}
}

func decode(ticket string) ([]byte, bool) {
	key, err := base64.RawURLEncoding.DecodeString(ticket)
	return key, err == nil && len(key) == keySize
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
