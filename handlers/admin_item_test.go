package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"minsheng/storage"
)

// itemFixture is a logged-in reviewer and one opinion with its receipt code.
type itemFixture struct {
	h    *harness
	b    *browser
	user storage.User
	id   string
	code string
}

func newItemFixture(t *testing.T) *itemFixture {
	t.Helper()
	h := newHarness(t)
	b, u := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "急诊科医生值班时间打游戏，病人等了很久。", Dept: "急诊科"})
	return &itemFixture{h: h, b: b, user: u, id: id, code: code}
}

func (f *itemFixture) opinion(t *testing.T) storage.Opinion {
	t.Helper()
	o, err := f.h.store.Opinion(context.Background(), f.id)
	if err != nil {
		t.Fatalf("Opinion: %v", err)
	}
	return o
}

func (f *itemFixture) audit(t *testing.T) []storage.AuditEntry {
	t.Helper()
	a, err := f.h.store.AuditOf(context.Background(), f.id)
	if err != nil {
		t.Fatalf("AuditOf: %v", err)
	}
	return a
}

// action posts to one of the item's action routes and expects a redirect back to the item.
func (f *itemFixture) action(t *testing.T, what string, vals url.Values) {
	t.Helper()
	r := f.b.post(t, "/admin/opinions/"+f.id+"/"+what, vals)
	wantStatus(t, r, http.StatusSeeOther)
	if got, want := r.location(), "/admin/opinions/"+f.id; got != want {
		t.Errorf("Location got %q, want %q", got, want)
	}
}

// wantAudit checks that the newest audit row of the opinion is action by the reviewer.
func (f *itemFixture) wantAudit(t *testing.T, before int, action, detail string) {
	t.Helper()
	a := f.audit(t)
	if len(a) != before+1 {
		t.Fatalf("audit rows: got %d, want %d", len(a), before+1)
	}
	last := a[len(a)-1]
	if last.Action != action || last.Username != f.user.Username || last.Detail != detail {
		t.Errorf("audit row got %+v, want action %q by %q detail %q", last, action, f.user.Username, detail)
	}
}

func (f *itemFixture) track(t *testing.T) *response {
	t.Helper()
	b := f.h.browser()
	b.getCSRF(t, "/track")
	r := b.post(t, "/track", url.Values{"code": {f.code}})
	wantStatus(t, r, http.StatusOK)
	return r
}

func TestItemTags(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	steps := []struct {
		name   string
		styles []string
		want   []string
		detail string
	}{
		{"two styles", []string{"hedonism", "formalism"}, []string{"formalism", "hedonism"}, "hedonism,formalism"},
		{"other style", []string{"extravagance"}, []string{"extravagance"}, "extravagance"},
		{"none", nil, nil, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := len(f.audit(t))
			f.action(t, "styles", url.Values{"style": s.styles})
			if got := f.opinion(t).Styles; !slices.Equal(got, s.want) {
				t.Errorf("styles got %v, want %v", got, s.want)
			}
			f.wantAudit(t, before, "tag", s.detail)
			page := f.b.get(t, "/admin/opinions/"+f.id)
			wantStatus(t, page, http.StatusOK)
			for _, st := range []string{"formalism", "bureaucratism", "hedonism", "extravagance"} {
				checked := strings.Contains(page.Body, `value="`+st+`" checked`)
				if checked != slices.Contains(s.want, st) {
					t.Errorf("checkbox %s checked=%v, want %v", st, checked, slices.Contains(s.want, st))
				}
			}
			wantContains(t, page.Body, f.user.Username+" · 标注四风")
		})
	}
	t.Run("unknown style", func(t *testing.T) {
		before := len(f.audit(t))
		r := f.b.post(t, "/admin/opinions/"+f.id+"/styles", url.Values{"style": {"formalism", "laziness"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请只从四风中选择。")
		if got := f.opinion(t).Styles; len(got) != 0 {
			t.Errorf("styles got %v, want unchanged (none)", got)
		}
		if n := len(f.audit(t)); n != before {
			t.Errorf("audit rows got %d, want %d", n, before)
		}
	})
}

func TestItemStatus(t *testing.T) {
	t.Parallel()
	assign := url.Values{"lead_unit": {"county-hospital"}, "responsible": {"急诊科主任"}, "measures": {"调整排班，值班期间禁止玩手机"},
		"ledger": {"problem"}, "deadline": {"2026-05-15"}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name   string
		from   string // walked to through the store first
		to     string
		fields url.Values
		status int
		msg    string // on 422, shown next to the field
	}{
		{"received to triaged", "received", "triaged", nil, 303, ""},
		{"received to rejected with a reason", "received", "rejected", url.Values{"reason": {"不属于卫生系统，请联系公安部门"}}, 303, ""},
		{"triaged to assigned", "triaged", "assigned", assign, 303, ""},
		{"assigned in 5 working days", "triaged", "assigned", with(assign, "deadline", "", "deadline_days", "5"), 303, ""},
		{"rectifying, planned with explanation", "assigned", "rectifying", url.Values{"kind": {"planned"}, "explanation": {"需要明年预算"}}, 303, ""},
		{"reported with an account", "rectifying", "reported", url.Values{"report": {"已调整排班"}}, 303, ""},
		{"look-back fails with a reason", "lookback", "rectifying", url.Values{"note": {"复查时仍有人玩手机"}}, 303, ""},
		{"closed reopened with a reason", "closed", "rectifying", url.Values{"note": {"又有人反映"}}, 303, ""},
		{"rejected without a reason", "received", "rejected", nil, 422, "请写明不予受理的原因"},
		{"assigned without a lead unit", "triaged", "assigned", with(assign, "lead_unit", ""), 422, "请选择牵头单位"},
		{"assigned to an unknown unit", "triaged", "assigned", with(assign, "lead_unit", "no-such-unit"), 422, "请从列表中选择牵头单位"},
		{"assigned with a past deadline", "triaged", "assigned", with(assign, "deadline", "2026-01-01"), 422, "整改时限不能早于今天"},
		{"planned without explanation", "assigned", "rectifying", url.Values{"kind": {"planned"}}, 422, "列入计划的问题要向群众说明原因"},
		{"duplicate of a missing opinion", "received", "duplicate", url.Values{"merge_into": {"NOSUCHID00"}}, 422, "不能合并到这条意见"},
		{"received to received", "received", "received", nil, 422, "不能改为"},
		{"triaged back to received", "triaged", "received", nil, 422, "不能改为"},
		{"received straight to closed", "received", "closed", nil, 422, "不能改为"},
		{"unknown status", "received", "archived", nil, 422, "不能改为"},
		{"empty status", "received", "", nil, 422, "不能改为"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newItemFixture(t)
			f.h.walkTo(t, f.user.ID, f.id, tc.from)
			from := f.opinion(t).Status
			before := len(f.audit(t))
			vals := with(tc.fields, "status", tc.to)
			r := f.b.post(t, "/admin/opinions/"+f.id+"/status", vals)
			wantStatus(t, r, tc.status)
			got := f.opinion(t).Status
			if tc.status == http.StatusSeeOther {
				if got != tc.to {
					t.Errorf("status got %q, want %q", got, tc.to)
				}
				f.wantAudit(t, before, "status", from+"→"+tc.to)
				return
			}
			wantContains(t, r.Body, tc.msg, "急诊科医生值班时间打游戏")
			for k, vs := range tc.fields {
				if vs[0] != "" && k != "lead_unit" && k != "ledger" && k != "kind" && k != "deadline" {
					wantContains(t, r.Body, html.EscapeString(vs[0]))
				}
			}
			if got != from {
				t.Errorf("status got %q, want unchanged %q", got, from)
			}
			if n := len(f.audit(t)); n != before {
				t.Errorf("audit rows got %d, want %d", n, before)
			}
		})
	}
}

// Ensure "N working days" becomes the date N working days from today on the Chinese calendar.
func TestAssignInWorkingDays(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t) // today is Wednesday 2026-04-15 in the harness
	f.h.walkTo(t, f.user.ID, f.id, "triaged")
	r := f.b.post(t, "/admin/opinions/"+f.id+"/status", url.Values{"status": {"assigned"}, "lead_unit": {"bureau"},
		"responsible": {"办公室主任"}, "measures": {"核查"}, "ledger": {"system"}, "deadline_days": {"15"}})
	wantStatus(t, r, http.StatusSeeOther)
	rect, err := f.h.store.Rectification(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	// 15 working days from 2026-04-15: eleven to 04-30, Labour Day (05-01 to 05-05) off, then
	// 05-06, 05-07, 05-08 and the swapped working Saturday 05-09.
	if rect.Deadline != "2026-05-09" {
		t.Fatalf("deadline = %s, want 2026-05-09", rect.Deadline)
	}
	page := f.b.get(t, "/admin/opinions/"+f.id)
	wantContains(t, page.Body, "2026-05-09", "还剩 15 个工作日")
}

func TestItemReply(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	const reply = "经核实，该医生已被通报批评，科室已整改。<感谢监督>"

	t.Run("empty", func(t *testing.T) {
		r := f.b.post(t, "/admin/opinions/"+f.id+"/reply", url.Values{"reply": {"  \n "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "答复不能为空。")
		if got := f.opinion(t).Reply; got != "" {
			t.Errorf("reply stored %q, want none", got)
		}
	})
	t.Run("ok", func(t *testing.T) {
		before := len(f.audit(t))
		f.action(t, "reply", url.Values{"reply": {"  " + reply + "\n"}})
		o := f.opinion(t)
		if o.Reply != reply || o.RepliedOn != "2026-04-15" {
			t.Errorf("reply got %q on %q, want %q on 2026-04-15", o.Reply, o.RepliedOn, reply)
		}
		f.wantAudit(t, before, "reply", "")
		page := f.b.get(t, "/admin/opinions/"+f.id)
		if got, _ := textarea(page.Body, "reply"); got != reply {
			t.Errorf("reply box got %q, want %q", got, reply)
		}
		tr := f.track(t)
		wantContains(t, tr.Body, "经核实，该医生已被通报批评，科室已整改。&lt;感谢监督&gt;", "答复日期：2026-04-15")
	})
	t.Run("too long keeps what was typed", func(t *testing.T) {
		long := strings.Repeat("答", 5001)
		r := f.b.post(t, "/admin/opinions/"+f.id+"/reply", url.Values{"reply": {long}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "答复太长了：最多 5000 个字，现在是 5001 个字。")
		if got, _ := textarea(r.Body, "reply"); got != long {
			t.Errorf("reply box lost the typed text (%d chars)", len([]rune(got)))
		}
		if got := f.opinion(t).Reply; got != reply {
			t.Errorf("stored reply got %q, want the earlier %q", got, reply)
		}
	})
	t.Run("empty does not wipe the stored reply", func(t *testing.T) {
		r := f.b.post(t, "/admin/opinions/"+f.id+"/reply", url.Values{"reply": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := f.opinion(t).Reply; got != reply {
			t.Errorf("stored reply got %q, want %q", got, reply)
		}
	})
}

func TestItemNote(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	const note = "内部备注：已转纪检组，暂不答复。"

	t.Run("empty", func(t *testing.T) {
		r := f.b.post(t, "/admin/opinions/"+f.id+"/note", url.Values{"note": {" "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "备注不能为空。")
	})
	t.Run("too long keeps what was typed", func(t *testing.T) {
		long := strings.Repeat("备", 5001)
		r := f.b.post(t, "/admin/opinions/"+f.id+"/note", url.Values{"note": {long}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got, _ := textarea(r.Body, "note"); got != long {
			t.Errorf("note box lost the typed text (%d chars)", len([]rune(got)))
		}
	})
	t.Run("ok", func(t *testing.T) {
		before := len(f.audit(t))
		f.action(t, "note", url.Values{"note": {note}})
		notes, err := f.h.store.Notes(context.Background(), f.id)
		if err != nil || len(notes) != 1 || notes[0].Body != note || notes[0].Author != f.user.Username {
			t.Fatalf("notes got %+v (%v), want one %q by %s", notes, err, note, f.user.Username)
		}
		f.wantAudit(t, before, "note", "")
		page := f.b.get(t, "/admin/opinions/"+f.id)
		wantContains(t, page.Body, note, f.user.Username+" · 添加备注")
		tr := f.track(t)
		wantNotContains(t, tr.Body, note, "纪检组", f.user.Username)
	})
}

func TestItemUnknownOpinion(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	const missing = "ZZZZZZZZZZ"
	tests := []struct {
		name string
		path string
		vals url.Values
	}{
		{"styles", "styles", url.Values{"style": {"formalism"}}},
		{"bad style", "styles", url.Values{"style": {"laziness"}}},
		{"status", "status", url.Values{"status": {"triaged"}}},
		{"reply", "reply", url.Values{"reply": {"答复"}}},
		{"empty reply", "reply", url.Values{"reply": {""}}},
		{"note", "note", url.Values{"note": {"备注"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.b.post(t, "/admin/opinions/"+missing+"/"+tc.path, tc.vals)
			wantStatus(t, r, http.StatusNotFound)
			wantContains(t, r.Body, "没有找到这个页面")
		})
	}
	t.Run("page", func(t *testing.T) {
		wantStatus(t, f.b.get(t, "/admin/opinions/"+missing), http.StatusNotFound)
	})
}

func TestItemActionsNeedCSRF(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	for _, path := range []string{"styles", "status", "reply", "note"} {
		t.Run(path, func(t *testing.T) {
			vals := url.Values{"style": {"formalism"}, "status": {"triaged"}, "reply": {"答复"}, "note": {"备注"}, "_csrf": {"forged"}}
			r := f.b.postForm(t, "/admin/opinions/"+f.id+"/"+path, vals)
			wantStatus(t, r, http.StatusForbidden)
			wantContains(t, r.Body, "页面已过期")
		})
	}
	o := f.opinion(t)
	if o.Status != "received" || o.Reply != "" || len(o.Styles) != 0 {
		t.Errorf("opinion changed by forged requests: %+v", o)
	}
	if a := f.audit(t); len(a) != 0 {
		t.Errorf("audit rows after forged requests: %+v", a)
	}
}
