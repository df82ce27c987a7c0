package storage

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Ensure five wrong passwords within fifteen minutes lock the account, even against the right
// password, that the lock ends when the window passes, and that other accounts are untouched.
func TestLoginLockout(t *testing.T) {
	clock := newClock(fixedTime)
	s := mustOpenClock(t, clock)
	ctx := context.Background()
	mustCreateUser(t, s, "alice", RoleReviewer)
	mustCreateUser(t, s, "bob", RoleReviewer)
	right := testPassword

	for i := 0; i < LockoutFailures; i++ {
		clock.Advance(time.Minute)
		if _, err := s.Authenticate(ctx, "alice", "wrong-password-xx"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("failure %d: err = %v, want ErrBadLogin", i+1, err)
		}
	}
	if _, err := s.Authenticate(ctx, "alice", right); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("locked account accepted the right password: err = %v", err)
	}
	if _, err := s.Authenticate(ctx, "bob", right); err != nil {
		t.Fatalf("another account was locked too: %v", err)
	}
	// The oldest failure leaves the 15-minute window 11 minutes after the last one; then only
	// four failures remain inside it and the account opens again.
	clock.Advance(LockoutWindow - 4*time.Minute)
	if _, err := s.Authenticate(ctx, "alice", right); err != nil {
		t.Fatalf("account still locked after the window: %v", err)
	}
}

// Ensure four failures do not lock, and that a successful login clears them.
func TestLoginFailuresBelowThreshold(t *testing.T) {
	clock := newClock(fixedTime)
	s := mustOpenClock(t, clock)
	ctx := context.Background()
	u := mustCreateUser(t, s, "carol", RoleAdmin)
	for i := 0; i < LockoutFailures-1; i++ {
		s.Authenticate(ctx, "carol", "wrong-password-xx")
	}
	if _, err := s.Authenticate(ctx, "carol", testPassword); err != nil {
		t.Fatalf("four failures locked the account: %v", err)
	}
	if _, err := s.CreateSession(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "login_failures", "user_id = ?", u.ID); n != 0 {
		t.Fatalf("login_failures after a successful login = %d, want 0", n)
	}
	if n := countRows(t, s, "login_failures", "1 = 1"); n != 0 {
		t.Fatalf("failures stored for unknown users or others: %d", n)
	}
}

// Ensure unknown usernames store nothing (there is no account to lock, and nothing about the
// attempt is kept).
func TestUnknownUserLeavesNoTrace(t *testing.T) {
	s := mustOpen(t)
	for i := 0; i < 10; i++ {
		if _, err := s.Authenticate(context.Background(), "nobody", "whatever-password"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := countRows(t, s, "login_failures", "1 = 1"); n != 0 {
		t.Fatalf("login_failures = %d for an unknown user", n)
	}
}
