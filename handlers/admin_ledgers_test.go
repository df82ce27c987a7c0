package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// Ensure the ledgers list assigned work by ledger, the 督办 list holds only open work past its
// deadline (with the parent unit that follows it up), and the XLSX has the three ledgers.
func TestLedgersAndOverdue(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today: 2026-04-15
	b, u := h.staff(t)
	ctx := context.Background()
	assign := func(content, ledger, deadline string) string {
		id, _ := h.seed(t, storage.NewOpinion{Content: content})
		h.walkTo(t, u.ID, id, lifecycle.Triaged)
		step := fullStep(lifecycle.Assigned, "")
		step.Ledger, step.Deadline = ledger, "2030-01-01"
		if err := h.store.Transition(ctx, u.ID, id, step); err != nil {
			t.Fatal(err)
		}
		if deadline != "" { // a deadline now past: set as it would stand after time went by
			h.setDeadline(t, id, deadline)
		}
		return id
	}
	late := assign("发热门诊排班表一直没有公开。", "problem", "2026-04-01")
	onTime := assign("挂号处缺少老年人专用窗口。", "problem", "")
	system := assign("会议太多，需要精简会议制度。", "system", "")
	done := assign("病房热水问题已经反映过。", "problem", "2026-04-02")
	for _, st := range []string{lifecycle.Rectifying, lifecycle.Reported, lifecycle.LookBack, lifecycle.Satisfaction, lifecycle.Closed} {
		if err := h.store.Transition(ctx, u.ID, done, fullStep(st, "")); err != nil {
			t.Fatal(err)
		}
	}

	r := b.get(t, "/admin/ledgers?ledger=problem")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, late, onTime, done, "逾期")
	wantNotContains(t, r.Body, system)
	r = b.get(t, "/admin/ledgers?ledger=system")
	wantContains(t, r.Body, system)
	wantNotContains(t, r.Body, late)

	r = b.get(t, "/admin/overdue")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, late, "县卫生健康局机关") // county-hospital's parent follows it up
	wantNotContains(t, r.Body, onTime, done, system)

	r = b.get(t, "/admin/ledgers/export")
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("具体问题整改")
	if len(rows) != 4 { // header + late, done, onTime
		t.Fatalf("具体问题整改 has %d rows, want 4: %v", len(rows), rows)
	}
	if rows[1][0] != late {
		t.Errorf("first row %v, want the soonest deadline (%s) first", rows[1], late)
	}
	if audit, _ := h.store.RecentAudit(ctx, 1); len(audit) != 1 || audit[0].Action != "export" {
		t.Errorf("ledger export not audited: %+v", audit)
	}
}
