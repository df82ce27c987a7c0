package storage

import (
	"context"
	"path/filepath"
	"testing"
)

// Ensure migration 0020 gives the seeded director's mailbox a note in public words, and leaves a
// note the administrator wrote themselves as it is.
// SQLite only: an upgrade from a schema before PostgreSQL's (its 0001 folds these migrations; TestFoldedPostgresMigrationsAreEmpty).
func TestSeededMailboxNoteInPublicWords(t *testing.T) {
	t.Parallel()
	const seeded = "由局长和局活动办阅读、交办。"
	tests := []struct {
		name, note, want string
	}{
		{"seeded note", seeded, "由局长、局领导和卫生健康局意见办理人员阅读，交给负责的单位办理。"},
		{"the administrator's own note", "由局长本人阅读。", "由局长本人阅读。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.db")
			db := openMigratedTo(t, path, "0019_visit_rounds_and_checks.sql")
			var before string
			if err := db.QueryRowContext(ctx, `SELECT readers_note FROM mailboxes WHERE code = 'director'`).Scan(&before); err != nil || before != seeded {
				t.Fatalf("seeded note before 0020: %q, %v; want %q", before, err, seeded)
			}
			if _, err := db.ExecContext(ctx, `UPDATE mailboxes SET readers_note = ? WHERE code = 'director'`, tt.note); err != nil {
				t.Fatal(err)
			}
			db.Close()

			s := openAt(t, path, fixedClock)
			m, err := s.Mailbox(ctx, "director")
			if err != nil {
				t.Fatal(err)
			}
			if m.ReadersNote != tt.want {
				t.Errorf("note after 0020: %q, want %q", m.ReadersNote, tt.want)
			}
		})
	}
}
