package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/lifecycle"
	"minsheng/storage"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestRawHelpersOnBothEngines: the helpers that write behind storage's back do what they say
// on SQLite and PostgreSQL alike, and HoldWriteLock makes the store's writes busy on both.
func TestRawHelpersOnBothEngines(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, e Engine) {
		t.Parallel()
		ctx := context.Background()
		st, clock := OpenOn(t, e, time.Date(2026, 4, 1, 4, 0, 0, 0, time.UTC))
		if got := Engine(st.Backend()); got != e {
			t.Fatalf("OpenOn(%s) opened %s", e, got)
		}
		SetDay(t, clock, "2026-04-02")
		id := Opinion(t, st, storage.NewOpinion{})
		before := Fingerprint(t, st)

		SetOpinionID(t, st, id, "OLDID12345")
		if o, err := st.Opinion(ctx, "OLDID12345"); err != nil || o.Content == "" {
			t.Fatalf("after SetOpinionID: %+v, %v", o, err)
		}
		if _, err := st.Opinion(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the old id still answers: %v", err)
		}
		for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
			if to == lifecycle.Received {
				continue
			}
			if err := st.Transition(ctx, 0, "OLDID12345", lifecycle.Step{To: to, LeadUnit: "county-hospital", Ledger: "problem",
				Responsible: "科主任", Measures: "增开窗口", Deadline: "2026-04-30", Note: "已转交"}); err != nil {
				t.Fatalf("→ %s: %v", to, err)
			}
		}
		SetDeadline(t, st, "OLDID12345", "2026-03-01")
		SetRectificationNote(t, st, "OLDID12345", "旧版本的说明")
		if r, err := st.Rectification(ctx, "OLDID12345"); err != nil || r.Deadline != "2026-03-01" || r.Note != "旧版本的说明" {
			t.Errorf("after SetDeadline and SetRectificationNote: %+v, %v", r, err)
		}
		AddAuditRow(t, st, 0, "note", "OLDID12345", "旧的记录", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
		if n := CountAudit(t, st, "note", "旧的记录"); n != 1 {
			t.Errorf("CountAudit = %d, want the 1 row added", n)
		}
		if after := Fingerprint(t, st); after == before {
			t.Errorf("the fingerprint did not change with the opinion's id and status:\n%s", after)
		}

		release := HoldWriteLock(t, st)
		if _, err := st.CreateSetupToken(ctx); !errors.Is(err, storage.ErrBusy) {
			t.Errorf("a write while the lock is held: %v, want ErrBusy", err)
		}
		if _, err := st.Opinion(ctx, "OLDID12345"); err != nil {
			t.Errorf("a read while the lock is held: %v", err)
		}
		release()
		if _, err := st.CreateSetupToken(ctx); err != nil {
			t.Errorf("a write after the lock is let go: %v", err)
		}
	})
}
