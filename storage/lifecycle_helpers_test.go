package storage

import (
	"context"
	"testing"

	"minsheng/lifecycle"
)

// fullStep returns a step to status to that supplies everything any step could need, so the
// lifecycle's own rules decide whether the move is allowed.
func fullStep(to, mergeInto string) lifecycle.Step {
	return lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "门诊部主任", Measures: "增开窗口，高峰增派人员",
		Ledger: "problem", Deadline: "2030-01-01", Kind: "timed", Report: "已增开两个窗口", Note: "复查发现仍排长队",
		Reason: "不属于卫生系统职责，已告知", MergeInto: mergeInto}
}

// walkTo moves opinion id from 待梳理 to status through the lifecycle's own steps. A duplicate
// is merged into a fresh opinion made for it.
func walkTo(t *testing.T, s *Store, id, status string) {
	t.Helper()
	path := lifecycle.PathTo(status)
	if path == nil && status != lifecycle.Received {
		t.Fatalf("walkTo: no path to %q", status)
	}
	for _, st := range path {
		target := ""
		if st == lifecycle.Duplicate {
			target = mustCreateOpinion(t, s, NewOpinion{})
		}
		if err := s.Transition(context.Background(), 0, id, fullStep(st, target)); err != nil {
			t.Fatalf("walkTo %s: step to %s: %v", status, st, err)
		}
	}
}
