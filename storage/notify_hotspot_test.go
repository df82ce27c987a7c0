package storage

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"minsheng/access"
)

// The hot-spot sweep is due once a day from DigestHour and counts up to yesterday; after a
// server down on the 1st, the first sweep of the month's first week counts the last day of the
// month before as well.
func TestHotSpotsDue(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		cst := time.FixedZone("CST", 8*3600)
		c := newClock(time.Date(2026, 5, 1, 7, 59, 0, 0, cst))
		s := b.mustOpenClock(t, c)
		ctx := context.Background()
		steps := []struct {
			name    string
			at      time.Time
			queue   bool
			due     bool
			through string
		}{
			{"the 1st before the digest hour: not yet", time.Date(2026, 5, 1, 7, 59, 0, 0, cst), false, false, ""},
			{"the 1st from the digest hour: the month before, to its last day", time.Date(2026, 5, 1, 8, 0, 0, 0, cst), true, true, "2026-04-30"},
			{"done today: not again", time.Date(2026, 5, 1, 17, 0, 0, 0, cst), false, false, ""},
			{"the next day: up to yesterday", time.Date(2026, 5, 2, 9, 0, 0, 0, cst), true, true, "2026-05-01"},
			{"down on 1 June, back on the 3rd: 31 May too", time.Date(2026, 6, 3, 9, 0, 0, 0, cst), true, true, "2026-05-31 2026-06-02"},
			{"the 4th: the 3rd counted the month's end", time.Date(2026, 6, 4, 9, 0, 0, 0, cst), false, true, "2026-06-03"},
			{"down for the first week of July: the month's end is not looked for any more", time.Date(2026, 7, 9, 9, 0, 0, 0, cst), false, true, "2026-07-08"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				c.Set(st.at)
				through, due, err := s.HotSpotsDue(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(through, " "); due != st.due || got != st.through {
					t.Fatalf("HotSpotsDue = %q, %v; want %q, %v", got, due, st.through, st.due)
				}
				if st.queue {
					if _, err := s.QueueHotSpots(ctx, nil); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	})
}

// Administrators and reviewers are told of every unit, a liaison of its own; nobody else, and
// nobody disabled. Each reader's scope is the one a session would give them.
func TestHotSpotReaders(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustUser(t, s, "admin2", access.Admin, "")
		reviewer := mustUser(t, s, "reviewer", access.Reviewer, "")
		liaison := mustUser(t, s, "liaison", access.Liaison, "county-hospital")
		gone := mustUser(t, s, "gone", access.Reviewer, "")
		mustUser(t, s, "supervisor", access.Supervisor, "")
		mustUser(t, s, "jijian", access.Discipline, "")
		if err := s.SetUserDisabled(ctx, 0, gone, true); err != nil {
			t.Fatal(err)
		}
		units, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		readers, err := s.HotSpotReaders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]HotSpotReader{}
		for _, r := range readers {
			got[r.UserID] = r
		}
		cases := []struct {
			name  string
			id    int64
			units int // how many units; 1 means county-hospital
			role  string
		}{
			{"an administrator: every unit", admin, len(units), access.Admin},
			{"a reviewer: every unit", reviewer, len(units), access.Reviewer},
			{"a liaison: its own unit", liaison, 1, access.Liaison},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r, ok := got[c.id]
				if !ok {
					t.Fatalf("user %d is not a reader", c.id)
				}
				if len(r.Units) != c.units || (c.units == 1 && r.Units[0] != "county-hospital") {
					t.Errorf("units = %v, want %d", r.Units, c.units)
				}
				if r.Viewer.Role != c.role || r.Viewer.Today != s.Today() {
					t.Errorf("viewer = %+v, want role %s and today", r.Viewer, c.role)
				}
			})
		}
		if len(readers) != len(cases) {
			t.Errorf("%d readers, want %d (no supervisor, 纪检 or disabled account)", len(readers), len(cases))
		}
	})
}

// Each reader is told of a warning once, however many days it lasts; one notice per unit
// however many warnings; a new warning is told anew; the unit's robot hears it once from its
// liaisons and never from the office; nothing but kind, unit and day is written.
func TestQueueHotSpots(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, eng backend) {
		t.Parallel()
		cst := time.FixedZone("CST", 8*3600)
		c := newClock(time.Date(2026, 5, 6, 9, 0, 0, 0, cst))
		s := eng.mustOpenClock(t, c)
		ctx := context.Background()
		reviewer := mustUser(t, s, "reviewer", access.Reviewer, "")
		liaison := mustUser(t, s, "liaison", access.Liaison, "county-hospital")
		second := mustUser(t, s, "liaison2", access.Liaison, "county-hospital")
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := s.write.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`INSERT INTO unit_webhooks (unit_code, url, format) VALUES ('county-hospital', 'https://robot.example/h', 'wecom'),
		('tcm-hospital', 'https://robot.example/t', 'wecom')`)
		exec(`INSERT INTO notify_role_defaults (role, kind, channel, enabled) VALUES ('liaison', 'hot_spot', 'webhook', 1),
		('reviewer', 'hot_spot', 'webhook', 1), ('reviewer', 'hot_spot', 'email', 1)`)
		exec(`INSERT INTO notify_people (user_id, email) VALUES (?, 'office@bureau.example')`, reviewer)
		exec(`INSERT INTO notify_prefs (user_id, kind, channel, enabled) VALUES (?, 'hot_spot', 'inbox', 0)`, second)
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := s.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		days := []struct {
			name     string
			at       time.Time
			notices  []HotSpotNotice
			queued   int
			inbox    map[int64]int // lines in the inbox so far, per person
			robots   int           // robot posts so far (county-hospital's only)
			reviewer int           // mails to the reviewer so far
		}{
			{"two warnings in the hospital, one in the TCM hospital", time.Date(2026, 5, 6, 9, 0, 0, 0, cst), []HotSpotNotice{
				{UserID: reviewer, Unit: "county-hospital", Key: "a"}, {UserID: reviewer, Unit: "county-hospital", Key: "b"}, {UserID: reviewer, Unit: "tcm-hospital", Key: "c"},
				{UserID: liaison, Unit: "county-hospital", Key: "a"}, {UserID: second, Unit: "county-hospital", Key: "a"},
			}, 4, map[int64]int{reviewer: 2, liaison: 1, second: 0}, 1, 2},
			{"the same warnings the next day: nothing", time.Date(2026, 5, 7, 9, 0, 0, 0, cst), []HotSpotNotice{
				{UserID: reviewer, Unit: "county-hospital", Key: "a"}, {UserID: reviewer, Unit: "county-hospital", Key: "b"}, {UserID: reviewer, Unit: "tcm-hospital", Key: "c"},
				{UserID: liaison, Unit: "county-hospital", Key: "a"}, {UserID: second, Unit: "county-hospital", Key: "a"},
			}, 0, map[int64]int{reviewer: 2, liaison: 1, second: 0}, 1, 2},
			{"a new warning for the liaison alone", time.Date(2026, 5, 8, 9, 0, 0, 0, cst), []HotSpotNotice{
				{UserID: reviewer, Unit: "county-hospital", Key: "a"}, {UserID: liaison, Unit: "county-hospital", Key: "a"}, {UserID: liaison, Unit: "county-hospital", Key: "d"},
			}, 1, map[int64]int{reviewer: 2, liaison: 2, second: 0}, 2, 2},
		}
		for _, d := range days {
			t.Run(d.name, func(t *testing.T) {
				c.Set(d.at)
				through := d.at.AddDate(0, 0, -1).Format(dateLayout)
				notices := slices.Clone(d.notices)
				for i := range notices {
					notices[i].Through = through
				}
				n, err := s.QueueHotSpots(ctx, notices)
				if err != nil {
					t.Fatal(err)
				}
				if n != d.queued {
					t.Errorf("queued %d, want %d", n, d.queued)
				}
				again, err := s.QueueHotSpots(ctx, notices)
				if err != nil || again != 0 {
					t.Errorf("a second sweep the same day queued %d (%v), want 0", again, err)
				}
				for id, want := range d.inbox {
					if got := count(`SELECT count(*) FROM notifications WHERE kind = 'hot_spot' AND user_id = ?`, id); got != want {
						t.Errorf("user %d has %d hot-spot lines, want %d", id, got, want)
					}
				}
				if got := count(`SELECT count(*) FROM notify_outbox WHERE channel = 'webhook' AND kind = 'hot_spot' AND unit_code = 'county-hospital'`); got != d.robots {
					t.Errorf("%d posts to the hospital's robot, want %d", got, d.robots)
				}
				if got := count(`SELECT count(*) FROM notify_outbox WHERE channel = 'webhook' AND unit_code != 'county-hospital'`); got != 0 {
					t.Errorf("%d posts to another unit's robot: the office's choice must not post there", got)
				}
				if got := count(`SELECT count(*) FROM notify_outbox WHERE channel = 'email' AND user_id = ? AND kind = 'hot_spot'`, reviewer); got != d.reviewer {
					t.Errorf("%d mails to the reviewer, want %d", got, d.reviewer)
				}
				if got := count(`SELECT count(*) FROM notifications WHERE kind = 'hot_spot' AND (opinion_id != '' OR deadline != ?) AND created_at > ?`,
					through, d.at.Add(-time.Second).UTC().Format(timeLayout)); got != 0 {
					t.Errorf("%d of today's lines name an opinion or another day than %s", got, through)
				}
			})
		}
		if got := count(`SELECT count(*) FROM notify_keys WHERE key LIKE 'hot_spot:%' AND (key LIKE '%county%' OR length(key) != 49)`); got != 0 {
			t.Errorf("%d keys are not hashed", got)
		}
	})
}
