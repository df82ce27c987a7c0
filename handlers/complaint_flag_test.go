package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// TestComplaintMarkedSubstantiated: the office (活动办) marks a complaint 属实 on its page as
// 纪检 marks a 举报; the mark is audited like today's; the department's conduct record then
// counts that complaint in its month, while a complaint neither marked nor verified is never
// counted. A liaison may not mark; praise cannot be marked 属实.
func TestComplaintMarkedSubstantiated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	marked, _ := h.seed(t, storage.NewOpinion{Type: "complaint", Content: "内科医生看病时一直玩手机。", Dept: "内科"})
	h.seed(t, storage.NewOpinion{Type: "complaint", Content: "内科护士说话很冲，还没核实。", Dept: "内科"})
	praise, _ := h.seed(t, storage.NewOpinion{Type: "praise", Content: "外科大夫很细心。", Dept: "外科"})
	admin := h.staffAs(t, access.Admin)
	admin.getCSRF(t, "/admin/conduct")
	wantStatus(t, admin.post(t, "/admin/conduct/enabled", url.Values{"enabled": {"1"}}), http.StatusSeeOther)
	head, _ := h.loginAs(t, storage.NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"}, "/admin/conduct")
	april := "<td>2026-04</td><td>0</td><td>%s</td><td>0</td>"
	wantContains(t, head.get(t, "/admin/conduct").Body, fmt.Sprintf(april, "0")) // unverified: not counted

	rev, revUser := h.staff(t)
	page := rev.getCSRF(t, "/admin/opinions/"+marked)
	wantContains(t, page.Body, `name="substantiated"`, "投诉属实（经核实）")
	wantStatus(t, rev.post(t, "/admin/opinions/"+marked+"/flags", url.Values{"substantiated": {"1"}}), http.StatusSeeOther)
	if rect, _ := h.store.Rectification(context.Background(), marked); !rect.Substantiated {
		t.Fatalf("the mark was not kept: %+v", rect)
	}
	entries, err := h.store.AuditOf(context.Background(), marked)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range entries {
		audited = audited || (e.Action == "flags" && e.Detail == storage.FlagSubstantiated && e.Username == revUser.Username)
	}
	if !audited {
		t.Errorf("no flags audit entry by %s: %+v", revUser.Username, entries)
	}
	wantContains(t, rev.get(t, "/admin/opinions/"+marked).Body, `name="substantiated" value="1" checked`, "属实")
	wantContains(t, head.get(t, "/admin/conduct").Body, fmt.Sprintf(april, "1")) // one of two complaints

	tests := []struct {
		name string
		b    *browser
		id   string
		want int
	}{
		{"a liaison may not mark", h.staffAs(t, access.Liaison), marked, http.StatusForbidden},
		{"praise cannot be 属实", rev, praise, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.b.getCSRF(t, "/admin/queue")
			r := tc.b.post(t, "/admin/opinions/"+tc.id+"/flags", url.Values{"substantiated": {"1"}})
			wantStatus(t, r, tc.want)
		})
	}
	if rect, _ := h.store.Rectification(context.Background(), praise); rect.Substantiated {
		t.Error("praise was marked 属实")
	}
}
