package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
)

// keptAgree checks that the kept counts (migration 0062) are the rows' own: the tables group
// for group against a count of the opinions and their open work, and the sidebar summed from
// them against the sidebar counted from the rows, for every viewer and every filter they serve,
// on the clock's day and on a later one (the overdue count moves with the day, not the rows).
func keptAgree(t *testing.T, s *Store, viewers map[string]access.Viewer, stage string) {
	t.Helper()
	ctx := context.Background()
	tablesAgree(t, s, stage)
	served, overdue := 0, 0
	for name, v := range viewers {
		v := v
		for _, f := range []OpinionFilter{{Scope: &v}, {Scope: &v, UnitCode: "county-hospital"}, {Scope: &v, Type: "report"},
			{Scope: &v, Mailbox: "director"}, {Scope: &v, Status: lifecycle.Assigned}, {Scope: &v, UnitCode: "bureau", Type: "suggestion"}, {}} {
			if !keptCountsFit(f) {
				continue
			}
			served++
			got, err := s.StatusCounts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			overdue += got.Overdue
			rows := f
			rows.walk = true // not a filter the kept counts serve: counted from the rows
			want, err := s.StatusCounts(ctx, rows)
			if err != nil {
				t.Fatal(err)
			}
			shown := f
			shown.Scope = nil
			if fmt.Sprint(got.ByStatus, got.Total, got.Overdue) != fmt.Sprint(want.ByStatus, want.Total, want.Overdue) {
				t.Errorf("%s: %s %+v: kept %v %d (%d overdue), rows %v %d (%d overdue)", stage, name, shown,
					got.ByStatus, got.Total, got.Overdue, want.ByStatus, want.Total, want.Overdue)
			}
		}
	}
	if served == 0 || overdue == 0 {
		t.Fatalf("%s: no view served from the kept counts (%d) or none with overdue work (%d): the comparison proves little", stage, served, overdue)
	}
}

// tablesAgree compares queue_counts and queue_overdue_counts, summed over their slots, with the
// same groups counted from opinions and rectifications.
func tablesAgree(t *testing.T, s *Store, stage string) {
	t.Helper()
	for _, q := range []struct{ name, kept, rows string }{
		{"queue_counts",
			`SELECT status, unit_code, type, mailbox_code, CAST(sum(n) AS BIGINT) FROM queue_counts
			GROUP BY status, unit_code, type, mailbox_code HAVING sum(n) != 0 ORDER BY 1, 2, 3, 4`,
			`SELECT status, unit_code, type, mailbox_code, count(*) FROM opinions
			GROUP BY status, unit_code, type, mailbox_code ORDER BY 1, 2, 3, 4`},
		{"queue_overdue_counts",
			`SELECT deadline, unit_code, type, mailbox_code, CAST(sum(n) AS BIGINT) FROM queue_overdue_counts
			GROUP BY deadline, unit_code, type, mailbox_code HAVING sum(n) != 0 ORDER BY 1, 2, 3, 4`,
			`SELECT r.deadline, o.unit_code, o.type, o.mailbox_code, count(*) FROM opinions o JOIN rectifications r ON r.opinion_id = o.id
			WHERE r.deadline != '' AND o.status IN (` + openStatuses() + `)
			GROUP BY r.deadline, o.unit_code, o.type, o.mailbox_code
			UNION ALL SELECT '', o.unit_code, o.type, o.mailbox_code, count(*) FROM opinions o JOIN rectifications r ON r.opinion_id = o.id
			WHERE r.deadline != '' AND o.status IN (` + openStatuses() + `)
			GROUP BY o.unit_code, o.type, o.mailbox_code ORDER BY 1, 2, 3, 4`},
	} {
		kept, rows := groupRows(t, s, q.kept), groupRows(t, s, q.rows)
		if kept != rows {
			t.Errorf("%s: %s kept\n%s\nrows\n%s", stage, q.name, kept, rows)
		}
	}
}

func groupRows(t *testing.T, s *Store, query string) string {
	t.Helper()
	rows, err := s.read.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var a, b, c, d string
		var n int
		if err := rows.Scan(&a, &b, &c, &d, &n); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s %s %s %s %d\n", a, b, c, d, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Ensure the queue's sidebar summed from the kept counts (migration 0062) equals the count of
// the rows, on both engines, for every role it serves, after every kind of change of an
// opinion's status, unit, type or mailbox and of its rectification's deadline: a submission,
// triage, assignment, a rectification, a merge into a problem and out of it, a closing, a
// deadline passed, a rectification removed, a unit, type or mailbox changed by any writer, an
// opinion deleted; and after concurrent writers.
func TestKeptCountsAgreeWithRows(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, viewers, ids := facetsFixture(t, b)
		keptAgree(t, s, viewers, "seeded")
		var fresh string
		steps := []facetStep{
			{"a submission", func(t *testing.T) {
				fresh = mustCreateOpinion(t, s, NewOpinion{Content: "今天也排队", UnitCode: "county-hospital"})
			}},
			{"triaged", func(t *testing.T) { walkTo(t, s, fresh, lifecycle.Triaged) }},
			{"assigned with a deadline", func(t *testing.T) { walkTo(t, s, ids[0], lifecycle.Assigned) }},
			{"a rectification begun", func(t *testing.T) {
				must(t, s.Transition(ctx, 0, ids[1], fullStep(lifecycle.Rectifying, "")))
			}},
			{"a deadline passed", func(t *testing.T) {
				mustExec(t, s, `UPDATE rectifications SET deadline = '2026-03-30' WHERE opinion_id = ?`, ids[1])
			}},
			{"a deadline cleared", func(t *testing.T) {
				mustExec(t, s, `UPDATE rectifications SET deadline = '' WHERE opinion_id = ?`, ids[0])
			}},
			{"a merge", func(t *testing.T) { walkTo(t, s, ids[8], lifecycle.Duplicate) }},
			{"grouped into a problem", func(t *testing.T) {
				var p string
				must(t, s.read.QueryRow(`SELECT min(id) FROM problems`).Scan(&p))
				must(t, s.Join(ctx, 0, ids[22], p))
			}},
			{"left the problem", func(t *testing.T) { must(t, s.Leave(ctx, 0, ids[27])) }},
			{"closed", func(t *testing.T) {
				must(t, s.Transition(ctx, 0, ids[1], fullStep(lifecycle.Reported, "")))
			}},
			{"a unit changed", func(t *testing.T) {
				mustExec(t, s, `UPDATE opinions SET unit_code = 'tcm-hospital' WHERE id = ?`, ids[1])
			}},
			{"a type changed", func(t *testing.T) { mustExec(t, s, `UPDATE opinions SET type = 'report' WHERE id = ?`, ids[2]) }},
			{"a mailbox changed", func(t *testing.T) {
				mustExec(t, s, `UPDATE opinions SET mailbox_code = 'director' WHERE id = ?`, ids[7])
			}},
			{"a rectification removed", func(t *testing.T) {
				mustExec(t, s, `DELETE FROM rectifications WHERE opinion_id = ?`, ids[3])
			}},
			{"a rectification moved to another opinion", func(t *testing.T) {
				mustExec(t, s, `DELETE FROM rectifications WHERE opinion_id = ?`, fresh)
				mustExec(t, s, `UPDATE rectifications SET opinion_id = ? WHERE opinion_id = ?`, fresh, ids[6])
			}},
			{"an opinion deleted", func(t *testing.T) {
				// Nothing deletes an opinion the office has acted on (the audit log refers to it and
				// is append-only); one that nobody acted on, moved by hand, can be.
				gone := mustCreateOpinion(t, s, NewOpinion{Content: "要删除的一条", UnitCode: "bureau"})
				mustExec(t, s, `UPDATE opinions SET status = 'rectifying' WHERE id = ?`, gone)
				mustExec(t, s, `INSERT INTO rectifications (opinion_id, lead_unit, deadline) VALUES (?, 'bureau', '2026-03-01')`, gone)
				tablesAgree(t, s, "before the deletion")
				mustExec(t, s, `DELETE FROM search_docs WHERE opinion_id = ?`, gone)
				mustExec(t, s, `DELETE FROM opinions WHERE id = ?`, gone)
			}},
			{"a later day: every deadline passed", func(t *testing.T) {
				s.now = func() time.Time { return day("2031-01-01") }
			}},
			{"back to the fixture's day", func(t *testing.T) { s.now = func() time.Time { return day("2026-04-02") } }},
		}
		for _, st := range steps {
			st.do(t)
			keptAgree(t, s, viewers, st.name)
		}
		concurrentWriters(t, s)
		keptAgree(t, s, viewers, "after concurrent writers")
	})
}

// concurrentWriters submits and moves opinions from several goroutines at once (on PostgreSQL
// several connections, so several slots and row locks at once); a deadlock or lock timeout
// refused as ErrBusy is tried again, as a person would.
func concurrentWriters(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				id, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: []string{"county-hospital", "bureau"}[w%2],
					Submitter: "patient", Content: fmt.Sprintf("并发写入 %d-%d", w, i)}, []byte(fmt.Sprintf("concurrent-%d-%d", w, i)))
				if err != nil {
					errs <- err
					return
				}
				for _, to := range lifecycle.PathTo([]string{lifecycle.Rectifying, lifecycle.Closed, lifecycle.Triaged}[i%3]) {
					for {
						err = s.Transition(ctx, 0, id, fullStep(to, ""))
						if !errors.Is(err, ErrBusy) {
							break
						}
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
