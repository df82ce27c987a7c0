package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"minsheng/access"
)

// mustCreateScoped adds a staff member with a unit or linked units and testPassword.
func mustCreateScoped(t *testing.T, s *Store, n NewUser) User {
	t.Helper()
	n.Password = testPassword
	u, err := s.CreateScopedUser(context.Background(), 0, n)
	if err != nil {
		t.Fatalf("CreateScopedUser(%+v): %v", n, err)
	}
	return u
}

// mustSession logs u in and returns the cookie value.
func mustSession(t *testing.T, s *Store, u User) string {
	t.Helper()
	ck, err := s.CreateSession(context.Background(), u.ID)
	if err != nil {
		t.Fatalf("CreateSession(%s): %v", u.Username, err)
	}
	return ck
}

// wantLastAudit checks the newest audit row.
func wantLastAudit(t *testing.T, s *Store, action, detail string) {
	t.Helper()
	rows, err := s.RecentAudit(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Action != action || rows[0].Detail != detail {
		t.Fatalf("last audit = %+v, want %s %q", rows, action, detail)
	}
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		mustCreateScoped(t, s, NewUser{Username: "zeta-reviewer", Role: access.Reviewer})
		mustCreateScoped(t, s, NewUser{Username: "leader", Role: access.Leader, Linked: []string{"tcm-hospital", "bureau"}})
		mustCreateScoped(t, s, NewUser{Username: "liaison", Role: access.Liaison, Unit: "county-hospital"})
		admin := mustCreateScoped(t, s, NewUser{Username: "admin", Role: access.Admin})
		mustCreateScoped(t, s, NewUser{Username: "alpha-reviewer", Role: access.Reviewer})
		off := mustCreateScoped(t, s, NewUser{Username: "gone", Role: access.Supervisor})
		if err := s.SetUserDisabled(context.Background(), admin.ID, off.ID, true); err != nil {
			t.Fatal(err)
		}
		users, err := s.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			name, role, unit string
			linked           []string
			disabled         bool
		}
		var got []row
		for _, u := range users {
			got = append(got, row{u.Username, u.Role, u.Unit, u.Linked, u.Disabled})
		}
		want := []row{
			{"admin", access.Admin, "", nil, false},
			{"alpha-reviewer", access.Reviewer, "", nil, false},
			{"zeta-reviewer", access.Reviewer, "", nil, false},
			{"liaison", access.Liaison, "county-hospital", nil, false},
			{"leader", access.Leader, "", []string{"bureau", "tcm-hospital"}, false},
			{"gone", access.Supervisor, "", nil, true},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Users:\n got %+v\nwant %+v", got, want)
		}
	})
}

// Ensure nobody can disable themselves or the last active administrator, that disabling ends
// sessions and refuses the login with the same answer as a wrong password, and that enabling
// lets the person back in.
func TestSetUserDisabled(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		first := mustCreateUser(t, s, "first-admin", RoleAdmin)
		second := mustCreateUser(t, s, "second-admin", RoleAdmin)
		rev := mustCreateUser(t, s, "reviewer", RoleReviewer)
		steps := []struct {
			name            string
			actor           int64
			target          User
			disabled        bool
			wantErr         error
			wantLoginWorks  bool
			wantAuditAction string // "" when nothing should be audited
		}{
			{"admin disables themselves", first.ID, first, true, ErrConflict, true, ""},
			{"disable a reviewer", first.ID, rev, true, nil, false, "user_disable"},
			{"disable again changes nothing", first.ID, rev, true, nil, false, ""},
			{"enable the reviewer", first.ID, rev, false, nil, true, "user_enable"},
			{"disable the other admin", first.ID, second, true, nil, false, "user_disable"},
			{"the command line cannot disable the last admin", 0, first, true, ErrConflict, true, ""},
			{"the disabled admin cannot disable the last one", second.ID, first, true, ErrConflict, true, ""},
			{"re-enable the other admin", first.ID, second, false, nil, true, "user_enable"},
			{"now the first admin may be disabled", second.ID, first, true, nil, false, "user_disable"},
			{"unknown user", first.ID, User{ID: 999, Username: "nobody"}, true, ErrNotFound, false, ""},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				var cookie string
				if st.target.ID != 999 {
					cookie = mustSession(t, s, st.target)
				}
				before := countRows(t, s, "audit_log", "")
				err := s.SetUserDisabled(ctx, st.actor, st.target.ID, st.disabled)
				if st.wantErr == nil && err != nil || st.wantErr != nil && !errors.Is(err, st.wantErr) {
					t.Fatalf("SetUserDisabled = %v, want %v", err, st.wantErr)
				}
				if st.wantAuditAction == "" {
					if n := countRows(t, s, "audit_log", ""); n != before {
						t.Errorf("audit rows %d → %d, want no new row", before, n)
					}
				} else {
					wantLastAudit(t, s, st.wantAuditAction, st.target.Username)
				}
				if cookie == "" {
					return
				}
				_, loginErr := s.Authenticate(ctx, st.target.Username, testPassword)
				_, sessErr := s.SessionUser(ctx, cookie)
				if st.wantLoginWorks {
					if loginErr != nil || sessErr != nil {
						t.Errorf("login %v, session %v; want both to work", loginErr, sessErr)
					}
					return
				}
				if !errors.Is(loginErr, ErrBadLogin) {
					t.Errorf("disabled user's login = %v, want ErrBadLogin", loginErr)
				}
				if !errors.Is(sessErr, ErrNotFound) {
					t.Errorf("disabled user's session = %v, want ErrNotFound", sessErr)
				}
				if n := countRows(t, s, "sessions", "user_id = ?", st.target.ID); st.wantAuditAction == "user_disable" && n != 0 {
					t.Errorf("disabled user keeps %d sessions", n)
				}
			})
		}
	})
}

// Ensure a disabled user's wrong and right passwords get the one answer, like an unknown user's.
func TestDisabledUserLogin(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		rev := mustCreateUser(t, s, "rev", RoleReviewer)
		if err := s.SetUserDisabled(ctx, admin.ID, rev.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, user, password string }{
			{"right password", "rev", testPassword},
			{"wrong password", "rev", "wrong-password-xx"},
			{"unknown user", "nobody", testPassword},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := s.Authenticate(ctx, tt.user, tt.password); !errors.Is(err, ErrBadLogin) {
					t.Fatalf("Authenticate = %v, want ErrBadLogin", err)
				}
			})
		}
	})
}

func TestResetPassword(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		rev := mustCreateUser(t, s, "rev", RoleReviewer)
		const newPassword = "a brand new password"
		tests := []struct {
			name     string
			target   int64
			password string
			wantErr  error
		}{
			{"too short", rev.ID, "short", ErrWeakPassword},
			{"unknown user", 999, newPassword, ErrNotFound},
			{"ok", rev.ID, newPassword, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cookie := mustSession(t, s, rev)
				if _, err := s.AdmitLogin(ctx, LoginAttempt{Username: "rev", CaptchaSolved: true}); err != nil { // a failure on record
					t.Fatal(err)
				}
				err := s.ResetPassword(ctx, admin.ID, tt.target, tt.password)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("ResetPassword = %v, want %v", err, tt.wantErr)
					}
					if _, err := s.SessionUser(ctx, cookie); err != nil {
						t.Errorf("a refused reset ended the session: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("ResetPassword: %v", err)
				}
				wantLastAudit(t, s, "user_password", "rev")
				if _, err := s.SessionUser(ctx, cookie); !errors.Is(err, ErrNotFound) {
					t.Errorf("session after reset = %v, want ErrNotFound", err)
				}
				if n, err := s.LoginFailures(ctx, "rev"); err != nil || n != 0 {
					t.Errorf("failures kept after reset: %d (%v)", n, err)
				}
				if _, err := s.Authenticate(ctx, "rev", testPassword); !errors.Is(err, ErrBadLogin) {
					t.Errorf("old password = %v, want ErrBadLogin", err)
				}
				if _, err := s.Authenticate(ctx, "rev", newPassword); err != nil {
					t.Errorf("new password: %v", err)
				}
			})
		}
	})
}

func TestSetLinkedUnits(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		leader := mustCreateScoped(t, s, NewUser{Username: "leader", Role: access.Leader, Linked: []string{"bureau"}})
		liaison := mustCreateScoped(t, s, NewUser{Username: "liaison", Role: access.Liaison, Unit: "bureau"})
		tests := []struct {
			name    string
			target  int64
			units   []string
			wantErr error
			want    []string // the leader's links afterwards
		}{
			{"two units, one repeated", leader.ID, []string{"tcm-hospital", "county-hospital", "tcm-hospital"}, nil,
				[]string{"county-hospital", "tcm-hospital"}},
			{"unknown unit changes nothing", leader.ID, []string{"bureau", "no-such-unit"}, ErrInvalid,
				[]string{"county-hospital", "tcm-hospital"}},
			{"not a leader", liaison.ID, []string{"bureau"}, ErrInvalid, []string{"county-hospital", "tcm-hospital"}},
			{"unknown user", 999, []string{"bureau"}, ErrNotFound, []string{"county-hospital", "tcm-hospital"}},
			{"none", leader.ID, nil, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.SetLinkedUnits(ctx, admin.ID, tt.target, tt.units)
				if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("SetLinkedUnits = %v, want %v", err, tt.wantErr)
				}
				u, err := s.Authenticate(ctx, "leader", testPassword)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(u.Linked, tt.want) {
					t.Errorf("linked = %v, want %v", u.Linked, tt.want)
				}
			})
		}
		wantLastAudit(t, s, "user_links", "leader: ")
	})
}
