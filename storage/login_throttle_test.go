package storage

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// attemptResult is what AdmitLogin answered, in a form two names can be compared by.
type attemptResult struct {
	admitted bool
	failures int
	wait     time.Duration
	captcha  bool
}

func admit(t *testing.T, s *Store, a LoginAttempt) attemptResult {
	t.Helper()
	n, err := s.AdmitLogin(context.Background(), a)
	var w *LoginWait
	switch {
	case err == nil:
		return attemptResult{admitted: true, failures: n}
	case errors.As(err, &w):
		return attemptResult{wait: w.Wait}
	case errors.Is(err, ErrNeedCaptcha):
		return attemptResult{captcha: true}
	}
	t.Fatalf("AdmitLogin(%+v): %v", a, err)
	return attemptResult{}
}

// Ensure failures bring a delay that doubles, then the captcha; that an attempt with a solved
// captcha is never refused, however many failures came before; and that a known and an
// unknown name answer exactly alike at every step.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		mustCreateUser(t, s, "alice", RoleReviewer)

		steps := []struct {
			name    string
			attempt LoginAttempt // Username is filled in per name
			advance time.Duration
			want    attemptResult
		}{
			{"first failure", LoginAttempt{}, 0, attemptResult{admitted: true, failures: 1}},
			{"too soon after one", LoginAttempt{}, 0, attemptResult{wait: time.Second}},
			{"after the delay", LoginAttempt{}, time.Second, attemptResult{admitted: true, failures: 2}},
			{"the delay doubled", LoginAttempt{}, time.Second, attemptResult{wait: time.Second}},
			{"after two seconds", LoginAttempt{}, time.Second, attemptResult{admitted: true, failures: 3}},
			{"now the captcha", LoginAttempt{}, time.Hour, attemptResult{captcha: true}},
			{"a solved captcha passes", LoginAttempt{CaptchaSolved: true}, 0, attemptResult{admitted: true, failures: 4}},
			{"at once again", LoginAttempt{CaptchaSolved: true}, 0, attemptResult{admitted: true, failures: 5}},
			{"still no way round it", LoginAttempt{}, time.Hour, attemptResult{captcha: true}},
		}
		for _, name := range []string{"alice", "nobody"} {
			clock.Set(fixedTime)
			for _, st := range steps {
				clock.Advance(st.advance)
				a := st.attempt
				a.Username = name
				if got := admit(t, s, a); got != st.want {
					t.Errorf("%s, %s: got %+v, want %+v", name, st.name, got, st.want)
				}
			}
		}

		t.Run("an attacker with solved captchas never keeps the owner out", func(t *testing.T) {
			for i := 0; i < 200; i++ {
				admit(t, s, LoginAttempt{Username: "alice", CaptchaSolved: true})
			}
			if got := admit(t, s, LoginAttempt{Username: "alice", CaptchaSolved: true}); !got.admitted {
				t.Fatalf("owner with a solved captcha after 200 failures: %+v, want admitted", got)
			}
			if _, err := s.Authenticate(context.Background(), "alice", testPassword); err != nil {
				t.Fatalf("owner's password: %v", err)
			}
		})

		t.Run("forgotten after a quiet day", func(t *testing.T) {
			clock.Advance(LoginMemory + time.Second)
			if got := admit(t, s, LoginAttempt{Username: "nobody"}); got != (attemptResult{admitted: true, failures: 1}) {
				t.Errorf("after LoginMemory: %+v, want a fresh first attempt", got)
			}
		})
	})
}

// Ensure the delay keeps doubling where there is no captcha to ask for, and stops at
// MaxLoginDelay.
func TestLoginDelayWithoutCaptcha(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		want := time.Second
		for i := 1; i <= 14; i++ {
			if got := admit(t, s, LoginAttempt{Username: "bob", CaptchaOff: true}); !got.admitted || got.failures != i {
				t.Fatalf("attempt %d after its delay: %+v", i, got)
			}
			got := admit(t, s, LoginAttempt{Username: "bob", CaptchaOff: true})
			if got.wait != want {
				t.Fatalf("after %d failures: wait %s, want %s", i, got.wait, want)
			}
			clock.Advance(want)
			want = min(2*want, MaxLoginDelay)
		}
		if want != MaxLoginDelay {
			t.Fatalf("delay after 14 failures %s, want the cap %s", want, MaxLoginDelay)
		}
	})
}

// Ensure attempts sent together cannot slip past the delay together: of many at once without
// a captcha, one has its password checked.
func TestLoginAdmitsOneOfSimultaneousAttempts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		admitted := 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.AdmitLogin(context.Background(), LoginAttempt{Username: "carol"}); err == nil {
					mu.Lock()
					admitted++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if admitted != 1 {
			t.Fatalf("%d of 20 simultaneous attempts admitted, want 1", admitted)
		}
	})
}

// Ensure a success forgets the owner's own few typos, but not an attack: after CaptchaAfter
// failures the captcha is still asked for, so the owner's login gives an attacker no fresh
// guesses without it.
func TestLoginSucceeded(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		tests := []struct {
			name         string
			failures     int // before the successful attempt
			wantCaptcha  bool
			wantFailures int
		}{
			{"no failures", 0, false, 0},
			{"two typos", 2, false, 0},
			{"an attack", 7, true, 7},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				clock := newClock(fixedTime)
				s := b.mustOpenClock(t, clock)
				for i := 0; i < tc.failures; i++ {
					admit(t, s, LoginAttempt{Username: "dora", CaptchaSolved: true})
				}
				clock.Advance(time.Hour)
				if got := admit(t, s, LoginAttempt{Username: "dora", CaptchaSolved: true}); !got.admitted {
					t.Fatalf("owner's attempt: %+v", got)
				}
				if err := s.LoginSucceeded(ctx, "dora"); err != nil {
					t.Fatal(err)
				}
				if n, _ := s.LoginFailures(ctx, "dora"); n != tc.wantFailures {
					t.Errorf("failures after the success: %d, want %d", n, tc.wantFailures)
				}
				if got := admit(t, s, LoginAttempt{Username: "dora"}); got.captcha != tc.wantCaptcha {
					t.Errorf("next attempt without a captcha: %+v, want captcha asked %v", got, tc.wantCaptcha)
				}
			})
		}
	})
}

// Ensure UnlockLogin forgets a staff member's failures, audits it, and refuses a name that is
// no account.
func TestUnlockLogin(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		mustCreateUser(t, s, "erin", RoleReviewer)
		for i := 0; i < 5; i++ {
			admit(t, s, LoginAttempt{Username: "erin", CaptchaSolved: true})
		}
		n, err := s.UnlockLogin(ctx, 0, "erin")
		if err != nil || n != 5 {
			t.Fatalf("UnlockLogin = %d, %v; want 5, nil", n, err)
		}
		wantLastAudit(t, s, "user_unlock", "erin")
		if got := admit(t, s, LoginAttempt{Username: "erin"}); !got.admitted || got.failures != 1 {
			t.Errorf("first attempt after unlock: %+v, want admitted without a captcha", got)
		}
		if _, err := s.UnlockLogin(ctx, 0, "nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("UnlockLogin(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// Ensure the name someone typed is never stored, only its keyed hash: the same name under
// another key (another install) hashes differently, and a key given in Options is what a second
// process opening the database (the unlock command) uses too.
func TestLoginNamesStoredOnlyAsKeyedHashes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		path := b.dsn(t)
		key := bytes.Repeat([]byte("k"), 32)
		s, err := Open(ctx, path, Options{Now: fixedClock, LoginKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		typed := "my-secret-password-typed-in-the-wrong-box"
		for i := 0; i < 3; i++ {
			if _, err := s.AdmitLogin(ctx, LoginAttempt{Username: typed, CaptchaSolved: true}); err != nil {
				t.Fatal(err)
			}
		}
		hashes := 0
		for _, h := range columnBytes(t, s, `SELECT name_hash FROM login_throttle`) {
			hashes++
			if bytes.Contains(h, []byte(typed)) {
				t.Errorf("the typed name is stored in clear")
			}
		}
		if hashes == 0 {
			t.Fatal("no login_throttle row: nothing was checked")
		}
		other, err := Open(ctx, b.dsn(t), Options{Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if bytes.Equal(s.nameHash(typed), other.nameHash(typed)) {
			t.Errorf("two keys gave the same hash: the hash is not keyed")
		}
		again, err := Open(ctx, path, Options{Now: fixedClock, LoginKey: key})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		if n, err := again.LoginFailures(ctx, typed); err != nil || n != 3 {
			t.Errorf("failures seen by a second Store with the same key: %d, %v; want 3", n, err)
		}
	})
}
