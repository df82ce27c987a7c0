package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, pw string
		ok       bool
	}{
		{"11 chars", strings.Repeat("a", 11), false},
		{"12 chars", strings.Repeat("a", 12), true},
		{"empty", "", false},
		{"12 Chinese characters (36 bytes)", strings.Repeat("民", 12), true},
		{"11 Chinese characters", strings.Repeat("民", 11), false},
		{"72 bytes", strings.Repeat("a", 72), true},
		{"73 bytes", strings.Repeat("a", 73), false},
		{"25 Chinese characters (75 bytes)", strings.Repeat("民", 25), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.pw)
			if tt.ok && err != nil {
				t.Errorf("CheckPassword = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrWeakPassword) {
				t.Errorf("CheckPassword = %v, want ErrWeakPassword", err)
			}
		})
	}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "Alice", RoleAdmin)
		if admin.ID == 0 || admin.Username != "Alice" || !admin.IsAdmin() {
			t.Fatalf("CreateUser = %+v, want an admin named Alice with an id", admin)
		}
		tests := []struct {
			name, username, password, role string
			wantErr                        error // nil: success; errAny: some error
		}{
			{"reviewer", "bob", testPassword, RoleReviewer, nil},
			{"chinese name and password", "张三", strings.Repeat("密", 12), RoleReviewer, nil},
			{"72-byte password", "carol", strings.Repeat("p", 72), RoleReviewer, nil},
			{"duplicate", "Alice", testPassword, RoleReviewer, ErrConflict},
			{"duplicate other case", "ALICE", testPassword, RoleAdmin, ErrConflict},
			{"duplicate with spaces", "  alice ", testPassword, RoleAdmin, ErrConflict},
			{"short password", "dave", "short-pass1", RoleReviewer, ErrWeakPassword},
			{"73-byte password", "erin", strings.Repeat("p", 73), RoleReviewer, ErrWeakPassword},
			{"empty username", "   ", testPassword, RoleReviewer, errAny},
			{"long username", strings.Repeat("名", 41), testPassword, RoleReviewer, errAny},
			{"unknown role", "frank", testPassword, "root", errAny},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countRows(t, s, "users", "")
				u, err := s.CreateUser(ctx, admin.ID, tt.username, tt.password, tt.role)
				switch {
				case tt.wantErr == nil:
					if err != nil {
						t.Fatalf("CreateUser(%q): %v", tt.username, err)
					}
					if u.ID == 0 || u.Username != strings.TrimSpace(tt.username) || u.Role != tt.role {
						t.Errorf("CreateUser = %+v", u)
					}
					if got, err := s.Authenticate(ctx, tt.username, tt.password); err != nil || !reflect.DeepEqual(got, u) {
						t.Errorf("Authenticate new user = %+v, %v; want %+v", got, err, u)
					}
					return
				case tt.wantErr == errAny:
					if err == nil {
						t.Fatalf("CreateUser(%q, role %q) = %+v, want an error", tt.username, tt.role, u)
					}
				case !errors.Is(err, tt.wantErr):
					t.Fatalf("CreateUser(%q): err = %v, want %v", tt.username, err, tt.wantErr)
				}
				if got := countRows(t, s, "users", ""); got != before {
					t.Errorf("users %d → %d after a refused CreateUser", before, got)
				}
			})
		}
		// One user_add audit row per created user, naming who did it.
		if got, want := countRows(t, s, "audit_log", "action = 'user_add'"), 4; got != want {
			t.Errorf("user_add audit rows = %d, want %d", got, want)
		}
		recent, err := s.RecentAudit(ctx, 1)
		if err != nil || len(recent) != 1 || recent[0].Username != "Alice" || recent[0].Detail != "carol (reviewer)" {
			t.Errorf("RecentAudit(1) = %+v, %v; want carol added by Alice", recent, err)
		}
	})
}

var errAny = errors.New("any error")

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "alice", RoleReviewer)
		long := strings.Repeat("x", 72)
		carol := mustCreateUserPw(t, s, "carol", long)
		tests := []struct {
			name, username, password string
			want                     User
		}{
			{"right password", "alice", testPassword, u},
			{"username case and spaces do not matter", " ALICE ", testPassword, u},
			{"72-byte password", "carol", long, carol},
			{"wrong password", "alice", testPassword + "!", User{}},
			{"empty password", "alice", "", User{}},
			{"password in other case", "alice", strings.ToUpper(testPassword), User{}},
			{"unknown user", "mallory", testPassword, User{}},
			{"empty user", "", testPassword, User{}},
			{"past bcrypt's 72 bytes", "carol", long + "y", User{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Authenticate(ctx, tt.username, tt.password)
				if reflect.DeepEqual(tt.want, User{}) {
					if !errors.Is(err, ErrBadLogin) || !reflect.DeepEqual(got, User{}) {
						t.Errorf("Authenticate = %+v, %v; want ErrBadLogin", got, err)
					}
					return
				}
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Authenticate = %+v, %v; want %+v", got, err, tt.want)
				}
			})
		}
	})
}

func mustCreateUserPw(t *testing.T, s *Store, username, password string) User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), 0, username, password, RoleReviewer)
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

func TestHasAdmin(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		check := func(want bool) {
			t.Helper()
			if got, err := s.HasAdmin(ctx); err != nil || got != want {
				t.Errorf("HasAdmin = %v, %v; want %v", got, err, want)
			}
		}
		check(false)
		mustCreateUser(t, s, "reviewer", RoleReviewer)
		check(false)
		mustCreateUser(t, s, "admin", RoleAdmin)
		check(true)
	})
}

func TestSetupTokens(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		valid := func(tok string) bool {
			t.Helper()
			ok, err := s.SetupTokenValid(ctx, tok)
			if err != nil {
				t.Fatalf("SetupTokenValid: %v", err)
			}
			return ok
		}
		earlier, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tok == earlier || len(tok) < 40 {
			t.Fatalf("tokens %q and %q: want two distinct long tokens", earlier, tok)
		}
		if !valid(tok) || !valid(earlier) || valid("not-a-token") || valid("") {
			t.Fatal("SetupTokenValid: want both fresh tokens valid and nothing else")
		}
		var raw []byte
		if err := s.read.QueryRow(`SELECT token_hash FROM setup_tokens LIMIT 1`).Scan(&raw); err != nil ||
			bytes.Contains(raw, []byte(tok)) || bytes.Contains(raw, []byte(earlier)) {
			t.Errorf("setup_tokens stores a token in clear (%v)", err)
		}

		// A bad token creates nobody; a weak password spends nothing.
		if _, err := s.UseSetupToken(ctx, "forged", "root", testPassword); !errors.Is(err, ErrBadToken) {
			t.Errorf("UseSetupToken(bad token): err = %v, want ErrBadToken", err)
		}
		if _, err := s.UseSetupToken(ctx, tok, "root", "short"); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("UseSetupToken(weak password): err = %v, want ErrWeakPassword", err)
		}
		if n := countRows(t, s, "users", ""); n != 0 || !valid(tok) || !valid(earlier) {
			t.Fatalf("after refused uses: %d users, tokens valid %v/%v; want 0 users, tokens unspent", n, valid(tok), valid(earlier))
		}

		u, err := s.UseSetupToken(ctx, tok, "局管理员", testPassword)
		if err != nil {
			t.Fatalf("UseSetupToken: %v", err)
		}
		if u.Username != "局管理员" || !u.IsAdmin() {
			t.Errorf("UseSetupToken = %+v, want an admin named 局管理员", u)
		}
		if ok, _ := s.HasAdmin(ctx); !ok {
			t.Error("HasAdmin = false after setup")
		}
		if got, err := s.Authenticate(ctx, "局管理员", testPassword); err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("Authenticate after setup = %+v, %v", got, err)
		}
		if valid(tok) || valid(earlier) || countRows(t, s, "setup_tokens", "") != 0 {
			t.Error("setup tokens still valid after one was used; want all spent")
		}
		for name, tk := range map[string]string{"same token": tok, "earlier token": earlier} {
			if _, err := s.UseSetupToken(ctx, tk, "second", testPassword); !errors.Is(err, ErrBadToken) {
				t.Errorf("UseSetupToken(%s) again: err = %v, want ErrBadToken", name, err)
			}
		}
		if n := countRows(t, s, "users", ""); n != 1 {
			t.Errorf("users = %d, want 1", n)
		}
		entries, err := s.RecentAudit(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action+"/"+e.Username)
		}
		// Newest first: setup by the new admin, then user_add by the command line.
		if want := []string{"setup/局管理员", "user_add/"}; !reflect.DeepEqual(got, want) {
			t.Errorf("RecentAudit = %v, want %v", got, want)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		u := mustCreateUser(t, s, "alice", RoleReviewer)
		u.Mailboxes = []string{"director"} // a session knows the mailboxes its role reads: 局长信箱 (0012)

		cookie, err := s.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		id, secret, ok := strings.Cut(cookie, ".")
		if !ok || id == "" || len(secret) < 40 {
			t.Fatalf("cookie %q: want id.secret with a long secret", cookie)
		}
		if got, err := s.SessionUser(ctx, cookie); err != nil || !reflect.DeepEqual(got, u) {
			t.Fatalf("SessionUser = %+v, %v; want %+v", got, err, u)
		}

		flip := []byte(secret)
		flip[0] ^= 1
		tests := []struct{ name, cookie string }{
			{"tampered secret", id + "." + string(flip)},
			{"secret of another length", cookie + "A"},
			{"unknown id", "AAAAAAAAAAAAAAAAAAAAAA." + secret},
			{"no dot", id + secret},
			{"empty", ""},
			{"dot only", "."},
			{"no secret", id + "."},
			{"no id", "." + secret},
			{"sql", "' OR 1=1 --.x"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got, err := s.SessionUser(ctx, tt.cookie); !errors.Is(err, ErrNotFound) || !reflect.DeepEqual(got, User{}) {
					t.Errorf("SessionUser(%q) = %+v, %v; want ErrNotFound", tt.cookie, got, err)
				}
			})
		}

		// Only a hash of the secret is kept.
		var hash []byte
		if err := s.read.QueryRow(`SELECT secret_hash FROM sessions WHERE id = ?`, id).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		rawSecret, _ := base64.RawURLEncoding.DecodeString(secret)
		if bytes.Contains(hash, []byte(secret)) || len(rawSecret) == 0 || bytes.Contains(hash, rawSecret) {
			t.Errorf("sessions.secret_hash holds the secret in clear")
		}
		if want := sha256.Sum256([]byte(secret)); !bytes.Equal(hash, want[:]) {
			t.Errorf("secret_hash = %x, want sha256 of the secret", hash)
		}
		if n := countRows(t, s, "sessions", "CAST(secret_hash AS TEXT) LIKE ? OR created_at LIKE ? OR expires_at LIKE ?",
			"%"+secret+"%", "%"+secret+"%", "%"+secret+"%"); n != 0 {
			t.Errorf("%d session rows mention the secret", n)
		}

		// Absolute expiry, on the injected clock, for a session used every 20 minutes (so the
		// idle timeout never ends it first).
		for used := time.Duration(0); used+20*time.Minute < SessionLifetime; used += 20 * time.Minute {
			clock.Advance(20 * time.Minute)
			if _, err := s.SessionUser(ctx, cookie); err != nil {
				t.Fatalf("SessionUser after %s of steady use: %v", used+20*time.Minute, err)
			}
		}
		clock.Set(fixedTime.Add(SessionLifetime - time.Second))
		if _, err := s.SessionUser(ctx, cookie); err != nil {
			t.Errorf("SessionUser 1s before expiry: %v", err)
		}
		clock.Advance(time.Second)
		if _, err := s.SessionUser(ctx, cookie); !errors.Is(err, ErrNotFound) {
			t.Errorf("SessionUser at expiry: err = %v, want ErrNotFound", err)
		}
		// The next login sweeps the expired session away (the sweep takes sessions past expiry).
		clock.Advance(time.Second)
		fresh, err := s.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "sessions", "id = ?", id); n != 0 {
			t.Errorf("expired session still stored after a new login")
		}
		if got, err := s.SessionUser(ctx, fresh); err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("SessionUser(fresh) = %+v, %v", got, err)
		}

		// Idle expiry: each use restarts the idle clock; SessionIdle without use ends the session.
		idle, _ := s.CreateSession(ctx, u.ID)
		clock.Advance(SessionIdle - time.Second)
		if _, err := s.SessionUser(ctx, idle); err != nil {
			t.Errorf("SessionUser 1s before idle timeout: %v", err)
		}
		clock.Advance(SessionIdle - time.Second)
		if _, err := s.SessionUser(ctx, idle); err != nil {
			t.Errorf("SessionUser after use restarted the idle clock: %v", err)
		}
		clock.Advance(SessionIdle)
		if _, err := s.SessionUser(ctx, idle); !errors.Is(err, ErrNotFound) {
			t.Errorf("SessionUser after %s idle: err = %v, want ErrNotFound", SessionIdle, err)
		}

		// Logout ends the session; logging out twice is not an error.
		other, _ := s.CreateSession(ctx, u.ID)
		if err := s.DeleteSession(ctx, u.ID, fresh); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
		if _, err := s.SessionUser(ctx, fresh); !errors.Is(err, ErrNotFound) {
			t.Errorf("SessionUser after logout: err = %v, want ErrNotFound", err)
		}
		if _, err := s.SessionUser(ctx, other); err != nil {
			t.Errorf("logout ended another session too: %v", err)
		}
		if err := s.DeleteSession(ctx, u.ID, fresh); err != nil {
			t.Errorf("second DeleteSession: %v", err)
		}
		if got := countRows(t, s, "audit_log", "action = 'login' AND user_id = ?", u.ID); got != 4 {
			t.Errorf("login audit rows = %d, want 4", got)
		}
		if got := countRows(t, s, "audit_log", "action = 'logout' AND user_id = ?", u.ID); got != 2 {
			t.Errorf("logout audit rows = %d, want 2", got)
		}
	})
}

func TestRecordAndRecentAudit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		u := mustCreateUser(t, s, "alice", RoleAdmin)
		for i, a := range []string{"export", "login", "logout"} {
			clock.Advance(time.Minute)
			if err := s.Record(ctx, int64(i%2)*u.ID, a, "detail "+a); err != nil {
				t.Fatalf("Record(%s): %v", a, err)
			}
		}
		entries, err := s.RecentAudit(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Action, Username, Detail string
			At                       time.Time
		}
		var got []row
		for _, e := range entries {
			got = append(got, row{e.Action, e.Username, e.Detail, e.At})
		}
		want := []row{
			{"logout", "", "detail logout", fixedTime.Add(3 * time.Minute)},
			{"login", "alice", "detail login", fixedTime.Add(2 * time.Minute)},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("RecentAudit(2) = %+v\nwant %+v", got, want)
		}
	})
}

// TestPasswordCost: new passwords are hashed at bcrypt's default cost unless the store was
// opened with another (tests lower it), for new accounts, the first administrator and resets.
func TestPasswordCost(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		costOf := func(t *testing.T, s *Store, username string) int {
			t.Helper()
			var hash string
			if err := s.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE username = ?`, username).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			cost, err := bcrypt.Cost([]byte(hash))
			if err != nil {
				t.Fatal(err)
			}
			return cost
		}
		tests := []struct {
			name string
			opt  Options
			want int
		}{
			{"default", Options{Now: fixedClock}, bcrypt.DefaultCost},
			{"lowered", Options{Now: fixedClock, PasswordCost: bcrypt.MinCost}, bcrypt.MinCost},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s, err := Open(ctx, b.dsn(t), tt.opt)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				u, err := s.CreateUser(ctx, 0, "审核员乙", "a-long-password-123", RoleReviewer)
				if err != nil {
					t.Fatal(err)
				}
				if got := costOf(t, s, u.Username); got != tt.want {
					t.Errorf("new account's cost %d, want %d", got, tt.want)
				}
				if err := s.ResetPassword(ctx, 0, u.ID, "another-long-password"); err != nil {
					t.Fatal(err)
				}
				if got := costOf(t, s, u.Username); got != tt.want {
					t.Errorf("reset password's cost %d, want %d", got, tt.want)
				}
				if _, err := s.Authenticate(ctx, u.Username, "another-long-password"); err != nil {
					t.Errorf("login after reset: %v", err)
				}
			})
		}
		if _, err := Open(ctx, b.dsn(t), Options{PasswordCost: 99}); err == nil {
			t.Error("Open with bcrypt cost 99 succeeded, want an error")
		}
	})
}
