// Package receipt makes, reads and hashes receipt codes (查询码): the only way an anonymous
// submitter finds their opinion again. A code carries 100 random bits in 20 Crockford base-32
// characters, shown in five groups of four so it can be read aloud or copied onto paper.
// Only a keyed hash of a code is ever stored.
package receipt

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
)

// alphabet is Crockford's base 32: no I, L, O or U, so codes survive handwriting and phone calls.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Length is the number of characters in a code (20 × 5 bits = 100 bits).
const Length = 20

const groupSize = 4

// ErrMalformed means the text cannot be a receipt code.
var ErrMalformed = errors.New("receipt: malformed code")

// New returns a fresh code in display form, e.g. "7K2M-9QXD-4H1B-ZC8E-W3NR".
func New() string {
	var b [Length]byte
	// rand.Read never fails on supported platforms (it panics internally if the OS source breaks).
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return Format(string(b[:]))
}

// Format groups a normalised code for display.
func Format(code string) string {
	var sb strings.Builder
	for i, r := range code {
		if i > 0 && i%groupSize == 0 {
			sb.WriteByte('-')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// Parse normalises what a person typed: case, spaces and dashes are ignored, and the letters
// people confuse with digits are read as Crockford says (I, L → 1; O → 0).
// Anything else that is not in the alphabet, or the wrong length, is ErrMalformed.
func Parse(s string) (string, error) {
	if len(s) > 4*Length { // refuse before doing work on a pasted essay
		return "", ErrMalformed
	}
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t' || r == '\u3000' || r == '—' || r == '－':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		}
		if r > 127 || !strings.ContainsRune(alphabet, r) {
			return "", ErrMalformed
		}
		sb.WriteRune(r)
	}
	if sb.Len() != Length {
		return "", ErrMalformed
	}
	return sb.String(), nil
}

// Hasher turns codes into the keyed hashes that are stored. The key lives outside the database,
// so a copy of the database alone cannot be used to test guesses.
type Hasher struct{ key []byte }

// NewHasher returns a Hasher with key, which must be at least 32 bytes.
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < 32 {
		return nil, errors.New("receipt: key shorter than 32 bytes")
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Hash returns HMAC-SHA256(key, normalised code). The code must already be normalised by Parse
// (or come from New, in which case Parse it first).
func (h *Hasher) Hash(normalised string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(normalised))
	return m.Sum(nil)
}

// Derive returns a key for another use of the key file (sealing the receipt page's cookie):
// HMAC-SHA256(key, label). Labels are sentences with spaces, never a normalised code, so a
// derived key is never a stored hash.
func (h *Hasher) Derive(label string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(label))
	return m.Sum(nil)
}
