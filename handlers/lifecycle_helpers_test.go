package handlers_test

import (
	"context"
	"testing"

	"minsheng/internal/storetest"
	"minsheng/lifecycle"
)

// fullStep returns a step to status to that supplies everything any step could need.
func fullStep(to, mergeInto string) lifecycle.Step {
	return lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "门诊部主任", Measures: "增开窗口，高峰增派人员",
		Ledger: "problem", Deadline: "2030-01-01", Kind: "timed", Report: "已增开两个窗口", Note: "复查发现仍排长队",
		Reason: "不属于卫生系统职责，已告知", MergeInto: mergeInto}
}

// walkTo moves opinion id from 待梳理 to status through the lifecycle's own steps, as userID.
func (h *harness) walkTo(t *testing.T, userID int64, id, status string) {
	t.Helper()
	path := lifecycle.PathTo(status)
	if path == nil && status != lifecycle.Received {
		t.Fatalf("walkTo: no path to %q", status)
	}
	for _, st := range path {
		if err := h.store.Transition(context.Background(), userID, id, fullStep(st, "")); err != nil {
			t.Fatalf("walkTo %s: step to %s: %v", status, st, err)
		}
	}
}

// setDeadline moves an assigned opinion's deadline, as if it had been set long ago: the
// lifecycle refuses past deadlines, so tests of overdue work write it directly.
func (h *harness) setDeadline(t *testing.T, id, deadline string) {
	t.Helper()
	storetest.SetDeadline(t, h.store, id, deadline)
}
