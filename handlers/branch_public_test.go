package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestPublicPagesOfABranch: /gongshi and /xinxiang with ?branch= show one county: its
// published work, its figures, its mailboxes and box sites; an unknown branch is 404 and the
// plain pages are unchanged.
func TestPublicPagesOfABranch(t *testing.T) {
	h := newHarness(t)
	branchTree(t, h)
	ctx := context.Background()
	for _, c := range []struct{ unit, title, box, site string }{
		{"east-hospital", "东县医院增开挂号窗口", "东县医院院长信箱", "东县医院门诊大厅"},
		{"west-hospital", "西县医院扩建停车场", "西县医院院长信箱", "西县医院住院部"},
	} {
		id, _ := h.seed(t, storage.NewOpinion{UnitCode: c.unit, Content: "排队太久，希望改进。"})
		h.walkTo(t, 0, id, lifecycle.Rectifying)
		if err := h.store.Publish(ctx, 0, id, c.title, "已经安排。", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: c.box, UnitCode: c.unit,
			ReaderRoles: []string{access.Reviewer}}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.CreateSite(ctx, 0, storage.NewSite{Name: c.site, UnitCode: c.unit}); err != nil {
			t.Fatal(err)
		}
	}
	b := h.browser()
	tests := []struct {
		path      string
		want, not []string
	}{
		{"/gongshi?branch=east-county", []string{"东县医院增开挂号窗口", "东县卫健局", `id="branch-scope"`}, []string{"西县医院扩建停车场", "西县人民医院", "西县卫健局"}},
		{"/gongshi?branch=west-hospital", []string{"西县医院扩建停车场"}, []string{"东县医院增开挂号窗口"}},
		{"/gongshi", []string{"东县医院增开挂号窗口", "西县医院扩建停车场"}, []string{`id="branch-scope"`}},
		{"/xinxiang?branch=east-county", []string{"东县医院院长信箱", "东县医院门诊大厅", `id="branch-scope"`},
			[]string{"西县医院院长信箱", "西县医院住院部", "mailbox=director"}},
		{"/xinxiang", []string{"东县医院院长信箱", "西县医院院长信箱", "mailbox=director", "西县医院住院部"}, []string{`id="branch-scope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := b.get(t, tt.path)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.want...)
			wantNotContains(t, r.Body, tt.not...)
		})
	}
	for _, path := range []string{"/gongshi?branch=nowhere", "/xinxiang?branch=nowhere", "/gongshi?branch=%27%3B"} {
		if r := b.get(t, path); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.Code)
		}
	}
	// A retired unit is no branch to show.
	if err := h.store.SetUnitActive(ctx, 0, "west-hospital", false); err != nil {
		t.Fatal(err)
	}
	if r := b.get(t, "/gongshi?branch=west-hospital"); r.Code != http.StatusNotFound {
		t.Errorf("a retired unit's board: %d, want 404", r.Code)
	}
}
