package storage

import (
	"context"
	"database/sql"
	"sort"
	"testing"
	"time"

	"minsheng/access"
)

// mustUser adds a staff member of role (a liaison of unit) and returns their id.
func mustUser(t *testing.T, s *Store, name, role, unit string) int64 {
	t.Helper()
	u, err := s.CreateScopedUser(context.Background(), 0, NewUser{Username: name, Password: "correct horse battery", Role: role, Unit: unit})
	if err != nil {
		t.Fatalf("CreateScopedUser(%s): %v", name, err)
	}
	return u.ID
}

// mustQueue queues ev (with key) in a transaction of its own.
func mustQueue(t *testing.T, s *Store, ev Event, key string) {
	t.Helper()
	err := s.writeTx(context.Background(), func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return s.queueEventOnce(ctx, tx, now, ev, key)
	})
	if err != nil {
		t.Fatalf("queue %+v: %v", ev, err)
	}
}

// inboxOwners returns the ids of the people with an inbox line of kind, sorted.
func inboxOwners(t *testing.T, s *Store, kind string) []int64 {
	t.Helper()
	ids, err := collect(context.Background(), s.read, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT user_id FROM notifications WHERE kind = ?`, kind)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func TestQueueEventRecipients(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		hospital := mustUser(t, s, "hospital-liaison", access.Liaison, "county-hospital")
		bureau := mustUser(t, s, "bureau-liaison", access.Liaison, "bureau")
		other := mustUser(t, s, "tcm-liaison", access.Liaison, "tcm-hospital")
		supervisor := mustUser(t, s, "supervisor", access.Supervisor, "")
		_ = other
		id := mustCreateOpinion(t, s, NewOpinion{})
		cases := []struct {
			name string
			ev   Event
			want []int64
		}{
			{"assigned: the lead unit's liaisons", Event{Kind: EventAssigned, OpinionID: id, Unit: "county-hospital"}, []int64{hospital}},
			{"overdue: also the parent unit's liaison (督办)", Event{Kind: EventOverdue, OpinionID: id, Unit: "county-hospital"}, []int64{hospital, bureau}},
			{"回头看: the supervisors", Event{Kind: EventLookBackDue, OpinionID: id, Unit: "county-hospital"}, []int64{supervisor}},
			{"a person named", Event{Kind: EventDeadlineSoon, OpinionID: id, UserID: supervisor}, []int64{supervisor}},
			{"public kind: nothing written", Event{Kind: EventNewOpinion, OpinionID: id, Unit: "county-hospital"}, nil},
			{"public 不满意: nothing written", Event{Kind: EventDissatisfied, OpinionID: id, Unit: "county-hospital"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				mustQueue(t, s, c.ev, "")
				got := inboxOwners(t, s, c.ev.Kind)
				if len(got) != len(c.want) {
					t.Fatalf("inbox of %s = %v, want %v", c.ev.Kind, got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Fatalf("inbox of %s = %v, want %v", c.ev.Kind, got, c.want)
					}
				}
			})
		}
	})
}

func TestQueueEventOnceAndPreferences(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		liaison := mustUser(t, s, "liaison", access.Liaison, "county-hospital")
		id := mustCreateOpinion(t, s, NewOpinion{})
		ev := Event{Kind: EventDeadlineToday, OpinionID: id, Unit: "county-hospital"}
		mustQueue(t, s, ev, "deadline_today:"+id+":2026-04-01")
		mustQueue(t, s, ev, "deadline_today:"+id+":2026-04-01")
		if got := inboxOwners(t, s, EventDeadlineToday); len(got) != 1 {
			t.Fatalf("a keyed reminder queued twice gave %d inbox lines, want 1", len(got))
		}
		if err := s.queueEvent(ctx, nil, fixedTime, Event{Kind: "gossip"}); err == nil {
			t.Fatal("an unknown kind was accepted")
		}
		// The role default sends assigned work by mail; the person turns the inbox off.
		exec := func(q string, args ...any) {
			if _, err := s.write.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`INSERT INTO notify_role_defaults (role, kind, channel, enabled) VALUES ('liaison', 'assigned', 'email', 1)`)
		exec(`INSERT INTO notify_prefs (user_id, kind, channel, enabled) VALUES (?, 'assigned', 'inbox', 0)`, liaison)
		mails := func() int {
			var n int
			if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notify_outbox WHERE channel = 'email' AND user_id = ? AND kind = 'assigned'`, liaison).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Without an address no mail is queued (it could only fail).
		mustQueue(t, s, Event{Kind: EventAssigned, OpinionID: id, Unit: "county-hospital"}, "")
		if n := mails(); n != 0 {
			t.Errorf("no address, yet %d mails queued", n)
		}
		exec(`INSERT INTO notify_people (user_id, email) VALUES (?, 'liaison@hospital.example')`, liaison)
		mustQueue(t, s, Event{Kind: EventAssigned, OpinionID: id, Unit: "county-hospital"}, "")
		if got := inboxOwners(t, s, EventAssigned); len(got) != 0 {
			t.Errorf("inbox turned off, yet %d lines", len(got))
		}
		if mails := mails(); mails != 1 {
			t.Errorf("role default e-mail: %d outbox rows, want 1", mails)
		}
	})
}

// What leaves the portal for a 举报 does not name its unit, and no robot hears of it.
func TestSecretOpinionLeavesNoUnit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		jijian := mustUser(t, s, "jijian", access.Discipline, "")
		liaison := mustUser(t, s, "liaison", access.Liaison, "county-hospital")
		for _, id := range []int64{jijian, liaison} {
			if err := s.SetNotifyPreferences(ctx, id, NotifyPerson{Email: "x@example.cn"}, Choices{EventAssigned: {ChannelInbox: true, ChannelEmail: true, ChannelWebhook: true}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetUnitWebhook(ctx, 0, UnitWebhook{Unit: "county-hospital", URL: "https://qyapi.weixin.qq.com/x", Format: RobotWeCom}); err != nil {
			t.Fatal(err)
		}
		id := mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType})
		mustQueue(t, s, Event{Kind: EventAssigned, OpinionID: id, Unit: "county-hospital"}, "")
		type row struct {
			channel, unit string
			user          int64
		}
		rows, err := collect(ctx, s.read, func(r *sql.Rows) (row, error) {
			var x row
			return x, r.Scan(&x.channel, &x.unit, &x.user)
		}, `SELECT channel, event_unit, COALESCE(user_id, 0) FROM notify_outbox`)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].channel != ChannelEmail || rows[0].unit != "" || rows[0].user != jijian {
			t.Errorf("outbox for a 举报 = %+v, want one mail to 纪检 naming no unit", rows)
		}
	})
}
