package storage

import (
	"context"
	"strings"
	"testing"

	"minsheng/access"
)

// queryPlan returns SQLite's EXPLAIN QUERY PLAN of query, one step a line.
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan += detail + "\n"
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestQueueReadsAnIndexAfterMigration0025: migration 0025 took indexes off opinions to make
// each submission cheaper to write. Every queue filter must still find its page in an index
// already in the queue's order (no sort of the matching rows), and the sidebar counts must
// still read an index alone, not the rows.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestQueueReadsAnIndexAfterMigration0025(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	tests := []struct {
		name   string
		f      OpinionFilter
		list   string // the index the queue page reads
		counts string // the covering index the counts read; "" when they need the rows
	}{
		{"everything", OpinionFilter{}, "opinions_by_day", "opinions_by_status"},
		{"one status", OpinionFilter{Status: "received"}, "opinions_by_status", "opinions_by_status"},
		{"one unit", OpinionFilter{UnitCode: "county-hospital"}, "opinions_by_unit", ""},
		{"status and unit", OpinionFilter{Status: "received", UnitCode: "county-hospital"}, "opinions_by_status", "opinions_by_status"},
		{"one type", OpinionFilter{Type: "complaint"}, "opinions_by_day", "opinions_by_status"},
		{"an offline channel", OpinionFilter{Channel: "letter"}, "opinions_by_channel", ""},
		{"the web channel", OpinionFilter{Channel: "web"}, "opinions_by_day", "opinions_by_status"},
		{"one mailbox", OpinionFilter{Mailbox: "director"}, "opinions_by_mailbox", ""},
		{"one month", OpinionFilter{Month: "2026-10"}, "opinions_by_day", ""},
		{"a reviewer's scope", OpinionFilter{Scope: &access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}},
			"opinions_by_day", "opinions_by_status"},
		{"a leader's scope", OpinionFilter{Scope: &access.Viewer{Role: access.Leader, Linked: []string{"county-hospital"}}},
			"opinions_by_unit", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			where, args := tt.f.where()
			list := queryPlan(t, s, `SELECT o.id`+opinionFrom+` WHERE `+where+` ORDER BY o.created_on DESC, o.id DESC LIMIT 51`, args...)
			if !strings.Contains(list, "INDEX "+tt.list+" ") && !strings.Contains(list, "INDEX "+tt.list+"\n") {
				t.Errorf("the page does not read %s:\n%s", tt.list, list)
			}
			if strings.Contains(list, "TEMP B-TREE") {
				t.Errorf("the page sorts the matching rows:\n%s", list)
			}
			counts := queryPlan(t, s, `SELECT o.status, count(*) FROM opinions o WHERE `+where+` GROUP BY o.status`, args...)
			if tt.counts != "" && !strings.Contains(counts, "COVERING INDEX "+tt.counts) {
				t.Errorf("the counts do not read %s alone:\n%s", tt.counts, counts)
			}
		})
	}
}
