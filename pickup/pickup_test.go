package pickup

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// clock is a settable time for the tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestStore(ttl time.Duration, max int) (*Store, *clock) {
	c := &clock{t: time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)}
	s := New(ttl, max)
	s.now = c.now
	return s, c
}

func TestPutGetUntilExpiry(t *testing.T) {
	s, c := newTestStore(10*time.Minute, 10)
	ticket, err := s.Put([]byte("7K2M-9QXD-4H1B-ZC8E-W3NR"))
	if err != nil {
		t.Fatal(err)
	}
	start := c.t
	for _, after := range []time.Duration{0, time.Minute, 10*time.Minute - time.Second} {
		c.t = start.Add(after)
		got, ok := s.Get(ticket)
		if !ok || string(got) != "7K2M-9QXD-4H1B-ZC8E-W3NR" {
			t.Fatalf("after %s: Get = %q, %v; want the payload", after, got, ok)
		}
	}
	c.t = start.Add(10 * time.Minute)
	if got, ok := s.Get(ticket); ok {
		t.Fatalf("after the lifetime: Get = %q, want nothing", got)
	}
	if len(s.entries) != 0 {
		t.Errorf("%d entries left after expiry, want 0", len(s.entries))
	}
}

// TestSealed: the store keeps neither the payload nor the ticket in readable form, and a
// ticket other than the one issued opens nothing.
func TestSealed(t *testing.T) {
	s, _ := newTestStore(time.Minute, 10)
	payload := []byte("RECEIPT-CODE-IN-CLEAR")
	ticket, err := s.Put(payload)
	if err != nil {
		t.Fatal(err)
	}
	for id, e := range s.entries {
		if bytes.Contains(e.sealed, payload) {
			t.Error("the payload is stored in the clear")
		}
		key, _ := decode(ticket)
		if bytes.Contains(e.sealed, key) || bytes.Equal(id[:], key) {
			t.Error("the ticket itself is stored")
		}
	}
	tests := []struct{ name, ticket string }{
		{"empty", ""},
		{"not base64", "***"},
		{"short", ticket[:20]},
		{"another well-formed ticket", strings.Repeat("A", len(ticket))},
	}
	for _, tt := range tests {
		if got, ok := s.Get(tt.ticket); ok {
			t.Errorf("%s: Get = %q, want nothing", tt.name, got)
		}
	}
}

func TestDrop(t *testing.T) {
	s, _ := newTestStore(time.Minute, 10)
	a, _ := s.Put([]byte("a"))
	b, _ := s.Put([]byte("b"))
	s.Drop(a)
	if _, ok := s.Get(a); ok {
		t.Error("a dropped entry can still be read")
	}
	if got, ok := s.Get(b); !ok || string(got) != "b" {
		t.Errorf("another entry was lost with the dropped one: %q, %v", got, ok)
	}
}

// TestFull: a full store refuses rather than pushing out an earlier person's entry, and takes
// new entries again once old ones have expired.
func TestFull(t *testing.T) {
	s, c := newTestStore(time.Minute, 2)
	first, _ := s.Put([]byte("1"))
	if _, err := s.Put([]byte("2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put([]byte("3")); !errors.Is(err, ErrFull) {
		t.Fatalf("third Put: err %v, want ErrFull", err)
	}
	if got, ok := s.Get(first); !ok || string(got) != "1" {
		t.Fatalf("the first entry was pushed out: %q, %v", got, ok)
	}
	c.t = c.t.Add(time.Minute)
	if _, err := s.Put([]byte("4")); err != nil {
		t.Fatalf("Put after the others expired: %v", err)
	}
	if len(s.entries) != 1 {
		t.Errorf("%d entries, want only the new one", len(s.entries))
	}
}

// TestDroppedEntriesDoNotPileUp: entries dropped before their time (the person said they had
// noted the code down) leave no lasting trace in the expiry order, and the store still expires
// and refuses as before.
func TestDroppedEntriesDoNotPileUp(t *testing.T) {
	s, c := newTestStore(time.Minute, 3)
	kept, _ := s.Put([]byte("kept"))
	for i := 0; i < 1000; i++ {
		ticket, err := s.Put([]byte("x"))
		if err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
		s.Drop(ticket)
	}
	if len(s.order) > 2*len(s.entries)+64 {
		t.Errorf("expiry order holds %d places for %d entries", len(s.order), len(s.entries))
	}
	if got, ok := s.Get(kept); !ok || string(got) != "kept" {
		t.Fatalf("the kept entry was lost: %q, %v", got, ok)
	}
	c.t = c.t.Add(time.Minute)
	if _, ok := s.Get(kept); ok {
		t.Error("the kept entry outlived its time")
	}
	for i := 0; i < 3; i++ {
		if _, err := s.Put([]byte("new")); err != nil {
			t.Fatalf("Put %d after expiry: %v", i, err)
		}
	}
	if _, err := s.Put([]byte("one too many")); !errors.Is(err, ErrFull) {
		t.Errorf("fourth Put: err %v, want ErrFull", err)
	}
}
