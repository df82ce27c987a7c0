package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestSubmitWithSegmentAndTarget: a staff member gives their segment and names a staff member
// by post and badge (typed in full-width digits, as an input method gives them); the opinion
// keeps both, and the item page says them.
func TestSubmitWithSegmentAndTarget(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	vals := validOpinion()
	vals.Set("submitter", "staff")
	vals.Set("segment", "young_doctor")
	vals.Set("target_kind", "staff")
	vals.Set("target_post", "收费窗口")
	vals.Set("target_badge", " ａ０１２３ ")
	r := h.browser().submit(t, vals)
	wantStatus(t, r, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, r))
	if o.Submitter != "staff" || o.Segment != "young_doctor" || o.Target != (storage.Target{Kind: "staff", Post: "收费窗口", Badge: "A0123"}) ||
		o.AboutLeadership {
		t.Errorf("stored %+v", o)
	}
	b, _ := h.staff(t)
	page := b.get(t, "/admin/opinions/"+o.ID)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "职工 · 青年医师", `<dd id="item-target">某位工作人员（岗位：收费窗口、工号：A0123）</dd>`)
}

// TestSubmitRefusesWhatDoesNotFit: each wrong field comes back with its message next to it,
// 422, the words kept and nothing stored. A segment from someone who is not staff is refused
// rather than dropped: the person decides.
func TestSubmitRefusesWhatDoesNotFit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name   string
		set    map[string]string
		field  string
		says   string
		stored bool
	}{
		{"a segment from a patient", map[string]string{"segment": "nursing"}, "segment", "只有职工才填所在群体", false},
		{"an unknown segment", map[string]string{"submitter": "staff", "segment": "doctor"}, "segment", "请从列表中选择所在群体", false},
		{"a badge with no kind", map[string]string{"target_badge": "A0123"}, "target_kind", "请在上面选择这是领导班子成员还是某位工作人员", false},
		{"an unknown kind", map[string]string{"target_kind": "mayor"}, "target_kind", "请从上面选择反映的是哪一位", false},
		{"a badge in Chinese", map[string]string{"target_kind": "staff", "target_badge": "三号窗口"}, "target_badge", "工号只能是数字和字母，最多 20 位", false},
		{"a post too long", map[string]string{"target_kind": "staff", "target_post": strings.Repeat("岗", 41)}, "target_post", "岗位太长了：最多 40 个字，现在是 41 个字", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := validOpinion()
			for k, v := range tt.set {
				vals.Set(k, v)
			}
			r := h.browser().submit(t, vals)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.says, vals.Get("content"))
			if v := vals.Get("target_post"); v != "" {
				wantContains(t, r.Body, `value="`+v+`"`)
			}
		})
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("%d opinions stored, want none", n)
	}
}

// TestLeadershipTargetNeverReachesTheUnitsLiaison: naming a leadership member is about the
// leadership: the office sees it, the liaison of the unit never does, not even once the work is
// handed to the unit; a staff member named by badge is seen by that liaison as any other work.
func TestLeadershipTargetNeverReachesTheUnitsLiaison(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	submit := func(kind, post, badge string) storage.Opinion {
		vals := validOpinion()
		vals.Set("target_kind", kind)
		vals.Set("target_post", post)
		vals.Set("target_badge", badge)
		r := h.browser().submit(t, vals)
		wantStatus(t, r, http.StatusOK)
		return h.byReceipt(t, receiptOf(t, r))
	}
	president := submit("leadership", "院长", "")
	cashier := submit("staff", "收费窗口", "A0123")
	if !president.AboutLeadership || cashier.AboutLeadership {
		t.Fatalf("about the leadership: president %v, cashier %v", president.AboutLeadership, cashier.AboutLeadership)
	}
	for _, id := range []string{president.ID, cashier.ID} {
		h.walkTo(t, 0, id, lifecycle.Assigned) // handed to county-hospital
	}
	liaison := h.staffAs(t, access.Liaison) // of county-hospital
	wantStatus(t, liaison.get(t, "/admin/opinions/"+president.ID), http.StatusNotFound)
	wantStatus(t, liaison.get(t, "/admin/opinions/"+cashier.ID), http.StatusOK)
	queue := liaison.get(t, "/admin/queue")
	wantContains(t, queue.Body, "/admin/opinions/"+cashier.ID)
	wantNotContains(t, queue.Body, "/admin/opinions/"+president.ID)
	reviewer, _ := h.staff(t)
	wantStatus(t, reviewer.get(t, "/admin/opinions/"+president.ID), http.StatusOK)
}

// TestSupervisorEntersAnInspectionFinding: the 督导组 enters what its 暗访 found through the
// transcription console, channel inspection only, for any unit; it is audited as theirs and
// lands in the queue as any opinion.
func TestSupervisorEntersAnInspectionFinding(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.staffAs(t, access.Supervisor)
	page := b.getCSRF(t, "/admin/transcribe")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<option value="inspection" selected>`)
	wantNotContains(t, page.Body, `<option value="letter"`)
	v := url.Values{
		"channel": {"inspection"}, "received_on": {"2026-04-14"}, "site": {"门诊大厅"}, "type": {"complaint"},
		"unit": {"tcm-hospital"}, "dept": {"收费处"}, "submitter": {"monitor"},
		"content":     {"暗访发现：收费窗口上午十点才开，排队的病人等了四十分钟。"},
		"target_kind": {"staff"}, "target_post": {"收费窗口"},
	}
	r := b.follow(t, b.post(t, "/admin/transcribe", v))
	wantStatus(t, r, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, r))
	if o.Channel != "inspection" || o.UnitCode != "tcm-hospital" || o.Submitter != "monitor" || o.Target.Post != "收费窗口" {
		t.Errorf("stored %+v", o)
	}
	audit, err := h.store.AuditOf(context.Background(), o.ID)
	if err != nil || len(audit) != 1 || audit[0].Action != "transcribe" || audit[0].Username != "测评-"+access.Supervisor {
		t.Errorf("audit: %+v, %v; want one transcribe row by the supervisor", audit, err)
	}
	// The queue filters it by channel and by who spoke.
	reviewer, _ := h.staff(t)
	for _, q := range []string{"?channel=inspection", "?submitter=monitor"} {
		wantContains(t, reviewer.get(t, "/admin/queue"+q).Body, "/admin/opinions/"+o.ID)
	}
	wantNotContains(t, reviewer.get(t, "/admin/queue?submitter=patient").Body, "/admin/opinions/"+o.ID)
}

// TestEveryPublicFormCarriesTheNotice: the confidentiality and anti-retaliation notice, with
// the way to 举报, is on each public form.
func TestEveryPublicFormCarriesTheNotice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	for _, target := range []string{"/submit", "/submit?mailbox=director", "/pingyi"} {
		r := b.get(t, target)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `id="confidential"`, "任何人不得打击报复", "只有纪检监察人员能看到和办理")
	}
	r := b.get(t, "/submit?type=report")
	wantContains(t, r.Body, `value="report" checked`)
}

// TestDiagnosticFamilySwitch: the administrator turns the optional diagnostic family on from
// the taxonomy page; the item page then offers its tags; turned off, it offers them no more.
func TestDiagnosticFamilySwitch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := h.seed(t, storage.NewOpinion{})
	admin := h.staffAs(t, access.Admin)
	offered := func() bool {
		t.Helper()
		r := admin.get(t, "/admin/opinions/"+id)
		wantStatus(t, r, http.StatusOK)
		return strings.Contains(r.Body, `value="dx-inconvenient"`)
	}
	page := admin.get(t, "/admin/taxonomy")
	wantContains(t, page.Body, "诊断标签未启用", "启用诊断标签", "五查五看：查思想认识")
	if offered() {
		t.Fatalf("the diagnostic tags are offered before the family is turned on")
	}
	r := admin.post(t, "/admin/taxonomy-family", url.Values{"family": {"diagnostic"}, "on": {"1"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, admin.get(t, "/admin/taxonomy").Body, "诊断标签已启用")
	if !offered() {
		t.Errorf("the diagnostic tags are not offered once the family is on")
	}
	wantContains(t, admin.get(t, "/admin/audit").Body, "启用了诊断标签")
	wantStatus(t, admin.post(t, "/admin/taxonomy-family", url.Values{"family": {"diagnostic"}, "on": {"0"}}), http.StatusSeeOther)
	if offered() {
		t.Errorf("the diagnostic tags are still offered once the family is off")
	}
	wantStatus(t, admin.post(t, "/admin/taxonomy-family", url.Values{"family": {"horoscope"}, "on": {"1"}}), http.StatusBadRequest)
	reviewer, _ := h.staff(t)
	wantStatus(t, reviewer.post(t, "/admin/taxonomy-family", url.Values{"family": {"diagnostic"}, "on": {"1"}}), http.StatusForbidden)
}
