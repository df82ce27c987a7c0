package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/workday"
)

func TestStepsTellStaff(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		liaison := mustUser(t, s, "liaison", access.Liaison, "county-hospital")
		supervisor := mustUser(t, s, "supervisor", access.Supervisor, "")
		discipline := mustUser(t, s, "jijian", access.Discipline, "")
		id := mustCreateOpinion(t, s, NewOpinion{})
		walkTo(t, s, id, lifecycle.Assigned)
		if got := inboxOwners(t, s, EventAssigned); len(got) != 1 || got[0] != liaison {
			t.Fatalf("交办 told %v, want the lead unit's liaison %d", got, liaison)
		}
		var deadline string
		if err := s.read.QueryRow(`SELECT deadline FROM notifications WHERE kind = 'assigned'`).Scan(&deadline); err != nil || deadline != "2030-01-01" {
			t.Errorf("the inbox line's deadline = %q (%v), want the step's", deadline, err)
		}
		walkTo(t, s, id, lifecycle.Reported)
		if got := inboxOwners(t, s, EventLookBackDue); len(got) != 1 || got[0] != supervisor {
			t.Errorf("待回头看 told %v, want the supervisor %d", got, supervisor)
		}
		// A 举报 handed on is 纪检's alone: the liaison does not hear that it exists.
		report := mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType})
		walkTo(t, s, report, lifecycle.Assigned)
		owners, err := collect(context.Background(), s.read, func(r *sql.Rows) (int64, error) {
			var u int64
			return u, r.Scan(&u)
		}, `SELECT user_id FROM notifications WHERE opinion_id = ?`, report)
		if err != nil {
			t.Fatal(err)
		}
		if len(owners) != 1 || owners[0] != discipline {
			t.Errorf("a 举报's 交办 told %v, want 纪检 (%d) alone", owners, discipline)
		}
	})
}

func TestSweepDeadlines(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime) // 2026-04-01 in China, a Wednesday
		s := b.mustOpenClock(t, c)
		ctx := context.Background()
		hospital := mustUser(t, s, "hospital", access.Liaison, "county-hospital")
		bureau := mustUser(t, s, "bureau", access.Liaison, "bureau")
		cal := workday.New(nil)
		today, _ := workday.ParseDate("2026-04-01")
		cases := []struct {
			name     string
			deadline string
			kind     string
			want     []int64
		}{
			{"3 working days ahead: soon", cal.AddWorkdays(today, SoonWorkdays).String(), EventDeadlineSoon, []int64{hospital}},
			{"the day itself", "2026-04-01", EventDeadlineToday, []int64{hospital}},
			{"overdue: the parent unit's liaison too (督办)", "2026-03-30", EventOverdue, []int64{hospital, bureau}},
		}
		var far string
		{
			far = mustCreateOpinion(t, s, NewOpinion{})
			walkTo(t, s, far, lifecycle.Assigned)
			if _, err := s.write.Exec(`UPDATE rectifications SET deadline = ? WHERE opinion_id = ?`,
				cal.AddWorkdays(today, SoonWorkdays+1).String(), far); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cases {
			id := mustCreateOpinion(t, s, NewOpinion{})
			walkTo(t, s, id, lifecycle.Assigned)
			if _, err := s.write.Exec(`UPDATE rectifications SET deadline = ? WHERE opinion_id = ?`, c.deadline, id); err != nil {
				t.Fatal(err)
			}
		}
		for run, want := range []int{len(cases), 0} {
			n, err := s.SweepDeadlines(ctx, cal)
			if err != nil || n != want {
				t.Fatalf("sweep %d queued %d (%v), want %d", run+1, n, err, want)
			}
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := inboxOwners(t, s, c.kind)
				if len(got) != len(c.want) || got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1] {
					t.Errorf("%s (swept twice) told %v, want %v once each", c.kind, got, c.want)
				}
			})
		}
		var farLines int
		_ = s.read.QueryRow(`SELECT count(*) FROM notifications WHERE opinion_id = ? AND kind != 'assigned'`, far).Scan(&farLines)
		if farLines != 0 {
			t.Errorf("a deadline %d working days away was reminded of", SoonWorkdays+1)
		}
	})
}

func TestDigestOfPublicEvents(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime) // 2026-04-01 01:30 in China
		s := b.mustOpenClock(t, c)
		ctx := context.Background()
		reviewer := mustUser(t, s, "reviewer", access.Reviewer, "")
		discipline := mustUser(t, s, "jijian", access.Discipline, "")
		if _, err := s.write.Exec(`INSERT INTO notify_role_defaults (role, kind, channel, enabled) VALUES
		('reviewer', 'new_opinion', 'email', 1), ('reviewer', 'dissatisfied', 'email', 1), ('discipline', 'report', 'email', 1)`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.Exec(`INSERT INTO notify_people (user_id, email) VALUES (?, 'r@example.cn'), (?, 'j@example.cn')`, reviewer, discipline); err != nil {
			t.Fatal(err)
		}
		mustCreateOpinion(t, s, NewOpinion{})
		mustCreateOpinion(t, s, NewOpinion{})
		mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType, Content: "院长收受回扣"})
		if got, err := s.PublicCounts(ctx, access.Viewer{Role: access.Reviewer}, "2026-04-01"); err != nil ||
			got[EventNewOpinion] != 2 || got[EventReport] != 0 {
			t.Fatalf("a reviewer's counts = %v (%v), want 2 new and no 举报", got, err)
		}
		var outbox int
		_ = s.read.QueryRow(`SELECT count(*) FROM notify_outbox`).Scan(&outbox)
		if outbox != 0 {
			t.Fatalf("public requests wrote %d outbox rows; they must write none", outbox)
		}
		c.Set(time.Date(2026, 4, 1, 23, 0, 0, 0, time.UTC)) // 07:00 on the 2nd in China: too early
		if ok, err := s.QueueDigest(ctx); ok || err != nil {
			t.Fatalf("QueueDigest before %d:00 = %v, %v", DigestHour, ok, err)
		}
		c.Set(time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)) // 09:00
		if ok, err := s.QueueDigest(ctx); !ok || err != nil {
			t.Fatalf("QueueDigest at 09:00 = %v, %v", ok, err)
		}
		if ok, _ := s.QueueDigest(ctx); ok {
			t.Fatal("the digest was queued twice in a day")
		}
		digests := map[int64]map[string]int{}
		rows, err := s.read.Query(`SELECT user_id, counts FROM notify_outbox WHERE kind = 'digest'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u int64
			var counts string
			if err := rows.Scan(&u, &counts); err != nil {
				t.Fatal(err)
			}
			m := map[string]int{}
			_ = json.Unmarshal([]byte(counts), &m)
			digests[u] = m
		}
		rows.Close()
		if len(digests) != 2 || digests[reviewer][EventNewOpinion] != 2 || digests[reviewer][EventReport] != 0 ||
			digests[discipline][EventReport] != 1 {
			t.Errorf("digests = %v, want the reviewer's 2 new opinions and 纪检's 1 举报", digests)
		}
	})
}
