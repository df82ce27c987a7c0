package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

var bulkOutcomeRe = regexp.MustCompile(`id="bulk-outcome">([^<]*)<`)

// postBulk posts a bulk action on ids from the queue.
func postBulk(t *testing.T, b *browser, form url.Values, ids ...string) *response {
	t.Helper()
	v := url.Values{"ids": ids}
	for k, vs := range form {
		v[k] = vs
	}
	return b.post(t, "/admin/queue/bulk", v)
}

// followOutcome follows a bulk action's redirect and returns what the queue says it did.
func followOutcome(t *testing.T, b *browser, r *response) string {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	page := b.get(t, r.location())
	wantStatus(t, page, http.StatusOK)
	m := bulkOutcomeRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the queue after %s says nothing about the bulk action", r.location())
	}
	return html.UnescapeString(m[1])
}

// statusOf reads an opinion's status from the store.
func (h *harness) statusOf(t *testing.T, id string) string {
	t.Helper()
	o, err := h.store.Opinion(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status
}

// opinionIn stores an opinion and walks it to status.
func (h *harness) opinionIn(t *testing.T, typ, status string) string {
	t.Helper()
	id, _ := h.seed(t, storage.NewOpinion{Type: typ})
	h.walkTo(t, 0, id, status)
	return id
}

// Ensure a bulk tag adds the style and keeps the ones already there, skips what already has
// it and what the person may not see, and audits each change like the item page.
func TestBulkTagAdds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	ctx := context.Background()
	tagged := h.opinionIn(t, "complaint", lifecycle.Received)
	bare := h.opinionIn(t, "suggestion", lifecycle.Triaged)
	already := h.opinionIn(t, "complaint", lifecycle.Received)
	report := h.opinionIn(t, "report", lifecycle.Received) // 纪检's only
	for id, styles := range map[string][]string{tagged: {"formalism"}, already: {"hedonism", "extravagance"}} {
		if err := h.store.SetStyles(ctx, 0, id, styles); err != nil {
			t.Fatal(err)
		}
	}
	r := postBulk(t, b, url.Values{"action": {"tag"}, "add_style": {"hedonism"}, "type": {"complaint"}}, tagged, bare, already, report, "NOSUCHID00")
	if loc := r.location(); !strings.HasPrefix(loc, "/admin/queue?") || !strings.Contains(loc, "type=complaint") {
		t.Errorf("redirect %q does not keep the filter", loc)
	}
	if got, want := followOutcome(t, b, r), "2 条已添加“享乐主义”标注；2 条不存在或无权查看；1 条本来就有这个标注。"; got != want {
		t.Errorf("outcome %q, want %q", got, want)
	}
	for id, want := range map[string][]string{
		tagged: {"formalism", "hedonism"}, bare: {"hedonism"}, already: {"hedonism", "extravagance"}, report: nil,
	} {
		o, err := h.store.Opinion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(o.Styles, want) {
			t.Errorf("styles %v, want %v", o.Styles, want)
		}
	}
	for id, want := range map[string]int{tagged: 2, bare: 1, already: 1, report: 0} {
		audit, err := h.store.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range audit {
			if a.Action == "tag" {
				n++
			}
		}
		if n != want {
			t.Errorf("%d tag audit rows, want %d", n, want)
		}
	}

	t.Run("unknown style", func(t *testing.T) {
		before := h.snapshot(t)
		r := postBulk(t, b, url.Values{"action": {"tag"}, "add_style": {"laziness"}}, bare)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请从四风中选择一项。", `value="`+bare+`" aria-label="选择这条意见" checked`)
		if h.snapshot(t) != before {
			t.Error("a refused bulk tag changed stored data")
		}
	})
}

// Ensure a bulk move changes what may move and says, with the right counts, why the others
// did not.
func TestBulkStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		role     string
		from     []string // one opinion in each
		to       string
		moved    int
		outcome  string
		unmoved  []string // statuses that must stay as they were
		wantCode int
	}{
		{"triage new ones", "reviewer", []string{lifecycle.Received, lifecycle.Received, lifecycle.Rectifying, lifecycle.Closed}, lifecycle.Triaged, 2,
			"2 条已改为“已分类”；2 条当前状态不能这样改。", []string{lifecycle.Rectifying, lifecycle.Closed}, http.StatusSeeOther},
		{"look back", "reviewer", []string{lifecycle.Reported, lifecycle.Reported, lifecycle.Received}, lifecycle.LookBack, 2,
			"2 条已改为“回头看”；1 条当前状态不能这样改。", []string{lifecycle.Received}, http.StatusSeeOther},
		{"satisfaction visit", "supervisor", []string{lifecycle.LookBack, lifecycle.Rectifying}, lifecycle.Satisfaction, 1,
			"1 条已改为“满意度回访”；1 条当前状态不能这样改。", []string{lifecycle.Rectifying}, http.StatusSeeOther},
		{"close needs a reason from 已分类", "reviewer", []string{lifecycle.Satisfaction, lifecycle.Triaged}, lifecycle.Closed, 1,
			"1 条已改为“已销号”；1 条这一步还要填写内容，请在意见页面逐条办理。", []string{lifecycle.Triaged}, http.StatusSeeOther},
		{"supervisor may not triage", "supervisor", []string{lifecycle.Received, lifecycle.Reported}, lifecycle.Triaged, 0,
			"没有意见被更改；1 条当前状态不能这样改；1 条您的角色不能这样改。", []string{lifecycle.Received, lifecycle.Reported}, http.StatusSeeOther},
		{"unknown status", "reviewer", []string{lifecycle.Received}, "done", 0, "", []string{lifecycle.Received}, http.StatusUnprocessableEntity},
	}
	w := newRoleWorld(t) // each case moves opinions of its own
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := w.browsers[tc.role]
			var ids []string
			for _, st := range tc.from {
				ids = append(ids, w.h.opinionIn(t, "complaint", st))
			}
			r := postBulk(t, b, url.Values{"action": {"status"}, "to": {tc.to}}, ids...)
			wantStatus(t, r, tc.wantCode)
			if tc.wantCode == http.StatusSeeOther {
				if got := followOutcome(t, b, r); got != tc.outcome {
					t.Errorf("outcome %q, want %q", got, tc.outcome)
				}
			} else {
				wantContains(t, r.Body, "请选择要改成的状态。")
			}
			moved := 0
			for i, id := range ids {
				switch got := w.h.statusOf(t, id); {
				case got == tc.to:
					moved++
				case got != tc.from[i]:
					t.Errorf("%s went to %s", tc.from[i], got)
				case !slices.Contains(tc.unmoved, got):
					t.Errorf("%s did not move to %s", got, tc.to)
				}
			}
			if moved != tc.moved {
				t.Errorf("%d moved, want %d", moved, tc.moved)
			}
		})
	}
}

// Ensure a bulk 交办 checks its fields once (422 with the message, nothing changed, the
// typed text and ticks kept), then assigns every opinion that may be assigned.
func TestBulkAssign(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	ctx := context.Background()
	one := h.opinionIn(t, "complaint", lifecycle.Triaged)
	two := h.opinionIn(t, "suggestion", lifecycle.Triaged)
	fresh := h.opinionIn(t, "complaint", lifecycle.Received)
	form := url.Values{"action": {"assign"}, "lead_unit": {"tcm-hospital"}, "measures": {"统一增开周末门诊"},
		"ledger": {"special"}, "deadline_days": {"5"}}

	before := h.snapshot(t)
	r := postBulk(t, b, form, one, two, fresh)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请写明责任人。", "统一增开周末门诊", `id="bulk-assign" open`,
		`value="`+one+`" aria-label="选择这条意见" checked`, `value="`+fresh+`" aria-label="选择这条意见" checked`)
	if h.snapshot(t) != before {
		t.Fatal("a refused bulk 交办 changed stored data")
	}

	form.Set("responsible", "医务科科长")
	r = postBulk(t, b, form, one, two, fresh)
	if got, want := followOutcome(t, b, r), "2 条已交办；1 条当前状态不能这样改。"; got != want {
		t.Errorf("outcome %q, want %q", got, want)
	}
	for _, id := range []string{one, two} {
		if got := h.statusOf(t, id); got != lifecycle.Assigned {
			t.Errorf("status %s, want assigned", got)
		}
		rect, err := h.store.Rectification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rect.LeadUnit != "tcm-hospital" || rect.Responsible != "医务科科长" || rect.Ledger != "special" || rect.Deadline <= "2026-04-15" {
			t.Errorf("rectification %+v", rect)
		}
	}
	if got := h.statusOf(t, fresh); got != lifecycle.Received {
		t.Errorf("待梳理 opinion went to %s", got)
	}

	t.Run("not for the supervision group", func(t *testing.T) {
		u, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "督导", Password: staffPassword, Role: "supervisor"})
		if err != nil {
			t.Fatal(err)
		}
		sb := h.login(t, u.Username, staffPassword)
		sb.getCSRF(t, "/admin/queue")
		wantStatus(t, postBulk(t, sb, form, fresh), http.StatusForbidden)
		wantStatus(t, postBulk(t, sb, url.Values{"action": {"tag"}, "add_style": {"hedonism"}}, fresh), http.StatusForbidden)
	})
}

// Ensure a liaison's bulk action on opinions they may not see changes nothing and tells
// nothing: each one is "not found", like on the item page.
func TestBulkLiaisonCannotTouchUnseen(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	lb := w.browsers["liaison-county"]
	unseen := []string{w.ids["county leadership"], w.ids["tcm unassigned"], w.ids["misconduct report"]}
	before := w.h.snapshot(t)
	tests := []struct {
		name    string
		form    url.Values
		code    int
		outcome string
	}{
		{"back to 已分类", url.Values{"action": {"status"}, "to": {lifecycle.Triaged}}, http.StatusSeeOther, "没有意见被更改；3 条不存在或无权查看。"},
		{"start the work", url.Values{"action": {"status"}, "to": {lifecycle.Rectifying}}, http.StatusSeeOther, "没有意见被更改；3 条不存在或无权查看。"},
		{"tag", url.Values{"action": {"tag"}, "add_style": {"hedonism"}}, http.StatusForbidden, ""},
		{"assign", url.Values{"action": {"assign"}, "lead_unit": {"county-hospital"}, "responsible": {"x"}, "measures": {"x"},
			"ledger": {"problem"}, "deadline": {"2030-01-01"}}, http.StatusForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := postBulk(t, lb, tc.form, unseen...)
			wantStatus(t, r, tc.code)
			if tc.outcome != "" {
				if got := followOutcome(t, lb, r); got != tc.outcome {
					t.Errorf("outcome %q, want %q", got, tc.outcome)
				}
			}
			for _, name := range []string{"county leadership", "tcm unassigned", "misconduct report"} {
				wantNotContains(t, r.Body+r.location(), w.ids[name], w.content[name])
			}
		})
	}
	if w.h.snapshot(t) != before {
		t.Error("a liaison's bulk action on opinions they cannot see changed stored data")
	}
	// Their own work, in a move that is not theirs to make, is skipped for the role.
	r := postBulk(t, lb, url.Values{"action": {"status"}, "to": {lifecycle.Triaged}}, w.ids["county complaint"])
	if got := followOutcome(t, lb, r); got != "没有意见被更改；1 条您的角色不能这样改。" {
		t.Errorf("outcome %q", got)
	}
}

// Ensure the queue shows tick boxes and only the bulk actions each role may take.
func TestBulkFormPerRole(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	tests := []struct {
		role  string
		ticks bool     // the rows have tick boxes and the bulk form is there
		wants []string // in the bulk form
		nots  []string
	}{
		{"reviewer", true, []string{`value="tag"`, `<option value="triaged">已分类</option>`, `<option value="closed">已销号</option>`, `value="assign"`},
			[]string{`<option value="rectifying">`, `<option value="reported">`}},
		{"supervisor", true, []string{`<option value="lookback">回头看</option>`, `<option value="satisfaction">满意度回访</option>`},
			[]string{`value="tag"`, `value="assign"`, `<option value="triaged">`}},
		{"liaison-county", false, nil, nil},
		{"leader-tcm", false, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			r := w.browsers[tc.role].get(t, "/admin/queue")
			wantStatus(t, r, http.StatusOK)
			if got := strings.Contains(r.Body, `name="ids"`) && strings.Contains(r.Body, `action="/admin/queue/bulk"`); got != tc.ticks {
				t.Fatalf("tick boxes and bulk form shown: %v, want %v", got, tc.ticks)
			}
			section := ""
			if i := strings.Index(r.Body, `id="bulk-actions"`); i >= 0 {
				section = r.Body[i:]
			}
			wantContains(t, section, tc.wants...)
			wantNotContains(t, section, tc.nots...)
		})
	}
}

// Ensure the request's own limits: ids once each, at most 200, at least one, a known action.
func TestBulkLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	id := h.opinionIn(t, "complaint", lifecycle.Received)
	triage := url.Values{"action": {"status"}, "to": {lifecycle.Triaged}}

	many := make([]string, 201)
	for i := range many {
		many[i] = id
	}
	before := h.snapshot(t)
	wantStatus(t, postBulk(t, b, triage, many...), http.StatusBadRequest)
	r := postBulk(t, b, triage)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请先勾选要处理的意见。")
	r = postBulk(t, b, url.Values{"action": {"delete"}}, id)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请选择一种批量操作。")
	if h.snapshot(t) != before {
		t.Fatal("a refused bulk request changed stored data")
	}
	// The same id three times is one opinion, moved once.
	if got := followOutcome(t, b, postBulk(t, b, triage, id, id, id)); got != "1 条已改为“已分类”。" {
		t.Errorf("outcome %q", got)
	}
	// A forged outcome in the URL says nothing it cannot say.
	page := b.get(t, "/admin/queue?bulk=status&what=%3Cb%3E&done=3").Body
	wantNotContains(t, page, `id="bulk-outcome"`)
	page = b.get(t, "/admin/queue?bulk=tag&what=hedonism&done=999999").Body
	wantContains(t, page, "没有意见被更改。")
}

// Ensure every new POST needs the CSRF token, and a refused one changes nothing.
func TestQueuePostsNeedCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	id := h.opinionIn(t, "complaint", lifecycle.Received)
	sf, err := h.store.SaveFilter(context.Background(), u.ID, "本月", "month=2026-04")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target string
		form   url.Values
	}{
		{"/admin/queue/bulk", url.Values{"ids": {id}, "action": {"status"}, "to": {"triaged"}}},
		{"/admin/filters", url.Values{"name": {"新筛选"}, "status": {"received"}}},
		{"/admin/filters/" + strconv.FormatInt(sf.ID, 10) + "/delete", nil},
	}
	for _, tc := range tests {
		for _, token := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			t.Run(tc.target+" token="+token, func(t *testing.T) {
				before := h.snapshot(t)
				v := url.Values{}
				for k, vs := range tc.form {
					v[k] = vs
				}
				if token != "" {
					v.Set("_csrf", token)
				}
				wantStatus(t, b.postForm(t, tc.target, v), http.StatusForbidden)
				if h.snapshot(t) != before {
					t.Error("changed stored data")
				}
			})
		}
	}
	if saved, _ := h.store.SavedFilters(context.Background(), u.ID); len(saved) != 1 {
		t.Errorf("saved filters %v, want the one made directly", saved)
	}
}
