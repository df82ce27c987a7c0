package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/access"
)

// Ensure the language a staff member chooses is kept and comes back with their session, and
// that no one else's changes.
func TestSetLanguage(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		me := mustCreateScoped(t, s, NewUser{Username: "reviewer", Role: access.Reviewer})
		other := mustCreateScoped(t, s, NewUser{Username: "other", Role: access.Reviewer})
		mine, theirs := mustSession(t, s, me), mustSession(t, s, other)

		langOf := func(cookie string) string {
			t.Helper()
			u, err := s.SessionUser(ctx, cookie)
			if err != nil {
				t.Fatalf("SessionUser: %v", err)
			}
			return u.Lang
		}
		if got := langOf(mine); got != "" {
			t.Fatalf("Lang of a new account = %q, want \"\" (the default)", got)
		}
		tests := []struct{ name, lang string }{
			{"english", "en"},
			{"traditional", "zh-Hant"},
			{"back to simplified", "zh-CN"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := s.SetLanguage(ctx, me.ID, tt.lang); err != nil {
					t.Fatalf("SetLanguage(%q): %v", tt.lang, err)
				}
				if got := langOf(mine); got != tt.lang {
					t.Errorf("SessionUser Lang = %q, want %q", got, tt.lang)
				}
				if got := langOf(theirs); got != "" {
					t.Errorf("another user's Lang = %q, want \"\"", got)
				}
			})
		}
		t.Run("unknown user", func(t *testing.T) {
			if err := s.SetLanguage(ctx, 9999, "en"); !errors.Is(err, ErrNotFound) {
				t.Errorf("SetLanguage(unknown user) = %v, want ErrNotFound", err)
			}
		})
	})
}
